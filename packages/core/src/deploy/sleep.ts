/**
 * Waits `ms` milliseconds, or rejects as soon as `signal` aborts (with
 * `abortError()`, by default the signal's reason). The abort listener is
 * removed when the wait ends, so long runs do not pile up listeners.
 */
export function sleep(ms: number, signal?: AbortSignal, abortError: () => unknown = () => signal?.reason): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(abortError());
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(abortError());
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
