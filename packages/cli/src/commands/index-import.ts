/**
 * `import` and `init`, for `main.ts` to dispatch: each handler takes the
 * arguments after the command name and returns the exit code; each parses
 * its own flags (`--help` included).
 *
 * @example
 * const cmd = importInitCommands[command];
 * if (cmd) return cmd.run(rest, out, err);
 */
import { importCommand, IMPORT_USAGE, type ImportIo } from './import.js';
import { initCommand, INIT_USAGE } from './init.js';

type Line = (line: string) => void;

/** A command handler: arguments after the command name → exit code. */
export type ImportInitHandler = (argv: readonly string[], out: Line, err: Line, io?: ImportIo) => Promise<number>;

/** One command of the table. */
export interface ImportInitCommand {
  /** One line for the command list of `dcos-cdk --help`. */
  readonly summary: string;
  /** Full help (`dcos-cdk <command> --help`). */
  readonly usage: string;
  /** Runs it. */
  readonly run: ImportInitHandler;
}

/** `import` and `init`. */
export const importInitCommands: Readonly<Record<'import' | 'init', ImportInitCommand>> = {
  import: { summary: 'turn Marathon JSON and calicoctl YAML (or a live cluster) into a typed stack', usage: IMPORT_USAGE, run: importCommand },
  init: { summary: 'create a project that synthesizes and tests out of the box', usage: INIT_USAGE, run: initCommand },
};

/** Usage lines for `dcos-cdk --help`. */
export const IMPORT_INIT_USAGE_LINES: readonly string[] = Object.entries(importInitCommands).map(([name, c]) => `  ${name.padEnd(17)}${c.summary}`);

export type { ImportIo } from './import.js';
