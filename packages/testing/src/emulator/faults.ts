/** Per-request fault injection, consumed in the order faults were added. */
import type { FaultSpec } from './types.js';

interface PendingFault {
  spec: FaultSpec;
  remaining: number;
}

/** Queue of injectable faults. */
export class FaultQueue {
  private queue: PendingFault[] = [];

  /** Add a fault; it applies to the next `times` (default 1) matching requests. */
  add(spec: FaultSpec): void {
    this.queue.push({ spec, remaining: spec.times ?? 1 });
  }

  /** Remove all pending faults. */
  clear(): void {
    this.queue = [];
  }

  /** Number of requests the pending faults will still affect. */
  pending(): number {
    return this.queue.reduce((n, f) => n + f.remaining, 0);
  }

  /**
   * Take the first pending fault matching a request (decrementing its count). `paths` holds the
   * raw path and the service-relative path; a fault matches when either matches.
   */
  take(method: string, paths: string[]): FaultSpec | undefined {
    const index = this.queue.findIndex((f) => matches(f.spec, method, paths));
    if (index < 0) return undefined;
    const fault = this.queue[index]!;
    fault.remaining--;
    if (fault.remaining <= 0) this.queue.splice(index, 1);
    return fault.spec;
  }
}

function matches(spec: FaultSpec, method: string, paths: string[]): boolean {
  if (spec.method !== undefined && spec.method.toUpperCase() !== method.toUpperCase()) return false;
  const pattern = spec.path;
  if (pattern === undefined) return true;
  return paths.some((p) => {
    if (typeof pattern === 'string') return p.startsWith(pattern);
    pattern.lastIndex = 0;
    return pattern.test(p);
  });
}
