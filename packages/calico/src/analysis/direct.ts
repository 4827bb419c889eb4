/**
 * Direct evaluation of one direction of one flow, rule by rule, the way Felix's chain runs a
 * single packet. `explain` uses it (it is cheap for one flow), and so do queries the tables do
 * not cover (ICMP types other than echo, protocols no rule names).
 *
 * @module
 */

import type { AnalysisContext, CompiledRule } from './context.js';
import type { Direction, ModelRule } from './model.js';
import { packetMatches, type Packet } from './packet.js';
import { setHas } from './party-set.js';
import type { ModelView } from './view.js';

/** One step of a chain walk, for explanations that show every rule that matched. */
export interface TraceStep {
  /** `policy` or `profile`. */
  readonly kind: 'policy' | 'profile';
  /** Name of the policy or profile. */
  readonly name: string;
  /** Rule index. */
  readonly ruleIndex: number;
  /** The rule's action (`log` steps continue). */
  readonly action: ModelRule['action'];
}

/**
 * The decision number for traffic between class `self` (whose chain runs) and party `other`,
 * in direction `dir`. Matched rules are appended to `trace` when given.
 */
export function evaluateDirect(ctx: AnalysisContext, view: ModelView, self: number, dir: Direction, other: number, packet: Packet, trace?: TraceStep[]): number {
  const v = packet.version;
  const matches = (r: CompiledRule): boolean => {
    if (!packetMatches(r.rule, packet)) return false;
    const s = r.self[v];
    const o = r.other[v];
    return s !== null && o !== null && setHas(s, self) && setHas(o, other);
  };
  const policies = view.policiesOf(self, dir) ?? new Int32Array(0);
  let passed = false;
  outer: for (const pi of policies) {
    const policy = view.policies[pi]!;
    const rules = ctx.compiledRules(view.policyIds[pi]!, policy[dir], dir);
    for (const r of rules) {
      if (!matches(r)) continue;
      trace?.push({ kind: 'policy', name: policy.name, ruleIndex: r.index, action: r.action });
      if (r.action === 'log') continue;
      if (r.action === 'pass') {
        passed = true;
        break outer;
      }
      return ctx.decisions.policyRule(view.policyIds[pi]!, policy, dir, r.index, r.action);
    }
  }
  if (policies.length > 0 && !passed) return ctx.decisions.noPolicy(dir);
  for (const name of ctx.classes[self]!.profiles) {
    const p = view.profiles.get(name);
    if (!p) continue;
    for (const r of ctx.compiledRules(p.id, p.profile[dir], dir)) {
      if (!matches(r)) continue;
      trace?.push({ kind: 'profile', name, ruleIndex: r.index, action: r.action });
      if (r.action === 'log') continue;
      if (r.action === 'pass') break;
      return ctx.decisions.profileRule(p.id, p.profile, dir, r.index, r.action);
    }
  }
  return ctx.decisions.profileDefault(dir);
}
