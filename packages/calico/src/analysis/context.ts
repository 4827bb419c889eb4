/**
 * The compiled form shared by everything the engine computes for one or more models: label
 * classes, external peers, the label index, interned selectors, the set of parties each rule
 * side matches, and the programs (chains) of every class.
 *
 * Parties are numbered classes first (0..classCount-1), then external peers.
 *
 * Sharing is what keeps large models fast: rule sides with equal content share one party set;
 * rules are compiled once per owner content; programs are keyed by the content of their chain
 * and each class's view of it, so classes (and models, in a diff) with equal chains share one;
 * partitions are keyed by the rules that match, so programs share those too; and the set
 * operations of partitions are memoized by the identity of their operands.
 *
 * @module
 */

import { SelectorInterner, type Selector } from '../selector/index.js';
import { type Cidr, contains } from '../model/cidr.js';
import { buildClasses, range4, range6, type EndpointClass } from './classes.js';
import { DecisionRegistry } from './decision.js';
import { LabelIndex } from './label-index.js';
import type { Direction, ExternalPeer, ModelEntity, ModelRule, NetworkModel } from './model.js';
import type { RuleAction } from '../model/rule.js';
import { ALL_SET, EMPTY_SET, compact, complement, intersect, setFromUnsorted, subtract, union, type PartySet } from './party-set.js';
import { PORT_PROTOCOLS, PROTOCOLS } from './packet.js';
import { ModelView } from './view.js';
import type { Program, Segment } from './program.js';
import { SigMap } from './sig-map.js';

/** A rule with the party sets of both sides computed, per IP version (index 4 or 6). */
export interface CompiledRule {
  /** The rule. */
  readonly rule: ModelRule;
  /** Its index among its owner's rules of the direction. */
  readonly index: number;
  /** Its action. */
  readonly action: RuleAction;
  /** Parties the chain's own side matches (`destination` for ingress, `source` for egress); `null`: no rule in that version. */
  readonly self: { readonly 4: PartySet | null; readonly 6: PartySet | null };
  /** Parties the other side matches. */
  readonly other: { readonly 4: PartySet | null; readonly 6: PartySet | null };
}

/** Everything compiled for a group of models that share classes and peers. */
export class AnalysisContext {
  /** Interner every selector goes through. */
  readonly interner: SelectorInterner;
  /** Label classes of all the models. */
  readonly classes: readonly EndpointClass[];
  /** External peers of all the models (deduplicated by CIDR). */
  readonly peers: readonly ExternalPeer[];
  /** Number of parties: classes then peers. */
  readonly partyCount: number;
  /** Parties of IPv4 flows: every class and the IPv4 peers. */
  readonly universe4: PartySet;
  /** Parties that open IPv6 flows: the IPv6 peers (endpoints talk to each other over IPv4). */
  readonly universe6: PartySet;
  /** Whether any IPv6 peer exists. */
  readonly usesV6: boolean;
  /** Port protocols the matrix covers: tcp, udp, and sctp when a rule names it. */
  readonly portProtocols: readonly number[];
  /** Other protocol numbers rules name (each one atom). */
  readonly otherProtocols: readonly number[];
  /** Decision numbering. */
  readonly decisions = new DecisionRegistry();
  /** Label index. */
  readonly index: LabelIndex;
  /** One view per model, in the order given. */
  readonly views: readonly ModelView[];
  readonly #programs = new SigMap<Program>();
  readonly #programList: Program[] = [];
  readonly #nets = new Map<string, PartySet>();
  readonly #entityByKey = new Map<string, PartySet | null>();
  readonly #splits = new WeakMap<PartySet, WeakMap<PartySet, readonly [PartySet, PartySet]>>();
  readonly #tags = new Map<string, Selector>();
  readonly #compiled = new Map<number, readonly CompiledRule[]>();
  readonly #partitions = new SigMap<readonly Segment[]>();
  readonly #addrRange4: [number, number];

  /** Compiles `models`; pass two to compare them. */
  constructor(models: readonly NetworkModel[], interner: SelectorInterner = new SelectorInterner()) {
    this.interner = interner;
    const cidrs: Cidr[] = [];
    const protocols = new Set<number>();
    const peersByText = new Map<string, ExternalPeer>();
    for (const m of models) {
      for (const p of m.peers) {
        cidrs.push(p.cidr);
        if (!peersByText.has(p.cidr.text)) peersByText.set(p.cidr.text, p);
      }
      collectOwners(m.policies, cidrs, protocols);
      collectOwners(m.profiles, cidrs, protocols);
    }
    const table = buildClasses(models, cidrs);
    this.classes = table.classes;
    this.peers = [...peersByText.values()];
    const n = this.classes.length;
    this.partyCount = n + this.peers.length;
    const v6: number[] = [];
    this.peers.forEach((p, i) => p.cidr.version === 6 && v6.push(n + i));
    this.usesV6 = v6.length > 0;
    this.universe6 = setFromUnsorted(v6);
    this.universe4 = complement(this.universe6);
    this.portProtocols = protocols.has(PROTOCOLS.sctp) ? PORT_PROTOCOLS : PORT_PROTOCOLS.slice(0, 2);
    this.otherProtocols = [...protocols].filter((p) => ![1, 6, 17, 58, 132].includes(p)).sort((a, b) => a - b);
    let lo = Infinity;
    let hi = -Infinity;
    for (const c of this.classes) {
      lo = Math.min(lo, c.addr4);
      hi = Math.max(hi, c.addr4);
    }
    this.#addrRange4 = [lo, hi];
    this.index = new LabelIndex(this.classes, this.partyCount);
    const views: ModelView[] = [];
    models.forEach((m, i) => views.push(new ModelView(this, m, table.endpointClass[i]!, views)));
    this.views = views;
  }

  /** Party id of the i-th external peer. */
  peerParty(i: number): number {
    return this.classes.length + i;
  }

  /** The classes a selector matches. */
  selectorSet(selector: Selector): PartySet {
    return this.index.classSet(this.interner.intern(selector));
  }

  /** The classes having a tag (`has(tag)`). */
  tagSet(tag: string): PartySet {
    let s = this.#tags.get(tag);
    if (!s) {
      s = this.interner.parse(`has(${tag})`);
      this.#tags.set(tag, s);
    }
    return this.index.classSet(s);
  }

  /** Parties inside a network: classes whose address is in it, and peers whose CIDR lies in it. */
  netSet(cidr: Cidr): PartySet {
    let s = this.#nets.get(cidr.text);
    if (s) return s;
    const ids: number[] = [];
    if (cidr.version === 4) {
      const [lo, hi] = range4(cidr);
      const [min, max] = this.#addrRange4;
      if (lo <= min && hi >= max) for (let i = 0; i < this.classes.length; i++) ids.push(i);
      else if (!(hi < min || lo > max)) for (const c of this.classes) if (c.addr4 >= lo && c.addr4 <= hi) ids.push(c.id);
    } else {
      const [lo, hi] = range6(cidr);
      for (const c of this.classes) if (c.addr6 !== undefined && c.addr6 >= lo && c.addr6 <= hi) ids.push(c.id);
    }
    this.peers.forEach((p, i) => contains(cidr, p.cidr) && ids.push(this.peerParty(i)));
    s = compact(setFromUnsorted(ids), this.partyCount);
    this.#nets.set(cidr.text, s);
    return s;
  }

  /**
   * The parties one side of a rule matches in IP version `v` (ports aside), or `null` when the
   * rule does not exist in that version: Felix renders a rule per IP version and drops it from
   * a version when a net list it has holds no network of that version.
   */
  entitySet(e: ModelEntity, v: 4 | 6): PartySet | null {
    // Equal sides (by content) share one set object, so set operations on them can be memoized.
    const key = entityKey(e, v);
    let s = this.#entityByKey.get(key);
    if (s === undefined) {
      s = this.#computeEntity(e, v);
      if (s) s = compact(s, this.partyCount);
      this.#entityByKey.set(key, s);
    }
    return s;
  }

  /**
   * `[a ∩ b, a − b]`, memoized by the identity of both sets: partitions of different programs
   * walk the same sets in the same order, so most of their set operations repeat.
   */
  split(a: PartySet, b: PartySet): readonly [PartySet, PartySet] {
    let inner = this.#splits.get(a);
    if (!inner) this.#splits.set(a, (inner = new WeakMap()));
    let r = inner.get(b);
    if (!r) {
      r = [intersect(a, b), subtract(a, b)];
      inner.set(b, r);
    }
    return r;
  }

  #computeEntity(e: ModelEntity, v: 4 | 6): PartySet | null {
    const nets = e.nets.filter((c) => c.version === v);
    const notNets = e.notNets.filter((c) => c.version === v);
    if ((e.nets.length > 0 && nets.length === 0) || (e.notNets.length > 0 && notNets.length === 0)) return null;
    let s: PartySet = ALL_SET;
    if (e.selector) s = intersect(s, this.selectorSet(e.selector));
    if (e.tag !== undefined) s = intersect(s, this.tagSet(e.tag));
    if (e.notSelector) s = subtract(s, this.selectorSet(e.notSelector));
    if (e.notTag !== undefined) s = subtract(s, this.tagSet(e.notTag));
    if (nets.length > 0) s = intersect(s, nets.map((c) => this.netSet(c)).reduce(union, EMPTY_SET));
    if (notNets.length > 0) s = subtract(s, notNets.map((c) => this.netSet(c)).reduce(union, EMPTY_SET));
    return s;
  }

  /**
   * The compiled rules of a policy or profile in one direction, computed once per content
   * (`contentId` identifies the owner's content; see `ModelView`).
   */
  compiledRules(contentId: number, rules: readonly ModelRule[], dir: Direction): readonly CompiledRule[] {
    const key = contentId * 2 + (dir === 'ingress' ? 0 : 1);
    let c = this.#compiled.get(key);
    if (!c) {
      const selfSide = dir === 'ingress' ? 'destination' : 'source';
      const otherSide = dir === 'ingress' ? 'source' : 'destination';
      const out: CompiledRule[] = [];
      const v6 = this.usesV6;
      for (let index = 0; index < rules.length; index++) {
        const rule = rules[index]!;
        out.push({
          rule,
          index,
          action: rule.action,
          // Without IPv6 peers no IPv6 flow is analyzed, so no rule needs its IPv6 sets.
          self: { 4: this.entitySet(rule[selfSide], 4), 6: v6 ? this.entitySet(rule[selfSide], 6) : null },
          other: { 4: this.entitySet(rule[otherSide], 4), 6: v6 ? this.entitySet(rule[otherSide], 6) : null },
        });
      }
      c = out;
      this.#compiled.set(key, c);
    }
    return c;
  }

  /** A partition shared by every program whose matching rules have this signature. */
  partition(sig: ArrayLike<number>, length: number, make: () => readonly Segment[]): readonly Segment[] {
    return this.#partitions.getOrCreate(sig, make, length);
  }

  /** The program with this signature, made by `make` the first time. */
  program(sig: ArrayLike<number>, length: number, make: (id: number) => Program): Program {
    return this.#programs.getOrCreate(
      sig,
      () => {
        const p = make(this.#programList.length);
        this.#programList.push(p);
        return p;
      },
      length,
    );
  }

  /** Program by number. */
  programAt(id: number): Program {
    return this.#programList[id]!;
  }

  /** Number of distinct programs. */
  get programCount(): number {
    return this.#programList.length;
  }
}

/** The content of one rule side in one IP version, as a string. */
function netsKey(list: readonly Cidr[]): string {
  let s = '';
  for (const c of list) s += `${c.text},`;
  return s;
}

function entityKey(e: ModelEntity, v: 4 | 6): string {
  const plain = e.nets.length === 0 && e.notNets.length === 0 && e.tag === undefined && e.notTag === undefined;
  // Most sides name one selector or nothing; their key is short.
  if (plain && e.notSelector === undefined) return e.selector ? `s${e.selector.toString()}` : '';
  if (plain && e.selector === undefined) return `n${e.notSelector!.toString()}`;
  const nets = netsKey;
  return `${v}\u0001${e.selector?.toString() ?? ''}\u0001${e.notSelector?.toString() ?? '-'}\u0001${e.tag ?? ''}\u0001${e.notTag ?? '-'}\u0001${e.selector ? 's' : ''}${e.tag !== undefined ? 't' : ''}\u0001${nets(e.nets)}\u0001${nets(e.notNets)}`;
}

function addHostRoutes(list: readonly Cidr[], cidrs: Cidr[]): void {
  for (const c of list) if (c.prefix === (c.version === 4 ? 32 : 128) || c.version === 6) cidrs.push(c);
}

/** Collects the host routes and protocols of every rule of some policies or profiles (indexed loops: this runs once per model, mostly unoptimized). */
function collectOwners(owners: ReadonlyArray<{ readonly ingress: readonly ModelRule[]; readonly egress: readonly ModelRule[] }>, cidrs: Cidr[], protocols: Set<number>): void {
  for (let i = 0; i < owners.length; i++) {
    const o = owners[i]!;
    for (let j = 0; j < o.ingress.length; j++) collectRule(o.ingress[j]!, cidrs, protocols);
    for (let j = 0; j < o.egress.length; j++) collectRule(o.egress[j]!, cidrs, protocols);
  }
}

function collectRule(r: ModelRule, cidrs: Cidr[], protocols: Set<number>): void {
  // Other networks are peers already; host routes may name a container and split its class.
  addHostRoutes(r.source.nets, cidrs);
  addHostRoutes(r.source.notNets, cidrs);
  addHostRoutes(r.destination.nets, cidrs);
  addHostRoutes(r.destination.notNets, cidrs);
  if (r.protocol !== undefined) protocols.add(r.protocol);
  if (r.notProtocol !== undefined) protocols.add(r.notProtocol);
}
