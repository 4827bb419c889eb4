/**
 * Finds the dcos CLI's cluster configuration the way the CLI does
 * (dcos/dcos-cli `pkg/config/manager.go`, marathon.md §3):
 * `DCOS_CONFIG` (a file) → `DCOS_CLUSTER` (cluster name or id) → the only
 * configured cluster → the cluster whose folder holds an `attached` file.
 * Clusters live in `$DCOS_DIR/clusters/<id>/dcos.toml` (`DCOS_DIR` defaults to
 * `~/.dcos`); the legacy single file `$DCOS_DIR/dcos.toml` is read when no
 * cluster folder exists.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { parseToml, tomlGet } from './toml.js';
import type { TomlTable } from './toml.js';

/** The settings of one configured cluster that deploy uses. */
export interface DcosCliConfig {
  /** The `dcos.toml` file. */
  readonly path: string;
  /** Cluster id (its folder name), when from a cluster folder. */
  readonly clusterId?: string;
  /** `cluster.name`. */
  readonly name?: string;
  /** `core.dcos_url`. */
  readonly dcosUrl?: string;
  /** `core.dcos_acs_token` (never print it). */
  readonly acsToken?: string;
  /** `core.ssl_verify`: `true`, `false`, or a CA bundle path. */
  readonly sslVerify?: string;
  /** `core.timeout` in seconds. */
  readonly timeoutSeconds?: number;
  /** `marathon.url`. */
  readonly marathonUrl?: string;
  /** `package.cosmos_url`. */
  readonly cosmosUrl?: string;
}

/** Result of the lookup: a config, or why none was chosen. */
export interface CliConfigLookup {
  /** The chosen config. */
  readonly config?: DcosCliConfig;
  /** Why none was chosen (no clusters, several without `attached`, `DCOS_CLUSTER` unknown). */
  readonly problem?: string;
  /** The configuration folder that was searched. */
  readonly dir: string;
}

/** Raised when a config file exists but cannot be read. */
export class DcosConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DcosConfigError';
  }
}

function str(doc: TomlTable, key: string): string | undefined {
  const v = tomlGet(doc, key);
  if (typeof v === 'string') return v === '' ? undefined : v;
  if (typeof v === 'boolean' || typeof v === 'number') return String(v);
  return undefined;
}

/** Reads one `dcos.toml`. */
export function readDcosToml(path: string, clusterId?: string): DcosCliConfig {
  let doc: TomlTable;
  try {
    doc = parseToml(readFileSync(path, 'utf8'), path);
  } catch (e) {
    throw new DcosConfigError(`Cannot read the dcos CLI configuration ${path}: ${(e as Error).message}`);
  }
  const timeout = tomlGet(doc, 'core.timeout');
  const optional = {
    clusterId,
    name: str(doc, 'cluster.name'),
    dcosUrl: str(doc, 'core.dcos_url'),
    acsToken: str(doc, 'core.dcos_acs_token'),
    sslVerify: str(doc, 'core.ssl_verify'),
    timeoutSeconds: typeof timeout === 'number' ? timeout : typeof timeout === 'string' && /^\d+$/.test(timeout) ? Number(timeout) : undefined,
    marathonUrl: str(doc, 'marathon.url'),
    cosmosUrl: str(doc, 'package.cosmos_url'),
  };
  const config: Record<string, unknown> = { path };
  for (const [k, v] of Object.entries(optional)) if (v !== undefined) config[k] = v;
  return config as unknown as DcosCliConfig;
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/** The dcos CLI configuration folder: `DCOS_DIR`, else `~/.dcos`. */
export function dcosDir(env: Readonly<Record<string, string | undefined>>, home: string = homedir()): string {
  return env.DCOS_DIR && env.DCOS_DIR !== '' ? env.DCOS_DIR : join(home, '.dcos');
}

/** Every configured cluster, sorted by id. */
export function listClusterConfigs(dir: string): DcosCliConfig[] {
  const clusters = join(dir, 'clusters');
  if (!existsSync(clusters)) return [];
  const out: DcosCliConfig[] = [];
  for (const id of readdirSync(clusters).sort()) {
    const file = join(clusters, id, 'dcos.toml');
    if (isFile(file)) out.push(readDcosToml(file, id));
  }
  return out;
}

/** Finds the current cluster's configuration (see the module comment for the order). */
export function findDcosCliConfig(env: Readonly<Record<string, string | undefined>>, home: string = homedir()): CliConfigLookup {
  const dir = dcosDir(env, home);
  if (env.DCOS_CONFIG) {
    if (!isFile(env.DCOS_CONFIG)) return { dir, problem: `DCOS_CONFIG points at ${env.DCOS_CONFIG}, which is not a file` };
    return { dir, config: readDcosToml(env.DCOS_CONFIG) };
  }
  const all = listClusterConfigs(dir);
  if (env.DCOS_CLUSTER) {
    const wanted = env.DCOS_CLUSTER;
    const byId = all.find((c) => c.clusterId === wanted);
    if (byId) return { dir, config: byId };
    const byName = all.filter((c) => c.name === wanted);
    if (byName.length === 1) return { dir, config: byName[0]! };
    if (byName.length > 1) return { dir, problem: `DCOS_CLUSTER=${wanted} matches ${byName.length} clusters in ${dir}; use the cluster id` };
    return { dir, problem: `DCOS_CLUSTER=${wanted} names no cluster configured in ${join(dir, 'clusters')}` };
  }
  if (all.length === 1) return { dir, config: all[0]! };
  if (all.length === 0) {
    const legacy = join(dir, 'dcos.toml');
    if (isFile(legacy)) return { dir, config: readDcosToml(legacy) };
    return { dir, problem: `no cluster is configured in ${dir}` };
  }
  const attached = all.filter((c) => existsSync(join(dirname(c.path), 'attached')));
  if (attached.length === 1) return { dir, config: attached[0]! };
  if (attached.length > 1) return { dir, problem: `several clusters in ${dir} are attached (${attached.map((c) => basename(dirname(c.path))).join(', ')})` };
  return { dir, problem: `${all.length} clusters are configured in ${dir} and none is attached; run 'dcos cluster attach <name>' or set DCOS_CLUSTER` };
}
