/**
 * `dcos-cdk import --from-cluster`: the apps of a live Marathon (through the
 * deploy client, `GET /v2/apps`) and the Calico resources of its datastore
 * (etcd, read as the deploy drivers write it), turned into inputs the import
 * reads like files: `marathon:/frontend`, `etcd:/calico/v1/policy/...`.
 */
import { isPlainObject } from '@dcos-cdk/core';
import { readCalicoDatastore, readCalicoYaml, Selector, type DatastoreDocument } from '@dcos-cdk/calico';
import type { CalicoVersion, MarathonVersion } from '@dcos-cdk/dcos';
import { DcosConnection, LOCK_APP_ID, PACKAGE_NAME_LABEL, STACK_LABEL, type ConnectionFlags } from '@dcos-cdk/dcos/deploy';
import { MarathonClient, isMarathonDefault, RESPONSE_ONLY_FIELDS } from '@dcos-cdk/marathon/deploy';
import type { EtcdConnection } from '@dcos-cdk/calico/deploy';
import type { InputText } from './read.js';

/** What to read from the cluster. */
export interface FromClusterOptions {
  readonly connection: ConnectionFlags;
  /** Calico's etcd; without it only apps are read. */
  readonly etcd?: EtcdConnection;
  /** The cluster's Calico API. @default v3 from Marathon 1.10 (DC/OS 2.1), else v1 */
  readonly calicoVersion?: CalicoVersion;
  /** Only apps under these Marathon groups (`/development`). */
  readonly groups?: readonly string[];
  /** Only apps with these labels (`group=development`), Marathon or network labels. */
  readonly labels?: readonly string[];
  readonly env?: Readonly<Record<string, string | undefined>>;
  readonly home?: string;
  readonly progress?: (message: string) => void;
  readonly signal?: AbortSignal;
}

/** What was read. */
export interface ClusterInputs {
  readonly inputs: readonly InputText[];
  /** The cluster's Marathon (`1.4`, `1.5`, ...), when it said. */
  readonly marathonVersion?: MarathonVersion;
  readonly calicoVersion: CalicoVersion;
  /** Apps left out, and why (packages, the deploy lock, filters). */
  readonly skipped: readonly string[];
}

const KNOWN_MARATHON: readonly MarathonVersion[] = ['1.4', '1.5', '1.6', '1.7', '1.8', '1.9', '1.10', '1.11'];

/** Labels the app gives its tasks on a container network. */
function networkLabels(app: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const ip = app.ipAddress;
  if (isPlainObject(ip) && isPlainObject(ip.labels)) return ip.labels;
  const nets = Array.isArray(app.networks) ? app.networks : [];
  const first = nets.find((n) => isPlainObject(n) && isPlainObject(n.labels));
  return isPlainObject(first) && isPlainObject(first.labels) ? first.labels : {};
}

function matchesFilters(app: Readonly<Record<string, unknown>>, o: FromClusterOptions): boolean {
  const id = String(app.id);
  if ((o.groups ?? []).length > 0 && !(o.groups ?? []).some((g) => id.startsWith(`/${g.split('/').filter(Boolean).join('/')}/`))) return false;
  const labels = { ...networkLabels(app), ...(isPlainObject(app.labels) ? app.labels : {}) };
  return (o.labels ?? []).every((kv) => {
    const eq = kv.indexOf('=');
    return eq < 0 ? labels[kv] !== undefined : labels[kv.slice(0, eq)] === kv.slice(eq + 1);
  });
}

/** A live app as a definition: response-only fields, the ownership label and Marathon's defaults dropped. */
export function definitionOfLiveApp(live: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const app: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(live)) {
    if (RESPONSE_ONLY_FIELDS.includes(k) || v === null || (k !== 'id' && isMarathonDefault(k, v))) continue;
    app[k] = v;
  }
  if (isPlainObject(app.labels)) {
    const labels = { ...app.labels };
    delete labels[STACK_LABEL];
    if (Object.keys(labels).length > 0) app.labels = labels;
    else delete app.labels;
  }
  if (Array.isArray(app.healthChecks)) {
    app.healthChecks = app.healthChecks.map((hc, i) => (isPlainObject(hc) ? Object.fromEntries(Object.entries(hc).filter(([k, v]) => k === 'portIndex' || !isMarathonDefault(`healthChecks[${i}].${k}`, v))) : hc));
  }
  return app;
}

function stringLabels(app: Readonly<Record<string, unknown>>): Record<string, string> {
  return Object.fromEntries(Object.entries(networkLabels(app)).map(([k, v]) => [k, String(v)]));
}

/** Whether a resource read from etcd goes with the selected apps: their networks' profiles and the policies selecting one of them. */
function relevant(doc: DatastoreDocument, apps: readonly Readonly<Record<string, unknown>>[], networks: ReadonlySet<string>): boolean {
  const r = readCalicoYaml(doc.yaml, doc.source).resources[0];
  if (r === undefined) return true; // Unreadable: keep it, so the import reports the problem.
  if (r.kind === 'profile') return networks.has(r.name);
  if (r.kind === 'ipPool') return false;
  try {
    const s = Selector.isSelector(r.selector) ? r.selector : Selector.parse(r.selector);
    return apps.some((a) => s.matches(stringLabels(a)));
  } catch {
    return true;
  }
}

/** Reads the live cluster's apps (and Calico resources, with `etcd`). */
export async function readCluster(o: FromClusterOptions): Promise<ClusterInputs> {
  const conn = DcosConnection.resolve(o.connection, o.env ?? process.env, {}, o.home);
  const client = new MarathonClient(conn);
  const ctx = { stack: 'dcos-cdk-import', force: false, counters: { reads: 0, writes: 0 }, progress: o.progress ?? (() => undefined), ...(o.signal ? { signal: o.signal } : {}) };
  o.progress?.(`Reading Marathon apps from ${conn.url}`);
  const release = await client.version(ctx);
  const minor = release === undefined ? undefined : /^(\d+\.\d+)/.exec(release)?.[1];
  const marathonVersion = KNOWN_MARATHON.find((v) => v === minor);
  const skipped: string[] = [];
  const apps: Readonly<Record<string, unknown>>[] = [];
  for (const live of await client.listApps(ctx)) {
    const id = String(live.id);
    const labels = isPlainObject(live.labels) ? live.labels : {};
    if (id === LOCK_APP_ID) skipped.push(`${id}: the dcos-cdk deploy lock`);
    else if (labels[PACKAGE_NAME_LABEL] !== undefined) skipped.push(`${id}: the app of DC/OS package ${String(labels[PACKAGE_NAME_LABEL])} (import packages as DcosPackage by hand)`);
    else if (!matchesFilters(live, o)) skipped.push(`${id}: not selected by --group/--label`);
    else apps.push(definitionOfLiveApp(live));
  }
  const inputs: InputText[] = apps.map((a) => ({ file: `marathon:${String(a.id)}`, text: `${JSON.stringify(a, null, 2)}\n` }));
  const calicoVersion = o.calicoVersion ?? (marathonVersion !== undefined && KNOWN_MARATHON.indexOf(marathonVersion) >= KNOWN_MARATHON.indexOf('1.10') ? 'v3' : 'v1');
  if (o.etcd) {
    o.progress?.(`Reading Calico ${calicoVersion} resources from etcd`);
    const filtered = (o.groups ?? []).length > 0 || (o.labels ?? []).length > 0;
    const networks = new Set(apps.map((a) => {
      const ip = a.ipAddress;
      const nets = Array.isArray(a.networks) ? a.networks : [];
      return isPlainObject(ip) ? String(ip.networkName ?? '') : String((nets.find((n) => isPlainObject(n) && n.mode !== 'host') as Record<string, unknown> | undefined)?.name ?? '');
    }));
    for (const d of await readCalicoDatastore({ calicoVersion, etcd: o.etcd, ...(o.signal ? { signal: o.signal } : {}) })) {
      if (filtered && !relevant(d, apps, networks)) continue;
      inputs.push({ file: d.source, text: d.yaml });
    }
  }
  return { inputs, ...(marathonVersion ? { marathonVersion } : {}), calicoVersion, skipped };
}
