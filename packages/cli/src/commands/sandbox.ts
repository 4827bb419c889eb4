/**
 * `dcos-cdk sandbox`: a local cluster to deploy to. Starts the Marathon +
 * Cosmos emulator of `@dcos-cdk/testing` on loopback and, when `etcd` is on
 * PATH, a throwaway etcd with the v2 API; prints the URLs and how to point
 * `deploy` at them; runs until Ctrl-C.
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { accessSync, constants, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { delimiter, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { readBundle, readProjectConfig } from '@dcos-cdk/core';
import { CliError, EXIT } from '../errors.js';
import { DRIVER_FACTORIES } from '../deploy-setup.js';
import type { DeployIo } from '../deploy-setup.js';
import type { Line } from './deploy-output.js';

/** Help of `dcos-cdk sandbox`. */
export const SANDBOX_USAGE = `Usage: dcos-cdk sandbox [options]

Runs a local stand-in for a DC/OS cluster until Ctrl-C: the project's Marathon + Cosmos emulator
(Admin Router paths /service/marathon and /package) and, when 'etcd' is on PATH, an etcd with the
v2 API for Calico. Prints the environment to use with diff, deploy and destroy.

Options:
      --port <n>                 emulator port (default: a free one)
      --marathon-version <v>     1.4 or 1.5 (default: the bundle's, else 1.5)
      --auth                     require a token (a random one, printed for this sandbox only)
      --no-etcd                  do not start etcd
      --deployment-ms <n>        how long emulated deployments take (default 1500)
      --json                     print the URLs and environment as one JSON object`;

/** The emulator as the sandbox uses it (structural, so the CLI does not need the testing package to build). */
interface Emulator {
  readonly url: string;
  stop(): Promise<void>;
}
interface EmulatorModule {
  MarathonEmulator?: { start(options: Record<string, unknown>): Promise<Emulator> };
}

function onPath(name: string, env: Readonly<Record<string, string | undefined>>): string | undefined {
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    if (!dir) continue;
    const file = join(dir, name);
    try {
      accessSync(file, constants.X_OK);
      return file;
    } catch {
      // not here
    }
  }
  return undefined;
}

/** A free TCP port on loopback. */
export function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const s = createServer();
    s.once('error', rej);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => res(port));
    });
  });
}

async function waitForEtcd(url: string, child: ChildProcess, timeoutMs: number): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (child.exitCode !== null) throw new Error(`etcd exited with code ${child.exitCode} at start`);
    try {
      const r = await fetch(`${url}/version`);
      if (r.ok) return;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`etcd did not answer on ${url} within ${timeoutMs / 1000}s`);
}

/** Starts etcd with the v2 API on free loopback ports. */
async function startEtcd(binary: string): Promise<{ url: string; stop: () => Promise<void> }> {
  const [client, peer] = [await freePort(), await freePort()];
  const dataDir = mkdtempSync(join(tmpdir(), 'dcos-cdk-sandbox-etcd-'));
  const url = `http://127.0.0.1:${client}`;
  const child = spawn(
    binary,
    ['--enable-v2=true', '--data-dir', dataDir, '--listen-client-urls', url, '--advertise-client-urls', url, '--listen-peer-urls', `http://127.0.0.1:${peer}`],
    { stdio: 'ignore' },
  );
  const stop = async (): Promise<void> => {
    if (child.exitCode === null) {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 3000))]);
      if (child.exitCode === null) child.kill('SIGKILL');
    }
    rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    await waitForEtcd(url, child, 15_000);
  } catch (e) {
    await stop();
    throw e;
  }
  return { url, stop };
}

/** Runs `dcos-cdk sandbox` until Ctrl-C (or `io.signal`); returns the exit code. */
export async function sandboxCommand(argv: readonly string[], out: Line, err: Line, io: DeployIo = {}): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      options: {
        port: { type: 'string' },
        'marathon-version': { type: 'string' },
        auth: { type: 'boolean', default: false },
        'no-etcd': { type: 'boolean', default: false },
        'deployment-ms': { type: 'string' },
        json: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
  } catch (e) {
    err(`error: ${(e as Error).message} (see 'dcos-cdk sandbox --help')`);
    return EXIT.usage;
  }
  const v = parsed.values;
  if (v.help) {
    out(SANDBOX_USAGE);
    return EXIT.ok;
  }
  const env = io.env ?? process.env;
  const cwd = io.cwd ?? process.cwd();
  const cleanups: Array<() => Promise<void>> = [];
  try {
    const bundleDir = resolve(cwd, readProjectConfig(cwd).output ?? 'dcos.out');
    const bundle = existsSync(join(bundleDir, 'manifest.json')) ? readBundle(bundleDir) : undefined;
    const bundleVersion = bundle?.manifest.targets.marathon;
    const version = v['marathon-version'] ?? (bundleVersion === undefined ? '1.5' : bundleVersion === '1.4' ? '1.4' : '1.5');
    if (version !== '1.4' && version !== '1.5') throw new CliError(`--marathon-version must be 1.4 or 1.5, not '${version}'.`, EXIT.usage);
    const port = v.port === undefined ? 0 : Number(v.port);
    if (!Number.isInteger(port) || port < 0 || port > 65535) throw new CliError(`--port must be a TCP port number.`, EXIT.usage);
    const deploymentMs = v['deployment-ms'] === undefined ? 1500 : Number(v['deployment-ms']);
    if (!Number.isFinite(deploymentMs) || deploymentMs < 0) throw new CliError('--deployment-ms must be a number of milliseconds.', EXIT.usage);

    const spec = '@dcos-cdk/testing';
    const mod = (await import(spec)) as EmulatorModule;
    if (!mod.MarathonEmulator) throw new CliError('The sandbox needs the Marathon emulator of @dcos-cdk/testing, which this installation does not export.', EXIT.internal);
    const token = v.auth ? randomBytes(24).toString('base64url') : undefined;
    const emulator = await mod.MarathonEmulator.start({ host: '127.0.0.1', port, marathonVersion: version, deploymentDurationMs: deploymentMs, ...(token ? { token } : {}) });
    cleanups.push(() => emulator.stop());

    let etcdUrl: string | undefined;
    const etcdBinary = v['no-etcd'] ? undefined : onPath('etcd', env);
    if (etcdBinary) {
      const etcd = await startEtcd(etcdBinary);
      cleanups.push(etcd.stop);
      etcdUrl = etcd.url;
    }

    const handled = new Set(DRIVER_FACTORIES.filter((f) => f.kinds.some((k) => k.startsWith('marathon') || k === 'dcos-package')).flatMap((f) => f.kinds));
    const skip = bundle ? [...new Set(bundle.manifest.artifacts.map((a) => a.kind).filter((k) => !handled.has(k) && !(etcdUrl && k.startsWith('calico-'))))] : [];
    const deployArgs = [...(etcdUrl ? [`--etcd-endpoints ${etcdUrl}`] : []), ...(skip.length ? [`--skip-kinds ${skip.join(',')}`] : [])].join(' ');
    const envVars: Record<string, string> = { DCOS_URL: emulator.url, ...(token ? { DCOS_ACS_TOKEN: token } : {}) };
    if (v.json) {
      out(JSON.stringify({ emulatorUrl: emulator.url, marathonVersion: version, ...(etcdUrl ? { etcdUrl } : {}), env: envVars, deployArgs }));
    } else {
      out(`dcos-cdk sandbox is running (Ctrl-C to stop).`);
      out(`  Marathon ${version} + Cosmos emulator: ${emulator.url}  (Admin Router paths /service/marathon, /package)`);
      out(etcdUrl ? `  etcd with the v2 API:             ${etcdUrl}` : `  etcd: not started (${v['no-etcd'] ? '--no-etcd' : "no 'etcd' on PATH"})`);
      out(`Point deploy at it from another shell:`);
      for (const [k, val] of Object.entries(envVars)) out(`  export ${k}=${val}`);
      out(`  dcos-cdk diff ${deployArgs}`.trimEnd());
      out(`  dcos-cdk deploy ${deployArgs}`.trimEnd());
      if (token) out(`(The token above is a random one for this sandbox only.)`);
    }

    await new Promise<void>((res) => {
      const stop = (): void => {
        process.off('SIGINT', stop);
        process.off('SIGTERM', stop);
        res();
      };
      process.on('SIGINT', stop);
      process.on('SIGTERM', stop);
      if (io.signal?.aborted) stop();
      io.signal?.addEventListener('abort', stop, { once: true });
    });
    if (!v.json) out('Stopping the sandbox.');
    return EXIT.ok;
  } catch (e) {
    err(`error: ${(e as Error).message}`);
    return e instanceof CliError ? e.exitCode : EXIT.internal;
  } finally {
    for (const c of cleanups.reverse()) await c().catch(() => undefined);
  }
}
