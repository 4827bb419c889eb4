import type { CalicoVersion } from '@dcos-cdk/dcos';
import type { CalicoResource, IpipMode, PolicyResource, PolicyType } from '../model/resources.js';
import type { RuleProps } from '../model/rule.js';
import { compact, decodeRule } from './decode-rule.js';
import type { At, Fields } from './reader.js';

/** The resource kinds this reader takes, by apiVersion. */
export const RESOURCE_KINDS: Readonly<Record<CalicoVersion, readonly string[]>> = {
  v1: ['policy', 'profile', 'ipPool'],
  v3: ['GlobalNetworkPolicy', 'NetworkPolicy', 'Profile', 'IPPool'],
};

const V3_OBJECT_META = ['labels', 'annotations', 'resourceVersion', 'uid', 'creationTimestamp', 'generation', 'generateName', 'selfLink'];
const UNSUPPORTED = 'dcos-cdk does not read it';

/** Decodes one resource whose apiVersion and kind are known; `f` holds its top-level fields. @internal */
export function decodeResource(f: Fields, version: CalicoVersion, kind: string): CalicoResource | undefined {
  const metadata = f.take('metadata');
  const spec = f.take('spec');
  f.finish(['apiVersion', 'kind', 'metadata', 'spec'], version === 'v3' ? { status: 'status is written by Calico, not read from files.' } : {});
  if (!metadata) {
    f.at.error(`a ${kind} needs metadata.`, version === 'v1' && kind === 'ipPool' ? 'Add `metadata: { cidr: ... }`.' : 'Add `metadata: { name: ... }`.');
    return undefined;
  }
  switch (kind) {
    case 'policy':
    case 'GlobalNetworkPolicy':
    case 'NetworkPolicy':
      return decodePolicy(metadata, spec, version, kind);
    case 'profile':
    case 'Profile':
      return decodeProfile(metadata, spec, version);
    default:
      return decodeIpPool(metadata, spec, version);
  }
}

/** Reads v3 ObjectMeta fields that carry no meaning for the rule model, warning that they are dropped. */
function dropObjectMeta(m: Fields): void {
  for (const name of V3_OBJECT_META) {
    const at = m.take(name);
    if (at) at.warn(`metadata.${name} is not kept by dcos-cdk; it has no effect on traffic.`, 'Nothing to do, unless you rely on it elsewhere.');
  }
}

function name(m: Fields, kind: string): string | undefined {
  const at = m.take('name');
  const value = at?.string();
  if (!at) m.at.error(`a ${kind} needs metadata.name.`, 'Add `name: <name>` under metadata.');
  return value;
}

function rules(spec: Fields | undefined, field: 'ingress' | 'egress', version: CalicoVersion): RuleProps[] {
  const items = spec?.take(field)?.items(`${field} rules`) ?? [];
  return items.map((i) => decodeRule(i, version)).filter((r): r is RuleProps => r !== undefined);
}

function decodePolicy(metadataAt: At, specAt: At | undefined, version: CalicoVersion, kind: string): PolicyResource | undefined {
  const m = metadataAt.fields(`the metadata of a ${kind}`);
  if (!m) return undefined;
  const policyName = name(m, kind);
  let namespace: string | undefined;
  if (version === 'v1') {
    m.finish(['name'], { annotations: 'metadata.annotations arrived in calicoctl v1.4 (libcalico-go v1.5); calicoctl v1.3 rejects it.' });
  } else {
    if (kind === 'NetworkPolicy') namespace = m.take('namespace')?.string() ?? 'default';
    dropObjectMeta(m);
    m.finish(kind === 'NetworkPolicy' ? ['name', 'namespace'] : ['name'], { namespace: 'a GlobalNetworkPolicy is not namespaced.' });
  }
  const s = specAt?.fields(`the spec of a ${kind}`);
  if (specAt && !s) return undefined;
  const ingress = rules(s, 'ingress', version);
  const egress = rules(s, 'egress', version);
  const order = s?.take('order')?.number();
  const selector = s?.take('selector')?.string() ?? '';
  let types: PolicyType[] | undefined;
  let flags: Pick<PolicyResource, 'doNotTrack' | 'preDNAT' | 'applyOnForward'> = {};
  if (version === 'v1') {
    flags = { doNotTrack: s?.take('doNotTrack')?.boolean() };
    s?.finish(['order', 'selector', 'ingress', 'egress', 'doNotTrack'], {
      types: 'types arrived in calicoctl v1.6 (libcalico-go v1.7, enforced by Felix 2.6); calicoctl v1.3 rejects it, and a v1.3 policy always governs both directions.',
      preDNAT: 'preDNAT arrived in calicoctl v1.4 (libcalico-go v1.5); calicoctl v1.3 rejects it.',
      applyOnForward: 'applyOnForward does not exist in calicoctl v1.3.',
    });
  } else {
    types = decodeTypes(s?.take('types'), ingress.length > 0, egress.length > 0);
    const global = kind === 'GlobalNetworkPolicy';
    if (global) flags = { doNotTrack: s?.take('doNotTrack')?.boolean(), preDNAT: s?.take('preDNAT')?.boolean(), applyOnForward: s?.take('applyOnForward')?.boolean() };
    const onlyGlobal = 'only a GlobalNetworkPolicy has it.';
    s?.finish(['order', 'selector', 'types', 'ingress', 'egress', ...(global ? ['doNotTrack', 'preDNAT', 'applyOnForward'] : [])], {
      ...(global ? {} : { doNotTrack: onlyGlobal, preDNAT: onlyGlobal, applyOnForward: onlyGlobal }),
      namespaceSelector: `a policy-level namespaceSelector is a later Calico v3 field; ${UNSUPPORTED} (DC/OS has only the default namespace).`,
      serviceAccountSelector: `service accounts are a Kubernetes concept; ${UNSUPPORTED}.`,
      tier: `policy tiers arrived in open-source Calico v3.29; ${UNSUPPORTED}.`,
      performanceHints: `${UNSUPPORTED}.`,
    });
  }
  if (policyName === undefined) return undefined;
  return compact<PolicyResource>({
    kind: 'policy',
    name: policyName,
    scope: kind === 'NetworkPolicy' ? 'namespace' : 'global',
    namespace,
    order,
    selector,
    types,
    ingress,
    egress,
    ...compact(flags),
  });
}

/**
 * v3 types, with calicoctl's default when absent: egress rules and no
 * ingress rules give `[Egress]`, both give both, anything else `[Ingress]`.
 */
function decodeTypes(at: At | undefined, hasIngress: boolean, hasEgress: boolean): PolicyType[] {
  if (!at) return hasEgress && !hasIngress ? ['egress'] : hasEgress ? ['ingress', 'egress'] : ['ingress'];
  const out: PolicyType[] = [];
  for (const item of at.items('policy types') ?? []) {
    const t = item.string();
    if (t === 'Ingress' || t === 'Egress') out.push(t === 'Ingress' ? 'ingress' : 'egress');
    else if (t !== undefined) item.error(`type '${t}' is neither Ingress nor Egress.`, "Write 'Ingress' or 'Egress' (capitalized).");
  }
  return out;
}

function decodeProfile(metadataAt: At, specAt: At | undefined, version: CalicoVersion): CalicoResource | undefined {
  const m = metadataAt.fields('the metadata of a profile');
  if (!m) return undefined;
  const profileName = name(m, 'profile');
  let tags: string[] = [];
  let labels: Record<string, string> = {};
  if (version === 'v1') {
    tags = (m.take('tags')?.items('tags') ?? []).map((t) => t.string()).filter((t): t is string => t !== undefined);
    labels = m.take('labels')?.stringMap('labels') ?? {};
    m.finish(['name', 'tags', 'labels']);
  } else {
    dropObjectMeta(m);
    m.finish(['name'], { tags: 'tags are a calicoctl v1 field; Calico v3 writes spec.labelsToApply with each tag as a key whose value is "".' });
  }
  const s = specAt?.fields('the spec of a profile');
  if (specAt && !s) return undefined;
  const ingress = rules(s, 'ingress', version);
  const egress = rules(s, 'egress', version);
  if (version === 'v3') labels = s?.take('labelsToApply')?.stringMap('labelsToApply') ?? {};
  s?.finish(version === 'v1' ? ['ingress', 'egress'] : ['ingress', 'egress', 'labelsToApply'], version === 'v1' ? { labelsToApply: 'labelsToApply is a Calico v3 field; calicoctl v1 writes metadata.tags and metadata.labels.' } : {});
  if (profileName === undefined) return undefined;
  return { kind: 'profile', name: profileName, tags, labels, ingress, egress };
}

const IPIP_V3: Readonly<Record<string, IpipMode>> = { Always: 'always', CrossSubnet: 'cross-subnet', Never: 'never' };

function decodeIpPool(metadataAt: At, specAt: At | undefined, version: CalicoVersion): CalicoResource | undefined {
  const m = metadataAt.fields('the metadata of an IP pool');
  if (!m) return undefined;
  const s = specAt?.fields('the spec of an IP pool');
  if (specAt && !s) return undefined;
  if (version === 'v1') {
    const cidrAt = m.take('cidr');
    const cidr = cidrAt?.string();
    if (!cidrAt) m.at.error('a v1 ipPool needs metadata.cidr.', 'Add `cidr: 10.1.0.0/16` under metadata.');
    m.finish(['cidr'], { name: 'a calicoctl v1 ipPool is named by its cidr; name is a Calico v3 field.' });
    const ipipMode = decodeV1Ipip(s?.take('ipip'));
    const natOutgoing = s?.take('nat-outgoing')?.boolean();
    const disabled = s?.take('disabled')?.boolean();
    s?.finish(['ipip', 'nat-outgoing', 'disabled'], {
      ipipMode: 'ipipMode is Calico v3 spelling; calicoctl v1 writes `ipip: { enabled: true, mode: always }`.',
      natOutgoing: 'natOutgoing is Calico v3 spelling; calicoctl v1 writes `nat-outgoing`.',
    });
    return cidr === undefined ? undefined : compact({ kind: 'ipPool' as const, cidr, ipipMode, natOutgoing, disabled });
  }
  const poolName = name(m, 'IPPool');
  dropObjectMeta(m);
  m.finish(['name'], { cidr: 'a Calico v3 IPPool has its cidr under spec.' });
  const cidrAt = s?.take('cidr');
  const cidr = cidrAt?.string();
  if (!cidrAt) (s?.at ?? metadataAt).error('an IPPool needs spec.cidr.', 'Add `cidr: 10.1.0.0/16` under spec.');
  const modeAt = s?.take('ipipMode');
  const modeText = modeAt?.string();
  let ipipMode: IpipMode | undefined;
  if (modeText !== undefined) {
    ipipMode = IPIP_V3[modeText];
    if (!ipipMode) modeAt!.error(`ipipMode '${modeText}' is not one of Always, CrossSubnet, Never.`, 'Write Always, CrossSubnet or Never.');
  }
  const natOutgoing = s?.take('natOutgoing')?.boolean();
  const disabled = s?.take('disabled')?.boolean();
  s?.finish(['cidr', 'ipipMode', 'natOutgoing', 'disabled'], {
    ipip: 'ipip is a calicoctl v1 field; Calico v3 rejects it. Write `ipipMode: Always` (or CrossSubnet, Never).',
    'nat-outgoing': 'nat-outgoing is a calicoctl v1 field; Calico v3 rejects it. Write `natOutgoing`.',
    vxlanMode: `VXLAN arrived in Calico v3.7; ${UNSUPPORTED}.`,
    blockSize: `${UNSUPPORTED}; Calico's default (/26, /122) applies.`,
    nodeSelector: `${UNSUPPORTED}; the pool applies to every node.`,
    allowedUses: `${UNSUPPORTED}.`,
    disableBGPExport: `${UNSUPPORTED}.`,
  });
  if (poolName === undefined || cidr === undefined) return undefined;
  return compact({ kind: 'ipPool' as const, name: poolName, cidr, ipipMode, natOutgoing, disabled });
}

/** v1 `ipip: { enabled, mode }`: off unless enabled; an enabled pool without a mode means `always`. */
function decodeV1Ipip(at: At | undefined): IpipMode | undefined {
  if (!at) return undefined;
  const f = at.fields('ipip settings');
  if (!f) return undefined;
  const enabled = f.take('enabled')?.boolean() ?? false;
  const modeAt = f.take('mode');
  const mode = modeAt?.string();
  f.finish(['enabled', 'mode']);
  if (mode !== undefined && mode !== '' && mode !== 'always' && mode !== 'cross-subnet') {
    modeAt!.error(`ipip mode '${mode}' is not one of always, cross-subnet.`, "Write 'always' or 'cross-subnet', or leave mode out (always).");
  }
  if (!enabled) return 'never';
  return mode === 'cross-subnet' ? 'cross-subnet' : 'always';
}
