/**
 * Findings: what the analysis reports about a model, each a plain
 * `{ severity, rule, message, constructPath?, fix }` (the shape of core's `Diagnostic`):
 *
 * - `analysis/cross-environment-flow`: an endpoint of one environment can open a flow to an
 *   endpoint of another (error when the destination environment is isolated);
 * - `analysis/shadowed-rule`: a rule an earlier rule of the same policy always pre-empts;
 * - `analysis/policy-selects-nothing`: a policy whose selector matches no endpoint;
 * - `analysis/unreachable-port`: a declared port no endpoint and no external address can reach;
 * - `analysis/open-to-internet`: a port (or ping) the Internet (0.0.0.0/0, ::/0) can reach;
 * - `analysis/undeclared-port`: an allow rule naming a port the destination app does not declare;
 * - and the problems found while reading the input (`model.diagnostics`).
 *
 * @module
 */

import type { AnalysisContext } from './context.js';
import type { DirectionDecision } from './decision.js';
import { matrixInternals, pairCells, type ReachabilityMatrix } from './engine.js';
import { endpointIds, listIds, policiesSelectingNothing, shadowedRules, undeclaredPorts } from './findings-rules.js';
import type { AnalysisFinding } from './model.js';
import { atomPacket, protocolName, type Atom, type Packet } from './packet.js';
import { compact, forEachMember, intersect, setFromUnsorted, setHas, subtract, union, EMPTY_SET, type PartySet } from './party-set.js';
import type { ModelView } from './view.js';

/** Options of {@link findings}. */
export interface FindingsOptions {
  /** The label whose value names an endpoint's environment. @default 'group' */
  readonly environmentLabel?: string;
  /** Environments that must not be reachable from any other: flows into them are errors, not warnings. */
  readonly isolatedEnvironments?: Iterable<string>;
  /**
   * Names of policies whose allow rules are explicit grants (the policies a `CalicoNetwork`
   * generates from `allowFrom`/`allowTo`). A flow whose ingress one of them allows was asked
   * for: it is left out of `analysis/cross-environment-flow` and `analysis/open-to-internet`.
   * @default none: every such flow is reported
   */
  readonly grantPolicies?: Iterable<string>;
}

/** Every finding about the analyzed model, the input's own diagnostics first. */
export function findings(matrix: ReachabilityMatrix, options: FindingsOptions = {}): AnalysisFinding[] {
  const { ctx, view } = matrixInternals(matrix);
  const grants = new Set(options.grantPolicies ?? []);
  const granted = (d: DirectionDecision): boolean => d.kind === 'policy' && grants.has(d.policy!);
  return [
    ...matrix.model.diagnostics,
    ...crossEnvironmentFlows(ctx, view, options.environmentLabel ?? 'group', new Set(options.isolatedEnvironments ?? []), granted),
    ...shadowedRules(ctx, view),
    ...policiesSelectingNothing(ctx, view),
    ...unreachablePorts(ctx, view),
    ...openToInternet(ctx, view, granted),
    ...undeclaredPorts(ctx, view),
  ];
}

function describeCell(protocol: number, from?: number, to?: number): string {
  if (protocol === 1 || protocol === 58) return 'ping';
  if (from === undefined) return protocolName(protocol);
  return `${protocolName(protocol)} ${from === to ? from : from === 1 && to === 65535 ? 'any port' : `${from}-${to}`}`;
}

/** Flows from one environment's endpoints into another's. */
function crossEnvironmentFlows(ctx: AnalysisContext, view: ModelView, key: string, isolated: ReadonlySet<string>, granted: (d: DirectionDecision) => boolean): AnalysisFinding[] {
  const n = ctx.classes.length;
  const byEnv = new Map<string, number[]>();
  forEachMember(view.present, n, (c) => {
    const env = ctx.classes[c]!.labels.get(key);
    if (env !== undefined) (byEnv.get(env) ?? byEnv.set(env, []).get(env)!).push(c);
  });
  const withEnv = compact(setFromUnsorted([...byEnv.values()].flat()), ctx.partyCount);
  const out: AnalysisFinding[] = [];
  for (const [dstEnv, dsts] of byEnv) {
    const others = compact(subtract(withEnv, setFromUnsorted(dsts)), ctx.partyCount);
    for (const d of dsts) {
      const p = view.programOf(ctx, d, 'ingress')!;
      // Candidate sources: classes of other environments that some allow segment lets in.
      let candidates: PartySet = EMPTY_SET;
      p.tables().forEach((segs, i) => {
        if (p.atoms[i]!.version !== 4) return;
        for (const s of segs) if (ctx.decisions.get(s.decision).allowed) candidates = union(candidates, intersect(s.set, others));
      });
      forEachMember(candidates, n, (s) => {
        const cells = pairCells(ctx, p, view.programOf(ctx, s, 'egress'), s, d, 4).filter((c) => ctx.decisions.get(c.egress).allowed && ctx.decisions.get(c.ingress).allowed && !granted(ctx.decisions.get(c.ingress)));
        if (cells.length === 0) return;
        const srcEnv = ctx.classes[s]!.labels.get(key)!;
        const ingress = ctx.decisions.get(cells[0]!.ingress);
        const what = cells.map((c) => `${describeCell(c.protocol, c.ports?.from, c.ports?.to)} (${ctx.decisions.get(c.ingress).reason})`).join(', ');
        out.push({
          severity: isolated.has(dstEnv) ? 'error' : 'warning',
          rule: 'analysis/cross-environment-flow',
          message: `${listIds(endpointIds(view, s))} (${key}=${srcEnv}) can reach ${listIds(endpointIds(view, d))} (${key}=${dstEnv}): ${what}.`,
          constructPath: ingress.constructPath,
          fix: `Scope the rule's source to its environment (e.g. add ${key} == '${dstEnv}' to its selector), or grant access per app with allowFrom(), which does so.`,
        });
      });
    }
  }
  return out;
}

/** Declared ports that no endpoint and no external peer can open a connection to. */
function unreachablePorts(ctx: AnalysisContext, view: ModelView): AnalysisFinding[] {
  const n = ctx.classes.length;
  const out: AnalysisFinding[] = [];
  const cache = new Map<string, boolean>();
  view.model.endpoints.forEach((ep, e) => {
    const d = view.endpointClass[e]!;
    const alone = view.membersOf(d).length <= 1 && ep.instances <= 1;
    for (const port of ep.ports) {
      const key = `${d}:${alone}:${port.protocol}:${port.port}`;
      let reachable = cache.get(key);
      if (reachable === undefined) {
        reachable = isReachable(ctx, view, d, { version: 4, protocol: port.protocol === 'tcp' ? 6 : 17, port: port.port }, alone, n);
        cache.set(key, reachable);
      }
      if (reachable) continue;
      out.push({
        severity: 'warning',
        rule: 'analysis/unreachable-port',
        message: `${ep.id} declares ${port.protocol} ${port.port}${port.name ? ` (${port.name})` : ''}, but no endpoint and no external address can open a connection to it.`,
        constructPath: ep.constructPath,
        fix: 'Allow the clients that need the port (allowFrom), or drop the port from the app.',
      });
    }
  });
  return out;
}

function isReachable(ctx: AnalysisContext, view: ModelView, d: number, packet: Packet, alone: boolean, n: number): boolean {
  const p = view.programOf(ctx, d, 'ingress')!;
  const ai = p.atomIndex(packet);
  let found = false;
  for (const seg of p.table(ai)) {
    if (found || !ctx.decisions.get(seg.decision).allowed) continue;
    if (seg.set.neg || seg.set.ids.some((id) => id >= n)) {
      // Peers are parties too: any external peer in an allow segment reaches the port.
      for (let i = 0; i < ctx.peers.length && !found; i++) if (ctx.peers[i]!.cidr.version === 4 && setHas(seg.set, ctx.peerParty(i))) found = true;
    }
    forEachMember(intersect(seg.set, view.present), n, (s) => {
      if (found || (s === d && alone)) return;
      const q = view.programOf(ctx, s, 'egress')!;
      if (ctx.decisions.get(q.decide(q.atomIndex(packet), d)).allowed) found = true;
    });
  }
  return found;
}

/** What the Internet peers (0.0.0.0/0, ::/0) can reach. */
function openToInternet(ctx: AnalysisContext, view: ModelView, granted: (d: DirectionDecision) => boolean): AnalysisFinding[] {
  const internet = ctx.peers.map((p, i) => ({ p, party: ctx.peerParty(i) })).filter((x) => x.p.cidr.prefix === 0);
  if (internet.length === 0) return [];
  const out: AnalysisFinding[] = [];
  forEachMember(view.present, ctx.classes.length, (d) => {
    const p = view.programOf(ctx, d, 'ingress')!;
    // Open atoms, adjacent port intervals with the same decision joined.
    const open: Array<{ atom: Atom; to: number; decision: number }> = [];
    p.atoms.forEach((atom, i) => {
      const peer = internet.find((x) => x.p.cidr.version === atom.version);
      if (!peer) return;
      const decision = p.decide(i, peer.party);
      if (!ctx.decisions.get(decision).allowed || granted(ctx.decisions.get(decision))) return;
      const last = open[open.length - 1];
      if (last && last.atom.protocol === atom.protocol && last.atom.version === atom.version && last.decision === decision && last.to + 1 === atom.from && atom.from > 0) last.to = atom.to;
      else open.push({ atom, to: atom.to, decision });
    });
    if (open.length === 0) return;
    const what = open.map((o) => {
      const ported = atomPacket(o.atom).port !== undefined;
      return `${describeCell(o.atom.protocol, ported ? o.atom.from : undefined, o.to)}${o.atom.version === 6 ? ' (IPv6)' : ''} (${ctx.decisions.get(o.decision).reason})`;
    });
    out.push({
      severity: 'warning',
      rule: 'analysis/open-to-internet',
      message: `${listIds(endpointIds(view, d))} can be reached from the Internet: ${what.join(', ')}.`,
      constructPath: open.map((o) => ctx.decisions.get(o.decision).constructPath).find((x) => x !== undefined),
      fix: 'If that is not meant to be public, allow a narrower CIDR (the clients that need it) instead of 0.0.0.0/0.',
    });
  });
  return out;
}
