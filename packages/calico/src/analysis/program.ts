/**
 * A program: the chain Felix builds for every endpoint of a class in one direction — the
 * policies that apply, in order, then the profiles — with each rule's "self" side (the
 * destination of an ingress rule, the source of an egress rule) already decided for the class.
 * Classes with the same program share its tables.
 *
 * The table of a program, for each packet atom, partitions the other parties (sources for
 * ingress, destinations for egress) into segments by deciding rule: it walks the chain once
 * with *sets* of parties instead of one party at a time, exactly as Felix's chain treats each
 * of them (calico.md §4).
 *
 * @module
 */

import type { AnalysisContext, CompiledRule } from './context.js';
import type { Direction, ModelPolicy, ModelProfile, PortInterval } from './model.js';
import { EMPTY_SET, setHas, setIsEmpty, union, type PartySet } from './party-set.js';
import { ECHO, atomsOf, hasPorts, intervalsOf, packetMatches, type Atom, type Packet } from './packet.js';

const ALL_PORTS: readonly PortInterval[] = Object.freeze([Object.freeze({ from: 1, to: 65535 })]);

/** Scratch signature for partition lookups (the map copies it when it keeps it). */
let scratch = new Int32Array(64);

/** A policy or profile of a chain, with its rules for the program's direction. */
export interface ProgramEntry {
  /** Policy or profile. */
  readonly kind: 'policy' | 'profile';
  /** The policy (kind `policy`). */
  readonly policy?: ModelPolicy;
  /** The profile (kind `profile`). */
  readonly profile?: ModelProfile;
  /** Content id, for decision numbering. */
  readonly contentId: number;
  /** Rules of the program's direction. */
  readonly rules: readonly CompiledRule[];
  /** Per rule: whether it exists in IPv4 and its self side matches the class. */
  readonly active4: readonly boolean[];
  /** Per rule: the same in IPv6. */
  readonly active6: readonly boolean[];
}

/** One part of a partition: the parties `set` get decision `decision`. */
export interface Segment {
  /** Decision number (see `DecisionRegistry`). */
  readonly decision: number;
  /** The parties. */
  readonly set: PartySet;
}

/** A rule that can match for the program's class, with its place in the chain. */
interface ActiveRule {
  readonly entry: number;
  readonly rule: CompiledRule;
}

/** A chain and its decision tables. */
export class Program {
  /** Program number within its context. */
  readonly id: number;
  /** Direction. */
  readonly direction: Direction;
  /** Policies (first) then profiles. */
  readonly entries: readonly ProgramEntry[];
  /** Whether at least one policy applies. */
  readonly hasPolicies: boolean;
  /** Destination port intervals every active rule of the chain treats alike. */
  readonly intervals: readonly PortInterval[];
  readonly #ctx: AnalysisContext;
  readonly #firstProfile: number;
  readonly #active: { readonly 4: readonly ActiveRule[]; readonly 6: readonly ActiveRule[] };
  #atoms: Atom[] | undefined;
  #tables: Array<readonly Segment[]> | undefined;
  #ever: PartySet | undefined;

  constructor(ctx: AnalysisContext, id: number, direction: Direction, entries: readonly ProgramEntry[]) {
    this.#ctx = ctx;
    this.id = id;
    this.direction = direction;
    this.entries = entries;
    let policies = 0;
    for (const e of entries) if (e.kind === 'policy') policies++;
    this.hasPolicies = policies > 0;
    this.#firstProfile = policies;
    const a4: ActiveRule[] = [];
    const a6: ActiveRule[] = [];
    const cuts: number[] = [];
    for (let entry = 0; entry < entries.length; entry++) {
      const e = entries[entry]!;
      for (let i = 0; i < e.rules.length; i++) {
        if (!e.active4[i] && !e.active6[i]) continue;
        const rule = e.rules[i]!;
        if (e.active4[i]) a4.push({ entry, rule });
        if (e.active6[i]) a6.push({ entry, rule });
        const d = rule.rule.destination;
        if (d.ports) for (const iv of d.ports) cuts.push(iv.from, iv.to + 1);
        for (const iv of d.notPorts) cuts.push(iv.from, iv.to + 1);
      }
    }
    this.#active = { 4: a4, 6: a6 };
    this.intervals = cuts.length === 0 ? ALL_PORTS : intervalsOf(cuts);
  }

  /** The packet atoms of the tables: IPv4 (and for ingress, IPv6 when the model has IPv6 peers). */
  get atoms(): readonly Atom[] {
    if (!this.#atoms) {
      const c = this.#ctx;
      this.#atoms = atomsOf(4, this.intervals, c.portProtocols, c.otherProtocols);
      if (this.direction === 'ingress' && c.usesV6) this.#atoms.push(...atomsOf(6, this.intervals, c.portProtocols, c.otherProtocols));
    }
    return this.#atoms;
  }

  /** The partition of atom `i`. */
  table(i: number): readonly Segment[] {
    return this.tables()[i]!;
  }

  /**
   * Every atom's partition, in the order of {@link Program.atoms} (computed on first use). The
   * partition depends only on which rules match the atom's packet, so atoms with the same
   * matching rules share one, and so do programs (through the context) whenever those rules
   * have the same owners' content and indexes.
   */
  tables(): ReadonlyArray<readonly Segment[]> {
    if (this.#tables) return this.#tables;
    const c = this.#ctx;
    const out: Array<readonly Segment[]> = [];
    // Atoms of this program with the same matching rules share a partition.
    const local: Array<{ readonly ks: Int32Array; readonly segs: readonly Segment[] }> = [];
    const packet = { version: 4 as 4 | 6, protocol: 0, port: undefined as number | undefined, icmpType: undefined as number | undefined, icmpCode: undefined as number | undefined };
    const ks = new Int32Array(Math.max(this.#active[4].length, this.#active[6].length) + 1);
    for (const v of this.direction === 'ingress' && c.usesV6 ? ([4, 6] as const) : ([4] as const)) {
      packet.version = v;
      const perVersion = c.portProtocols.length * this.intervals.length + 1 + c.otherProtocols.length;
      for (let a = 0; a < perVersion; a++) {
        this.#setAtom(packet, v, a);
        const active = this.#active[v];
        let n = 0;
        for (let k = 0; k < active.length; k++) if (packetMatches(active[k]!.rule.rule, packet)) ks[n++] = k;
        ks[n++] = v;
        let segs: readonly Segment[] | undefined;
        for (const l of local) {
          if (l.ks.length !== n) continue;
          let i = 0;
          while (i < n && l.ks[i] === ks[i]) i++;
          if (i === n) {
            segs = l.segs;
            break;
          }
        }
        if (!segs) {
          segs = this.#shared(v, ks, n - 1);
          local.push({ ks: ks.slice(0, n), segs });
        }
        out.push(segs);
      }
    }
    this.#tables = out;
    return out;
  }

  /** Points `packet` at atom `a` of version `v` (the order of {@link Program.atoms}). */
  #setAtom(packet: { version: 4 | 6; protocol: number; port: number | undefined; icmpType: number | undefined; icmpCode: number | undefined }, v: 4 | 6, a: number): void {
    const c = this.#ctx;
    const n = this.intervals.length;
    const ported = c.portProtocols.length * n;
    packet.icmpType = undefined;
    packet.icmpCode = undefined;
    packet.port = undefined;
    if (a < ported) {
      packet.protocol = c.portProtocols[Math.floor(a / n)]!;
      packet.port = this.intervals[a % n]!.from;
    } else if (a === ported) {
      packet.protocol = ECHO[v].protocol;
      packet.icmpType = ECHO[v].type;
      packet.icmpCode = 0;
    } else {
      packet.protocol = c.otherProtocols[a - ported - 1]!;
    }
  }

  /**
   * The partition for the rules `ks[0..count)` (indexes into the active rules of version `v`),
   * shared through the context by every program whose matching rules have the same owners'
   * content, the same indexes and the same place among the profiles.
   */
  #shared(v: 4 | 6, ks: Int32Array, count: number): readonly Segment[] {
    const active = this.#active[v];
    if (scratch.length < 3 + 3 * count) scratch = new Int32Array(2 * (3 + 3 * count));
    const sig = scratch;
    sig[0] = this.direction === 'ingress' ? 0 : 1;
    sig[1] = v;
    sig[2] = this.hasPolicies ? 1 : 0;
    for (let j = 0; j < count; j++) {
      const x = active[ks[j]!]!;
      const e = this.entries[x.entry]!;
      sig[3 + 3 * j] = e.kind === 'policy' ? -1 : x.entry - this.#firstProfile;
      sig[4 + 3 * j] = e.contentId;
      sig[5 + 3 * j] = x.rule.index;
    }
    return this.#ctx.partition(sig, 3 + 3 * count, () => {
      const matching: ActiveRule[] = [];
      for (let j = 0; j < count; j++) matching.push(active[ks[j]!]!);
      return this.#partition(v, matching);
    });
  }

  /** Index of the atom holding `packet`, or -1 when the tables do not cover it (then evaluate directly). */
  atomIndex(packet: Packet): number {
    const c = this.#ctx;
    if (packet.version === 6 && (this.direction !== 'ingress' || !c.usesV6)) return -1;
    const n = this.intervals.length;
    const perVersion = c.portProtocols.length * n + 1 + c.otherProtocols.length;
    const base = packet.version === 4 ? 0 : perVersion;
    if (hasPorts(packet.protocol)) {
      const p = c.portProtocols.indexOf(packet.protocol);
      if (p < 0 || packet.port === undefined) return -1;
      return base + p * n + intervalIndex(this.intervals, packet.port);
    }
    const echo = ECHO[packet.version];
    if (packet.protocol === echo.protocol) return packet.icmpType === echo.type && (packet.icmpCode ?? 0) === 0 ? base + c.portProtocols.length * n : -1;
    const o = c.otherProtocols.indexOf(packet.protocol);
    return o < 0 ? -1 : base + c.portProtocols.length * n + 1 + o;
  }

  /** Every party some atom allows (a necessary condition for a flow with it). */
  allowedEver(): PartySet {
    if (!this.#ever) {
      let s: PartySet = EMPTY_SET;
      for (const segs of new Set(this.tables())) for (const seg of segs) if (this.#ctx.decisions.get(seg.decision).allowed) s = union(s, seg.set);
      this.#ever = s;
    }
    return this.#ever;
  }

  /** The decision for `party` in atom `i`, or -1 when the party has no flow in that atom's IP version. */
  decide(i: number, party: number): number {
    for (const s of this.table(i)) if (setHas(s.set, party)) return s.decision;
    return -1;
  }

  /** Walks the chain with sets of parties (calico.md §4); `matching` are the rules this packet matches, in chain order. */
  #partition(v: 4 | 6, matching: readonly ActiveRule[]): Segment[] {
    const c = this.#ctx;
    const n = c.partyCount;
    const dir = this.direction;
    const segs: Segment[] = [];
    let remaining = v === 4 ? c.universe4 : c.universe6;
    let passed: PartySet = EMPTY_SET;
    let k = 0;
    // Policies: the first allow or deny decides; pass skips the remaining policies.
    for (; k < matching.length && this.entries[matching[k]!.entry]!.kind === 'policy'; k++) {
      const { entry, rule } = matching[k]!;
      if (rule.action === 'log' || setIsEmpty(remaining, n)) continue;
      const [hit, rest] = c.split(remaining, rule.other[v]!);
      if (setIsEmpty(hit, n)) continue;
      remaining = rest;
      if (rule.action === 'pass') passed = union(passed, hit);
      else segs.push({ decision: c.decisions.policyRule(this.entries[entry]!.contentId, this.entries[entry]!.policy!, dir, rule.index, rule.action), set: hit });
    }
    let current: PartySet;
    if (this.hasPolicies) {
      if (!setIsEmpty(remaining, n)) segs.push({ decision: c.decisions.noPolicy(dir), set: remaining });
      current = passed;
    } else {
      current = remaining;
    }
    // Profiles, in order: allow or deny decides; pass (or no match) moves on to the next profile.
    let next: PartySet = EMPTY_SET;
    let entryOf = -1;
    for (; k < matching.length; k++) {
      const { entry, rule } = matching[k]!;
      if (entry !== entryOf) {
        current = union(current, next);
        next = EMPTY_SET;
        entryOf = entry;
      }
      if (rule.action === 'log' || setIsEmpty(current, n)) continue;
      const [hit, rest] = c.split(current, rule.other[v]!);
      if (setIsEmpty(hit, n)) continue;
      current = rest;
      if (rule.action === 'pass') next = union(next, hit);
      else segs.push({ decision: c.decisions.profileRule(this.entries[entry]!.contentId, this.entries[entry]!.profile!, dir, rule.index, rule.action), set: hit });
    }
    current = union(current, next);
    if (!setIsEmpty(current, n)) segs.push({ decision: c.decisions.profileDefault(dir), set: current });
    return segs;
  }
}

/** Index of the interval holding `port` (intervals cover 1-65535 in order). */
export function intervalIndex(intervals: readonly PortInterval[], port: number): number {
  let lo = 0;
  let hi = intervals.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (intervals[mid]!.from <= port) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}
