/**
 * `dcos-cdk import`: Marathon JSON and calicoctl YAML files (or a live
 * cluster) become one TypeScript stack file; then the connectivity analysis
 * says what the imported setup lets through.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { isDcosVersion, type CalicoVersion } from '@dcos-cdk/dcos';
import { etcdConnectionFromEnv } from '@dcos-cdk/calico/deploy';
import { CliError, EXIT } from '../errors.js';
import { analyzeImport, sourceOf, type ImportAnalysis } from '../import/analysis.js';
import { readCluster } from '../import/from-cluster.js';
import { formatImportIssue, ImportError, importStack, type ImportOptions, type ImportResult, type InputText } from '../import/index.js';

type Line = (line: string) => void;

/** Exit codes of `dcos-cdk import` (on top of the CLI's). */
export const IMPORT_EXIT = { ...EXIT, /** The live cluster could not be read (--from-cluster). */ cluster: 4 } as const;

/** The process environment of the command, injectable for tests. */
export interface ImportIo {
  /** Environment variables (default `process.env`). */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Working folder (default `process.cwd()`). */
  readonly cwd?: string;
  /** Home folder for the dcos CLI configuration (default the user's). */
  readonly home?: string;
}

/** Help of `dcos-cdk import`. */
export const IMPORT_USAGE = `Usage: dcos-cdk import <files or folders...> [options]
       dcos-cdk import --from-cluster [options]

Turns Marathon app JSON (1.4 or 1.5; an app, a list, a group) and calicoctl YAML
(v1 or v3; a resource, a list, several documents) into one TypeScript stack that
synthesizes back to the same apps and resources, then analyzes what it lets through.
Nothing is written unless every input is valid.

Options:
  -o, --out <file>             stack file to write (default: imported-stack.ts)
      --force                  overwrite the stack file if it exists
      --stdout                 print the stack instead of writing it
      --stack-name <name>      id of the Cluster, the stack deploy owns resources as (default: imported)
      --dcos-version <v>       target DC/OS release (default: inferred from the inputs)
      --calico-version v1|v3   target Calico API (default: the inputs', else the release's)
      --environment-label <k>  network label naming an app's environment
                               (default: the first of group, environment, env, stage the apps carry)
      --network <name>         the Calico network environments use (default: the one most apps join)
      --rename-duplicates      import policies that share a name under distinct names
                               (default: two policies with one name are an error)
      --no-analysis            skip the connectivity analysis
      --json                   print a JSON summary
  -h, --help                   this help

From a live cluster (--from-cluster):
      --group <path>           only apps under this Marathon group (repeatable)
      --label <key=value>      only apps with this Marathon or network label (repeatable);
                               with a filter, only the Calico policies selecting those apps
      --dcos-url <url>         cluster URL (env DCOS_URL; dcos CLI configuration)
      --token-env <VAR>        variable holding the token (default DCOS_ACS_TOKEN)
      --insecure | --ca-file <pem>
      --etcd-endpoints <urls>  Calico's etcd (env ETCD_ENDPOINTS); without it, apps only

Exit codes: 0 imported, 1 invalid input (nothing written), 2 wrong usage, 3 unexpected error,
4 the cluster could not be read (--from-cluster).`;

function parse(argv: readonly string[]) {
  try {
    return parseArgs({
      args: [...argv],
      allowPositionals: true,
      options: {
        out: { type: 'string', short: 'o' },
        force: { type: 'boolean', default: false },
        stdout: { type: 'boolean', default: false },
        'stack-name': { type: 'string' },
        'dcos-version': { type: 'string' },
        'calico-version': { type: 'string' },
        'environment-label': { type: 'string' },
        network: { type: 'string' },
        'rename-duplicates': { type: 'boolean', default: false },
        'no-analysis': { type: 'boolean', default: false },
        json: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
        'from-cluster': { type: 'boolean', default: false },
        group: { type: 'string', multiple: true },
        label: { type: 'string', multiple: true },
        'dcos-url': { type: 'string' },
        'token-env': { type: 'string' },
        insecure: { type: 'boolean', default: false },
        'ca-file': { type: 'string' },
        'etcd-endpoints': { type: 'string', multiple: true },
      },
    });
  } catch (e) {
    throw new CliError(`${(e as Error).message} (see 'dcos-cdk import --help')`, EXIT.usage);
  }
}

/** Files of the inputs: files as given, folders' `.json`, `.yaml` and `.yml` files in name order. */
function inputFiles(paths: readonly string[], cwd: string): string[] {
  const out: string[] = [];
  for (const p of paths) {
    const full = resolve(cwd, p);
    if (!existsSync(full)) throw new CliError(`${p}: no such file or folder.`, EXIT.usage);
    if (statSync(full).isDirectory()) {
      const found = readdirSync(full).filter((f) => /\.(json|ya?ml)$/i.test(f)).sort();
      if (found.length === 0) throw new CliError(`${p}: the folder holds no .json, .yaml or .yml file.`, EXIT.usage);
      out.push(...found.map((f) => join(full, f)));
    } else out.push(full);
  }
  return out;
}

function summary(r: ImportResult, target: string | undefined): string[] {
  const p = r.plan;
  const t = p.targets;
  const count = (n: number, what: string): string => `${n} ${what}${n === 1 ? '' : 's'}`;
  const lines = [
    `Imported ${count(p.apps.length, 'Marathon app')} and ${count(p.calico.length, 'Calico resource')}${target ? ` into ${target}` : ''} (DC/OS ${t.dcosVersion}: Marathon ${t.format === '1.4' ? '1.4' : '1.5+'} JSON, calicoctl ${t.calico}${t.enterprise ? ', Enterprise' : ''}).`,
  ];
  const envs = p.environments.map((e) => `${e.name} (${count(p.apps.filter((a) => a.environment === e).length, 'app')})`);
  if (envs.length > 0) lines.push(`Environments${p.environmentLabel ? ` by network label '${p.environmentLabel}'` : ''}: ${envs.join(', ')}.`);
  const overrides = p.apps.reduce((n, a) => n + a.overrides.length, 0);
  if (overrides > 0) lines.push(`${count(overrides, 'field')} the typed props do not model ${overrides === 1 ? 'is' : 'are'} kept through addOverride (commented in the file).`);
  lines.push('Synthesizing it gives back the same apps and resources (checked).');
  return lines;
}

function analysisLines(a: ImportAnalysis, plan: ImportResult['plan']): string[] {
  if (!a.ran) return [`Connectivity analysis skipped: ${a.reason}.`];
  const errors = a.findings.filter((f) => f.severity === 'error').length;
  const lines = [`What the imported setup lets through (connectivity analysis): ${a.findings.length === 0 ? 'no findings.' : `${errors} error${errors === 1 ? '' : 's'}, ${a.findings.length - errors} warning${a.findings.length - errors === 1 ? '' : 's'}.`}`];
  for (const f of a.findings) {
    const from = sourceOf(plan, f.constructPath);
    lines.push(`${f.severity} [${f.rule}] ${f.constructPath ? `${f.constructPath}${from ? ` (${from})` : ''}: ` : ''}${f.message}`, `    fix: ${f.fix}`);
  }
  return lines;
}

/** Runs `dcos-cdk import`; returns the exit code. */
export async function importCommand(argv: readonly string[], out: Line, err: Line, io: ImportIo = {}): Promise<number> {
  const { values: v, positionals } = parse(argv);
  if (v.help) {
    out(IMPORT_USAGE);
    return EXIT.ok;
  }
  const cwd = io.cwd ?? process.cwd();
  const env = io.env ?? process.env;
  if (!v['from-cluster'] && positionals.length === 0) throw new CliError(`import needs files or folders, or --from-cluster.\n\n${IMPORT_USAGE}`, EXIT.usage);
  if (v['from-cluster'] && positionals.length > 0) throw new CliError('import reads files or a live cluster (--from-cluster), not both.', EXIT.usage);
  if (v['dcos-version'] !== undefined && !isDcosVersion(v['dcos-version'])) throw new CliError(`--dcos-version '${v['dcos-version']}' is not a supported DC/OS release.`, EXIT.usage);
  const calicoVersion = v['calico-version'];
  if (calicoVersion !== undefined && calicoVersion !== 'v1' && calicoVersion !== 'v3') throw new CliError(`--calico-version must be v1 or v3, not '${calicoVersion}'.`, EXIT.usage);
  const target = v.stdout ? undefined : resolve(cwd, v.out ?? 'imported-stack.ts');
  if (target && existsSync(target) && !v.force) throw new CliError(`${relative(cwd, target)} exists; pass --force to overwrite it, or --out another file.`, EXIT.usage);

  const options: ImportOptions = {
    ...(v['stack-name'] !== undefined ? { stackName: v['stack-name'] } : {}),
    ...(v['dcos-version'] !== undefined && isDcosVersion(v['dcos-version']) ? { dcosVersion: v['dcos-version'] } : {}),
    ...(calicoVersion !== undefined ? { calicoVersion: calicoVersion as CalicoVersion } : {}),
    ...(v['environment-label'] !== undefined ? { environmentLabel: v['environment-label'] } : {}),
    ...(v.network !== undefined ? { network: v.network } : {}),
    renameDuplicates: v['rename-duplicates'] ?? false,
  };
  let inputs: readonly InputText[];
  let marathonVersion: ImportOptions['marathonVersion'];
  let liveCalico: CalicoVersion | undefined;
  if (v['from-cluster']) {
    const endpoints = (v['etcd-endpoints'] ?? []).flatMap((s) => s.split(',')).map((s) => s.trim()).filter(Boolean);
    const fromEnv = etcdConnectionFromEnv(env);
    const etcd = endpoints.length > 0 ? { ...fromEnv, endpoints } : fromEnv;
    const live = await readCluster({
      connection: { ...(v['dcos-url'] ? { dcosUrl: v['dcos-url'] } : {}), ...(v['token-env'] ? { tokenEnv: v['token-env'] } : {}), insecure: v.insecure ?? false, ...(v['ca-file'] ? { caFile: resolve(cwd, v['ca-file']) } : {}) },
      ...(etcd ? { etcd } : {}),
      ...(calicoVersion !== undefined ? { calicoVersion: calicoVersion as CalicoVersion } : {}),
      groups: v.group ?? [],
      labels: v.label ?? [],
      env,
      ...(io.home !== undefined ? { home: io.home } : {}),
      progress: (m) => err(m),
    }).catch((e: unknown) => {
      const name = (e as Error)?.name;
      if (name === 'DcosConnectionConfigError') throw new CliError((e as Error).message, EXIT.usage);
      if (name === 'DcosApiError' || name === 'EtcdError' || name === 'TransportError') throw new CliError(`Reading the cluster failed: ${(e as Error).message}`, IMPORT_EXIT.cluster);
      throw e;
    });
    for (const s of live.skipped) err(`Skipped ${s}.`);
    if (!etcd) err('No Calico etcd given (--etcd-endpoints or ETCD_ENDPOINTS): importing apps only.');
    inputs = live.inputs;
    marathonVersion = live.marathonVersion;
    liveCalico = live.calicoVersion;
  } else {
    inputs = inputFiles(positionals, cwd).map((f) => ({ file: relative(cwd, f) || f, text: readFileSync(f, 'utf8') }));
  }

  let result: ImportResult;
  try {
    result = importStack(inputs, { ...options, ...(marathonVersion && !options.dcosVersion ? { marathonVersion } : {}), ...(liveCalico && !options.calicoVersion ? { calicoVersion: liveCalico } : {}) });
  } catch (e) {
    if (!(e instanceof ImportError)) throw e;
    if (v.json) out(JSON.stringify({ ok: false, errors: e.errors, warnings: e.issues.filter((i) => i.severity === 'warning') }, null, 2));
    else {
      for (const i of e.issues) err(formatImportIssue(i));
      err(`\nImport failed: ${e.message}`);
    }
    return EXIT.invalid;
  }

  if (target) {
    mkdirSync(dirname(target), { recursive: true });
    const staging = `${target}.${process.pid}.tmp`;
    writeFileSync(staging, result.code);
    renameSync(staging, target);
  }
  const analysis: ImportAnalysis = v['no-analysis'] ? { ran: false, reason: '--no-analysis' } : analyzeImport(result.plan, result.bundle);
  if (v.json) {
    const p = result.plan;
    out(JSON.stringify({
      ok: true,
      file: target ?? null,
      targets: p.targets,
      environments: p.environments.map((e) => ({ name: e.name, apps: p.apps.filter((a) => a.environment === e).map((a) => a.id) })),
      apps: p.apps.map((a) => a.id),
      resources: p.calico.map((c) => `${c.resource.kind}:${'name' in c.resource.props && c.resource.props.name !== undefined ? c.resource.props.name : c.resource.kind === 'ipPool' ? c.resource.props.cidr : ''}`),
      overrides: p.apps.flatMap((a) => a.overrides.map((o) => ({ app: a.id, path: o.path, reason: o.reason }))),
      warnings: result.warnings,
      analysis,
      ...(target ? {} : { code: result.code }),
    }, null, 2));
    return EXIT.ok;
  }
  if (!target) out(result.code);
  for (const w of result.warnings) err(formatImportIssue(w));
  const log = target ? out : err;
  for (const l of summary(result, target && (relative(cwd, target) || target))) log(l);
  for (const l of analysisLines(analysis, result.plan)) log(l);
  return EXIT.ok;
}
