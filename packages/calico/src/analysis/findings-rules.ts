/**
 * Findings about rules and policies themselves: rules shadowed by an earlier rule of the same
 * policy, policies that select no endpoint, and rules that open a port the destination app
 * does not declare.
 *
 * @module
 */

import type { AnalysisContext, CompiledRule } from './context.js';
import type { AnalysisFinding, Direction, ModelPolicy, ModelRule, PortInterval } from './model.js';
import { ECHO, PORT_PROTOCOLS, addPortCuts, intervalsOf, packetMatches, protocolName, type Packet } from './packet.js';
import { intersect, isSubset, members, setIsEmpty, type PartySet } from './party-set.js';
import { governs, type ModelView } from './view.js';

const DIRECTIONS: readonly Direction[] = ['ingress', 'egress'];

/** Lists endpoint ids, at most `max` of them. */
export function listIds(ids: readonly string[], max = 4): string {
  return ids.length <= max ? ids.join(', ') : `${ids.slice(0, max).join(', ')} and ${ids.length - max} more`;
}

/** The ids of the endpoints of class `c` in a view. */
export function endpointIds(view: ModelView, c: number): string[] {
  return Array.from(view.membersOf(c), (i) => view.model.endpoints[i]!.id);
}

/** Every packet kind that can tell the two rules apart: each port interval of each port protocol, each ICMP type/code they name (and one they do not), each other protocol they name (and one they do not). */
function packetBasis(rules: readonly ModelRule[], v: 4 | 6): Packet[] {
  const cuts = new Set<number>();
  addPortCuts(rules, cuts);
  const out: Packet[] = [];
  for (const protocol of PORT_PROTOCOLS) for (const i of intervalsOf(cuts)) out.push({ version: v, protocol, port: i.from });
  const types = new Set<number>([ECHO[v].type, 255]);
  const codes = new Set<number>([0, 255]);
  const protocols = new Set<number>([253]);
  for (const r of rules) {
    for (const m of [r.icmp, r.notICMP]) {
      if (m?.type !== undefined) types.add(m.type);
      if (m?.code !== undefined) codes.add(m.code);
    }
    for (const p of [r.protocol, r.notProtocol]) if (p !== undefined && !PORT_PROTOCOLS.includes(p)) protocols.add(p);
  }
  for (const icmpType of types) for (const icmpCode of codes) out.push({ version: v, protocol: ECHO[v].protocol, icmpType, icmpCode });
  for (const protocol of protocols) if (protocol !== ECHO[v].protocol) out.push({ version: v, protocol });
  return out;
}

interface RuleDomain {
  readonly self: PartySet;
  readonly other: PartySet;
  readonly packets: readonly boolean[];
  readonly empty: boolean;
}

function domain(ctx: AnalysisContext, selected: PartySet, r: CompiledRule, v: 4 | 6, basis: readonly Packet[]): RuleDomain {
  const universe = v === 4 ? ctx.universe4 : ctx.universe6;
  const none: PartySet = { neg: false, ids: new Int32Array(0) };
  const self = intersect(selected, r.self[v] ?? none);
  const other = intersect(universe, r.other[v] ?? none);
  const packets = basis.map((p) => packetMatches(r.rule, p));
  const empty = setIsEmpty(self, ctx.partyCount) || setIsEmpty(other, ctx.partyCount) || !packets.some((x) => x);
  return { self, other, packets, empty };
}

/** Whether rule `j`'s traffic is all matched by rule `i` (both in the same policy and direction). */
function covers(ctx: AnalysisContext, selected: PartySet, i: CompiledRule, j: CompiledRule): boolean {
  let any = false;
  for (const v of ctx.usesV6 ? ([4, 6] as const) : ([4] as const)) {
    const basis = packetBasis([i.rule, j.rule], v);
    const dj = domain(ctx, selected, j, v, basis);
    if (dj.empty) continue;
    any = true;
    const di = domain(ctx, selected, i, v, basis);
    if (di.empty || !isSubset(dj.self, di.self) || !isSubset(dj.other, di.other) || dj.packets.some((m, k) => m && !di.packets[k])) return false;
  }
  return any;
}

function policyPresent(ctx: AnalysisContext, view: ModelView, p: ModelPolicy): PartySet {
  return intersect(ctx.selectorSet(p.selector), view.present);
}

/** Rules that can never decide because an earlier rule of the same policy matches all their traffic. */
export function shadowedRules(ctx: AnalysisContext, view: ModelView): AnalysisFinding[] {
  const out: AnalysisFinding[] = [];
  view.policies.forEach((p, pi) => {
    const selected = policyPresent(ctx, view, p);
    if (setIsEmpty(selected, ctx.partyCount)) return;
    for (const dir of DIRECTIONS) {
      if (!governs(p, dir)) continue;
      const rules = ctx.compiledRules(view.policyIds[pi]!, p[dir], dir);
      for (let j = 1; j < rules.length; j++) {
        for (let i = 0; i < j; i++) {
          const a = rules[i]!;
          if (a.action === 'log' || !covers(ctx, selected, a, rules[j]!)) continue;
          out.push({
            severity: 'warning',
            rule: 'analysis/shadowed-rule',
            message: `policy ${p.name} ${dir} rule ${j} (${rules[j]!.action}) never decides anything: rule ${i} (${a.action}) before it in the same policy matches all the traffic rule ${j} matches.`,
            constructPath: p.constructPath,
            fix: `Remove ${dir} rule ${j}, or move it before rule ${i} if it should take precedence.`,
          });
          break;
        }
      }
    }
  });
  return out;
}

/** Policies whose selector matches no endpoint of the model. */
export function policiesSelectingNothing(ctx: AnalysisContext, view: ModelView): AnalysisFinding[] {
  return view.policies
    .filter((p) => setIsEmpty(policyPresent(ctx, view, p), ctx.partyCount))
    .map((p) => ({
      severity: 'warning' as const,
      rule: 'analysis/policy-selects-nothing',
      message: `policy ${p.name} selects no endpoint (selector ${p.selector.toString()}), so it has no effect.`,
      constructPath: p.constructPath,
      fix: 'Fix the selector to match the apps it is meant for, or delete the policy.',
    }));
}

function describePort(i: PortInterval): string {
  return i.from === i.to ? String(i.from) : `${i.from}:${i.to}`;
}

/** Allow rules that name a destination port (or range) the destination app does not declare. */
export function undeclaredPorts(ctx: AnalysisContext, view: ModelView): AnalysisFinding[] {
  const out: AnalysisFinding[] = [];
  const n = ctx.classes.length;
  view.policies.forEach((p, pi) => {
    const selected = policyPresent(ctx, view, p);
    for (const dir of DIRECTIONS) {
      if (!governs(p, dir)) continue;
      ctx.compiledRules(view.policyIds[pi]!, p[dir], dir).forEach((cr, ri) => {
        const r = cr.rule;
        if (r.action !== 'allow' || !r.destination.ports || r.destination.ports.length === 0) return;
        const dest = dir === 'ingress' ? cr.self[4] : cr.other[4];
        if (!dest) return;
        const targets = members(intersect(dir === 'ingress' ? selected : view.present, dest), n);
        const protocols = r.protocol !== undefined ? [protocolName(r.protocol)] : ['tcp', 'udp'];
        for (const port of r.destination.ports!) {
          const offenders: string[] = [];
          const declared = new Set<string>();
          for (const c of targets) {
            for (const e of view.membersOf(c)) {
              const ep = view.model.endpoints[e]!;
              const ports = ep.ports.filter((x) => protocols.includes(x.protocol));
              if (ports.length === 0 || ports.some((x) => x.port >= port.from && x.port <= port.to)) continue;
              offenders.push(ep.id);
              for (const x of ports) declared.add(`${x.protocol} ${x.port}`);
            }
          }
          if (offenders.length === 0) continue;
          const what = `${protocols.join('/')} ${describePort(port)}`;
          out.push({
            severity: 'warning',
            rule: 'analysis/undeclared-port',
            message: `policy ${p.name} ${dir} rule ${ri} opens ${what} on ${listIds(offenders)}, which declare${offenders.length === 1 ? 's' : ''} only ${[...declared].sort().join(', ')}.`,
            constructPath: p.constructPath,
            fix: `Open the port the app listens on (${[...declared].sort().join(', ')}), or declare ${what} in the app.`,
          });
        }
      });
    }
  });
  return out;
}
