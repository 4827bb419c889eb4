/**
 * What decided one direction of a flow, and the registry that numbers decisions so that tables
 * can store small integers.
 *
 * @module
 */

import type { RuleAction } from '../model/rule.js';
import type { Direction, ModelPolicy, ModelProfile } from './model.js';

/**
 * How one direction (the source's egress chain or the destination's ingress chain) decided:
 * - `policy`: a policy rule allowed or denied it;
 * - `profile`: a profile rule allowed or denied it;
 * - `no-policy`: at least one policy applied but none allowed it ("Drop if no policies passed packet");
 * - `profile-default`: no policy decided (or one passed) and no profile allowed it ("Drop if no profiles matched").
 */
export type DecisionKind = 'policy' | 'profile' | 'no-policy' | 'profile-default';

/** The decision of one direction of one flow. */
export interface DirectionDecision {
  /** The chain: `egress` of the source endpoint or `ingress` of the destination endpoint. */
  readonly direction: Direction;
  /** Whether this direction lets the flow through. */
  readonly allowed: boolean;
  /** What decided. */
  readonly kind: DecisionKind;
  /** The deciding policy's name (`kind` `policy`). */
  readonly policy?: string;
  /** The deciding profile's name (`kind` `profile`). */
  readonly profile?: string;
  /** Index of the deciding rule within the policy's or profile's rules of this direction. */
  readonly ruleIndex?: number;
  /** The deciding rule's action. */
  readonly action?: RuleAction;
  /** Construct that emitted the deciding policy or profile, when known. */
  readonly constructPath?: string;
  /**
   * One line: `policy <name> rule <i> (<action>)`, `profile <name> rule <i> (<action>)`,
   * `no policy allowed it` or `profile default`.
   */
  readonly reason: string;
}

/** Numbers decisions; equal decisions get one number. */
export class DecisionRegistry {
  readonly #byKey = new Map<string, number>();
  /** Per owner content and direction, decision numbers by rule index. */
  readonly #byRule = new Map<number, number[]>();
  readonly #fixed: Partial<Record<'Ningress' | 'Negress' | 'Dingress' | 'Degress', number>> = {};
  readonly #list: DirectionDecision[] = [];

  /** The decision with this number. */
  get(id: number): DirectionDecision {
    return this.#list[id]!;
  }

  /** The number of a policy rule's decision. `contentId` identifies the policy's content. */
  policyRule(contentId: number, policy: ModelPolicy, direction: Direction, ruleIndex: number, action: 'allow' | 'deny'): number {
    const fast = contentId * 4 + (direction === 'ingress' ? 0 : 2);
    const known = this.#byRule.get(fast)?.[ruleIndex];
    if (known !== undefined) return known;
    const id = this.#add(`P${contentId}:${direction}:${ruleIndex}`, () => ({
      direction,
      allowed: action === 'allow',
      kind: 'policy',
      policy: policy.name,
      ruleIndex,
      action,
      constructPath: policy.constructPath,
      reason: `policy ${policy.name} rule ${ruleIndex} (${action})`,
    }));
    this.#remember(fast, ruleIndex, id);
    return id;
  }

  /** The number of a profile rule's decision. */
  profileRule(contentId: number, profile: ModelProfile, direction: Direction, ruleIndex: number, action: 'allow' | 'deny'): number {
    const fast = contentId * 4 + (direction === 'ingress' ? 0 : 2) + 1;
    const known = this.#byRule.get(fast)?.[ruleIndex];
    if (known !== undefined) return known;
    const id = this.#add(`R${contentId}:${direction}:${ruleIndex}`, () => ({
      direction,
      allowed: action === 'allow',
      kind: 'profile',
      profile: profile.name,
      ruleIndex,
      action,
      constructPath: profile.constructPath,
      reason: `profile ${profile.name} rule ${ruleIndex} (${action})`,
    }));
    this.#remember(fast, ruleIndex, id);
    return id;
  }

  /** The number of "no policy allowed it" in a direction. */
  noPolicy(direction: Direction): number {
    return (this.#fixed[`N${direction}`] ??= this.#add(`N:${direction}`, () => ({ direction, allowed: false, kind: 'no-policy', reason: 'no policy allowed it' })));
  }

  /** The number of "profile default" (drop) in a direction. */
  profileDefault(direction: Direction): number {
    return (this.#fixed[`D${direction}`] ??= this.#add(`D:${direction}`, () => ({ direction, allowed: false, kind: 'profile-default', reason: 'profile default' })));
  }

  #remember(fast: number, ruleIndex: number, id: number): void {
    let list = this.#byRule.get(fast);
    if (!list) this.#byRule.set(fast, (list = []));
    list[ruleIndex] = id;
  }

  #add(key: string, make: () => DirectionDecision): number {
    let id = this.#byKey.get(key);
    if (id === undefined) {
      id = this.#list.length;
      this.#list.push(Object.freeze(make()));
      this.#byKey.set(key, id);
    }
    return id;
  }
}
