import type { CalicoVersion } from '@dcos-cdk/dcos';
import { Selector } from '../selector/index.js';
import { parseCidr } from './cidr.js';
import type { EntityRule, IcmpMatch, Port, Protocol, RuleAction, RuleProps } from './rule.js';

/** An entity rule with selectors parsed and CIDRs normalized. */
export interface ResolvedEntity {
  readonly selector?: Selector;
  readonly notSelector?: Selector;
  readonly nets: readonly string[];
  readonly notNets: readonly string[];
  readonly ports: readonly Port[];
  readonly notPorts: readonly Port[];
  readonly tag?: string;
  readonly notTag?: string;
}

/** A rule ready to render: every field checked for the target version. */
export interface ResolvedRule {
  readonly action: RuleAction;
  readonly ipVersion?: 4 | 6;
  readonly protocol?: Protocol;
  readonly notProtocol?: Protocol;
  readonly icmp?: IcmpMatch;
  readonly notICMP?: IcmpMatch;
  readonly source: ResolvedEntity;
  readonly destination: ResolvedEntity;
}

/** One thing wrong with a rule: the field, what is wrong and how to fix it. */
export interface RuleProblem {
  readonly field: string;
  readonly message: string;
  readonly fix: string;
}

const ACTIONS: readonly RuleAction[] = ['allow', 'deny', 'log', 'pass'];
const PROTOCOLS = ['tcp', 'udp', 'icmp', 'icmpv6', 'sctp', 'udplite'];
const TAG = /^[a-zA-Z0-9_.-]{1,128}$/;
const NAMED_PORT = /^[a-zA-Z0-9_.-]{1,128}$/;

/**
 * Checks a rule against the rules of libcalico-go for the target version
 * (and against mistakes Calico accepts but that never match what was meant),
 * parsing its selectors. Returns the resolved rule and every problem found.
 */
export function resolveRule(rule: RuleProps, version: CalicoVersion): { rule: ResolvedRule; problems: RuleProblem[] } {
  const problems: RuleProblem[] = [];
  const add = (field: string, message: string, fix: string): void => {
    problems.push({ field, message, fix });
  };
  if (!ACTIONS.includes(rule.action)) add('action', `action '${String(rule.action)}' is not one of allow, deny, log, pass.`, 'Use Rule.allow(...) or Rule.deny(...).');
  if (rule.ipVersion !== undefined && rule.ipVersion !== 4 && rule.ipVersion !== 6) add('ipVersion', `ipVersion ${String(rule.ipVersion)} is neither 4 nor 6.`, 'Use 4 or 6, or leave it out to match both.');
  checkProtocol('protocol', rule.protocol, add);
  checkProtocol('notProtocol', rule.notProtocol, add);
  checkIcmp('icmp', rule.icmp, rule, version, add);
  checkIcmp('notICMP', rule.notICMP, rule, version, add);
  const source = resolveEntity('source', rule.source ?? {}, rule, version, add);
  const destination = resolveEntity('destination', rule.destination ?? {}, rule, version, add);
  const versions = new Set([...source.nets, ...source.notNets, ...destination.nets, ...destination.notNets].map((n) => (n.includes(':') ? 6 : 4)));
  if (versions.size > 1) add('nets', 'the rule mixes IPv4 and IPv6 networks, so it can never match.', 'Split it into one rule per IP version.');
  const [netVersion] = [...versions];
  if (rule.ipVersion !== undefined && netVersion !== undefined && netVersion !== rule.ipVersion) {
    add('ipVersion', `ipVersion is ${rule.ipVersion} but the rule's networks are IPv${netVersion}.`, 'Make ipVersion agree with the networks, or leave it out.');
  }
  const resolved: ResolvedRule = {
    action: rule.action,
    ipVersion: rule.ipVersion,
    protocol: rule.protocol,
    notProtocol: rule.notProtocol,
    icmp: rule.icmp,
    notICMP: rule.notICMP,
    source,
    destination,
  };
  return { rule: resolved, problems };
}

type Add = (field: string, message: string, fix: string) => void;

function checkProtocol(field: string, p: Protocol | undefined, add: Add): void {
  if (p === undefined) return;
  if (typeof p === 'number' ? !Number.isInteger(p) || p < 1 || p > 255 : !PROTOCOLS.includes(p)) {
    add(field, `${field} '${String(p)}' is not a protocol Calico knows.`, `Use one of ${PROTOCOLS.join(', ')} or a number from 1 to 255.`);
  }
}

function protocolName(p: Protocol | undefined): string | undefined {
  if (p === undefined) return undefined;
  if (p === 1) return 'icmp';
  if (p === 58) return 'icmpv6';
  if (p === 6) return 'tcp';
  if (p === 17) return 'udp';
  return String(p);
}

function checkIcmp(field: string, icmp: IcmpMatch | undefined, rule: RuleProps, version: CalicoVersion, add: Add): void {
  if (icmp === undefined) return;
  const proto = protocolName(rule.protocol);
  if (proto !== 'icmp' && proto !== 'icmpv6') {
    add(field, `${field} is set but protocol is ${proto === undefined ? 'not set' : `'${proto}'`}, so the ICMP match never applies as meant.`, "Set protocol: 'icmp' (or 'icmpv6'), or use Rule.allowPing(), which sets it for you.");
  } else if (rule.ipVersion !== undefined && rule.ipVersion !== (proto === 'icmp' ? 4 : 6)) {
    add('ipVersion', `protocol ${proto} needs ipVersion ${proto === 'icmp' ? 4 : 6}.`, 'Fix ipVersion or leave it out.');
  }
  if (!Number.isInteger(icmp.type) || icmp.type < 0 || icmp.type > 254) add(`${field}.type`, `ICMP type ${icmp.type} is outside 0-254.`, 'Use an ICMP type from 0 to 254 (8 is echo request).');
  if (icmp.code !== undefined && (!Number.isInteger(icmp.code) || icmp.code < 0 || icmp.code > 255)) add(`${field}.code`, `ICMP code ${icmp.code} is outside 0-255.`, 'Use an ICMP code from 0 to 255.');
  if (version === 'v1' && icmp.type === 0) {
    add(`${field}.type`, 'ICMP type 0 is accepted by calicoctl v1 but Felix 2.3 then discards the whole policy as invalid.', 'Match echo replies through connection tracking instead: allow type 8 on the other side.');
  }
}

function resolveEntity(side: string, e: EntityRule, rule: RuleProps, version: CalicoVersion, add: Add): ResolvedEntity {
  const selector = resolveSelector(`${side}.selector`, e.selector, version, add);
  const notSelector = resolveSelector(`${side}.notSelector`, e.notSelector, version, add);
  const nets = resolveNets(`${side}.nets`, e.nets ?? [], version, add);
  const notNets = resolveNets(`${side}.notNets`, e.notNets ?? [], version, add);
  for (const [field, tag] of [['tag', e.tag], ['notTag', e.notTag]] as const) {
    if (tag !== undefined && !TAG.test(tag)) add(`${side}.${field}`, `tag '${tag}' is not valid.`, 'Tags are 1-128 letters, digits, _, . or -.');
  }
  const ports = [...(e.ports ?? [])];
  const notPorts = [...(e.notPorts ?? [])];
  if (ports.length + notPorts.length > 0) {
    const proto = protocolName(rule.protocol);
    if (proto !== 'tcp' && proto !== 'udp') {
      add(`${side}.ports`, `ports need protocol tcp or udp, but protocol is ${proto === undefined ? 'not set' : `'${proto}'`}.`, "Set protocol: 'tcp' or 'udp' on the rule.");
    }
  }
  for (const [field, list] of [['ports', ports], ['notPorts', notPorts]] as const) {
    list.forEach((p, i) => checkPort(`${side}.${field}[${i}]`, p, version, add));
  }
  return { selector, notSelector, nets, notNets, ports, notPorts, tag: e.tag, notTag: e.notTag };
}

function resolveSelector(field: string, s: Selector | string | undefined, version: CalicoVersion, add: Add): Selector | undefined {
  if (s === undefined) return undefined;
  if (typeof s !== 'string') {
    if (version === 'v1' && s.requiresVersion() !== 'v1') {
      add(field, `selector ${s.toString()} needs Calico ${s.requiresVersion()}, but the cluster runs calicoctl v1.`, 'Use only ==, !=, in, not in, has() and all() for calicoctl v1.');
    }
    return s;
  }
  try {
    return Selector.parse(s, { calicoVersion: version });
  } catch (e) {
    add(field, (e as Error).message, 'Fix the selector syntax (see the Calico guide), e.g. app == "frontend" && group == "development".');
    return undefined;
  }
}

function resolveNets(field: string, nets: readonly string[], version: CalicoVersion, add: Add): string[] {
  if (version === 'v1' && nets.length > 1) {
    add(field, `calicoctl v1.3 takes one network per rule side, got ${nets.length}.`, 'Write one rule per network.');
  }
  const out: string[] = [];
  for (const n of nets) {
    const c = parseCidr(n);
    if (!c) {
      add(field, `'${n}' is not an IP address or CIDR.`, "Use a CIDR such as '10.0.0.0/8'.");
      continue;
    }
    out.push(c.masked ? c.text : n);
  }
  return out;
}

function checkPort(field: string, p: Port, version: CalicoVersion, add: Add): void {
  if (typeof p === 'string') {
    if (version === 'v1') add(field, `named port '${p}' needs Calico v3; calicoctl v1 takes numbers only.`, 'Use the port number.');
    else if (!NAMED_PORT.test(p)) add(field, `named port '${p}' is not valid.`, 'Port names are 1-128 letters, digits, _, . or -.');
    return;
  }
  const [from, to] = typeof p === 'number' ? [p, p] : [p.from, p.to];
  for (const n of [from, to]) {
    if (!Number.isInteger(n) || n < 1 || n > 65535) add(field, `port ${n} is outside 1-65535.`, 'Use a port from 1 to 65535.');
  }
  if (from > to) add(field, `port range ${from}:${to} starts after it ends.`, `Write it as ${to}:${from}.`);
}
