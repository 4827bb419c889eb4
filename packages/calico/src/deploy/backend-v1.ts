import type { DesiredArtifact } from '@dcos-cdk/core';
import { parseCidr } from '../model/cidr.js';
import type { Json } from './json-diff.js';
import { compact, FieldReader, kindLabel, parseArtifact, type CalicoArtifactKind, type DatastoreResource, type JsonObject } from './resource.js';

/** Root of the Calico v1 policy tree (policies and profiles) in etcd v2. */
export const V1_POLICY_ROOT = '/calico/v1/policy';

/** Root of the Calico v1 IP pools in etcd v2. */
export const V1_POOL_ROOT = '/calico/v1/ipam';

/** The global Felix setting calicoctl v1 writes (raw `true`) when a pool enables IPIP. */
export const V1_IPIP_CONFIG = '/calico/v1/config/IpInIpEnabled';

const EXPECTED_KIND: Readonly<Record<CalicoArtifactKind, string>> = { 'calico-policy': 'policy', 'calico-profile': 'profile', 'calico-ippool': 'ipPool' };

/** Escapes a name for a v1 key the way libcalico-go does: `%` → `%25`, `/` → `%2f`. */
export function escapeV1Name(name: string): string {
  return name.replace(/%/g, '%25').replace(/\//g, '%2f');
}

/** Key of a v1 policy (tier `default`, the only tier of calicoctl v1). */
export function v1PolicyKey(name: string): string {
  return `${V1_POLICY_ROOT}/tier/default/policy/${escapeV1Name(name)}`;
}

/** Directory of a v1 profile, holding `rules`, `tags` and `labels`. */
export function v1ProfileDir(name: string): string {
  return `${V1_POLICY_ROOT}/profile/${escapeV1Name(name)}`;
}

/** Key of a v1 IP pool: `/calico/v1/ipam/v4/pool/10.1.0.0-16`. */
export function v1PoolKey(cidr: string, version: 4 | 6): string {
  return `${V1_POOL_ROOT}/v${version}/pool/${cidr.replace('/', '-')}`;
}

/**
 * Converts a calicoctl v1 artifact (`policy`, `profile` or `ipPool`) to the
 * etcd v2 keys and JSON values libcalico-go v1.4 writes for it (calico.md §5):
 * backend field names, `pass` as `next-tier`, empty rule lists omitted,
 * destination nets masked, ports and protocols as numbers where numeric.
 */
export function v1Resource(artifact: DesiredArtifact, kind: CalicoArtifactKind): DatastoreResource {
  const doc = parseArtifact(artifact);
  const r = new FieldReader(artifact.id);
  if (doc.apiVersion !== 'v1' || doc.kind !== EXPECTED_KIND[kind]) {
    throw r.error('kind', `expected apiVersion v1 and kind ${EXPECTED_KIND[kind]} for a calicoctl v1 cluster, got ${String(doc.apiVersion)} ${String(doc.kind)}. Synthesize the bundle for the cluster's Calico version.`);
  }
  const metadata = r.object(doc.metadata, 'metadata') ?? {};
  const spec = r.object(doc.spec, 'spec') ?? {};
  if (kind === 'calico-ippool') return pool(artifact.id, metadata, spec, r);
  const name = r.string(metadata.name, 'metadata.name');
  if (!name) throw r.error('metadata.name', 'is required.');
  const rules = (field: 'ingress' | 'egress'): Json[] | undefined => {
    const list = r.list(spec[field], `spec.${field}`).map((x, i) => ruleToBackend(x, `spec.${field}[${i}]`, r));
    return list.length ? list : undefined;
  };
  const label = `${kindLabel(kind)} ${name}`;
  if (kind === 'calico-policy') {
    const types = r.list(spec.types, 'spec.types');
    const value = compact({
      order: r.number(spec.order, 'spec.order'),
      inbound_rules: rules('ingress'),
      outbound_rules: rules('egress'),
      selector: r.string(spec.selector, 'spec.selector') ?? '',
      untracked: r.boolean(spec.doNotTrack, 'spec.doNotTrack') || undefined,
      pre_dnat: r.boolean(spec.preDNAT, 'spec.preDNAT') || undefined,
      annotations: r.object(metadata.annotations, 'metadata.annotations'),
      types: types.length ? types : undefined,
    });
    return { artifactId: artifact.id, kind, name, label, entries: [{ key: v1PolicyKey(name), value }] };
  }
  const dir = v1ProfileDir(name);
  const tags = r.list(metadata.tags, 'metadata.tags');
  tags.forEach((t, i) => r.string(t, `metadata.tags[${i}]`));
  const labels = r.object(metadata.labels, 'metadata.labels') ?? {};
  return {
    artifactId: artifact.id,
    kind,
    name,
    label,
    dir,
    entries: [
      { key: `${dir}/rules`, value: compact({ inbound_rules: rules('ingress'), outbound_rules: rules('egress') }) },
      { key: `${dir}/tags`, value: tags },
      { key: `${dir}/labels`, value: labels },
    ],
  };
}

function pool(artifactId: string, metadata: JsonObject, spec: JsonObject, r: FieldReader): DatastoreResource {
  const text = r.string(metadata.cidr, 'metadata.cidr');
  const cidr = text === undefined ? undefined : parseCidr(text);
  if (!cidr) throw r.error('metadata.cidr', `'${String(text)}' is not a CIDR.`);
  const ipip = r.object(spec.ipip, 'spec.ipip');
  const disabled = r.boolean(spec.disabled, 'spec.disabled') ?? false;
  const value = {
    cidr: cidr.text,
    ipip: ipip && r.boolean(ipip.enabled, 'spec.ipip.enabled') ? 'tunl0' : '',
    ipip_mode: (ipip && r.string(ipip.mode, 'spec.ipip.mode')) ?? '',
    masquerade: r.boolean(spec['nat-outgoing'], 'spec.nat-outgoing') ?? false,
    ipam: !disabled,
    disabled,
  };
  // calicoctl also turns IPIP on globally when a pool enables it (libcalico-go v1.4 `maybeEnableIPIP`).
  const ensure = value.ipip ? [{ key: V1_IPIP_CONFIG, value: true }] : undefined;
  return { artifactId, kind: 'calico-ippool', name: cidr.text, label: `${kindLabel('calico-ippool')} ${cidr.text}`, entries: [{ key: v1PoolKey(cidr.text, cidr.version), value }], ensure };
}

/** API rule → backend rule, keys in the order of libcalico-go's `model.Rule` struct. */
function ruleToBackend(x: Json, path: string, r: FieldReader): Json {
  const rule = r.object(x, path) ?? {};
  const action = r.string(rule.action, `${path}.action`);
  if (action === undefined) throw r.error(`${path}.action`, 'is required.');
  const icmp = r.object(rule.icmp, `${path}.icmp`) ?? {};
  const notIcmp = r.object(rule.notICMP, `${path}.notICMP`) ?? {};
  const src = r.object(rule.source, `${path}.source`) ?? {};
  const dst = r.object(rule.destination, `${path}.destination`) ?? {};
  const side = (e: JsonObject, p: string, masked: boolean) => ({
    tag: r.string(e.tag, `${p}.tag`),
    net: net(e.net, `${p}.net`, masked, r),
    nets: nets(e.nets, `${p}.nets`, masked, r),
    selector: r.string(e.selector, `${p}.selector`),
    ports: ports(e.ports, `${p}.ports`, r),
    notTag: r.string(e.notTag, `${p}.notTag`),
    notNet: net(e.notNet, `${p}.notNet`, masked, r),
    notNets: nets(e.notNets, `${p}.notNets`, masked, r),
    notSelector: r.string(e.notSelector, `${p}.notSelector`),
    notPorts: ports(e.notPorts, `${p}.notPorts`, r),
  });
  const s = side(src, `${path}.source`, false);
  const d = side(dst, `${path}.destination`, true);
  return compact({
    action: action === 'pass' ? 'next-tier' : action,
    ip_version: r.number(rule.ipVersion, `${path}.ipVersion`),
    protocol: protocol(rule.protocol, `${path}.protocol`, r),
    '!protocol': protocol(rule.notProtocol, `${path}.notProtocol`, r),
    icmp_type: r.number(icmp.type, `${path}.icmp.type`),
    icmp_code: r.number(icmp.code, `${path}.icmp.code`),
    '!icmp_type': r.number(notIcmp.type, `${path}.notICMP.type`),
    '!icmp_code': r.number(notIcmp.code, `${path}.notICMP.code`),
    src_tag: s.tag,
    src_net: s.net,
    src_nets: s.nets,
    src_selector: s.selector,
    src_ports: s.ports,
    dst_tag: d.tag,
    dst_selector: d.selector,
    dst_net: d.net,
    dst_nets: d.nets,
    dst_ports: d.ports,
    '!src_tag': s.notTag,
    '!src_net': s.notNet,
    '!src_nets': s.notNets,
    '!src_selector': s.notSelector,
    '!src_ports': s.notPorts,
    '!dst_tag': d.notTag,
    '!dst_selector': d.notSelector,
    '!dst_net': d.notNet,
    '!dst_nets': d.notNets,
    '!dst_ports': d.notPorts,
  });
}

/** A protocol as libcalico writes it: a number when numeric (`6`, `"6"`), else the name. */
function protocol(v: Json | undefined, path: string, r: FieldReader): Json | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'number') return v;
  const s = r.string(v, path)!;
  return /^\d+$/.test(s) ? Number(s) : s;
}

/** Ports as libcalico writes them: an int, or `"a:b"` for a real range. */
function ports(v: Json | undefined, path: string, r: FieldReader): Json[] | undefined {
  const list = r.list(v, path).map((p, i): Json => {
    if (typeof p === 'number') return p;
    const s = r.string(p, `${path}[${i}]`)!;
    const m = /^(\d+)(?::(\d+))?$/.exec(s);
    if (!m) throw r.error(`${path}[${i}]`, `'${s}' is not a port or a "min:max" range (calicoctl v1 has no named ports).`);
    const [from, to] = [Number(m[1]), Number(m[2] ?? m[1])];
    return from === to ? from : `${from}:${to}`;
  });
  return list.length ? list : undefined;
}

/**
 * A CIDR as libcalico writes it: a bare address gets /32 or /128, the
 * address text is canonical, and destination nets are masked while source
 * nets keep their host bits.
 */
function net(v: Json | undefined, path: string, masked: boolean, r: FieldReader): string | undefined {
  const s = r.string(v, path);
  if (s === undefined) return undefined;
  const c = parseCidr(s);
  if (!c) throw r.error(path, `'${s}' is not an IP address or CIDR.`);
  if (masked || c.masked) return c.text;
  const address = parseCidr(s.split('/')[0]!)!.text.split('/')[0];
  return `${address}/${c.prefix}`;
}

function nets(v: Json | undefined, path: string, masked: boolean, r: FieldReader): string[] | undefined {
  const list = r.list(v, path).map((n, i) => net(n, `${path}[${i}]`, masked, r)!);
  return list.length ? list : undefined;
}
