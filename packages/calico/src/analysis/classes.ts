/**
 * Label classes: endpoints that Felix cannot tell apart. Two endpoints evaluate identically in
 * every chain and every rule when they have the same own labels, the same profiles (with the
 * same profile labels and tags) and addresses on the same side of every CIDR the rules name,
 * so the engine evaluates one class instead of each of its endpoints.
 *
 * @module
 */

import type { Cidr } from '../model/cidr.js';
import { parseCidr } from '../model/cidr.js';
import type { ModelProfile, NetworkModel } from './model.js';

/** One label class. */
export interface EndpointClass {
  /** Class number, 0-based; also its party id. */
  readonly id: number;
  /** Effective labels: own labels, then each profile's labels, then its tags with value `""`. */
  readonly labels: ReadonlyMap<string, string>;
  /** Profile ids, in order. */
  readonly profiles: readonly string[];
  /** IPv4 address of the first endpoint, as an unsigned number. */
  readonly addr4: number;
  /** IPv6 address of the first endpoint, when it has one. */
  readonly addr6: bigint | undefined;
}

/** The classes of one or more models over a shared numbering. */
export interface ClassTable {
  /** Every class. */
  readonly classes: readonly EndpointClass[];
  /** Per model (in the order given), the class of each endpoint. */
  readonly endpointClass: readonly Int32Array[];
}

/** Parses dotted IPv4 text to an unsigned number; NaN when malformed. */
export function ipv4ToNumber(s: string): number {
  let v = 0;
  let part = 0;
  let digits = 0;
  let dots = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 46) {
      if (digits === 0 || part > 255) return NaN;
      v = v * 256 + part;
      part = 0;
      digits = 0;
      dots++;
    } else if (c >= 48 && c <= 57) {
      part = part * 10 + (c - 48);
      digits++;
    } else {
      return NaN;
    }
  }
  if (dots !== 3 || digits === 0 || part > 255) return NaN;
  return v * 256 + part;
}

/** First and last address of an IPv4 network, as numbers. */
export function range4(c: Cidr): [number, number] {
  const lo = Number(c.address);
  return [lo, lo + 2 ** (32 - c.prefix) - 1];
}

/** First and last address of an IPv6 network. */
export function range6(c: Cidr): [bigint, bigint] {
  return [c.address, c.address + (1n << BigInt(128 - c.prefix)) - 1n];
}

/** What makes two endpoints the same class, kept for the equality check behind a hash hit. */
interface ClassKey {
  readonly id: number;
  readonly labels: Readonly<Record<string, string>>;
  /** Profile content ids, in order. */
  readonly profiles: readonly number[];
  /** Side of each partial network the address is on. */
  readonly sig: string;
}

/** FNV-1a over a string, continuing from `h`. */
function fnv(s: string, h: number): number {
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619);
  return h;
}

/** Order-independent hash of a label set: the sum of the pairs' hashes. */
function labelsHash(labels: Readonly<Record<string, string>>): number {
  let sum = 0;
  for (const k in labels) {
    if (!Object.prototype.hasOwnProperty.call(labels, k)) continue;
    sum = (sum + fnv(labels[k]!, fnv(k, 2166136261) ^ 0xff)) | 0;
  }
  return sum;
}

/**
 * Groups the endpoints of `models` into label classes. `cidrs` are the networks rules name:
 * endpoints are split further when such a network holds some of their addresses but not
 * others. Endpoints are bucketed by an order-independent hash of their labels, profiles and
 * address side, and compared field by field within a bucket, so no key string is built per
 * endpoint.
 */
export function buildClasses(models: readonly NetworkModel[], cidrs: readonly Cidr[]): ClassTable {
  const first = models[0];
  // Addresses as numbers; an endpoint at the same place with the same address as in the first model reuses its number.
  const addr4: Float64Array[] = [];
  for (const m of models) {
    const list = new Float64Array(m.endpoints.length);
    for (let i = 0; i < list.length; i++) {
      const e = m.endpoints[i]!;
      list[i] = m !== first && first!.endpoints[i]?.address === e.address ? addr4[0]![i]! : ipv4ToNumber(e.address);
    }
    addr4.push(list);
  }
  const usesV6 = models.some((m) => m.endpoints.some((e) => e.address6 !== undefined));
  const addr6 = models.map((m) => (usesV6 ? m.endpoints.map((e) => (e.address6 === undefined ? undefined : parseCidr(e.address6)?.address)) : []));
  const partial4 = partialCidrs4(addr4, cidrs);
  const partial6 = partialCidrs6(cidrs);
  const buckets = new Map<number, ClassKey[]>();
  const classes: EndpointClass[] = [];
  const endpointClass: Int32Array[] = [];
  // Profiles by content: equal name, labels and tags in any model get one number.
  const profileContent = new Map<string, number>();
  const profileIdsPerModel: Array<Map<string, number>> = [];
  models.forEach((model, m) => {
    const profiles = new Map<string, ModelProfile>(model.profiles.map((p) => [p.name, p]));
    const profileIds = new Map<string, number>();
    profileIdsPerModel.push(profileIds);
    const profileId = (name: string): number => {
      let id = profileIds.get(name);
      if (id === undefined) {
        const p = profiles.get(name);
        const key = p ? `${name}\u0003${labelsKey(p.labels)}\u0003${p.tags.join('\u0001')}` : `${name}\u0003!`;
        id = profileContent.get(key) ?? profileContent.set(key, profileContent.size).get(key)!;
        profileIds.set(name, id);
      }
      return id;
    };
    const firstClass = endpointClass[0];
    const out = new Int32Array(model.endpoints.length);
    const pids: number[] = [];
    for (let i = 0; i < model.endpoints.length; i++) {
      const e = model.endpoints[i]!;
      // Fast path: the same endpoint at the same place in the first model keeps its class.
      const p = m > 0 ? first!.endpoints[i] : undefined;
      if (p && p.id === e.id && p.address === e.address && p.address6 === e.address6 && sameLabels(p.labels, e.labels) && sameProfiles(p.profiles, e.profiles, profileId, profileIdsPerModel[0]!)) {
        out[i] = firstClass![i]!;
        continue;
      }
      const a4 = addr4[m]![i]!;
      const a6 = addr6[m]![i];
      let sig = '';
      // (Indexed loops throughout: this runs per endpoint, much of it before it is optimized.)
      for (let j = 0; j < partial4.length; j++) sig += a4 >= partial4[j]![0] && a4 <= partial4[j]![1] ? '1' : '0';
      for (let j = 0; j < partial6.length; j++) sig += a6 !== undefined && a6 >= partial6[j]![0] && a6 <= partial6[j]![1] ? '1' : '0';
      if (partial6.length > 0) sig += a6 === undefined ? '-' : '+';
      pids.length = 0;
      for (let j = 0; j < e.profiles.length; j++) pids.push(profileId(e.profiles[j]!));
      let h = fnv(sig, labelsHash(e.labels));
      for (let j = 0; j < pids.length; j++) h = Math.imul(h ^ pids[j]!, 16777619);
      let bucket = buckets.get(h);
      if (!bucket) buckets.set(h, (bucket = []));
      let hit: ClassKey | undefined;
      for (let j = 0; j < bucket.length; j++) {
        const k = bucket[j]!;
        if (k.sig === sig && sameIds(k.profiles, pids) && sameLabels(k.labels, e.labels)) {
          hit = k;
          break;
        }
      }
      if (!hit) {
        hit = { id: classes.length, labels: e.labels, profiles: pids.slice(), sig };
        bucket.push(hit);
        classes.push({ id: hit.id, labels: effectiveLabels(e.labels, e.profiles, profiles), profiles: e.profiles, addr4: a4, addr6: a6 });
      }
      out[i] = hit.id;
    }
    endpointClass.push(out);
  });
  return { classes, endpointClass };
}

function sameIds(a: readonly number[], b: readonly number[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function sameLabels(a: Readonly<Record<string, string>>, b: Readonly<Record<string, string>>): boolean {
  if (a === b) return true;
  let n = 0;
  for (const k in a) {
    if (!Object.prototype.hasOwnProperty.call(a, k)) continue;
    if (a[k] !== b[k] || !Object.prototype.hasOwnProperty.call(b, k)) return false;
    n++;
  }
  for (const k in b) if (Object.prototype.hasOwnProperty.call(b, k)) n--;
  return n === 0;
}

function sameProfiles(a: readonly string[], b: readonly string[], idHere: (name: string) => number, idsThere: ReadonlyMap<string, number>): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i] || idHere(b[i]!) !== idsThere.get(a[i]!)) return false;
  return true;
}

/** Own labels first, then each profile's labels and tags (value `""`), earlier winning. */
function effectiveLabels(own: Readonly<Record<string, string>>, profileIds: readonly string[], profiles: ReadonlyMap<string, ModelProfile>): Map<string, string> {
  const out = new Map<string, string>();
  for (const k of Object.keys(own)) out.set(k, own[k]!);
  for (const name of profileIds) {
    const p = profiles.get(name);
    if (!p) continue;
    for (const k of Object.keys(p.labels)) if (!out.has(k)) out.set(k, p.labels[k]!);
    for (const t of p.tags) if (!out.has(t)) out.set(t, '');
  }
  return out;
}

function labelsKey(labels: Readonly<Record<string, string>>): string {
  const keys = Object.keys(labels);
  if (keys.length > 1) keys.sort();
  let s = '';
  for (const k of keys) s += `${k}\u0000${labels[k]!}\u0001`;
  return s;
}

/** IPv4 networks that hold some endpoint addresses but not all. */
function partialCidrs4(addrs: readonly Float64Array[], cidrs: readonly Cidr[]): Array<[number, number]> {
  let min = Infinity;
  let max = -Infinity;
  for (const list of addrs) {
    for (let i = 0; i < list.length; i++) {
      const a = list[i]!;
      if (a < min) min = a;
      if (a > max) max = a;
    }
  }
  const seen = new Set<string>();
  const out: Array<[number, number]> = [];
  for (const c of cidrs) {
    if (c.version !== 4 || seen.has(c.text)) continue;
    seen.add(c.text);
    const [lo, hi] = range4(c);
    if (hi < min || lo > max || (lo <= min && hi >= max)) continue;
    out.push([lo, hi]);
  }
  return out;
}

function partialCidrs6(cidrs: readonly Cidr[]): Array<[bigint, bigint]> {
  const v6 = cidrs.filter((c) => c.version === 6);
  if (v6.length === 0) return [];
  const seen = new Set<string>();
  const out: Array<[bigint, bigint]> = [];
  for (const c of v6) {
    if (seen.has(c.text)) continue;
    seen.add(c.text);
    out.push(range6(c));
  }
  return out;
}
