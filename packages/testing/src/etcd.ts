import { spawn, type ChildProcess } from 'node:child_process';
import { accessSync, constants, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';

/** Options of {@link startEtcd}. */
export interface StartEtcdOptions {
  /** The etcd binary. @default `etcd` looked up on PATH */
  readonly binary?: string;
  /** How long to wait for `/health` after starting. @default 15000 */
  readonly startTimeoutMs?: number;
  /** Extra command-line flags. @default [] */
  readonly extraArgs?: readonly string[];
}

/** How {@link EtcdServer.stopTemporarily} stops the process. */
export interface StopOptions {
  /** `SIGKILL` simulates a crash; `SIGTERM` a clean stop. @default 'SIGKILL' */
  readonly signal?: 'SIGTERM' | 'SIGKILL';
}

/**
 * A single-member etcd started for a test: loopback client and peer ports
 * chosen free, the v2 API enabled, data in a temporary folder.
 */
export interface EtcdServer {
  /** Client URL, e.g. `http://127.0.0.1:41379`. */
  readonly clientUrl: string;
  /** `[clientUrl]`, the shape the Calico drivers take. */
  readonly endpoints: readonly string[];
  /** Temporary data folder (removed by {@link EtcdServer.stop}). */
  readonly dataDir: string;
  /** True while the process runs. */
  readonly running: boolean;
  /** Stops the process but keeps the data, for fault tests; {@link EtcdServer.restart} brings it back. */
  stopTemporarily(options?: StopOptions): Promise<void>;
  /** Starts the process again on the same ports and data, and waits until it is healthy. */
  restart(): Promise<void>;
  /** Kills the process and removes the data folder. Safe to call twice. */
  stop(): Promise<void>;
}

const INSTALL_HINT = "install Debian's etcd-server (apt-get install -y etcd-server)";

/** Processes still running, killed if the test process exits without stopping them. */
const running = new Set<ChildProcess>();
let exitHookInstalled = false;

function track(child: ChildProcess): void {
  running.add(child);
  child.once('exit', () => running.delete(child));
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once('exit', () => {
    for (const c of running) c.kill('SIGKILL');
  });
}

/**
 * Why an etcd cannot be started here, or `undefined` when one can. Tests
 * print it and `this.skip()` only when it is set.
 */
export function etcdUnavailableReason(binary = 'etcd'): string | undefined {
  return findExecutable(binary) ? undefined : `'${binary}' is not on PATH; ${INSTALL_HINT} to run the etcd tests.`;
}

/**
 * Starts etcd on free loopback ports with `--enable-v2=true` and waits
 * until `/health` answers. Resolves to `undefined` when etcd is not
 * installed (see {@link etcdUnavailableReason} for the reason).
 */
export async function startEtcd(options: StartEtcdOptions = {}): Promise<EtcdServer | undefined> {
  const binary = findExecutable(options.binary ?? 'etcd');
  if (!binary) return undefined;
  const timeout = options.startTimeoutMs ?? 15_000;
  let lastError: unknown;
  // A port found free can be taken before etcd binds it: try a few times.
  for (let attempt = 0; attempt < 3; attempt++) {
    const dataDir = mkdtempSync(join(tmpdir(), 'dcos-cdk-etcd-'));
    const [clientPort, peerPort] = await freePorts(2);
    const server = new LocalEtcd(binary, dataDir, clientPort!, peerPort!, options.extraArgs ?? [], timeout);
    try {
      await server.restart();
      return server;
    } catch (e) {
      lastError = e;
      await server.stop();
    }
  }
  throw new Error(`etcd did not start: ${(lastError as Error).message}`);
}

class LocalEtcd implements EtcdServer {
  public readonly clientUrl: string;
  public readonly endpoints: readonly string[];
  private child?: ChildProcess;
  private exited?: Promise<void>;
  private stderr = '';

  constructor(
    private readonly binary: string,
    public readonly dataDir: string,
    clientPort: number,
    private readonly peerPort: number,
    private readonly extraArgs: readonly string[],
    private readonly timeoutMs: number,
  ) {
    this.clientUrl = `http://127.0.0.1:${clientPort}`;
    this.endpoints = [this.clientUrl];
  }

  public get running(): boolean {
    return this.child !== undefined;
  }

  public async restart(): Promise<void> {
    if (this.child) return;
    const peerUrl = `http://127.0.0.1:${this.peerPort}`;
    const args = [
      '--name=test',
      `--data-dir=${this.dataDir}`,
      `--listen-client-urls=${this.clientUrl}`,
      `--advertise-client-urls=${this.clientUrl}`,
      `--listen-peer-urls=${peerUrl}`,
      `--initial-advertise-peer-urls=${peerUrl}`,
      `--initial-cluster=test=${peerUrl}`,
      '--enable-v2=true',
      // A single member elects itself after one election timeout: keep it short.
      '--heartbeat-interval=10',
      '--election-timeout=100',
      '--logger=zap',
      '--log-level=error',
      ...this.extraArgs,
    ];
    this.stderr = '';
    const child = spawn(this.binary, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    track(child);
    child.stderr!.on('data', (d: Buffer) => {
      this.stderr = (this.stderr + d.toString()).slice(-4000);
    });
    this.child = child;
    this.exited = new Promise((resolve) => {
      child.once('exit', () => {
        if (this.child === child) this.child = undefined;
        resolve();
      });
      child.once('error', () => {
        if (this.child === child) this.child = undefined;
        resolve();
      });
    });
    const deadline = Date.now() + this.timeoutMs;
    while (Date.now() < deadline) {
      if (!this.child) throw new Error(`etcd exited while starting: ${this.stderr.trim() || 'no output'}`);
      if (await this.healthy()) return;
      await sleep(50);
    }
    await this.stopTemporarily();
    throw new Error(`etcd at ${this.clientUrl} was not healthy after ${this.timeoutMs} ms: ${this.stderr.trim()}`);
  }

  public async stopTemporarily(options: StopOptions = {}): Promise<void> {
    const child = this.child;
    if (!child) return;
    child.kill(options.signal ?? 'SIGKILL');
    await this.exited;
  }

  public async stop(): Promise<void> {
    await this.stopTemporarily();
    rmSync(this.dataDir, { recursive: true, force: true });
  }

  private async healthy(): Promise<boolean> {
    try {
      const res = await fetch(`${this.clientUrl}/health`, { signal: AbortSignal.timeout(1000) });
      const body = (await res.json()) as { health?: string };
      return res.ok && body.health === 'true';
    } catch {
      return false;
    }
  }
}

function findExecutable(name: string): string | undefined {
  const candidates = name.includes('/') ? [name] : (process.env.PATH ?? '').split(delimiter).filter(Boolean).map((d) => join(d, name));
  for (const c of candidates) {
    try {
      accessSync(c, constants.X_OK);
      return c;
    } catch {
      // not here
    }
  }
  return undefined;
}

async function freePorts(n: number): Promise<number[]> {
  const servers = await Promise.all(
    Array.from(
      { length: n },
      () =>
        new Promise<ReturnType<typeof createServer>>((resolve, reject) => {
          const s = createServer();
          s.once('error', reject);
          s.listen(0, '127.0.0.1', () => resolve(s));
        }),
    ),
  );
  const ports = servers.map((s) => {
    const a = s.address();
    return typeof a === 'object' && a ? a.port : 0;
  });
  await Promise.all(servers.map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
  return ports;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
