/**
 * `explain`: why one flow is allowed or denied, naming the deciding rule of each direction and
 * the construct that emitted it. It re-evaluates the one flow rule by rule rather than
 * consulting the tables, so it also covers packets the matrix does not list.
 *
 * @module
 */

import { parseCidr, contains } from '../model/cidr.js';
import type { ProtocolName } from '../model/rule.js';
import type { DirectionDecision } from './decision.js';
import { evaluateDirect, type TraceStep } from './direct.js';
import { flowDecision, matrixInternals, type FlowDecision, type FlowParty, type ReachabilityMatrix } from './engine.js';
import { ECHO, PROTOCOLS, hasPorts, type Packet } from './packet.js';

/** A flow to explain. */
export interface FlowQuery {
  /** Source: an endpoint id or Marathon app id, a peer name (`Internet`, `LAN`), a peer CIDR, or any IP address (the most specific peer holding it). */
  readonly from: string;
  /** Destination: an endpoint id or app id, or (for an endpoint's egress only) a peer name, CIDR or address. */
  readonly to: string;
  /** Protocol name or number. @default 'tcp' */
  readonly protocol?: ProtocolName | number;
  /** Destination port, for tcp, udp and sctp. */
  readonly port?: number;
  /** ICMP type. @default 8 (128 for ICMPv6), echo request */
  readonly icmpType?: number;
  /** ICMP code. @default 0 */
  readonly icmpCode?: number;
}

/** The answer of {@link explain}. */
export interface FlowExplanation extends FlowDecision {
  /** The source as resolved. */
  readonly source: FlowParty;
  /** The destination as resolved. */
  readonly destination: FlowParty;
  /** The packet evaluated. */
  readonly packet: Packet;
  /** Every rule that matched, in chain order (including `log` rules), per direction. */
  readonly trace: { readonly egress: readonly TraceStep[]; readonly ingress: readonly TraceStep[] };
}

const resolvers = new WeakMap<ReachabilityMatrix, Map<string, FlowParty>>();

/** Finds an endpoint or peer by id, app id, peer name or CIDR text, else by address. */
export function resolveParty(matrix: ReachabilityMatrix, text: string): FlowParty {
  let byName = resolvers.get(matrix);
  if (!byName) {
    byName = new Map();
    const { ctx } = matrixInternals(matrix);
    // Later entries do not override earlier ones: ids first, then app ids, then peers.
    const add = (k: string, p: FlowParty): void => void (byName!.has(k) || byName!.set(k, p));
    matrix.model.endpoints.forEach((endpoint, index) => add(endpoint.id, { kind: 'endpoint', index, endpoint }));
    matrix.model.endpoints.forEach((endpoint, index) => add(endpoint.appId, { kind: 'endpoint', index, endpoint }));
    ctx.peers.forEach((peer, index) => {
      add(peer.name, { kind: 'peer', index, peer });
      add(peer.cidr.text, { kind: 'peer', index, peer });
    });
    resolvers.set(matrix, byName);
  }
  const hit = byName.get(text) ?? byName.get(`/${text}`);
  if (hit) return hit;
  const cidr = parseCidr(text);
  if (!cidr) throw new Error(`'${text}' is neither an endpoint, an external peer nor an IP address.`);
  const ep = matrix.model.endpoints.findIndex((e) => (cidr.version === 4 ? `${e.address}/32` : e.address6 && parseCidr(e.address6)?.text) === cidr.text);
  if (ep >= 0) return { kind: 'endpoint', index: ep, endpoint: matrix.model.endpoints[ep]! };
  const { ctx } = matrixInternals(matrix);
  let best = -1;
  ctx.peers.forEach((p, i) => {
    if (contains(p.cidr, cidr) && (best < 0 || p.cidr.prefix > ctx.peers[best]!.cidr.prefix)) best = i;
  });
  if (best < 0) throw new Error(`No external peer holds ${text}.`);
  return { kind: 'peer', index: best, peer: ctx.peers[best]! };
}

function packetOf(q: FlowQuery, version: 4 | 6): Packet {
  const protocol = typeof q.protocol === 'number' ? q.protocol : PROTOCOLS[q.protocol ?? 'tcp'];
  if (protocol === undefined) throw new Error(`Unknown protocol '${String(q.protocol)}'.`);
  if (hasPorts(protocol)) {
    if (q.port === undefined || !Number.isInteger(q.port) || q.port < 1 || q.port > 65535) throw new Error(`A ${String(q.protocol ?? 'tcp')} flow needs a destination port from 1 to 65535.`);
    return { version, protocol, port: q.port };
  }
  if (protocol === PROTOCOLS.icmp || protocol === PROTOCOLS.icmpv6) {
    return { version, protocol: ECHO[version].protocol, icmpType: q.icmpType ?? ECHO[version].type, icmpCode: q.icmpCode ?? 0 };
  }
  return { version, protocol };
}

/**
 * Explains one flow: per direction the deciding policy and rule (with its action and
 * construct path), `profile <name> rule <i>`, `profile default` or `no policy allowed it`.
 *
 * @throws Error when a party cannot be resolved, both are external, or a port is missing
 */
export function explain(matrix: ReachabilityMatrix, query: FlowQuery): FlowExplanation {
  const { ctx, view } = matrixInternals(matrix);
  const source = resolveParty(matrix, query.from);
  const destination = resolveParty(matrix, query.to);
  if (source.kind === 'peer' && destination.kind === 'peer') throw new Error('At least one side of a flow must be an endpoint: Calico polices endpoints only.');
  const version = (source.kind === 'peer' && source.peer.cidr.version === 6) || (destination.kind === 'peer' && destination.peer.cidr.version === 6) ? 6 : 4;
  const packet = packetOf(query, version);
  const party = (p: FlowParty): number => (p.kind === 'endpoint' ? view.endpointClass[p.index]! : ctx.peerParty(p.index));
  const egressTrace: TraceStep[] = [];
  const ingressTrace: TraceStep[] = [];
  let egress: DirectionDecision | undefined;
  let ingress: DirectionDecision | undefined;
  if (source.kind === 'endpoint') egress = ctx.decisions.get(evaluateDirect(ctx, view, party(source), 'egress', party(destination), packet, egressTrace));
  if (destination.kind === 'endpoint') ingress = ctx.decisions.get(evaluateDirect(ctx, view, party(destination), 'ingress', party(source), packet, ingressTrace));
  return { ...flowDecision(egress, ingress), source, destination, packet, trace: { egress: egressTrace, ingress: ingressTrace } };
}
