/**
 * Change analysis: the flows a change opens and closes. Both models are compiled into one
 * context, so they share label classes, interned selectors, the label index and every program
 * whose content did not change (programs are keyed by the content of their policies and
 * profiles). Only pairs that can differ are compared:
 *
 * - destinations whose ingress program changed, against the sources whose ingress verdict
 *   changed for some packet atom;
 * - sources whose egress program changed, against the destinations whose egress verdict
 *   changed;
 * - endpoints that appear, disappear or change class, against everything.
 *
 * @module
 */

import type { SelectorInterner } from '../selector/index.js';
import { AnalysisContext } from './context.js';
import { flowDecision, mergeIntervals, pairCells } from './engine.js';
import type { NetworkModel, PortInterval } from './model.js';
import { protocolName, type Packet } from './packet.js';
import { compact, forEachMember, intersect, setFromUnsorted, setHas, subtract, union, EMPTY_SET, type PartySet } from './party-set.js';
import type { Program } from './program.js';
import type { ModelView } from './view.js';

/** One flow that changes. */
export interface FlowChange {
  /** `opened` (denied before, allowed after) or `closed`. */
  readonly change: 'opened' | 'closed';
  /** Source: endpoint id, or external peer CIDR. */
  readonly from: string;
  /** Destination endpoint id. */
  readonly to: string;
  /** Protocol name (`tcp`, `udp`, `icmp` for echo request, …). */
  readonly protocol: string;
  /** Destination ports, for port protocols: a maximal interval with one verdict on each side. */
  readonly ports?: PortInterval;
  /** Why it was decided so before (`absent` when an endpoint did not exist). */
  readonly before: string;
  /** Why it is decided so after. */
  readonly after: string;
}

/** The answer of {@link diffModels}. */
export interface ConnectivityDiff {
  /** Flows allowed after but not before. */
  readonly opened: readonly FlowChange[];
  /** Flows allowed before but not after. */
  readonly closed: readonly FlowChange[];
}

/** Options of {@link diffModels}. */
export interface DiffOptions {
  /** The interner both models' selectors came from. */
  readonly interner?: SelectorInterner;
}

interface Cell {
  readonly protocol: number;
  readonly ports?: PortInterval;
  readonly icmpType?: number;
  readonly allowed: boolean;
  /** Decision numbers (-1: no egress chain); both -2 for an absent endpoint. */
  readonly egress: number;
  readonly ingress: number;
}

const ABSENT: readonly Cell[] = [];

/** The flows opened and closed going from `before` to `after` (endpoints matched by id). */
export function diffModels(before: NetworkModel, after: NetworkModel, options: DiffOptions = {}): ConnectivityDiff {
  const ctx = new AnalysisContext([before, after], options.interner);
  const [vb, va] = ctx.views as [ModelView, ModelView];
  const n = ctx.classes.length;
  // Endpoints present in both with the same class are "stable"; the others are grouped by
  // (class before, class after), -1 meaning absent, and compared as groups.
  const stable = new Map<number, string[]>();
  const groups = new Map<string, { b: number; a: number; ids: string[] }>();
  const place = (id: string, cb: number, ca: number): void => {
    if (cb >= 0 && cb === ca) return void (stable.get(cb) ?? stable.set(cb, []).get(cb)!).push(id);
    const key = `${cb}:${ca}`;
    (groups.get(key) ?? groups.set(key, { b: cb, a: ca, ids: [] }).get(key)!).ids.push(id);
  };
  // Endpoints usually keep their place in the list; only the others are matched through a map.
  const matched = new Uint8Array(after.endpoints.length);
  const unmatched: number[] = [];
  before.endpoints.forEach((e, i) => {
    if (after.endpoints[i]?.id !== e.id) return void unmatched.push(i);
    matched[i] = 1;
    place(e.id, vb.endpointClass[i]!, va.endpointClass[i]!);
  });
  const afterIndex = new Map<string, number>();
  after.endpoints.forEach((e, j) => matched[j] || afterIndex.set(e.id, j));
  for (const i of unmatched) {
    const id = before.endpoints[i]!.id;
    const j = afterIndex.get(id);
    if (j !== undefined) afterIndex.delete(id);
    place(id, vb.endpointClass[i]!, j === undefined ? -1 : va.endpointClass[j]!);
  }
  for (const [id, j] of afterIndex) place(id, -1, va.endpointClass[j]!);
  const stableSet = compact(setFromUnsorted([...stable.keys()]), ctx.partyCount);
  const peerIds = ctx.peers.map((p) => p.cidr.text);
  const peerSet: PartySet = { neg: false, ids: Int32Array.from(peerIds, (_, i) => n + i) };
  const sources = compact(union(stableSet, peerSet), ctx.partyCount);

  const ingress = (v: ModelView, c: number): Program | undefined => (c < 0 ? undefined : v.programOf(ctx, c, 'ingress'));
  const egress = (v: ModelView, c: number): Program | undefined => (c < 0 ? undefined : v.programOf(ctx, c, 'egress'));
  /** Whether a flow from `s` to class `d` can be allowed in view `v` (same atom not checked: a filter). */
  const maybe = (v: ModelView, s: number, d: number): boolean => {
    const p = ingress(v, d);
    if (!p || s < 0 || !setHas(p.allowedEver(), s)) return false;
    return s >= n || setHas(egress(v, s)!.allowedEver(), d);
  };
  const cells = (v: ModelView, src: number, dst: number): readonly Cell[] => {
    if (dst < 0 || src < 0) return ABSENT;
    const version = src >= n && ctx.peers[src - n]!.cidr.version === 6 ? 6 : 4;
    return pairCells(ctx, ingress(v, dst)!, src < n ? egress(v, src) : undefined, src, dst, version).map((pc) => ({
      ...pc,
      allowed: (pc.egress < 0 || ctx.decisions.get(pc.egress).allowed) && ctx.decisions.get(pc.ingress).allowed,
    }));
  };
  const reason = (c: Cell): string => (c.ingress === -2 ? 'absent' : flowDecision(c.egress < 0 ? undefined : ctx.decisions.get(c.egress), ctx.decisions.get(c.ingress)).reason);
  const opened: FlowChange[] = [];
  const closed: FlowChange[] = [];
  /** Compares the flows from (sb in before, sa in after) to (db, da), for these sources and destinations. */
  const compare = (froms: readonly string[], tos: readonly string[], sb: number, sa: number, db: number, da: number): void => {
    if (!maybe(vb, sb, db) && !maybe(va, sa, da)) return;
    for (const d of compareCells(cells(vb, sb, db), cells(va, sa, da))) {
      const change = d.after.allowed ? 'opened' : 'closed';
      const into = d.after.allowed ? opened : closed;
      const common = { protocol: protocolName(d.protocol), ports: d.ports, before: reason(d.before), after: reason(d.after) };
      for (const from of froms) for (const to of tos) into.push({ change, from, to, ...common });
    }
  };
  const done = new Set<number>();
  const stablePair = (s: number, d: number): void => {
    const key = s * (n + peerIds.length) + d;
    if (done.has(key)) return;
    done.add(key);
    const froms = s < n ? stable.get(s) : [peerIds[s - n]!];
    const tos = stable.get(d);
    if (froms && tos) compare(froms, tos, s, s, d, d);
  };
  // Stable destinations whose ingress program changed, against the sources whose verdict changed.
  for (const d of stable.keys()) {
    if (vb.sameChain(va, d, 'ingress')) continue;
    const pb = ingress(vb, d)!;
    const pa = ingress(va, d)!;
    if (pb !== pa) forEachMember(intersect(verdictChanges(ctx, pb, pa), sources), ctx.partyCount, (s) => stablePair(s, d));
  }
  // Stable sources whose egress program changed, against the destinations whose verdict changed.
  for (const s of stable.keys()) {
    if (vb.sameChain(va, s, 'egress')) continue;
    const qb = egress(vb, s)!;
    const qa = egress(va, s)!;
    if (qb !== qa) forEachMember(intersect(verdictChanges(ctx, qb, qa), stableSet), n, (d) => stablePair(s, d));
  }
  // Endpoints added, removed or relabeled: every flow that can be allowed from and to them.
  const list = [...groups.values()];
  for (const g of list) {
    const dests = union(g.b >= 0 ? egress(vb, g.b)!.allowedEver() : EMPTY_SET, g.a >= 0 ? egress(va, g.a)!.allowedEver() : EMPTY_SET);
    forEachMember(intersect(dests, stableSet), n, (d) => compare(g.ids, stable.get(d)!, g.b, g.a, d, d));
    const srcs = union(g.b >= 0 ? ingress(vb, g.b)!.allowedEver() : EMPTY_SET, g.a >= 0 ? ingress(va, g.a)!.allowedEver() : EMPTY_SET);
    forEachMember(intersect(srcs, sources), ctx.partyCount, (s) => compare(s < n ? stable.get(s)! : [peerIds[s - n]!], g.ids, s, s, g.b, g.a));
    for (const h of list) compare(g.ids, h.ids, g.b, g.a, h.b, h.a);
  }
  return { opened, closed };
}

/** The parties whose verdict (allowed or not) differs between two programs for some atom. */
function verdictChanges(ctx: AnalysisContext, b: Program, a: Program): PartySet {
  let out: PartySet = EMPTY_SET;
  const allowedSet = (p: Program, i: number): PartySet => {
    let s: PartySet = EMPTY_SET;
    if (i < 0) return s;
    for (const seg of p.table(i)) if (ctx.decisions.get(seg.decision).allowed) s = union(s, seg.set);
    return s;
  };
  const packets: Packet[] = [];
  for (const version of [4, 6] as const) {
    for (const protocol of ctx.portProtocols) for (const iv of mergeIntervals(b.intervals, a.intervals)) packets.push({ version, protocol, port: iv.from });
    packets.push({ version, protocol: version === 4 ? 1 : 58, icmpType: version === 4 ? 8 : 128, icmpCode: 0 });
    for (const protocol of ctx.otherProtocols) packets.push({ version, protocol });
  }
  for (const pkt of packets) {
    const sb = allowedSet(b, b.atomIndex(pkt));
    const sa = allowedSet(a, a.atomIndex(pkt));
    out = union(out, union(subtract(sb, sa), subtract(sa, sb)));
  }
  return out;
}

/** The cells whose verdict differs, over the merged port intervals of both lists. */
function compareCells(before: readonly Cell[], after: readonly Cell[]): Array<{ protocol: number; ports?: PortInterval; before: Cell; after: Cell }> {
  const none = (c: Cell): Cell => ({ ...c, allowed: false, egress: -2, ingress: -2 });
  const out: Array<{ protocol: number; ports?: PortInterval; before: Cell; after: Cell }> = [];
  if (before.length === 0 && after.length === 0) return out;
  const ref = before.length > 0 ? before : after;
  const protocols = [...new Set(ref.map((c) => c.protocol))];
  for (const protocol of protocols) {
    const bs = before.filter((c) => c.protocol === protocol);
    const as = after.filter((c) => c.protocol === protocol);
    const any = (bs[0] ?? as[0])!;
    if (!any.ports) {
      const cb = bs[0] ?? none(any);
      const ca = as[0] ?? none(any);
      if (cb.allowed !== ca.allowed) out.push({ protocol, before: cb, after: ca });
      continue;
    }
    const starts = [...new Set([...bs, ...as].map((c) => c.ports!.from))].sort((x, y) => x - y);
    const at = (list: readonly Cell[], port: number): Cell | undefined => list.find((c) => c.ports!.from <= port && port <= c.ports!.to);
    starts.forEach((from, i) => {
      const to = i + 1 < starts.length ? starts[i + 1]! - 1 : 65535;
      const cb = at(bs, from) ?? none(any);
      const ca = at(as, from) ?? none(any);
      if (cb.allowed === ca.allowed) return;
      const last = out[out.length - 1];
      if (last && last.protocol === protocol && last.ports && last.ports.to === from - 1 && last.before.egress === cb.egress && last.before.ingress === cb.ingress && last.after.egress === ca.egress && last.after.ingress === ca.ingress) {
        last.ports = { from: last.ports.from, to };
      } else {
        out.push({ protocol, ports: { from, to }, before: cb, after: ca });
      }
    });
  }
  return out;
}
