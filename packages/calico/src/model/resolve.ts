import type { CalicoVersion } from '@dcos-cdk/dcos';
import { ProblemSink, type CalicoProblem } from './problems.js';
import { cidrVersion, resolveEntity, type ResolvedEntity } from './resolve-entity.js';
import type { IcmpMatch, Protocol, RuleAction, RuleProps } from './rule.js';

export type { ResolvedEntity } from './resolve-entity.js';
export type { RuleProblem } from './problems.js';

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

const ACTIONS: readonly RuleAction[] = ['allow', 'deny', 'log', 'pass'];

/** IANA numbers of the protocol names Calico knows. */
export const PROTOCOL_NUMBERS: Readonly<Record<string, number>> = { icmp: 1, tcp: 6, udp: 17, icmpv6: 58, sctp: 132, udplite: 136 };

/**
 * Checks a rule against the rules of libcalico-go for the target version
 * (v1.4.1, which calicoctl v1.3 pins, or the v3 validator) and against
 * mistakes Calico accepts but that never match what was meant; parses its
 * selectors. Returns the resolved rule and every problem, with paths relative
 * to the rule (`source.ports[0]`).
 */
export function resolveRule(rule: RuleProps, version: CalicoVersion): { rule: ResolvedRule; problems: CalicoProblem[] } {
  const sink = new ProblemSink();
  const resolved = resolveRuleInto(rule, version, sink);
  return { rule: resolved, problems: sink.list };
}

/** As {@link resolveRule}, writing problems into `sink`. @internal */
export function resolveRuleInto(rule: RuleProps, version: CalicoVersion, sink: ProblemSink): ResolvedRule {
  if (!ACTIONS.includes(rule.action)) {
    sink.invalid('action', `action '${String(rule.action)}' is not one of allow, deny, log, pass.`, 'Use Rule.allow(...), Rule.deny(...), Rule.log(...) or Rule.pass(...).');
  }
  if (rule.ipVersion !== undefined && rule.ipVersion !== 4 && rule.ipVersion !== 6) {
    sink.invalid('ipVersion', `ipVersion ${String(rule.ipVersion)} is neither 4 nor 6.`, 'Use 4 or 6, or leave it out to match both.');
  }
  checkProtocol('protocol', rule.protocol, sink);
  checkProtocol('notProtocol', rule.notProtocol, sink);
  checkIcmp(rule, version, sink);
  const source = resolveEntity('source', rule.source ?? {}, version, sink);
  const destination = resolveEntity('destination', rule.destination ?? {}, version, sink);
  checkPortsNeedProtocol(rule, source, destination, version, sink);
  checkNetVersions(rule, source, destination, version, sink);
  return {
    action: rule.action,
    ipVersion: rule.ipVersion,
    protocol: rule.protocol,
    notProtocol: rule.notProtocol,
    icmp: rule.icmp,
    notICMP: rule.notICMP,
    source,
    destination,
  };
}

/** The IANA number of a protocol, when it is known. */
export function protocolNumber(p: Protocol | undefined): number | undefined {
  if (p === undefined) return undefined;
  return typeof p === 'number' ? p : PROTOCOL_NUMBERS[p];
}

function describeProtocol(p: Protocol | undefined): string {
  return p === undefined ? 'not set' : `'${String(p)}'`;
}

function checkProtocol(field: string, p: Protocol | undefined, sink: ProblemSink): void {
  if (p === undefined) return;
  const ok = typeof p === 'number' ? Number.isInteger(p) && p >= 1 && p <= 255 : Object.prototype.hasOwnProperty.call(PROTOCOL_NUMBERS, p);
  if (!ok) {
    sink.invalid(field, `${field} '${String(p)}' is not a protocol Calico knows.`, 'Use one of tcp, udp, icmp, icmpv6, sctp, udplite (lower case) or a number from 1 to 255.');
  }
}

function checkIcmp(rule: RuleProps, version: CalicoVersion, sink: ProblemSink): void {
  const proto = protocolNumber(rule.protocol);
  const isIcmp = proto === 1 || proto === 58;
  for (const field of ['icmp', 'notICMP'] as const) {
    const icmp = rule[field];
    if (icmp === undefined) continue;
    if (icmp.type !== undefined && (!Number.isInteger(icmp.type) || icmp.type < 0 || icmp.type > 254)) {
      sink.invalid(`${field}.type`, `ICMP type ${icmp.type} is outside 0-254.`, 'Use an ICMP type from 0 to 254 (8 is echo request).');
    }
    if (icmp.code !== undefined && (!Number.isInteger(icmp.code) || icmp.code < 0 || icmp.code > 255)) {
      sink.invalid(`${field}.code`, `ICMP code ${icmp.code} is outside 0-255.`, 'Use an ICMP code from 0 to 255.');
    }
    if (icmp.code !== undefined && icmp.type === undefined) {
      sink.invalid(`${field}.code`, 'an ICMP code needs an ICMP type (a kernel limit Calico enforces).', 'Give the type too, e.g. { type: 3, code: 4 }.');
    }
    if (version === 'v1' && icmp.type === 0) {
      sink.mistake(`${field}.type`, 'ICMP type 0 is accepted by calicoctl v1 but Felix 2.3 then discards the whole policy as invalid.', 'Match echo replies through connection tracking instead: allow type 8 on the other side.');
    }
    if (!isIcmp) {
      const message = `${field} is set but protocol is ${describeProtocol(rule.protocol)}, so the ICMP match never applies as meant.`;
      const fix = "Set protocol: 'icmp' (or 'icmpv6'), or use Rule.allowPing(), which sets it for you.";
      // The v3 validator rejects `icmp` without an ICMP protocol; v1 accepts it, and so does v3 for notICMP.
      if (version === 'v3' && field === 'icmp') sink.invalid(field, message.replace(', so the ICMP match never applies as meant.', '; Calico v3 requires protocol ICMP or ICMPv6 with icmp.'), fix);
      else sink.mistake(field, message, fix);
    }
  }
  if (rule.ipVersion === undefined) return;
  for (const field of ['protocol', 'notProtocol'] as const) {
    const n = protocolNumber(rule[field]);
    const want = n === 1 ? 4 : n === 58 ? 6 : undefined;
    if (want === undefined || want === rule.ipVersion) continue;
    const message = `${field} ${n === 1 ? 'icmp' : 'icmpv6'} needs ipVersion ${want}, but ipVersion is ${rule.ipVersion}.`;
    const fix = `Set ipVersion: ${want}, or leave ipVersion out.`;
    // v3 rejects it; v1 accepts a rule that can never match.
    if (version === 'v3') sink.invalid('ipVersion', message, fix);
    else sink.mistake('ipVersion', `${message} The rule can never match.`, fix);
  }
}

function checkPortsNeedProtocol(rule: RuleProps, source: ResolvedEntity, destination: ResolvedEntity, version: CalicoVersion, sink: ProblemSink): void {
  const proto = protocolNumber(rule.protocol);
  // Calico v3.12+ also takes SCTP ports; every DC/OS release with Calico v3 (2.1+) ships a later one.
  const supports = proto === 6 || proto === 17 || (version === 'v3' && proto === 132);
  if (supports) return;
  const allowed = version === 'v3' ? 'tcp, udp or sctp' : 'tcp or udp';
  for (const [side, e] of [['source', source], ['destination', destination]] as const) {
    for (const field of ['ports', 'notPorts'] as const) {
      if (e[field].length === 0) continue;
      sink.invalid(`${side}.${field}`, `${field} need protocol ${allowed}, but protocol is ${describeProtocol(rule.protocol)}.`, "Set protocol: 'tcp' or 'udp' on the rule.");
    }
  }
}

/**
 * IP-version consistency of the rule's networks. libcalico-go v1.4.1 checks
 * that `source.net` and `destination.net` agree with each other and with
 * ipVersion; the v3 validator checks every net and notNet. What the
 * validator lets through can still never match (Felix renders a rule into
 * one IP family only), which is a mistake.
 */
function checkNetVersions(rule: RuleProps, source: ResolvedEntity, destination: ResolvedEntity, version: CalicoVersion, sink: ProblemSink): void {
  const fields: Array<[string, readonly string[], boolean]> = [
    ['source.nets', source.nets, true],
    ['source.notNets', source.notNets, version === 'v3'],
    ['destination.nets', destination.nets, true],
    ['destination.notNets', destination.notNets, version === 'v3'],
  ];
  const seenAll = new Set<4 | 6>();
  const seenChecked = new Set<4 | 6>();
  for (const [path, nets, checked] of fields) {
    const here = new Set(nets.map(cidrVersion).filter((v): v is 4 | 6 => v !== undefined));
    if (here.size === 0) continue;
    const mixesWith = (seen: Set<4 | 6>): boolean => here.size > 1 || [...here].some((v) => seen.size > 0 && !seen.has(v));
    const ipMismatch = rule.ipVersion !== undefined && [...here].some((v) => v !== rule.ipVersion);
    const mixed = `the rule mixes IPv4 and IPv6 networks (at ${path}).`;
    const split = 'Split it into one rule per IP version.';
    if (ipMismatch) {
      const message = `ipVersion is ${rule.ipVersion} but ${path} holds IPv${rule.ipVersion === 4 ? 6 : 4} networks.`;
      const fix = 'Make ipVersion agree with the networks, or leave it out.';
      if (checked) sink.invalid(path, message, fix);
      else sink.mistake(path, `${message} The rule can never match.`, fix);
    } else if (checked && mixesWith(seenChecked)) {
      sink.invalid(path, mixed, split);
    } else if (mixesWith(seenAll)) {
      sink.mistake(path, `${mixed} The rule can never match.`, split);
    }
    for (const v of here) {
      seenAll.add(v);
      if (checked) seenChecked.add(v);
    }
  }
}
