/**
 * Reading the Calico resources of a live cluster from its etcd datastore, for
 * `dcos-cdk import --from-cluster`: the keys the deploy drivers (and
 * calicoctl) write, turned back into calicoctl YAML documents that
 * `readCalicoYaml` checks like any file.
 *
 * @module
 */
import type { CalicoVersion } from '@dcos-cdk/dcos';
import { toYaml, type JsonValue } from '@dcos-cdk/core';
import { V1_POLICY_ROOT, V1_POOL_ROOT } from './deploy/backend-v1.js';
import { V3_ROOT } from './deploy/backend-v3.js';
import { EtcdV2Client, type V2Node } from './deploy/etcd-v2.js';
import { EtcdV3Client, type V3GatewayPrefix } from './deploy/etcd-v3.js';
import type { EtcdConnection } from './deploy/http.js';

/** Options of {@link readCalicoDatastore}. */
export interface ReadCalicoDatastoreOptions {
  /** Calico API of the cluster: `v1` reads the etcd v2 layout, `v3` the etcd v3 one. */
  readonly calicoVersion: CalicoVersion;
  /** How to reach etcd. */
  readonly etcd: EtcdConnection;
  /** Path prefix of etcd's v3 JSON gateway. @default '/v3' */
  readonly v3GatewayPrefix?: V3GatewayPrefix;
  /** Aborts the reads. */
  readonly signal?: AbortSignal;
}

/** One resource read from the datastore, as a calicoctl YAML document. */
export interface DatastoreDocument {
  /** Where it came from, e.g. `etcd:/calico/v1/policy/tier/default/policy/allow-web`; used as the file name in messages. */
  readonly source: string;
  /** The resource as calicoctl YAML of the cluster's version. */
  readonly yaml: string;
}

type Obj = { [key: string]: JsonValue };

function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function parse(text: string | undefined): JsonValue | undefined {
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text) as JsonValue;
  } catch {
    return undefined;
  }
}

function defined(o: { [key: string]: JsonValue | undefined }): Obj {
  const out: Obj = {};
  for (const [k, v] of Object.entries(o)) if (v !== undefined) out[k] = v;
  return out;
}

/** libcalico-go's key escaping, undone: `%2f` → `/`, `%25` → `%`. */
function unescapeV1(name: string): string {
  return name.replace(/%2f/gi, '/').replace(/%25/g, '%');
}

function leaves(node: V2Node | undefined): V2Node[] {
  if (!node) return [];
  return node.dir ? (node.nodes ?? []).flatMap(leaves) : [node];
}

/** A libcalico-go v1 backend rule back in calicoctl v1 API form (the inverse of the deploy driver's conversion). */
function v1Rule(b: JsonValue): JsonValue {
  if (!isObj(b)) return b;
  const side = (p: 'src' | 'dst'): Obj | undefined => {
    const nets = Array.isArray(b[`${p}_nets`]) ? (b[`${p}_nets`] as JsonValue[]) : undefined;
    const notNets = Array.isArray(b[`!${p}_nets`]) ? (b[`!${p}_nets`] as JsonValue[]) : undefined;
    const e = defined({
      tag: b[`${p}_tag`],
      net: b[`${p}_net`] ?? (nets?.length === 1 ? nets[0] : undefined),
      nets: nets && nets.length > 1 ? nets : undefined,
      selector: b[`${p}_selector`],
      ports: b[`${p}_ports`],
      notTag: b[`!${p}_tag`],
      notNet: b[`!${p}_net`] ?? (notNets?.length === 1 ? notNets[0] : undefined),
      notNets: notNets && notNets.length > 1 ? notNets : undefined,
      notSelector: b[`!${p}_selector`],
      notPorts: b[`!${p}_ports`],
    });
    return Object.keys(e).length > 0 ? e : undefined;
  };
  const icmp = defined({ type: b.icmp_type, code: b.icmp_code });
  const notIcmp = defined({ type: b['!icmp_type'], code: b['!icmp_code'] });
  return defined({
    action: b.action === 'next-tier' ? 'pass' : b.action,
    ipVersion: b.ip_version,
    protocol: b.protocol,
    notProtocol: b['!protocol'],
    icmp: Object.keys(icmp).length > 0 ? icmp : undefined,
    notICMP: Object.keys(notIcmp).length > 0 ? notIcmp : undefined,
    source: side('src'),
    destination: side('dst'),
  });
}

function v1Rules(list: JsonValue | undefined): JsonValue[] {
  return Array.isArray(list) ? list.map(v1Rule) : [];
}

async function readV1(client: EtcdV2Client, scope: Parameters<EtcdV2Client['getTree']>[1]): Promise<DatastoreDocument[]> {
  const out: DatastoreDocument[] = [];
  const policyDir = `${V1_POLICY_ROOT}/tier/default/policy`;
  for (const leaf of leaves(await client.getTree(policyDir, scope))) {
    const v = parse(leaf.value);
    if (!isObj(v)) continue;
    const spec = defined({
      order: v.order,
      selector: v.selector,
      ingress: v1Rules(v.inbound_rules),
      egress: v1Rules(v.outbound_rules),
      types: v.types,
      doNotTrack: v.untracked === true ? true : undefined,
      preDNAT: v.pre_dnat === true ? true : undefined,
    });
    const name = unescapeV1(leaf.key.slice(policyDir.length + 1));
    out.push({ source: `etcd:${leaf.key}`, yaml: toYaml({ apiVersion: 'v1', kind: 'policy', metadata: { name }, spec }) });
  }
  const profileRoot = await client.getTree(`${V1_POLICY_ROOT}/profile`, scope);
  for (const dir of profileRoot?.nodes ?? []) {
    if (!dir.dir) continue;
    const part = (p: string): JsonValue | undefined => parse((dir.nodes ?? []).find((n) => n.key === `${dir.key}/${p}`)?.value);
    const rules = part('rules');
    const tags = part('tags');
    const labels = part('labels');
    const name = unescapeV1(dir.key.slice(`${V1_POLICY_ROOT}/profile/`.length));
    const metadata = defined({ name, tags: Array.isArray(tags) && tags.length > 0 ? tags : undefined, labels: isObj(labels) && Object.keys(labels).length > 0 ? labels : undefined });
    const spec = { ingress: v1Rules(isObj(rules) ? rules.inbound_rules : undefined), egress: v1Rules(isObj(rules) ? rules.outbound_rules : undefined) };
    out.push({ source: `etcd:${dir.key}`, yaml: toYaml({ apiVersion: 'v1', kind: 'profile', metadata, spec }) });
  }
  for (const family of ['v4', 'v6']) {
    for (const leaf of leaves(await client.getTree(`${V1_POOL_ROOT}/${family}/pool`, scope))) {
      const v = parse(leaf.value);
      if (!isObj(v) || typeof v.cidr !== 'string') continue;
      const ipip = typeof v.ipip === 'string' && v.ipip !== '' ? defined({ enabled: true, mode: typeof v.ipip_mode === 'string' && v.ipip_mode !== '' ? v.ipip_mode : undefined }) : undefined;
      const spec = defined({ ipip, 'nat-outgoing': v.masquerade === true ? true : undefined, disabled: v.disabled === true ? true : undefined });
      out.push({ source: `etcd:${leaf.key}`, yaml: toYaml({ apiVersion: 'v1', kind: 'ipPool', metadata: { cidr: v.cidr }, spec }) });
    }
  }
  return out;
}

const V3_PLURALS: Readonly<Record<string, string>> = { globalnetworkpolicies: 'GlobalNetworkPolicy', networkpolicies: 'NetworkPolicy', profiles: 'Profile', ippools: 'IPPool' };
const SERVER_METADATA = ['uid', 'creationTimestamp', 'resourceVersion', 'generation', 'selfLink', 'annotations', 'labels'];

/** A stored v3 resource as calicoctl would print it for `create`: server fields, tier prefixes and client defaults dropped. */
function v3Document(value: JsonValue, kind: string): Obj | undefined {
  if (!isObj(value) || !isObj(value.metadata)) return undefined;
  const metadata: Obj = {};
  for (const [k, v] of Object.entries(value.metadata)) if (!SERVER_METADATA.includes(k)) metadata[k] = v;
  const policy = kind === 'GlobalNetworkPolicy' || kind === 'NetworkPolicy';
  if (policy && typeof metadata.name === 'string' && metadata.name.startsWith('default.')) metadata.name = metadata.name.slice('default.'.length);
  const spec: Obj = isObj(value.spec) ? { ...value.spec } : {};
  if (kind === 'IPPool') {
    const v6 = typeof spec.cidr === 'string' && spec.cidr.includes(':');
    if (spec.vxlanMode === 'Never') delete spec.vxlanMode;
    if (spec.blockSize === (v6 ? 122 : 26)) delete spec.blockSize;
    if (spec.nodeSelector === 'all()') delete spec.nodeSelector;
  }
  if (policy && spec.tier === 'default') delete spec.tier;
  return { apiVersion: 'projectcalico.org/v3', kind, metadata, spec };
}

/**
 * Every policy, profile and IP pool in the cluster's Calico datastore, each
 * as a calicoctl YAML document of the cluster's version: the etcd v2 keys of
 * libcalico-go v1 (`/calico/v1/policy/...`, `/calico/v1/ipam/...`) turned
 * back into `apiVersion: v1` resources, or the Calico v3 resources of etcd
 * v3 (`/calico/resources/v3/projectcalico.org/...`) without server-managed
 * metadata. dcos-cdk's ownership records and annotations are left out.
 *
 * @throws EtcdError when etcd cannot be read
 */
export async function readCalicoDatastore(options: ReadCalicoDatastoreOptions): Promise<DatastoreDocument[]> {
  const scope = { counters: { reads: 0, writes: 0 }, ...(options.signal ? { signal: options.signal } : {}) };
  if (options.calicoVersion === 'v1') return readV1(new EtcdV2Client(options.etcd), scope);
  const client = new EtcdV3Client(options.etcd, options.v3GatewayPrefix ?? '/v3');
  const out: DatastoreDocument[] = [];
  for (const [plural, kind] of Object.entries(V3_PLURALS)) {
    const pairs = await client.rangePrefix(`${V3_ROOT}/${plural}/`, scope);
    for (const pair of pairs.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))) {
      const doc = v3Document(parse(pair.value) ?? null, kind);
      if (doc) out.push({ source: `etcd:${pair.key}`, yaml: toYaml(doc) });
    }
  }
  return out;
}
