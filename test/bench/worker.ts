/**
 * One measurement in a fresh process: builds the shape with one tool,
 * synthesizes it and writes the output to a folder, then prints one JSON line
 * with the phase times and the peak memory of the process.
 *
 *   node worker.js <ours|cdk8s> '<shape json>' <outdir>
 */
import { performance } from 'node:perf_hooks';
import { OUR_CLUSTER_RESOURCES, resourceCount, type Shape } from './scenarios.js';

/** What a worker prints. */
export interface WorkerResult {
  /** Milliseconds per phase; `total` is what the comparison uses. */
  readonly ms: { readonly build: number; readonly synth: number; readonly write?: number; readonly total: number };
  /** CPU time (user + system) of the process over the same span, ms. */
  readonly cpuMs: number;
  /** Peak resident set size of the process, MiB. */
  readonly maxRssMiB: number;
  /** Objects the tool emitted (artifacts, or Kubernetes objects). */
  readonly emitted: number;
}

async function main(): Promise<WorkerResult> {
  const [side, shapeJson, outdir] = process.argv.slice(2);
  if ((side !== 'ours' && side !== 'cdk8s') || !shapeJson || !outdir) throw new Error('usage: worker.js <ours|cdk8s> <shape json> <outdir>');
  const shape = JSON.parse(shapeJson) as Shape;
  return side === 'ours' ? runOurs(shape, outdir) : runCdk8s(shape, outdir);
}

async function runOurs(shape: Shape, outdir: string): Promise<WorkerResult> {
  const { App, synthesizeTree, writeBundle } = await import('@dcos-cdk/core');
  const { buildOurs } = await import('./ours-stack.js');
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  // Synthesis proper: the connectivity analysis that synth also runs (below 5,000 apps) is
  // measured by analysis.ts; left on, N = 1,000 would analyze and N = 5,000 would not.
  const app = new App({ projectDir: false, outdir, context: { 'dcos-cdk:analyzeAtSynth': false } });
  buildOurs(app, shape);
  const t1 = performance.now();
  const bundle = synthesizeTree(app);
  const t2 = performance.now();
  writeBundle(bundle, app.outdir);
  const t3 = performance.now();
  const expected = resourceCount(shape) + OUR_CLUSTER_RESOURCES;
  if (bundle.artifacts.length !== expected) throw new Error(`dcos-cdk emitted ${bundle.artifacts.length} artifacts, expected ${expected}`);
  return { ms: { build: t1 - t0, synth: t2 - t1, write: t3 - t2, total: t3 - t0 }, cpuMs: cpuSince(c0), maxRssMiB: maxRss(), emitted: bundle.artifacts.length };
}

async function runCdk8s(shape: Shape, outdir: string): Promise<WorkerResult> {
  const { App } = await import('cdk8s');
  const { buildCdk8s } = await import('./cdk8s-stack.js');
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const app = new App({ outdir });
  buildCdk8s(app, shape);
  const t1 = performance.now();
  // cdk8s validates, resolves and writes in one call.
  app.synth();
  const t2 = performance.now();
  const emitted = app.charts.reduce((n, c) => n + c.apiObjects.length, 0);
  if (emitted !== resourceCount(shape)) throw new Error(`cdk8s emitted ${emitted} objects, expected ${resourceCount(shape)}`);
  return { ms: { build: t1 - t0, synth: t2 - t1, total: t2 - t0 }, cpuMs: cpuSince(c0), maxRssMiB: maxRss(), emitted };
}

function cpuSince(start: NodeJS.CpuUsage): number {
  const d = process.cpuUsage(start);
  return (d.user + d.system) / 1000;
}

function maxRss(): number {
  return process.resourceUsage().maxRSS / 1024;
}

main().then(
  (r) => process.stdout.write(JSON.stringify(r) + '\n'),
  (e: unknown) => {
    process.stderr.write(`${(e as Error)?.stack ?? String(e)}\n`);
    process.exitCode = 1;
  },
);
