/**
 * A map keyed by short lists of integers ("signatures"), hashed without building strings: the
 * engine keys programs and partitions by such lists and looks them up tens of thousands of
 * times, where string keys cost more in allocation than in hashing.
 *
 * @module
 */

/** FNV-1a hash of a list of integers. */
export function hashSig(sig: ArrayLike<number>, length = sig.length): number {
  let h = 2166136261;
  for (let i = 0; i < length; i++) {
    const x = sig[i]!;
    h = Math.imul(h ^ (x & 0xffff), 16777619);
    h = Math.imul(h ^ (x >>> 16), 16777619);
  }
  return h;
}

function same(a: ArrayLike<number>, b: ArrayLike<number>, length: number): boolean {
  if (a.length !== length) return false;
  for (let i = 0; i < length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Signature → value. */
export class SigMap<V> {
  readonly #buckets = new Map<number, Array<{ readonly sig: Int32Array; readonly value: V }>>();
  #size = 0;

  /** The value stored for the first `length` entries of `sig`. */
  get(sig: ArrayLike<number>, length = sig.length): V | undefined {
    const bucket = this.#buckets.get(hashSig(sig, length));
    if (bucket) for (const e of bucket) if (same(e.sig, sig, length)) return e.value;
    return undefined;
  }

  /** The value for `sig`, made (from a copy of the signature) the first time. */
  getOrCreate(sig: ArrayLike<number>, make: () => V, length = sig.length): V {
    const h = hashSig(sig, length);
    let bucket = this.#buckets.get(h);
    if (bucket) {
      for (const e of bucket) if (same(e.sig, sig, length)) return e.value;
    } else {
      bucket = [];
      this.#buckets.set(h, bucket);
    }
    // Copy first: the caller may reuse `sig` as scratch space, even inside `make`.
    const copy = new Int32Array(length);
    for (let i = 0; i < length; i++) copy[i] = sig[i]!;
    const value = make();
    bucket.push({ sig: copy, value });
    this.#size++;
    return value;
  }

  /** Number of entries. */
  get size(): number {
    return this.#size;
  }
}
