/**
 * Rolling restarts: at most N nodes at a time, each restarted with
 * `systemctl restart` and waited for until its service answers again
 * (Mesos-DNS on its HTTP port, agents re-registered with the master).
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { Duplex } from 'node:stream';
import type { RequestCounters } from '@dcos-cdk/core';
import { NodeSettingsError, problemOf } from './node-errors.js';
import { fetchAgentRegistrations, type AdminRouterConnection, type AgentRegistration } from './nodes.js';
import { runScript, shellQuote } from './remote-file.js';
import type { RemoteShell } from './ssh.js';

/** How long to wait, and how often to look. */
export interface WaitOptions {
  /** Give up after this long. */
  readonly timeoutMs: number;
  /** Pause between two looks. */
  readonly intervalMs: number;
  /** Aborts the wait. */
  readonly signal?: AbortSignal;
}

/**
 * Calls `probe` until it returns a value. A probe that throws counts as "not
 * yet"; its message is reported if time runs out.
 */
export async function pollUntil<T>(what: string, probe: () => Promise<T | undefined>, opts: WaitOptions): Promise<T> {
  const deadline = Date.now() + opts.timeoutMs;
  let last = '';
  for (;;) {
    if (opts.signal?.aborted) throw new Error(`Aborted while waiting for ${what}.`);
    try {
      const v = await probe();
      if (v !== undefined) return v;
    } catch (e) {
      last = problemOf(e);
    }
    if (Date.now() >= deadline) throw new Error(`timed out after ${Math.round(opts.timeoutMs / 1000)} s waiting for ${what}${last ? ` (last error: ${last})` : ''}`);
    try {
      await sleep(opts.intervalMs, undefined, opts.signal ? { signal: opts.signal } : {});
    } catch {
      throw new Error(`Aborted while waiting for ${what}.`);
    }
  }
}

/**
 * Runs `step` over `items`, at most `maxUnavailable` at once, in order. After
 * the first failure no new item starts; the ones running finish, then the
 * failure is thrown (all of them, when several failed).
 */
export async function rollOut<T>(items: readonly T[], maxUnavailable: number, step: (item: T) => Promise<void>, signal?: AbortSignal): Promise<void> {
  const width = Math.max(1, Math.floor(maxUnavailable));
  const errors: unknown[] = [];
  let next = 0;
  const worker = async (): Promise<void> => {
    while (errors.length === 0 && next < items.length) {
      if (signal?.aborted) {
        errors.push(new Error('Aborted: the remaining nodes were not changed; deploy again to continue.'));
        return;
      }
      const item = items[next++] as T;
      try {
        await step(item);
      } catch (e) {
        errors.push(e);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(width, items.length) }, worker));
  if (errors.length === 1) throw errors[0];
  if (errors.length > 1) throw new NodeSettingsError({}, errors.map((e) => (e as Error).message).join('\n'), '');
}

function oneLine(text: string): string {
  return text.trim().split(/\s*\n\s*/).join(' ');
}

/** `systemctl restart <unit>` on the node; throws with systemctl's words when it fails. */
export async function restartService(shell: RemoteShell, sudo: boolean, unit: string, counters?: RequestCounters): Promise<void> {
  if (counters) counters.writes++;
  const r = await runScript(shell, sudo, `systemctl restart ${shellQuote(unit)}`);
  if (r.code !== 0) {
    throw new NodeSettingsError({ node: shell.node }, `'systemctl restart ${unit}' failed (${oneLine(r.stderr) || `exit status ${r.code}`}).`, `Look at 'journalctl -u ${unit}' on the node.`);
  }
}

/** Waits until `systemctl is-active <unit>` says active. */
export async function waitForUnitActive(shell: RemoteShell, sudo: boolean, unit: string, opts: WaitOptions): Promise<void> {
  await pollUntil(
    `${unit} to be active`,
    async () => {
      const r = await runScript(shell, sudo, `systemctl is-active ${shellQuote(unit)}`);
      if (r.code === 0) return true;
      throw new Error(`${unit} is ${r.stdout.trim() || 'not active'}`);
    },
    opts,
  );
}

function httpStatus(stream: Duplex, host: string, path: string, timeoutMs: number): Promise<number> {
  return new Promise((resolve, reject) => {
    let buf = '';
    const timer = setTimeout(() => {
      stream.destroy();
      reject(new Error('no HTTP answer'));
    }, timeoutMs);
    stream.setEncoding('utf8');
    stream.on('data', (chunk: string) => {
      buf += chunk;
      const m = /^HTTP\/1\.[01] (\d{3})/.exec(buf);
      if (m) {
        clearTimeout(timer);
        stream.destroy();
        resolve(Number(m[1]));
      }
    });
    stream.on('error', (e: Error) => {
      clearTimeout(timer);
      reject(e);
    });
    stream.on('close', () => {
      clearTimeout(timer);
      reject(new Error('connection closed without an HTTP answer'));
    });
    stream.write(`GET ${path} HTTP/1.0\r\nHost: ${host}\r\nConnection: close\r\n\r\n`);
  });
}

/**
 * Waits until Mesos-DNS answers `GET /v1/version` with 200 on its HTTP port,
 * reached from the node itself through the SSH connection (or with `curl` on
 * the node when its sshd forbids TCP forwarding).
 */
export async function waitForMesosDns(shell: RemoteShell, address: { readonly host: string; readonly port: number }, opts: WaitOptions & { readonly sudo?: boolean }): Promise<void> {
  let forwarding = true;
  const url = `http://${address.host}:${address.port}/v1/version`;
  await pollUntil(
    `Mesos-DNS to answer on ${address.host}:${address.port}`,
    async () => {
      let status: number;
      if (forwarding) {
        try {
          const stream = await shell.openTcp(address.host, address.port);
          status = await httpStatus(stream, `${address.host}:${address.port}`, '/v1/version', Math.max(1000, opts.intervalMs * 4));
        } catch (e) {
          // SSH_OPEN_ADMINISTRATIVELY_PROHIBITED: the node's sshd allows no TCP forwarding.
          if ((e as { reason?: unknown }).reason !== 1 && !/prohibited/i.test((e as Error).message)) throw e;
          forwarding = false;
          return undefined;
        }
      } else {
        const r = await runScript(shell, opts.sudo ?? false, `curl -s -o /dev/null -m 5 -w '%{http_code}' ${shellQuote(url)}`);
        status = Number(r.stdout.trim()) || 0;
        if (status === 0) throw new Error(`curl ${url} failed (${oneLine(r.stderr) || `exit status ${r.code}`})`);
      }
      if (status === 200) return true;
      throw new Error(`GET /v1/version answered ${status}`);
    },
    opts,
  );
}

/**
 * Waits until the agent is back in Mesos state, active, and registered anew:
 * seen away since the restart, or with a new id or registration time.
 */
export async function waitForAgent(
  conn: AdminRouterConnection,
  hostname: string,
  before: AgentRegistration | undefined,
  opts: WaitOptions & { readonly counters?: RequestCounters },
): Promise<void> {
  let sawAway = false;
  await pollUntil(
    `agent ${hostname} to re-register with the Mesos master`,
    async () => {
      const regs = await fetchAgentRegistrations(conn, { ...(opts.counters ? { counters: opts.counters } : {}), ...(opts.signal ? { signal: opts.signal } : {}) });
      const r = regs.find((x) => x.hostname === hostname);
      if (!r?.active) {
        sawAway = true;
        throw new Error(r ? 'agent is not active' : 'agent is not registered');
      }
      const renewed = !before || sawAway || r.id !== before.id || r.registeredTime !== before.registeredTime || r.reregisteredTime !== before.reregisteredTime;
      if (!renewed) throw new Error('agent has not re-registered yet');
      return r;
    },
    opts,
  );
}
