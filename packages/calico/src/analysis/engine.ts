/**
 * The connectivity engine: `analyze(model)` compiles the model (label classes, label index,
 * interned selectors, programs) and computes every program's decision tables, giving a
 * {@link ReachabilityMatrix} that answers any (source, destination, packet) in a few lookups.
 *
 * A flow A → B is allowed when A's egress chain and B's ingress chain both allow it; external
 * peers have no chain (calico.md §4).
 *
 * @module
 */

import type { SelectorInterner } from '../selector/index.js';
import { AnalysisContext } from './context.js';
import type { DirectionDecision } from './decision.js';
import { evaluateDirect } from './direct.js';
import type { ExternalPeer, ModelEndpoint, NetworkModel, PortInterval } from './model.js';
import { ECHO, protocolName, type Packet } from './packet.js';
import type { Program } from './program.js';
import type { ModelView } from './view.js';

/** A source or destination of a flow: an endpoint of the model or an external peer. */
export type FlowParty =
  | { readonly kind: 'endpoint'; readonly index: number; readonly endpoint: ModelEndpoint }
  | { readonly kind: 'peer'; readonly index: number; readonly peer: ExternalPeer };

/** The verdict on one flow. */
export interface FlowDecision {
  /** Whether the flow can be opened. */
  readonly allowed: boolean;
  /** The source's egress decision (absent for an external source). */
  readonly egress?: DirectionDecision;
  /** The destination's ingress decision (absent for an external destination). */
  readonly ingress?: DirectionDecision;
  /**
   * One line: when denied, the denying direction (`egress: …` first, as the packet is dropped
   * at the source); when allowed, both (`egress: …; ingress: …`).
   */
  readonly reason: string;
}

/** One cell of the matrix: a source, a destination endpoint and a protocol (port interval). */
export interface MatrixCell extends FlowDecision {
  /** The source. */
  readonly source: FlowParty;
  /** The destination endpoint. */
  readonly destination: FlowParty & { readonly kind: 'endpoint' };
  /** Protocol name (`tcp`, `udp`, `sctp`, `icmp`, `icmpv6`) or number as text. */
  readonly protocol: string;
  /** For port protocols: the destination ports the cell covers (maximal run with one decision). */
  readonly ports?: PortInterval;
  /** For ICMP: the ICMP type (echo request: 8, or 128 for ICMPv6). */
  readonly icmpType?: number;
}

/** Size figures of an analysis. */
export interface AnalysisStats {
  /** Endpoints. */
  readonly endpoints: number;
  /** Label classes. */
  readonly classes: number;
  /** External peers. */
  readonly peers: number;
  /** Policies. */
  readonly policies: number;
  /** Distinct selectors evaluated through the label index. */
  readonly selectors: number;
  /** Distinct programs (chains) computed. */
  readonly programs: number;
}

/** Options of {@link analyze}. */
export interface AnalyzeOptions {
  /** Interner the model's selectors came from (saves re-rendering them). */
  readonly interner?: SelectorInterner;
}

interface PairCell {
  readonly protocol: number;
  readonly version: 4 | 6;
  readonly ports?: PortInterval;
  readonly icmpType?: number;
  readonly egress: number;
  readonly ingress: number;
}

const internals = new WeakMap<ReachabilityMatrix, { ctx: AnalysisContext; view: ModelView }>();

/** The compiled context and model view behind a matrix (for findings and diff). */
export function matrixInternals(m: ReachabilityMatrix): { ctx: AnalysisContext; view: ModelView } {
  return internals.get(m)!;
}

/** The reachability of every (source, destination endpoint, packet) of a model. */
export class ReachabilityMatrix {
  /** The model analyzed. */
  readonly model: NetworkModel;
  /** Sizes. */
  readonly stats: AnalysisStats;
  readonly #ctx: AnalysisContext;
  readonly #view: ModelView;
  readonly #pairs = new Map<string, readonly PairCell[]>();

  /** @internal Use {@link analyze}. */
  constructor(model: NetworkModel, ctx: AnalysisContext) {
    this.model = model;
    this.#ctx = ctx;
    this.#view = ctx.views[0]!;
    internals.set(this, { ctx, view: this.#view });
    this.#view.buildAllPrograms();
    for (let i = 0; i < ctx.programCount; i++) ctx.programAt(i).tables();
    this.stats = {
      endpoints: model.endpoints.length,
      classes: ctx.classes.length,
      peers: ctx.peers.length,
      policies: model.policies.length,
      selectors: ctx.index.size,
      programs: ctx.programCount,
    };
  }

  /** Every source: each endpoint, then each external peer. */
  sources(): FlowParty[] {
    return [...this.destinations(), ...this.#ctx.peers.map((peer, index) => ({ kind: 'peer' as const, index, peer }))];
  }

  /** Every destination: each endpoint. */
  destinations(): Array<FlowParty & { readonly kind: 'endpoint' }> {
    return this.model.endpoints.map((endpoint, index) => ({ kind: 'endpoint' as const, index, endpoint }));
  }

  /** The decision on one packet from `from` to `to`. */
  decide(from: FlowParty, to: FlowParty, packet: Packet): FlowDecision {
    const ctx = this.#ctx;
    const view = this.#view;
    const party = (p: FlowParty): number => (p.kind === 'endpoint' ? view.endpointClass[p.index]! : ctx.peerParty(p.index));
    const one = (dir: 'ingress' | 'egress', self: number, other: number): DirectionDecision => {
      const prog = view.programOf(ctx, self, dir)!;
      const i = prog.atomIndex(packet);
      const d = i < 0 ? -1 : prog.decide(i, other);
      return ctx.decisions.get(d < 0 ? evaluateDirect(ctx, view, self, dir, other, packet) : d);
    };
    const egress = from.kind === 'endpoint' ? one('egress', party(from), party(to)) : undefined;
    const ingress = to.kind === 'endpoint' ? one('ingress', party(to), party(from)) : undefined;
    return flowDecision(egress, ingress);
  }

  /**
   * Every cell: for each destination endpoint and each source (endpoints, then peers), the
   * port protocols split into maximal port intervals with one decision, ICMP echo, and each
   * other protocol a rule names. IPv6 peers get IPv6 cells (ICMPv6 echo).
   */
  *cells(): Generator<MatrixCell> {
    const sources = this.sources();
    for (const destination of this.destinations()) {
      for (const source of sources) {
        for (const c of this.#pairCells(source, destination)) yield this.#cell(source, destination, c);
      }
    }
  }

  /** The cells between one source and one destination endpoint. */
  cellsBetween(source: FlowParty, destination: FlowParty & { readonly kind: 'endpoint' }): MatrixCell[] {
    return this.#pairCells(source, destination).map((c) => this.#cell(source, destination, c));
  }

  #cell(source: FlowParty, destination: FlowParty & { readonly kind: 'endpoint' }, c: PairCell): MatrixCell {
    const d = this.#ctx.decisions;
    const egress = c.egress < 0 ? undefined : d.get(c.egress);
    return { source, destination, protocol: protocolName(c.protocol), ports: c.ports, icmpType: c.icmpType, ...flowDecision(egress, d.get(c.ingress)) };
  }

  #pairCells(source: FlowParty, destination: FlowParty & { readonly kind: 'endpoint' }): readonly PairCell[] {
    const ctx = this.#ctx;
    const view = this.#view;
    const dst = view.endpointClass[destination.index]!;
    const src = source.kind === 'endpoint' ? view.endpointClass[source.index]! : ctx.peerParty(source.index);
    const key = `${src}:${dst}`;
    let cells = this.#pairs.get(key);
    if (cells) return cells;
    const p = view.programOf(ctx, dst, 'ingress')!;
    const q = source.kind === 'endpoint' ? view.programOf(ctx, src, 'egress')! : undefined;
    const version = source.kind === 'peer' && source.peer.cidr.version === 6 ? 6 : 4;
    cells = pairCells(ctx, p, q, src, dst, version);
    this.#pairs.set(key, cells);
    return cells;
  }
}

/** Combines the two directions into a flow decision. */
export function flowDecision(egress: DirectionDecision | undefined, ingress: DirectionDecision | undefined): FlowDecision {
  const parts = [egress && `egress: ${egress.reason}`, ingress && `ingress: ${ingress.reason}`];
  let reason: string;
  if (egress && !egress.allowed) reason = parts[0]!;
  else if (ingress && !ingress.allowed) reason = parts[1]!;
  else reason = parts.filter((x) => x).join('; ');
  return { allowed: (egress?.allowed ?? true) && (ingress?.allowed ?? true), egress, ingress, reason };
}

/** Port boundaries of both programs merged. */
export function mergeIntervals(a: readonly PortInterval[], b: readonly PortInterval[] | undefined): PortInterval[] {
  if (!b || a === b) return [...a];
  const starts = [...new Set([...a.map((i) => i.from), ...b.map((i) => i.from)])].sort((x, y) => x - y);
  return starts.map((from, i) => ({ from, to: i + 1 < starts.length ? starts[i + 1]! - 1 : 65535 }));
}

/**
 * The decisions between one source party and one destination class, per atom of the merged
 * programs, with adjacent port intervals of equal decisions joined.
 */
export function pairCells(ctx: AnalysisContext, ingress: Program, egress: Program | undefined, src: number, dst: number, version: 4 | 6): PairCell[] {
  const out: PairCell[] = [];
  const decide = (packet: Packet): [number, number] => {
    const i = ingress.decide(ingress.atomIndex(packet), src);
    const e = egress ? egress.decide(egress.atomIndex(packet), dst) : -1;
    return [e, i];
  };
  const intervals = mergeIntervals(ingress.intervals, egress?.intervals);
  for (const protocol of ctx.portProtocols) {
    let run: { from: number; to: number; e: number; i: number } | undefined;
    const flush = (): void => {
      if (run) out.push({ protocol, version, ports: { from: run.from, to: run.to }, egress: run.e, ingress: run.i });
    };
    for (const iv of intervals) {
      const [e, i] = decide({ version, protocol, port: iv.from });
      if (run && run.e === e && run.i === i) run.to = iv.to;
      else {
        flush();
        run = { from: iv.from, to: iv.to, e, i };
      }
    }
    flush();
  }
  const echo = ECHO[version];
  const [e, i] = decide({ version, protocol: echo.protocol, icmpType: echo.type, icmpCode: 0 });
  out.push({ protocol: echo.protocol, version, icmpType: echo.type, egress: e, ingress: i });
  for (const protocol of ctx.otherProtocols) {
    const [oe, oi] = decide({ version, protocol });
    out.push({ protocol, version, egress: oe, ingress: oi });
  }
  return out;
}

/**
 * Analyzes a model: every endpoint and external peer against every endpoint, with Felix's
 * semantics (calico.md §4).
 */
export function analyze(model: NetworkModel, options: AnalyzeOptions = {}): ReachabilityMatrix {
  return new ReachabilityMatrix(model, new AnalysisContext([model], options.interner));
}
