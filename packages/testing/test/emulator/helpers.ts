/* Test helpers for the emulator suites: JSON calls over real HTTP and polling. */
import { MarathonEmulator } from '../../src/emulator/index.js';
import type { MarathonEmulatorOptions } from '../../src/emulator/index.js';

/** Parsed response: status, headers and body (JSON when parsable, else text, undefined when empty). */
export interface Reply {
  status: number;
  headers: Headers;
  /** Tests inspect arbitrary response shapes. */
  body: any;
  text: string;
}

/** Marathon path prefix through the Admin Router. */
export const M = '/service/marathon';

/** Perform a request; JSON bodies get `Content-Type: application/json` unless headers override it. */
export async function call(
  base: string,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<Reply> {
  const init: RequestInit = { method, redirect: 'manual', headers: { ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}), ...headers } };
  if (body !== undefined) init.body = typeof body === 'string' ? body : JSON.stringify(body);
  const res = await fetch(base + path, init);
  const text = await res.text();
  let parsed: unknown = undefined;
  if (text !== '') {
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = text;
    }
  }
  return { status: res.status, headers: res.headers, body: parsed, text };
}

/** Bound caller for one emulator. */
export function client(emu: MarathonEmulator) {
  return (method: string, path: string, body?: unknown, headers?: Record<string, string>) => call(emu.url, method, path, body, headers);
}

/** Poll until `check` returns true (or fail after `timeoutMs`). */
export async function waitFor(check: () => boolean | Promise<boolean>, timeoutMs = 2000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error('waitFor timed out');
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** Start an emulator with fast deployments. */
export function startEmulator(options: MarathonEmulatorOptions = {}): Promise<MarathonEmulator> {
  return MarathonEmulator.start({ deploymentDurationMs: 100, ...options });
}

/** ISO-8601 UTC with millis. */
export const ISO_MILLIS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
