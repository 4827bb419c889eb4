/** A node of the dependency graph: its id and the ids it depends on. */
export interface DependencyNode {
  readonly id: string;
  readonly dependsOn: readonly string[];
}

/** Result of a topological sort: the order, or the ids of one cycle. */
export type TopoResult<T> = { readonly ok: true; readonly order: T[] } | { readonly ok: false; readonly cycle: T[] };

/**
 * Kahn's algorithm, iterative, O(nodes + edges). Ties keep the input order,
 * so the result is deterministic. Dependencies on unknown ids must be
 * checked by the caller; they are ignored here.
 */
export function topologicalSort<T extends DependencyNode>(nodes: readonly T[]): TopoResult<T> {
  const index = new Map<string, number>();
  nodes.forEach((n, i) => index.set(n.id, i));
  const indegree = new Int32Array(nodes.length);
  const dependents: Array<number[] | undefined> = new Array<number[] | undefined>(nodes.length);
  nodes.forEach((n, i) => {
    for (const dep of distinct(n.dependsOn)) {
      const j = index.get(dep);
      if (j === undefined) continue;
      indegree[i]!++;
      (dependents[j] ??= []).push(i);
    }
  });
  // A min-ordered ready list keeps ties in input order.
  const ready = new MinHeap();
  for (let i = 0; i < nodes.length; i++) if (indegree[i] === 0) ready.push(i);
  const order: T[] = [];
  while (ready.size > 0) {
    const i = ready.pop();
    order.push(nodes[i]!);
    for (const j of dependents[i] ?? []) if (--indegree[j]! === 0) ready.push(j);
  }
  if (order.length === nodes.length) return { ok: true, order };
  return { ok: false, cycle: findCycle(nodes, index, indegree) };
}

/** The ids without repeats, in order; most lists have one or two, so no Set for those. */
function distinct(ids: readonly string[]): readonly string[] {
  if (ids.length < 2 || (ids.length === 2 && ids[0] !== ids[1])) return ids;
  return [...new Set(ids)];
}

/** Follows unresolved dependencies from a blocked node until one repeats. */
function findCycle<T extends DependencyNode>(nodes: readonly T[], index: Map<string, number>, indegree: Int32Array): T[] {
  let current = indegree.findIndex((d) => d > 0);
  const seenAt = new Map<number, number>();
  const path: number[] = [];
  while (!seenAt.has(current)) {
    seenAt.set(current, path.length);
    path.push(current);
    const next = nodes[current]!.dependsOn.map((d) => index.get(d)).find((j) => j !== undefined && indegree[j]! > 0);
    current = next!;
  }
  return path.slice(seenAt.get(current)).map((i) => nodes[i]!);
}

class MinHeap {
  private readonly items: number[] = [];
  get size(): number {
    return this.items.length;
  }
  push(v: number): void {
    const a = this.items;
    a.push(v);
    let i = a.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (a[p]! <= v) break;
      a[i] = a[p]!;
      i = p;
    }
    a[i] = v;
  }
  pop(): number {
    const a = this.items;
    const top = a[0]!;
    const last = a.pop()!;
    if (a.length > 0) {
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        if (l >= a.length) break;
        const r = l + 1;
        const c = r < a.length && a[r]! < a[l]! ? r : l;
        if (a[c]! >= last) break;
        a[i] = a[c]!;
        i = c;
      }
      a[i] = last;
    }
    return top;
  }
}
