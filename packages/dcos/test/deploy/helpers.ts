/* Helpers of the dcos deploy tests. */
import type { DriverContext } from '@dcos-cdk/core';
import { MarathonEmulator } from '../../../testing/src/emulator/index.js';
import type { MarathonEmulatorOptions } from '../../../testing/src/emulator/index.js';
import { DcosConnection } from '../../src/deploy/index.js';

export const TOKEN = 'tok-dcos-unit-5e6f7a8b';

export function ctx(over: Partial<DriverContext> = {}): DriverContext & { messages: string[] } {
  const messages: string[] = [];
  return { stack: 'demo', force: false, counters: { reads: 0, writes: 0 }, progress: (m) => messages.push(m), messages, ...over };
}

export function emulator(options: MarathonEmulatorOptions = {}): Promise<MarathonEmulator> {
  return MarathonEmulator.start({ deploymentDurationMs: 5, token: TOKEN, ...options });
}

export function connect(emu: MarathonEmulator, token: string | undefined = TOKEN): DcosConnection {
  return new DcosConnection({ url: emu.url, ...(token ? { token } : {}), timeoutMs: 300, retries: 3, retryBaseMs: 2 });
}

export async function raw(emu: MarathonEmulator, method: string, path: string, body?: unknown): Promise<number> {
  const r = await fetch(emu.url + path, { method, headers: { Authorization: `token=${TOKEN}`, 'Content-Type': 'application/json' }, ...(body ? { body: JSON.stringify(body) } : {}) });
  await r.text();
  return r.status;
}
