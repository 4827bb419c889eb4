import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Shape } from './scenarios.js';
import type { WorkerResult } from './worker.js';

/** One measurement of one side. */
export interface Sample {
  /** Wall time of what is compared, ms. */
  readonly wallMs: number;
  /** CPU time (user + system), ms; less sensitive than wall time to other load on the machine. */
  readonly cpuMs?: number;
  /** Peak resident set size, MiB (the largest process, for a CLI that starts others). */
  readonly maxRssMiB?: number;
  /** Wall time per phase, ms. */
  readonly phases?: Readonly<Record<string, number>>;
}

const here = dirname(fileURLToPath(import.meta.url));
const GNU_TIME = '/usr/bin/time';

/**
 * Where outputs go: a tmpfs when there is one, so both tools are measured
 * writing to memory rather than to a shared disk (see docs/performance.md).
 */
export function defaultScratchRoot(): string {
  return existsSync('/dev/shm') ? '/dev/shm' : tmpdir();
}

/** A fresh empty folder under `root`, and a way to remove it. */
export function scratch(root: string, prefix: string): { readonly dir: string; dispose(): void } {
  const dir = mkdtempSync(join(root, `dcos-cdk-bench-${prefix}-`));
  return { dir, dispose: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Synthesizes `shape` with one tool in a fresh Node process (worker.js). */
export async function measureSynthesis(side: 'ours' | 'cdk8s', shape: Shape, scratchRoot: string): Promise<Sample> {
  const s = scratch(scratchRoot, side);
  try {
    const { stdout } = await run(process.execPath, [join(here, 'worker.js'), side, JSON.stringify(shape), join(s.dir, 'out')], { cwd: here });
    const r = JSON.parse(stdout.trim().split('\n').pop()!) as WorkerResult;
    const phases: Record<string, number> = { build: r.ms.build, synth: r.ms.synth };
    if (r.ms.write !== undefined) phases.write = r.ms.write;
    return { wallMs: r.ms.total, cpuMs: r.cpuMs, maxRssMiB: r.maxRssMiB, phases };
  } finally {
    s.dispose();
  }
}

/**
 * Runs a CLI from a cold start: a fresh process with an empty TMPDIR, so no
 * transform cache (tsx's lives there) is warm. Wall time is measured here;
 * CPU and peak memory come from GNU time when it is installed.
 */
export async function measureCli(
  command: string,
  args: (outdir: string) => readonly string[],
  cwd: string,
  scratchRoot: string,
  extraEnv: NodeJS.ProcessEnv = {},
): Promise<Sample> {
  const s = scratch(scratchRoot, 'cli');
  try {
    const tmp = join(s.dir, 'tmp');
    mkdirSync(tmp);
    const env = { ...process.env, ...extraEnv, TMPDIR: tmp };
    const timeFile = join(s.dir, 'time.txt');
    const useTime = existsSync(GNU_TIME);
    const cliArgs = args(join(s.dir, 'out'));
    const [cmd, argv] = useTime ? [GNU_TIME, ['-f', '%U %S %M', '-o', timeFile, command, ...cliArgs]] : [command, [...cliArgs]];
    const start = process.hrtime.bigint();
    await run(cmd, argv, { cwd, env });
    const wallMs = Number(process.hrtime.bigint() - start) / 1e6;
    if (!useTime) return { wallMs };
    const [user, sys, rssKb] = readFileSync(timeFile, 'utf8').trim().split('\n').pop()!.split(' ').map(Number);
    return { wallMs, cpuMs: (user! + sys!) * 1000, maxRssMiB: rssKb! / 1024 };
  } finally {
    s.dispose();
  }
}

/** Runs a command to completion; rejects with its output when it fails. */
export function run(command: string, args: readonly string[], options: { cwd: string; env?: NodeJS.ProcessEnv }): Promise<{ stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: options.cwd, env: options.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code === 0) resolve({ stdout, stderr });
      else reject(new Error(`${command} ${args.join(' ')} exited with ${code}:\n${stderr || stdout}`));
    });
  });
}
