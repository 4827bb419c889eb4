import { parseArgs } from 'node:util';
import { BundleError } from '@dcos-cdk/core';
import { CliError, EXIT } from './errors.js';
import { synthCommand } from './commands/synth.js';
import { lsCommand } from './commands/ls.js';

const USAGE = `Usage: dcos-cdk <command> [options]

Commands:
  synth            run the app of dcos-cdk.json and write the bundle
  ls [bundle]      list the artifacts of a bundle in deploy order

Options:
  -o, --output <dir>       bundle folder (default: "output" of dcos-cdk.json, else dcos.out)
  -c, --context k=v        context value for the app (repeatable)
      --json               machine-readable output
  -h, --help               this help

Exit codes: 0 ok, 1 invalid stack or bundle, 2 wrong usage, 3 unexpected error.`;

/** Runs the CLI with `argv` (without node and script); returns the exit code. */
export async function main(argv: readonly string[], out: (line: string) => void, err: (line: string) => void): Promise<number> {
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
  try {
    switch (command) {
      case 'synth':
        return await synthCommand({ projectDir: process.cwd(), output: values.output, context: parseContext(values.context ?? []), json: values.json }, out);
      case 'ls':
        return lsCommand(rest[0] ?? values.output ?? 'dcos.out', values.json, out);
      default:
        err(`Unknown command '${command}'.\n\n${USAGE}`);
        return EXIT.usage;
    }
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
