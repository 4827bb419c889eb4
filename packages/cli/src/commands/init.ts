/**
 * `dcos-cdk init [name]`: scaffolds a project that installs, synthesizes and
 * tests out of the box.
 */
import { relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { isDcosVersion } from '@dcos-cdk/dcos';
import { CliError, EXIT } from '../errors.js';
import { packageName, scaffoldProject } from '../init/scaffold.js';

type Line = (line: string) => void;

/** Help of `dcos-cdk init`. */
export const INIT_USAGE = `Usage: dcos-cdk init [name] [options]

Creates a project: package.json (the dcos-cdk packages as dependencies), dcos-cdk.json,
bin/app.ts and lib/stack.ts (a small working stack), test/app.test.ts, README.md.
With a name, in a new folder of that name; without, in the current folder.

Options:
      --dcos-version <v>   DC/OS release the stack targets (default: 1.9)
      --link <repo>        depend on a checkout of dcos-cdk (file: links to <repo>/packages/*)
      --force              overwrite files that exist
  -h, --help               this help

Then: npm install && npx dcos-cdk synth && npm test`;

/** Runs `dcos-cdk init`; returns the exit code. */
export async function initCommand(argv: readonly string[], out: Line, _err: Line, io: { readonly cwd?: string } = {}): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      options: {
        'dcos-version': { type: 'string' },
        link: { type: 'string' },
        force: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
  } catch (e) {
    throw new CliError(`${(e as Error).message} (see 'dcos-cdk init --help')`, EXIT.usage);
  }
  const { values: v, positionals } = parsed;
  if (v.help) {
    out(INIT_USAGE);
    return EXIT.ok;
  }
  if (positionals.length > 1) throw new CliError(`init takes one project name, got ${positionals.join(' ')}.`, EXIT.usage);
  const version = v['dcos-version'];
  if (version !== undefined && !isDcosVersion(version)) throw new CliError(`--dcos-version '${version}' is not a supported DC/OS release.`, EXIT.usage);
  const cwd = io.cwd ?? process.cwd();
  const name = positionals[0];
  if (name !== undefined && packageName(name) !== name.toLowerCase()) {
    throw new CliError(`'${name}' is not a valid project name: use lower-case letters, digits, '.', '_' and '-'.`, EXIT.usage);
  }
  const dir = resolve(cwd, name ?? '.');
  let written: string[];
  try {
    written = scaffoldProject({
      dir,
      ...(name !== undefined ? { name: name.toLowerCase() } : {}),
      ...(version !== undefined && isDcosVersion(version) ? { dcosVersion: version } : {}),
      ...(v.link !== undefined ? { link: resolve(cwd, v.link) } : {}),
      force: v.force ?? false,
    });
  } catch (e) {
    throw new CliError((e as Error).message, EXIT.usage);
  }
  const where = relative(cwd, dir) || '.';
  out(`Created a dcos-cdk project in ${where}/:`);
  for (const f of written) out(`  ${f}`);
  out('');
  out('Next:');
  if (where !== '.') out(`  cd ${where}`);
  out('  npm install');
  out('  npx dcos-cdk synth     # writes dcos.out/');
  out('  npm test');
  return EXIT.ok;
}
