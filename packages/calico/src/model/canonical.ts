import type { IpPoolModel, PolicyModel, ProfileModel } from '../render/resources.js';
import type { ResolvedEntity, ResolvedRule } from './resolve.js';
import type { IpPoolResource, PolicyResource, ProfileResource } from './resources.js';
import type { EntityRule, IcmpMatch, RuleProps } from './rule.js';

/**
 * The canonical forms of checked resources, back in the rule model:
 * selectors as Calico's canonical strings, networks masked with their
 * prefix, one-port ranges as the port, empty fields left out. Two resources
 * that mean the same to calicoctl have the same canonical form.
 */

function compact<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}

function icmp(m: IcmpMatch | undefined): IcmpMatch | undefined {
  return m && compact({ type: m.type, code: m.code });
}

function entity(e: ResolvedEntity): EntityRule | undefined {
  const out = compact<EntityRule>({
    selector: e.selector?.toString(),
    notSelector: e.notSelector?.toString(),
    namespaceSelector: e.namespaceSelector?.toString(),
    nets: e.nets.length ? [...e.nets] : undefined,
    notNets: e.notNets.length ? [...e.notNets] : undefined,
    ports: e.ports.length ? [...e.ports] : undefined,
    notPorts: e.notPorts.length ? [...e.notPorts] : undefined,
    tag: e.tag,
    notTag: e.notTag,
  });
  return Object.keys(out).length ? out : undefined;
}

/** A resolved rule in canonical rule-model form. */
export function canonicalRule(r: ResolvedRule): RuleProps {
  return compact<RuleProps>({
    action: r.action,
    ipVersion: r.ipVersion,
    protocol: r.protocol,
    notProtocol: r.notProtocol,
    icmp: icmp(r.icmp),
    notICMP: icmp(r.notICMP),
    source: entity(r.source),
    destination: entity(r.destination),
  });
}

/** A checked policy in canonical form. */
export function canonicalPolicy(m: PolicyModel): PolicyResource {
  return compact<PolicyResource>({
    kind: 'policy',
    name: m.name,
    scope: m.scope ?? 'global',
    namespace: m.namespace,
    order: m.order,
    selector: m.selector.toString(),
    types: m.types && [...m.types],
    ingress: m.ingress.map(canonicalRule),
    egress: m.egress.map(canonicalRule),
    doNotTrack: m.doNotTrack,
    preDNAT: m.preDNAT,
    applyOnForward: m.applyOnForward,
  });
}

/** A checked profile in canonical form (labels sorted by key). */
export function canonicalProfile(m: ProfileModel): ProfileResource {
  const labels = Object.fromEntries(Object.keys(m.labels).sort().map((k) => [k, m.labels[k]!]));
  return { kind: 'profile', name: m.name, tags: [...m.tags], labels, ingress: m.ingress.map(canonicalRule), egress: m.egress.map(canonicalRule) };
}

/** A checked IP pool in canonical form. */
export function canonicalIpPool(m: IpPoolModel): IpPoolResource {
  return compact<IpPoolResource>({ kind: 'ipPool', name: m.name, cidr: m.cidr, ipipMode: m.ipipMode, natOutgoing: m.natOutgoing, disabled: m.disabled });
}
