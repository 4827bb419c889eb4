/**
 * npm run bench [-- --quick] [-- --only envs-100,cli-cold] [-- --scratch DIR]
 *
 * Runs each scenario with dcos-cdk and with cdk8s on the same shape, in the
 * same run, alternating, every measurement in a fresh process; prints medians,
 * peak memory and the ratio, checks the targets, compares with the
 * previous run, and writes everything to .bench/results.json.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defaultScratchRoot, measureCli, measureSynthesis, type Sample } from './measure.js';
import { objectCounts, scenarios, type Scenario } from './plan.js';
import { checkTargets, renderComparison, renderPhases, renderTable, renderTargets, summarize, type ScenarioResult } from './report.js';
import { runExtras, type ExtraResult } from './extras.js';

const here = dirname(fileURLToPath(import.meta.url));
const benchDir = resolve(here, '..');
const repo = resolve(benchDir, '../..');
const bin = join(repo, 'node_modules', '.bin');
const resultsDir = join(repo, '.bench');

interface Options {
  readonly quick: boolean;
  readonly only?: ReadonlySet<string>;
  readonly scratch: string;
}

function parseArgs(argv: readonly string[]): Options {
  let quick = false;
  let only: Set<string> | undefined;
  let scratch = defaultScratchRoot();
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--quick') quick = true;
    else if (a === '--only') only = new Set(argv[++i]?.split(',') ?? []);
    else if (a === '--scratch') scratch = resolve(argv[++i] ?? '.');
    else if (a === '--help' || a === '-h') {
      process.stdout.write('npm run bench [-- --quick] [--only id,id] [--scratch DIR]\n');
      process.exit(0);
    } else throw new Error(`Unknown option ${a}; use --quick, --only id,id or --scratch DIR.`);
  }
  return { quick, only, scratch };
}

function progress(line: string): void {
  process.stderr.write(`${line}\n`);
}

/** Runs one side once. */
function measure(s: Scenario, side: 'ours' | 'cdk8s', scratch: string): Promise<Sample> {
  if (s.kind === 'synthesis') return measureSynthesis(side, s.shape, scratch);
  // Both CLIs run as an npm script would run them: the workspace's bin folder on PATH.
  const env = { PATH: `${bin}:${process.env.PATH ?? ''}` };
  return side === 'ours'
    ? measureCli(join(bin, 'dcos-cdk'), (out) => ['synth', '--output', out], join(repo, 'examples', 'ip-per-container'), scratch, env)
    : measureCli(join(bin, 'cdk8s'), (out) => ['synth', '--check-upgrade=false', '--output', out], join(benchDir, 'cdk8s-app'), scratch, env);
}

/** Alternates the two sides (and which goes first) so drift on the machine hits both. */
async function runScenario(s: Scenario, scratch: string): Promise<ScenarioResult> {
  const ours: Sample[] = [];
  const cdk8s: Sample[] = [];
  const rounds = Math.max(s.runs.ours, s.runs.cdk8s);
  for (let i = 0; i < rounds; i++) {
    const order: Array<'ours' | 'cdk8s'> = i % 2 === 0 ? ['ours', 'cdk8s'] : ['cdk8s', 'ours'];
    for (const side of order) {
      const list = side === 'ours' ? ours : cdk8s;
      if (list.length >= s.runs[side]) continue;
      const sample = await measure(s, side, scratch);
      list.push(sample);
      progress(`  ${s.id} ${side === 'ours' ? 'dcos-cdk' : 'cdk8s   '} ${list.length}/${s.runs[side]}: ${(sample.wallMs / 1000).toFixed(3)} s`);
    }
  }
  const o = summarize(ours);
  const c = cdk8s.length ? summarize(cdk8s) : undefined;
  return { id: s.id, title: s.title, objects: objectCounts(s), ours: o, cdk8s: c, ratio: c ? c.medianMs / o.medianMs : undefined };
}

function machine(scratch: string): Record<string, unknown> {
  const cdk8sVersion = (JSON.parse(readFileSync(join(repo, 'node_modules', 'cdk8s', 'package.json'), 'utf8')) as { version: string }).version;
  const cliVersion = (JSON.parse(readFileSync(join(repo, 'node_modules', 'cdk8s-cli', 'package.json'), 'utf8')) as { version: string }).version;
  const git = (args: string[]) => {
    try {
      return execFileSync('git', args, { cwd: repo, encoding: 'utf8' }).trim();
    } catch {
      return undefined;
    }
  };
  return {
    cpu: cpus()[0]?.model,
    cores: cpus().length,
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    platform: `${process.platform} ${process.arch}`,
    node: process.version,
    cdk8s: cdk8sVersion,
    cdk8sCli: cliVersion,
    commit: git(['rev-parse', '--short', 'HEAD']),
    dirty: (git(['status', '--porcelain', '--untracked-files=no']) ?? '').length > 0,
    scratch,
  };
}

async function main(): Promise<void> {
  const o = parseArgs(process.argv.slice(2));
  const plan = scenarios(o.quick).filter((s) => !o.only || o.only.has(s.id));
  const started = new Date();
  const load = loadavg();
  const info = machine(o.scratch);
  progress(`dcos-cdk vs cdk8s ${String(info.cdk8s)}${o.quick ? ' (--quick)' : ''}; outputs written under ${o.scratch}`);
  const results: ScenarioResult[] = [];
  for (const s of plan) {
    progress(`${s.title}:`);
    results.push(await runScenario(s, o.scratch));
  }
  const extras: ExtraResult[] = o.only ? [] : await runExtras(here, o.quick, progress);

  const resultsFile = join(resultsDir, 'results.json');
  const previous = existsSync(resultsFile) ? (JSON.parse(readFileSync(resultsFile, 'utf8')) as { scenarios?: ScenarioResult[]; date?: string }) : undefined;
  const checks = [
    ...checkTargets(results),
    ...extras.flatMap((e) => e.measures.map((m) => ({ target: `${e.name} ${m.label} <= ${m.targetMs} ms`, measured: `${m.medianMs} ms`, met: m.met }))),
  ];
  const out: string[] = [
    '',
    `dcos-cdk vs cdk8s ${String(info.cdk8s)} on ${String(info.cores)} x ${String(info.cpu)}, Node ${process.version}${o.quick ? ', --quick' : ''}`,
    'Medians of fresh processes, the two tools alternating; time = building the tree + synthesizing + writing the output;',
    `ratio = cdk8s / dcos-cdk; cpu = user + system time of the process. Outputs go to ${o.scratch}.`,
    ...results.filter((r) => r.cdk8s && r.cdk8s.runs < r.ours.runs).map((r) => `${r.title}: cdk8s ran ${r.cdk8s!.runs} time(s), dcos-cdk ${r.ours.runs} (cdk8s is the slow side).`),
    `Load average (1 min) at start ${load[0]!.toFixed(1)}, at end ${loadavg()[0]!.toFixed(1)}, on ${String(info.cores)} cores: other work on the machine slows both tools.`,
    '',
    renderTable(results),
    '',
    renderPhases(results),
    '',
    renderTargets(checks),
  ];
  for (const e of extras) out.push('', `${e.name} (its own report):`, e.output.trimEnd());
  if (previous?.scenarios) {
    const cmp = renderComparison(results, previous.scenarios);
    if (cmp) out.push('', `Compared with the previous run (${previous.date ?? 'unknown date'}):`, cmp);
  }
  mkdirSync(resultsDir, { recursive: true });
  if (existsSync(resultsFile)) copyFileSync(resultsFile, join(resultsDir, 'results.previous.json'));
  const loadAverage = { start: load[0], end: loadavg()[0] };
  writeFileSync(resultsFile, JSON.stringify({ date: started.toISOString(), quick: o.quick, machine: info, loadAverage, scenarios: results, targets: checks, extras }, null, 2) + '\n');
  out.push('', `Results written to ${resultsFile}.`);
  process.stdout.write(out.join('\n') + '\n');
}

main().catch((e: unknown) => {
  process.stderr.write(`${(e as Error)?.stack ?? String(e)}\n`);
  process.exitCode = 1;
});
