/**
 * `--explain "<from> -> <to>:<proto>/<port>"`: parsing the flow and printing why it is
 * allowed or denied, per direction, with the deciding policy or profile, its rule, its action,
 * and where it came from (construct path, or file and line).
 *
 * @module
 */
import type { DirectionDecision, FlowExplanation, FlowParty, FlowQuery, NetworkModel, Packet, SourceLocation } from '@dcos-cdk/calico';
import { CliError, EXIT } from '../errors.js';

const PROTOCOLS = ['tcp', 'udp', 'sctp', 'icmp', 'icmpv6'] as const;
type ProtocolText = (typeof PROTOCOLS)[number];

/**
 * Parses `<from> -> <to>:<proto>/<port>` (also `→`). `from` and `to` are Marathon app ids,
 * external peer names, CIDRs or addresses; `proto` is tcp, udp, sctp, icmp or icmpv6; ICMP
 * takes an optional ICMP type instead of a port (default: echo request).
 *
 * @throws CliError (usage) when the text does not have that shape
 */
export function parseFlowExpression(text: string): FlowQuery {
  const arrow = /^\s*(.+?)\s*(?:->|→)\s*(.+?)\s*$/.exec(text);
  const right = arrow ? /^(.*):([a-z0-9]+)(?:\/(\d+))?$/i.exec(arrow[2]!) : null;
  const shape = `--explain takes "<from> -> <to>:<proto>/<port>", e.g. "/tester -> /frontend:tcp/80" or "10.20.0.5 -> /frontend:icmp"; got '${text}'.`;
  if (!arrow || !right || right[1] === '') throw new CliError(shape, EXIT.usage);
  const protocol = right[2]!.toLowerCase();
  if (!(PROTOCOLS as readonly string[]).includes(protocol)) throw new CliError(`--explain: protocol '${right[2]}' is not one of ${PROTOCOLS.join(', ')}.`, EXIT.usage);
  const n = right[3] === undefined ? undefined : Number(right[3]);
  const icmp = protocol === 'icmp' || protocol === 'icmpv6';
  if (!icmp && (n === undefined || n < 1 || n > 65535)) throw new CliError(`--explain: a ${protocol} flow needs a port from 1 to 65535, e.g. "${arrow[1]} -> ${right[1]}:${protocol}/80".`, EXIT.usage);
  if (icmp && n !== undefined && n > 255) throw new CliError(`--explain: an ICMP type is 0-255, not ${n}.`, EXIT.usage);
  return {
    from: arrow[1]!,
    to: right[1]!,
    protocol: protocol as ProtocolText,
    ...(icmp ? (n === undefined ? {} : { icmpType: n }) : { port: n! }),
  };
}

/** `/app`, or `LAN (10.20.0.0/16)` for a peer. */
export function partyName(p: FlowParty): string {
  if (p.kind === 'endpoint') return p.endpoint.id;
  return p.peer.name === p.peer.cidr.text ? p.peer.name : `${p.peer.name} (${p.peer.cidr.text})`;
}

/** `tcp/80`, `icmp echo`, `icmp type 3`, or a protocol name. */
export function packetText(p: Packet): string {
  const names: Record<number, string> = { 6: 'tcp', 17: 'udp', 132: 'sctp', 1: 'icmp', 58: 'icmpv6' };
  const name = names[p.protocol] ?? `protocol ${p.protocol}`;
  if (p.port !== undefined) return `${name}/${p.port}`;
  if (p.icmpType !== undefined) return (p.protocol === 1 && p.icmpType === 8) || (p.protocol === 58 && p.icmpType === 128) ? `${name} echo` : `${name} type ${p.icmpType}`;
  return name;
}

/** Where a policy or profile came from: its construct path and its file position, when known. */
export function originOf(model: NetworkModel, d: DirectionDecision): { constructPath?: string; location?: string } {
  const owner = d.kind === 'policy' ? model.policies.find((p) => p.name === d.policy) : d.kind === 'profile' ? model.profiles.find((p) => p.name === d.profile) : undefined;
  const constructPath = d.constructPath ?? owner?.constructPath;
  return { ...(constructPath ? { constructPath } : {}), ...(owner?.location ? { location: locationText(owner.location) } : {}) };
}

function locationText(l: SourceLocation): string {
  return `${l.file}${l.line !== undefined ? `:${l.line}:${l.column ?? 1}` : ''}`;
}

/** One direction in words. */
export function decisionText(d: DirectionDecision): string {
  switch (d.kind) {
    case 'policy':
      return `policy ${d.policy} rule ${d.ruleIndex} (${d.action})`;
    case 'profile':
      return `profile ${d.profile} rule ${d.ruleIndex} (${d.action})`;
    case 'no-policy':
      return 'no policy allowed it (at least one policy selects the endpoint, so what none allows is dropped)';
    default:
      return 'profile default (no policy decided, and no profile rule allowed it)';
  }
}

/** The explanation as lines of text. */
export function explanationLines(x: FlowExplanation, model: NetworkModel): string[] {
  const head = `${partyName(x.source)} -> ${partyName(x.destination)} ${packetText(x.packet)}: ${x.allowed ? 'ALLOWED' : 'DENIED'}`;
  const lines = [head];
  const side = (dir: 'egress' | 'ingress', party: FlowParty, d: DirectionDecision | undefined): void => {
    const who = `${dir} of ${partyName(party)}`;
    if (!d) {
      lines.push(`  ${who}: not policed (outside the cluster: Calico polices its endpoints only)`);
      return;
    }
    lines.push(`  ${who}: ${d.allowed ? 'allows' : 'denies'}: ${decisionText(d)}`);
    const o = originOf(model, d);
    if (o.constructPath) lines.push(`      construct ${o.constructPath}`);
    if (o.location) lines.push(`      from ${o.location}`);
  };
  side('egress', x.source, x.egress);
  side('ingress', x.destination, x.ingress);
  for (const dir of ['egress', 'ingress'] as const) {
    const steps = x.trace[dir];
    if (steps.length > 0) lines.push(`  rules that matched (${dir}, in chain order): ${steps.map((s) => `${s.kind} ${s.name} rule ${s.ruleIndex} (${s.action})`).join(', ')}`);
  }
  return lines;
}

/** The explanation as JSON. */
export function explanationJson(x: FlowExplanation, model: NetworkModel): Record<string, unknown> {
  const dir = (d: DirectionDecision | undefined): Record<string, unknown> | null => (d ? { ...d, ...originOf(model, d) } : null);
  return {
    from: partyName(x.source),
    to: partyName(x.destination),
    packet: packetText(x.packet),
    allowed: x.allowed,
    reason: x.reason,
    egress: dir(x.egress),
    ingress: dir(x.ingress),
    trace: x.trace,
  };
}
