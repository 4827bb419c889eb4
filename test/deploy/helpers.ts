/* Shared helpers of the deploy end-to-end and fault suites. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { App } from '@dcos-cdk/core';
import { deployCommands } from '../../packages/cli/src/commands/index-deploy.js';
import type { DeployIo, DeployTuning } from '../../packages/cli/src/commands/index-deploy.js';
import { MarathonEmulator } from '../../packages/testing/src/emulator/index.js';
import type { MarathonEmulatorOptions } from '../../packages/testing/src/emulator/index.js';
import { buildStack } from '../../examples/ip-per-container/lib/stack.js';

export const repo = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const exampleDir = join(repo, 'examples', 'ip-per-container');

/** Kinds of the example that have no driver in these tests. */
export const SKIP = ['--skip-kinds', 'calico-policy,calico-profile,ec2-instance-attribute,mesos-dns-config'];

/** Short timings so the suites stay fast. */
export const FAST: DeployTuning = {
  pollIntervalMs: 3,
  requestTimeoutMs: 300,
  retries: 4,
  retryBaseMs: 3,
  progressIntervalMs: 20,
  deploymentTimeoutMs: 5000,
  lockWaitTimeoutMs: 3000,
  healthTimeoutMs: 3000,
};

/** Synthesizes the walkthrough example into a fresh folder; returns the bundle folder. */
export function synthExample(context: Record<string, unknown> = {}): string {
  const outdir = mkdtempSync(join(tmpdir(), 'dcos-cdk-deploy-e2e-'));
  const app = new App({ projectDir: exampleDir, outdir, context });
  buildStack(app);
  app.synth();
  return outdir;
}

/** An emulator with fast deployments. */
export function startEmulator(options: MarathonEmulatorOptions = {}): Promise<MarathonEmulator> {
  return MarathonEmulator.start({ deploymentDurationMs: 8, ...options });
}

/** Output of one command run. */
export interface Run {
  code: number;
  out: string[];
  err: string[];
  /** stdout + stderr joined. */
  all: string;
  /** Parsed stdout (with --json). */
  json: () => any;
}

/** Runs a cluster command in-process with an isolated environment. */
export async function run(
  command: keyof typeof deployCommands,
  args: string[],
  env: Record<string, string | undefined>,
  io: Partial<DeployIo> = {},
  onLine?: (line: string) => void,
): Promise<Run> {
  const out: string[] = [];
  const err: string[] = [];
  const sink = (list: string[]) => (l: string) => {
    list.push(l);
    onLine?.(l);
  };
  const code = await deployCommands[command].run(args, sink(out), sink(err), {
    env: { DCOS_DIR: mkdtempSync(join(tmpdir(), 'dcos-cdk-nodir-')), ...env },
    interactive: false,
    tuning: FAST,
    ...io,
  });
  return { code, out, err, all: [...out, ...err].join('\n'), json: () => JSON.parse(out.join('\n')) };
}

/** App ids and their definitions without volatile fields, to compare emulator states. */
export function snapshot(emu: MarathonEmulator): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const a of emu.state.apps()) {
    const { version, versionInfo, tasks, deployments, tasksRunning, tasksStaged, tasksHealthy, tasksUnhealthy, ...rest } = a as Record<string, unknown>;
    void version; void versionInfo; void tasks; void deployments; void tasksRunning; void tasksStaged; void tasksHealthy; void tasksUnhealthy;
    out[String(a.id)] = rest;
  }
  return out;
}

/** Waits until the emulator has no running deployment. */
export async function settled(emu: MarathonEmulator, timeoutMs = 2000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (emu.state.deployments().length > 0) {
    if (Date.now() > end) throw new Error('deployments did not settle');
    await new Promise((r) => setTimeout(r, 5));
  }
}
