/**
 * Packets and packet classes ("atoms"). The engine never evaluates port by port: it splits
 * the port space at every boundary where some rule's destination port set changes and
 * evaluates one representative port per interval, which decides the whole interval.
 *
 * @module
 */

import type { ModelEntity, ModelRule, PortInterval } from './model.js';

/** IANA protocol numbers of the protocols Calico names. */
export const PROTOCOLS = { icmp: 1, tcp: 6, udp: 17, icmpv6: 58, sctp: 132, udplite: 136 } as const;

/** Protocols with ports (Calico v3.12+ also takes ports on SCTP). */
export const PORT_PROTOCOLS: readonly number[] = [PROTOCOLS.tcp, PROTOCOLS.udp, PROTOCOLS.sctp];

/**
 * The source port of a new flow. Clients pick ephemeral ports, so the analysis checks a
 * rule's `source.ports` against this one port (the Linux ephemeral range starts at 32768).
 */
export const EPHEMERAL_SOURCE_PORT = 40000;

/** ICMP echo request: type 8 for ICMP, 128 for ICMPv6, code 0. */
export const ECHO = { 4: { protocol: PROTOCOLS.icmp, type: 8 }, 6: { protocol: PROTOCOLS.icmpv6, type: 128 } } as const;

/** A concrete packet that opens a flow. */
export interface Packet {
  /** IP version. */
  readonly version: 4 | 6;
  /** IANA protocol number. */
  readonly protocol: number;
  /** Destination port, for port protocols. */
  readonly port?: number;
  /** ICMP type, for ICMP. */
  readonly icmpType?: number;
  /** ICMP code, for ICMP. */
  readonly icmpCode?: number;
}

/**
 * A class of packets that every rule of a program treats alike: one protocol and, for port
 * protocols, a destination port interval; ICMP atoms are echo requests.
 */
export interface Atom {
  /** IP version. */
  readonly version: 4 | 6;
  /** IANA protocol number. */
  readonly protocol: number;
  /** First destination port (0 for protocols without ports). */
  readonly from: number;
  /** Last destination port (0 for protocols without ports). */
  readonly to: number;
  /** ICMP type, for ICMP atoms. */
  readonly icmpType?: number;
  /** ICMP code, for ICMP atoms. */
  readonly icmpCode?: number;
}

/** The lower-case Calico name of a protocol number, or the number as text. */
export function protocolName(n: number): string {
  switch (n) {
    case 1:
      return 'icmp';
    case 6:
      return 'tcp';
    case 17:
      return 'udp';
    case 58:
      return 'icmpv6';
    case 132:
      return 'sctp';
    case 136:
      return 'udplite';
    default:
      return String(n);
  }
}

/** Whether the protocol number carries ports. */
export function hasPorts(protocol: number): boolean {
  return protocol === 6 || protocol === 17 || protocol === 132;
}

/** Whether the packet is ICMP of its IP version. */
function isIcmp(p: Packet): boolean {
  return p.protocol === (p.version === 4 ? PROTOCOLS.icmp : PROTOCOLS.icmpv6);
}

/** The representative packet of an atom. */
export function atomPacket(a: Atom): Packet {
  return { version: a.version, protocol: a.protocol, port: hasPorts(a.protocol) ? a.from : undefined, icmpType: a.icmpType, icmpCode: a.icmpCode };
}

function inIntervals(list: readonly PortInterval[], port: number): boolean {
  for (const r of list) if (port >= r.from && port <= r.to) return true;
  return false;
}

/** Whether an entity's `ports`/`notPorts` accept `port` (`undefined`: the packet has no ports). */
export function portsMatch(e: ModelEntity, port: number | undefined): boolean {
  if (e.ports !== undefined && (port === undefined || !inIntervals(e.ports, port))) return false;
  if (port !== undefined && e.notPorts.length > 0 && inIntervals(e.notPorts, port)) return false;
  return true;
}

/**
 * Whether the packet-level criteria of a rule match: IP version, protocol, ICMP type/code and
 * both sides' ports (source port {@link EPHEMERAL_SOURCE_PORT}). Addresses and selectors are
 * checked elsewhere.
 */
export function packetMatches(r: ModelRule, p: Packet): boolean {
  if (r.ipVersion !== undefined && r.ipVersion !== p.version) return false;
  // Felix renders an ICMP rule only for IPv4 and an ICMPv6 rule only for IPv6.
  if (r.protocol === PROTOCOLS.icmp && p.version === 6) return false;
  if (r.protocol === PROTOCOLS.icmpv6 && p.version === 4) return false;
  if (r.protocol !== undefined && r.protocol !== p.protocol) return false;
  if (r.notProtocol !== undefined && r.notProtocol === p.protocol) return false;
  if (r.icmp) {
    if (!isIcmp(p)) return false;
    if (r.icmp.type !== undefined && r.icmp.type !== p.icmpType) return false;
    if (r.icmp.code !== undefined && r.icmp.code !== p.icmpCode) return false;
  }
  const n = r.notICMP;
  if (n && isIcmp(p) && (n.type === undefined || n.type === p.icmpType) && (n.code === undefined || n.code === p.icmpCode)) return false;
  const ported = hasPorts(p.protocol);
  if (!portsMatch(r.source, ported ? EPHEMERAL_SOURCE_PORT : undefined)) return false;
  return portsMatch(r.destination, ported ? p.port : undefined);
}

/** Adds the destination port boundaries of `rules` to `cuts` (each the first port of a new interval). */
export function addPortCuts(rules: readonly ModelRule[], cuts: Set<number>): void {
  for (const r of rules) {
    const d = r.destination;
    for (const list of [d.ports ?? [], d.notPorts]) {
      for (const i of list) {
        cuts.add(i.from);
        if (i.to < 65535) cuts.add(i.to + 1);
      }
    }
  }
}

/** The port intervals 1-65535 split at `cuts`. */
export function intervalsOf(cuts: Iterable<number>): PortInterval[] {
  const points = new Float64Array(Array.isArray(cuts) ? (cuts as number[]) : [...cuts]).sort();
  const out: PortInterval[] = [];
  let from = 1;
  for (const c of points) {
    if (c <= from || c > 65535) continue;
    out.push({ from, to: c - 1 });
    from = c;
  }
  out.push({ from, to: 65535 });
  return out;
}

/**
 * The atoms of one IP version: each port protocol split into `intervals`, the ICMP echo
 * request, and one atom per other protocol in `otherProtocols`.
 */
export function atomsOf(version: 4 | 6, intervals: readonly PortInterval[], portProtocols: readonly number[], otherProtocols: readonly number[]): Atom[] {
  const atoms: Atom[] = [];
  for (const protocol of portProtocols) for (const i of intervals) atoms.push({ version, protocol, from: i.from, to: i.to });
  const echo = ECHO[version];
  atoms.push({ version, protocol: echo.protocol, from: 0, to: 0, icmpType: echo.type, icmpCode: 0 });
  for (const protocol of otherProtocols) atoms.push({ version, protocol, from: 0, to: 0 });
  return atoms;
}
