import type { CalicoVersion } from '@dcos-cdk/dcos';
import type { EntityRule, IcmpMatch, Port, Protocol, RuleAction, RuleProps } from '../model/rule.js';
import type { At } from './reader.js';

const ACTIONS_V3: Readonly<Record<string, RuleAction>> = { Allow: 'allow', Deny: 'deny', Log: 'log', Pass: 'pass' };
const PROTOCOLS_V3: Readonly<Record<string, string>> = { TCP: 'tcp', UDP: 'udp', ICMP: 'icmp', ICMPv6: 'icmpv6', SCTP: 'sctp', UDPLite: 'udplite' };
const V3_SPELLING = Object.fromEntries(Object.entries(PROTOCOLS_V3).map(([k, v]) => [v, k]));

const RULE_FIELDS = ['action', 'ipVersion', 'protocol', 'icmp', 'notProtocol', 'notICMP', 'source', 'destination'];
const ENTITY_FIELDS_V1 = ['tag', 'net', 'selector', 'ports', 'notTag', 'notNet', 'notSelector', 'notPorts'];
const ENTITY_FIELDS_V3 = ['nets', 'selector', 'namespaceSelector', 'ports', 'notNets', 'notSelector', 'notPorts'];

const V1_ENTITY_NOTES = {
  nets: 'nets arrived in calicoctl v1.4 (libcalico-go v1.5); calicoctl v1.3 rejects it. Write one `net` per rule.',
  notNets: 'notNets arrived in calicoctl v1.4 (libcalico-go v1.5); calicoctl v1.3 rejects it. Write one `notNet` per rule.',
  namespaceSelector: 'namespaceSelector is a Calico v3 field; calicoctl v1 has no namespaces.',
};
const V3_ENTITY_NOTES = {
  tag: 'tag is a calicoctl v1 field; Calico v3 has no tags. Write `selector: has(<tag>)`.',
  notTag: 'notTag is a calicoctl v1 field; Calico v3 has no tags. Write `notSelector: has(<tag>)`.',
  net: 'net is a calicoctl v1 field; Calico v3 writes `nets: [<cidr>]`.',
  notNet: 'notNet is a calicoctl v1 field; Calico v3 writes `notNets: [<cidr>]`.',
  serviceAccounts: 'serviceAccounts match Kubernetes service accounts, which DC/OS does not have; dcos-cdk does not read them.',
  services: 'services match Kubernetes services, which DC/OS does not have; dcos-cdk does not read them.',
};
const V3_RULE_NOTES = {
  http: 'http (application layer policy) needs Istio/Dikastes, which DC/OS does not run; dcos-cdk does not read it.',
  metadata: 'rule metadata (annotations) is not kept by dcos-cdk.',
};

/** Builds an object without the keys whose value is `undefined`. */
export function compact<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}

/** Decodes one rule of a policy or profile, strictly, for the file's apiVersion. @internal */
export function decodeRule(at: At, version: CalicoVersion): RuleProps | undefined {
  const f = at.fields(`a ${version} rule`);
  if (!f) return undefined;
  const actionAt = f.take('action');
  const action = actionAt ? decodeAction(actionAt, version) : undefined;
  if (!actionAt) at.error('a rule needs an action.', version === 'v1' ? 'Add `action: allow` (or deny, log, pass).' : 'Add `action: Allow` (or Deny, Log, Pass).');
  const ipVersion = f.take('ipVersion')?.integer();
  const protocolAt = f.take('protocol');
  const notProtocolAt = f.take('notProtocol');
  const rule = compact<RuleProps>({
    action: (action ?? 'allow') as RuleAction,
    ipVersion: ipVersion as 4 | 6 | undefined,
    protocol: protocolAt && decodeProtocol(protocolAt, version),
    notProtocol: notProtocolAt && decodeProtocol(notProtocolAt, version),
    icmp: decodeIcmp(f.take('icmp')),
    notICMP: decodeIcmp(f.take('notICMP')),
    source: decodeEntity(f.take('source'), version),
    destination: decodeEntity(f.take('destination'), version),
  });
  f.finish(RULE_FIELDS, version === 'v3' ? V3_RULE_NOTES : {});
  return actionAt ? rule : undefined;
}

function decodeAction(at: At, version: CalicoVersion): string | undefined {
  const s = at.string();
  if (s === undefined) return undefined;
  if (version === 'v1') {
    if (s !== s.toLowerCase() && Object.prototype.hasOwnProperty.call(ACTIONS_V3, s)) {
      at.error(`action '${s}' is Calico v3 spelling; calicoctl v1 writes actions in lower case.`, `Write '${s.toLowerCase()}'.`);
      return s.toLowerCase();
    }
    return s;
  }
  const mapped = ACTIONS_V3[s];
  if (mapped) return mapped;
  const capitalized = s.charAt(0).toUpperCase() + s.slice(1);
  if (ACTIONS_V3[capitalized]) {
    at.error(`action '${s}' is calicoctl v1 spelling; Calico v3 capitalizes actions.`, `Write '${capitalized}'.`);
    return ACTIONS_V3[capitalized];
  }
  return s;
}

function decodeProtocol(at: At, version: CalicoVersion): Protocol | undefined {
  const v = at.intOrString('a protocol name or number');
  if (v === undefined) return undefined;
  if (typeof v === 'number') return v;
  if (/^\d+$/.test(v)) return Number(v);
  if (version === 'v1') {
    if (v !== v.toLowerCase() && PROTOCOLS_V3[v]) {
      at.error(`protocol '${v}' is Calico v3 spelling; calicoctl v1 writes protocol names in lower case.`, `Write '${v.toLowerCase()}'.`);
      return v.toLowerCase() as Protocol;
    }
    return v as Protocol;
  }
  const mapped = PROTOCOLS_V3[v];
  if (mapped) return mapped as Protocol;
  const spelled = V3_SPELLING[v.toLowerCase()];
  if (spelled) {
    at.error(`protocol '${v}' is not Calico v3 spelling; case matters in v3.`, `Write '${spelled}'.`);
    return v.toLowerCase() as Protocol;
  }
  return v as Protocol;
}

function decodeIcmp(at: At | undefined): IcmpMatch | undefined {
  if (!at) return undefined;
  const f = at.fields('an ICMP match');
  if (!f) return undefined;
  const icmp = compact<IcmpMatch>({ type: f.take('type')?.integer(), code: f.take('code')?.integer() });
  f.finish(['type', 'code']);
  return icmp;
}

function decodeEntity(at: At | undefined, version: CalicoVersion): EntityRule | undefined {
  if (!at) return undefined;
  const f = at.fields(`a ${version} rule source or destination`);
  if (!f) return undefined;
  const net = (name: string): string[] | undefined => {
    const s = f.take(name)?.string();
    return s === undefined ? undefined : [s];
  };
  const list = (name: string): string[] | undefined => {
    const items = f.take(name)?.items(name);
    if (!items || items.length === 0) return undefined;
    return items.map((i) => i.string()).filter((s): s is string => s !== undefined);
  };
  const ports = (name: string): Port[] | undefined => {
    const items = f.take(name)?.items(name);
    if (!items || items.length === 0) return undefined;
    return items.map((i) => decodePort(i, version)).filter((p): p is Port => p !== undefined);
  };
  const common = { selector: f.take('selector')?.string(), notSelector: f.take('notSelector')?.string(), ports: ports('ports'), notPorts: ports('notPorts') };
  const e =
    version === 'v1'
      ? compact<EntityRule>({ tag: f.take('tag')?.string(), notTag: f.take('notTag')?.string(), nets: net('net'), notNets: net('notNet'), ...common })
      : compact<EntityRule>({ nets: list('nets'), notNets: list('notNets'), namespaceSelector: f.take('namespaceSelector')?.string(), ...common });
  f.finish(version === 'v1' ? ENTITY_FIELDS_V1 : ENTITY_FIELDS_V3, version === 'v1' ? V1_ENTITY_NOTES : V3_ENTITY_NOTES);
  return Object.keys(e).length ? e : undefined;
}

function decodePort(at: At, version: CalicoVersion): Port | undefined {
  const v = at.intOrString('a port number, a range "min:max"' + (version === 'v3' ? ' or a port name' : ''));
  if (v === undefined) return undefined;
  if (typeof v === 'number') return v;
  if (/^\d+$/.test(v)) return Number(v);
  const range = /^(\d+):(\d+)$/.exec(v);
  if (range) {
    const from = Number(range[1]);
    const to = Number(range[2]);
    return from === to ? from : { from, to };
  }
  if (version === 'v1') {
    at.error(`port '${v}' is neither a number nor a range "min:max"; calicoctl v1 has no named ports.`, 'Write the port number, e.g. 80, or a range such as "8000:8080".');
    return undefined;
  }
  return v;
}
