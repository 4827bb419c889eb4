/**
 * One model inside an {@link AnalysisContext}: its endpoints' classes, its policies sorted as
 * Felix sorts them, the policies that apply to each class, and each class's programs (built on
 * first use: `analyze` builds them all, `diffModels` only those a change can affect).
 *
 * @module
 */

import { compareCodePoints } from '../selector/ast.js';
import type { AnalysisContext, CompiledRule } from './context.js';
import { samePolicy, sameProfile } from './equality.js';
import type { Direction, ModelPolicy, ModelProfile, NetworkModel } from './model.js';
import { compact, forEachMember, setHas, setOf, type PartySet } from './party-set.js';
import { Program, type ProgramEntry } from './program.js';

/** Whether a policy governs a direction (no types: both). */
export function governs(p: ModelPolicy, dir: Direction): boolean {
  return p.types === undefined || p.types.includes(dir);
}

let nextContentId = 0;

const ASCII = /^[\x00-\x7f]*$/;

/** A model compiled against a context. */
export class ModelView {
  /** The model. */
  readonly model: NetworkModel;
  /** Class of each endpoint. */
  readonly endpointClass: Int32Array;
  /** Policies in Felix order; a policy equal to one of an earlier view is replaced by that one. */
  readonly policies: readonly ModelPolicy[];
  /** Content id of each sorted policy (equal content, equal id, across views). */
  readonly policyIds: Int32Array;
  /** Profiles by name (shared with an earlier view when equal). */
  readonly profiles: ReadonlyMap<string, { readonly profile: ModelProfile; readonly id: number }>;
  /** Each input policy (in input order) as the view holds it, with its content id. */
  readonly #canonical: ReadonlyArray<{ readonly policy: ModelPolicy; readonly id: number }>;
  /** Input index of each sorted policy. */
  readonly #sorted: Int32Array;
  /** Endpoint indexes grouped by class (see {@link ModelView.membersOf}). */
  readonly #order: Int32Array;
  readonly #start: Int32Array;
  /** The classes present in this model. */
  readonly present: PartySet;
  readonly #polStart: Readonly<Record<Direction, Int32Array>>;
  readonly #polList: Readonly<Record<Direction, Int32Array>>;
  /** Per direction, per class: program number, or -1 while not built (or absent from the model). */
  readonly #programs: Readonly<Record<Direction, Int32Array>>;
  readonly #ctx: AnalysisContext;
  /** Scratch signature, reused by every program lookup. */
  #sig = new Int32Array(64);

  constructor(ctx: AnalysisContext, model: NetworkModel, endpointClass: Int32Array, prior: readonly ModelView[]) {
    this.model = model;
    this.endpointClass = endpointClass;
    // A policy equal to one of an earlier view (same name, same content) is that policy.
    // Models of a diff usually list their policies in the same order: try the policy at the
    // same place in each earlier view first, then any of the same name.
    let byName: Map<string, Array<{ policy: ModelPolicy; id: number }>> | undefined;
    const canonical: Array<{ policy: ModelPolicy; id: number }> = [];
    for (let i = 0; i < model.policies.length; i++) {
      const p = model.policies[i]!;
      let found: { policy: ModelPolicy; id: number } | undefined;
      for (const v of prior) {
        const q = v.#canonical[i];
        if (q !== undefined && q.policy.name === p.name && samePolicy(q.policy, p)) {
          found = q;
          break;
        }
      }
      if (!found && prior.length > 0) {
        if (!byName) {
          byName = new Map();
          for (const v of prior) for (const q of v.#canonical) (byName.get(q.policy.name) ?? byName.set(q.policy.name, []).get(q.policy.name)!).push(q);
        }
        found = byName.get(p.name)?.find((q) => samePolicy(q.policy, p));
      }
      canonical.push(found ?? { policy: p, id: nextContentId++ });
    }
    this.#canonical = canonical;
    // Felix's order: ascending `order` (absent = +∞), then name byte-wise (code point order;
    // names that are plain ASCII, as calicoctl requires, compare natively), then input order.
    // An earlier view whose input has the same orders and names at every place has the same
    // order already.
    const same = prior.find((v) => v.#canonical.length === canonical.length && v.#canonical.every((q, i) => q.policy.name === canonical[i]!.policy.name && q.policy.order === canonical[i]!.policy.order));
    let order: number[];
    if (same) {
      order = Array.from(same.#sorted);
    } else {
      const orders = canonical.map((c) => c.policy.order ?? Infinity);
      const names = canonical.map((c) => c.policy.name);
      const ascii = names.map((x) => ASCII.test(x));
      order = canonical.map((_, i) => i);
      order.sort((a, b) => {
        if (orders[a] !== orders[b]) return orders[a]! < orders[b]! ? -1 : 1;
        const x = names[a]!;
        const y = names[b]!;
        if (x !== y) return ascii[a] && ascii[b] ? (x < y ? -1 : 1) : compareCodePoints(x, y);
        return a - b;
      });
    }
    this.#sorted = new Int32Array(order);
    this.policies = order.map((i) => canonical[i]!.policy);
    this.policyIds = Int32Array.from(order, (i) => canonical[i]!.id);
    const profiles = new Map<string, { profile: ModelProfile; id: number }>();
    for (const p of model.profiles) {
      const earlier = prior.map((v) => v.profiles.get(p.name)).find((q) => q !== undefined && sameProfile(q.profile, p));
      profiles.set(p.name, earlier ?? { profile: p, id: nextContentId++ });
    }
    this.profiles = profiles;

    // Endpoints by class, as a counting sort: #order[#start[c] .. #start[c + 1]).
    const n = ctx.classes.length;
    const start = new Int32Array(n + 1);
    for (let i = 0; i < endpointClass.length; i++) start[endpointClass[i]! + 1]!++;
    for (let c = 0; c < n; c++) start[c + 1]! += start[c]!;
    const fill = start.slice(0, n);
    const byClass = new Int32Array(endpointClass.length);
    for (let i = 0; i < endpointClass.length; i++) byClass[fill[endpointClass[i]!]!++] = i;
    this.#order = byClass;
    this.#start = start;
    const presentIds: number[] = [];
    for (let c = 0; c < n; c++) if (start[c + 1]! > start[c]!) presentIds.push(c);
    this.present = compact(setOf(new Int32Array(presentIds)), ctx.partyCount);

    // Which policies apply to which class, as one sorted list per class and direction
    // (#polList[dir][#polStart[dir][c] .. #polStart[dir][c + 1])): every (class, policy) pair
    // in policy order, then a counting sort by class.
    const pairs: number[] = [];
    for (let i = 0; i < this.policies.length; i++) {
      const set = ctx.selectorSet(this.policies[i]!.selector);
      const ids = set.ids;
      if (!set.neg) {
        for (let j = 0; j < ids.length; j++) {
          const c = ids[j]!;
          if (c < n && start[c + 1]! > start[c]!) pairs.push(c, i);
        }
      } else {
        for (let j = 0; j < presentIds.length; j++) if (setHas(set, presentIds[j]!)) pairs.push(presentIds[j]!, i);
      }
    }
    const polStart = { ingress: new Int32Array(n + 1), egress: new Int32Array(n + 1) };
    const polList = { ingress: new Int32Array(0), egress: new Int32Array(0) };
    for (const dir of ['ingress', 'egress'] as const) {
      const st = polStart[dir];
      const governed = this.policies.map((p) => governs(p, dir));
      for (let k = 0; k < pairs.length; k += 2) if (governed[pairs[k + 1]!]) st[pairs[k]! + 1]!++;
      for (let c = 0; c < n; c++) st[c + 1]! += st[c]!;
      const at = st.slice(0, n);
      const list = new Int32Array(st[n]!);
      for (let k = 0; k < pairs.length; k += 2) if (governed[pairs[k + 1]!]) list[at[pairs[k]!]!++] = pairs[k + 1]!;
      polList[dir] = list;
    }
    this.#polStart = polStart;
    this.#polList = polList;
    this.#ctx = ctx;
    this.#programs = { ingress: new Int32Array(n).fill(-1), egress: new Int32Array(n).fill(-1) };
  }

  /** The endpoint indexes of class `c` in this model. */
  membersOf(c: number): Int32Array {
    return this.#order.subarray(this.#start[c]!, this.#start[c + 1]!);
  }

  /** Indexes (into `policies`) of the policies that apply to class `c` in `dir`, in order; `undefined` when the class is absent. */
  policiesOf(c: number, dir: Direction): Int32Array | undefined {
    if (this.#start[c + 1]! === this.#start[c]!) return undefined;
    return this.#polList[dir].subarray(this.#polStart[dir][c]!, this.#polStart[dir][c + 1]!);
  }

  /** Builds the programs of every class present (programs are otherwise built on first use). */
  buildAllPrograms(): void {
    forEachMember(this.present, this.#ctx.classes.length, (c) => {
      this.programOf(this.#ctx, c, 'ingress');
      this.programOf(this.#ctx, c, 'egress');
    });
  }

  /**
   * Whether class `c` has the same chain in direction `dir` here and in `other` (a view of the
   * same context): the same policies and profiles by content, so the same program.
   */
  sameChain(other: ModelView, c: number, dir: Direction): boolean {
    const a = this.policiesOf(c, dir);
    const b = other.policiesOf(c, dir);
    if (!a || !b || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (this.policyIds[a[i]!] !== other.policyIds[b[i]!]) return false;
    for (const name of this.#ctx.classes[c]!.profiles) if (this.profiles.get(name)?.id !== other.profiles.get(name)?.id) return false;
    return true;
  }

  /** The program of class `c` in direction `dir`, built or found by its signature. */
  #program(ctx: AnalysisContext, c: number, dir: Direction): Program {
    const policies = this.policiesOf(c, dir)!;
    const profileNames = ctx.classes[c]!.profiles;
    // The signature: the chain's content, then per rule whether it can match for this class.
    const v6 = dir === 'ingress' && ctx.usesV6;
    // Room for the header, every owner and two bits per rule.
    let size = 2 + policies.length + profileNames.length;
    const ruleLists: Array<readonly CompiledRule[]> = [];
    for (const pi of policies) ruleLists.push(ctx.compiledRules(this.policyIds[pi]!, this.policies[pi]![dir], dir));
    for (const name of profileNames) {
      const p = this.profiles.get(name);
      if (p) ruleLists.push(ctx.compiledRules(p.id, p.profile[dir], dir));
    }
    for (const rules of ruleLists) size += 2 * rules.length;
    if (this.#sig.length < size) this.#sig = new Int32Array(size * 2);
    const sig = this.#sig;
    let len = 0;
    sig[len++] = dir === 'ingress' ? 0 : 1;
    sig[len++] = policies.length;
    for (const pi of policies) sig[len++] = this.policyIds[pi]!;
    for (const name of profileNames) {
      const p = this.profiles.get(name);
      if (p) sig[len++] = -1 - p.id;
    }
    const bitsAt = len;
    for (const rules of ruleLists) {
      for (const r of rules) {
        sig[len++] = r.self[4] !== null && r.other[4] !== null && setHas(r.self[4], c) ? 1 : 0;
        if (v6) sig[len++] = r.self[6] !== null && r.other[6] !== null && setHas(r.self[6], c) ? 1 : 0;
      }
    }
    return ctx.program(sig, len, (id) => {
      let k = bitsAt;
      const entries: ProgramEntry[] = [];
      let o = 0;
      const add = (kind: 'policy' | 'profile', policy: ModelPolicy | undefined, profile: ModelProfile | undefined, contentId: number): void => {
        const rules = ruleLists[o++]!;
        const active4 = new Array<boolean>(rules.length);
        const active6 = new Array<boolean>(rules.length);
        for (let i = 0; i < rules.length; i++) {
          active4[i] = sig[k++] === 1;
          active6[i] = v6 ? sig[k++] === 1 : false;
        }
        entries.push({ kind, policy, profile, contentId, rules, active4, active6 });
      };
      for (const pi of policies) add('policy', this.policies[pi]!, undefined, this.policyIds[pi]!);
      for (const name of profileNames) {
        const p = this.profiles.get(name);
        if (p) add('profile', undefined, p.profile, p.id);
      }
      return new Program(ctx, id, dir, entries);
    });
  }

  /** The program of class `c` in direction `dir`. */
  programOf(ctx: AnalysisContext, c: number, dir: Direction): Program | undefined {
    const id = this.#programs[dir][c]!;
    if (id >= 0) return ctx.programAt(id);
    if (!this.policiesOf(c, dir)) return undefined;
    const p = this.#program(ctx, c, dir);
    this.#programs[dir][c] = p.id;
    return p;
  }
}
