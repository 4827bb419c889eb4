/**
 * Benchmark of deploy (not a mocha test). Run:
 *
 *     node --import tsx --conditions=dcos-cdk-source test/bench/deploy.ts [--quick] [--envs N]
 *
 * The walkthrough example scaled to 333 environments (999 apps, 1,332 policies, the
 * profile and two packages), deployed with `dcos-cdk deploy` (in-process) against the
 * Marathon + Cosmos emulator answering every request after 10 ms, and a real etcd for the
 * calico-* artifacts:
 *
 * (a) first deploy                      target ≤ 5 s
 * (b) no-op redeploy, zero writes       target ≤ 1 s
 *
 * The approval check and the make-before-break order are left out (`--require-approval
 * never`, no order hook): they are analysis costs, measured by analysis.ts.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App } from '@dcos-cdk/core';
import { MarathonEmulator, etcdUnavailableReason, startEtcd } from '@dcos-cdk/testing';
import { deployCommands, DEPLOY_HOOKS } from '../../packages/cli/src/commands/index-deploy.js';
import { buildOurs } from './ours-stack.js';

const argv = process.argv.slice(2);
const quick = argv.includes('--quick');
const envsArg = argv.indexOf('--envs');
const envs = envsArg >= 0 ? Number(argv[envsArg + 1]) : 333;
const TOKEN = 'bench-token';

function synth(): string {
  const outdir = join(mkdtempSync(join(tmpdir(), 'bench-deploy-')), 'dcos.out');
  const app = new App({ outdir });
  buildOurs(app, { kind: 'environments', environments: envs });
  app.synth();
  return outdir;
}

interface Summary {
  readonly ms: number;
  readonly code: number;
  readonly json: { requests?: { reads: number; writes: number }; planned?: Record<string, number>; status?: string };
  readonly err: string;
}

async function main(): Promise<void> {
  const why = etcdUnavailableReason();
  if (why) {
    console.log(`skipped: ${why}`);
    return;
  }
  DEPLOY_HOOKS.orderChanges = undefined;
  const bundle = synth();
  const runs = quick ? 1 : 3;
  const first: number[] = [];
  const noop: number[] = [];
  let last: Summary | undefined;
  for (let i = 0; i < runs; i++) {
    const etcd = (await startEtcd())!;
    const emu = await MarathonEmulator.start({ marathonVersion: '1.4', token: TOKEN, latencyMs: 10, deploymentDurationMs: 20 });
    try {
      const deploy = async (): Promise<Summary> => {
        const out: string[] = [];
        const err: string[] = [];
        const t0 = performance.now();
        const code = await deployCommands.deploy.run(
          [bundle, '--etcd-endpoints', etcd.clientUrl, '--require-approval', 'never', '--json'],
          (l) => out.push(l),
          (l) => err.push(l),
          {
            env: { DCOS_URL: emu.url, DCOS_ACS_TOKEN: TOKEN, DCOS_DIR: mkdtempSync(join(tmpdir(), 'bench-deploy-dcos-')) },
            interactive: false,
            tuning: { pollIntervalMs: 10, requestTimeoutMs: 30000, retries: 2, retryBaseMs: 10, progressIntervalMs: 1000, deploymentTimeoutMs: 60000, lockWaitTimeoutMs: 60000, healthTimeoutMs: 60000 },
          },
        );
        const ms = performance.now() - t0;
        return { ms, code, json: JSON.parse(out.join('\n')) as Summary['json'], err: err.slice(-3).join('\n') };
      };
      const a = await deploy();
      if (a.code !== 0) throw new Error(`first deploy failed (exit ${a.code}): ${a.err}`);
      const b = await deploy();
      if (b.code !== 0) throw new Error(`redeploy failed (exit ${b.code}): ${b.err}`);
      first.push(a.ms);
      noop.push(b.ms);
      last = b;
      console.log(`run ${i + 1}: first ${a.ms.toFixed(0)} ms (${JSON.stringify(a.json.requests)}), no-op ${b.ms.toFixed(0)} ms (${JSON.stringify(b.json.requests)}, ${b.json.status})`);
    } finally {
      await emu.stop();
      await etcd.stop();
    }
  }
  const median = (xs: number[]): number => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)]!;
  const writes = last?.json.requests?.writes ?? -1;
  const line = (label: string, ms: number, target: number, ok: boolean, extra = ''): void =>
    console.log(`${label.padEnd(52)} median ${ms.toFixed(0).padStart(8)} ms ${extra} target ${target} ms ${ok ? 'OK' : 'MISSED'}`);
  console.log(`${envs} environments: ${envs * 3} apps, ${envs * 4} policies; emulator latency 10 ms per request`);
  line('(a) first deploy', median(first), 5000, median(first) <= 5000);
  line('(b) no-op redeploy', median(noop), 1000, median(noop) <= 1000 && writes === 0, `(${writes} writes)`);
}

main().catch((e: unknown) => {
  console.error((e as Error).stack ?? String(e));
  process.exitCode = 1;
});
