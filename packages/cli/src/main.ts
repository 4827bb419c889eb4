import { parseArgs } from 'node:util';
import { BundleError } from '@dcos-cdk/core';
import { CliError, EXIT } from './errors.js';
import { synthCommand } from './commands/synth.js';
import { lsCommand } from './commands/ls.js';

type Line = (line: string) => void;

/** A command that parses its own flags; its module loads only when it runs, so `synth` starts fast. */
interface Subcommand {
  readonly summary: string;
  readonly run: (argv: readonly string[], out: Line, err: Line) => Promise<number>;
}

const deploy = (name: 'diff' | 'deploy' | 'destroy' | 'sandbox', summary: string): Subcommand => ({
  summary,
  run: async (argv, out, err) => (await import('./commands/index-deploy.js')).deployCommands[name].run(argv, out, err),
});

const analyze: Subcommand = {
  summary: 'who can reach whom: the reachability matrix, --explain, --json, --html',
  run: async (argv, out, err) => (await import('./commands/index-analyze.js')).analyzeCommand.run(argv, out, err),
};

const importInit = (name: 'import' | 'init', summary: string): Subcommand => ({
  summary,
  run: async (argv, out, err) => (await import('./commands/index-import.js')).importInitCommands[name].run(argv, out, err),
});

/** Commands that parse their own flags: everything after the command name is theirs. */
const SUBCOMMANDS: Readonly<Record<string, Subcommand>> = {
  analyze,
  diff: deploy('diff', 'show what deploy would change, field by field'),
  deploy: deploy('deploy', 'converge the cluster on the bundle'),
  destroy: deploy('destroy', 'delete everything the stack owns'),
  sandbox: deploy('sandbox', 'run a local Marathon + Cosmos emulator (and etcd) to deploy to'),
  import: importInit('import', 'turn Marathon JSON and calicoctl YAML (or a live cluster) into a typed stack'),
  init: importInit('init', 'scaffold a new project that synthesizes and tests out of the box'),
};

const USAGE_TEMPLATE = `Usage: dcos-cdk <command> [options]

Commands:
  synth            run the app of dcos-cdk.json and write the bundle
  ls [bundle]      list the artifacts of a bundle in deploy order
\${SUBCOMMAND_LINES}

Options:
  -o, --output <dir>       bundle folder (default: "output" of dcos-cdk.json, else dcos.out)
  -c, --context k=v        context value for the app (repeatable)
      --json               machine-readable output
  -h, --help               this help

Run 'dcos-cdk <command> --help' for the flags of diff, deploy, destroy and sandbox.

Exit codes: 0 ok, 1 invalid stack or bundle, 2 wrong usage, 3 unexpected error;
deploy commands add 4 a change failed, 5 approval needed, 6 cluster lock held,
7 diff --fail found differences, 130 interrupted.`;

const USAGE = USAGE_TEMPLATE.replace(
  '${SUBCOMMAND_LINES}',
  Object.entries(SUBCOMMANDS)
    .map(([name, c]) => `  ${name.padEnd(17)}${c.summary}`)
    .join('\n'),
);

/** Runs the CLI with `argv` (without node and script); returns the exit code. */
export async function main(argv: readonly string[], out: (line: string) => void, err: (line: string) => void): Promise<number> {
  const sub = argv[0] !== undefined ? SUBCOMMANDS[argv[0]] : undefined;
  if (sub) return runGuarded(() => sub.run(argv.slice(1), out, err), err);
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      options: {
        output: { type: 'string', short: 'o' },
        context: { type: 'string', short: 'c', multiple: true },
        json: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
  } catch (e) {
    err(`${(e as Error).message}\n\n${USAGE}`);
    return EXIT.usage;
  }
  const { values, positionals } = parsed;
  const [command, ...rest] = positionals;
  if (values.help || !command) {
    (values.help ? out : err)(USAGE);
    return values.help ? EXIT.ok : EXIT.usage;
  }
  return runGuarded(async () => {
    switch (command) {
      case 'synth':
        return await synthCommand({ projectDir: process.cwd(), output: values.output, context: parseContext(values.context ?? []), json: values.json }, out);
      case 'ls':
        return lsCommand(rest[0] ?? values.output ?? 'dcos.out', values.json, out);
      default:
        err(`Unknown command '${command}'.\n\n${USAGE}`);
        return EXIT.usage;
    }
  }, err);
}

/** Runs a command, turning the errors it may raise into a message and an exit code. */
async function runGuarded(run: () => Promise<number>, err: (line: string) => void): Promise<number> {
  try {
    return await run();
  } catch (e) {
    if (e instanceof CliError) {
      err(`error: ${e.message}`);
      return e.exitCode;
    }
    if (e instanceof BundleError || (e as Error)?.name === 'BundleError') {
      err(`error: ${(e as Error).message}`);
      return EXIT.invalid;
    }
    err(`internal error: ${(e as Error)?.stack ?? String(e)}\nPlease report this with the command you ran.`);
    return EXIT.internal;
  }
}

function parseContext(pairs: readonly string[]): Record<string, string> {
  const context: Record<string, string> = {};
  for (const p of pairs) {
    const eq = p.indexOf('=');
    if (eq <= 0) throw new CliError(`--context '${p}' must be key=value.`, EXIT.usage);
    context[p.slice(0, eq)] = p.slice(eq + 1);
  }
  return context;
}
