import type { Sample } from './measure.js';

/** Medians (and the peak memory) of one side's samples. */
export interface Summary {
  readonly runs: number;
  /** Median wall time, ms. */
  readonly medianMs: number;
  readonly minMs: number;
  readonly maxMs: number;
  /** Median CPU time, ms, when measured. */
  readonly medianCpuMs?: number;
  /** Highest peak RSS over the runs, MiB, when measured. */
  readonly peakRssMiB?: number;
  /** Median wall time per phase, ms. */
  readonly phasesMs?: Readonly<Record<string, number>>;
  readonly samples: readonly Sample[];
}

/** One scenario's outcome. */
export interface ScenarioResult {
  readonly id: string;
  readonly title: string;
  readonly objects: { readonly ours: string; readonly cdk8s: string };
  readonly ours: Summary;
  readonly cdk8s?: Summary;
  /** cdk8s median wall time / ours. */
  readonly ratio?: number;
}

/** One target of the issue, checked against this run. */
export interface TargetCheck {
  readonly target: string;
  readonly measured: string;
  /** Undefined when this run did not measure it (e.g. --quick). */
  readonly met?: boolean;
}

export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

export function summarize(samples: readonly Sample[]): Summary {
  const wall = samples.map((s) => s.wallMs);
  const cpu = samples.flatMap((s) => (s.cpuMs === undefined ? [] : [s.cpuMs]));
  const rss = samples.flatMap((s) => (s.maxRssMiB === undefined ? [] : [s.maxRssMiB]));
  const phaseNames = [...new Set(samples.flatMap((s) => Object.keys(s.phases ?? {})))];
  const phasesMs = phaseNames.length ? Object.fromEntries(phaseNames.map((p) => [p, median(samples.map((s) => s.phases?.[p] ?? 0))])) : undefined;
  return {
    runs: samples.length,
    medianMs: median(wall),
    minMs: Math.min(...wall),
    maxMs: Math.max(...wall),
    medianCpuMs: cpu.length ? median(cpu) : undefined,
    peakRssMiB: rss.length ? Math.max(...rss) : undefined,
    phasesMs,
    samples,
  };
}

/** Checks the targets against the results that were measured. */
export function checkTargets(results: readonly ScenarioResult[]): TargetCheck[] {
  const by = (id: string) => results.find((r) => r.id === id);
  const checks: TargetCheck[] = [];
  const big = by('envs-5000');
  const mid = by('envs-1000');
  const one = by('one-env-20k');
  const cli = by('cli-cold');
  if (big) {
    checks.push({ target: 'N = 5,000 (35,000 resources) in <= 2 s', measured: withCpu(big.ours), met: big.ours.medianMs <= 2000 });
    if (big.ours.peakRssMiB !== undefined) checks.push({ target: 'N = 5,000 peak memory <= 400 MiB', measured: `${big.ours.peakRssMiB.toFixed(0)} MiB`, met: big.ours.peakRssMiB <= 400 });
    checks.push(ratioCheck('N = 5,000 at least 50x faster than cdk8s', big, 50));
  }
  if (one) checks.push(ratioCheck('20,002-resource environment at least 3x faster than cdk8s', one, 3));
  if (big && mid) {
    const growth = big.ours.medianMs / mid.ours.medianMs;
    checks.push({ target: 'linear: N = 5,000 takes <= 6x N = 1,000', measured: `${growth.toFixed(2)}x`, met: growth <= 6 });
  }
  if (cli) {
    checks.push({ target: 'dcos-cdk synth of the example, cold, <= 0.6 s', measured: withCpu(cli.ours), met: cli.ours.medianMs <= 600 });
    checks.push(ratioCheck('CLI cold start at least 5x faster than cdk8s synth', cli, 5));
  }
  return checks;
}

function withCpu(s: Summary): string {
  return s.medianCpuMs === undefined ? seconds(s.medianMs) : `${seconds(s.medianMs)} (cpu ${seconds(s.medianCpuMs)})`;
}

function ratioCheck(target: string, r: ScenarioResult, min: number): TargetCheck {
  if (r.ratio === undefined) return { target, measured: 'cdk8s not run' };
  const cpu = r.cdk8s?.medianCpuMs !== undefined && r.ours.medianCpuMs ? ` (cpu ${(r.cdk8s.medianCpuMs / r.ours.medianCpuMs).toFixed(1)}x)` : '';
  return { target, measured: `${r.ratio.toFixed(1)}x${cpu}`, met: r.ratio >= min };
}

/** The results table, as printed. */
export function renderTable(results: readonly ScenarioResult[]): string {
  const header = ['scenario', 'objects (ours / cdk8s)', 'dcos-cdk', 'cdk8s', 'ratio', 'cpu ratio', 'peak MiB (ours / cdk8s)', 'runs'];
  const rows = results.map((r) => [
    r.title,
    `${r.objects.ours} / ${r.objects.cdk8s}`,
    seconds(r.ours.medianMs),
    r.cdk8s ? seconds(r.cdk8s.medianMs) : '-',
    r.ratio !== undefined ? `${r.ratio.toFixed(1)}x` : '-',
    r.cdk8s?.medianCpuMs !== undefined && r.ours.medianCpuMs ? `${(r.cdk8s.medianCpuMs / r.ours.medianCpuMs).toFixed(1)}x` : '-',
    `${mib(r.ours.peakRssMiB)} / ${mib(r.cdk8s?.peakRssMiB)}`,
    `${r.ours.runs} / ${r.cdk8s?.runs ?? 0}`,
  ]);
  return table([header, ...rows]);
}

/** Phase medians of our side, to see where the time goes. */
export function renderPhases(results: readonly ScenarioResult[]): string {
  const rows = results.filter((r) => r.ours.phasesMs).map((r) => {
    const p = r.ours.phasesMs!;
    return [r.title, seconds(p.build ?? 0), seconds(p.synth ?? 0), seconds(p.write ?? 0), r.ours.medianCpuMs !== undefined ? seconds(r.ours.medianCpuMs) : '-'];
  });
  return table([['dcos-cdk phases (medians)', 'build tree', 'synthesize', 'write', 'cpu'], ...rows]);
}

export function renderTargets(checks: readonly TargetCheck[]): string {
  const mark = (m?: boolean) => (m === undefined ? 'not measured' : m ? 'met' : 'MISSED');
  return table([['target', 'measured', ''], ...checks.map((c) => [c.target, c.measured, mark(c.met)])]);
}

/** Our medians now against the previous results file, per scenario. */
export function renderComparison(now: readonly ScenarioResult[], previous: readonly ScenarioResult[]): string {
  const rows: string[][] = [];
  for (const r of now) {
    const p = previous.find((x) => x.id === r.id);
    if (!p) continue;
    const delta = (r.ours.medianMs - p.ours.medianMs) / p.ours.medianMs;
    rows.push([r.title, seconds(p.ours.medianMs), seconds(r.ours.medianMs), `${delta >= 0 ? '+' : ''}${(delta * 100).toFixed(0)}%`]);
  }
  return rows.length ? table([['dcos-cdk vs previous run', 'previous', 'now', 'change'], ...rows]) : '';
}

function seconds(ms: number): string {
  return ms >= 10_000 ? `${(ms / 1000).toFixed(1)} s` : `${(ms / 1000).toFixed(3)} s`;
}

function mib(x: number | undefined): string {
  return x === undefined ? '-' : x.toFixed(0);
}

function table(rows: readonly (readonly string[])[]): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  const line = (r: readonly string[]) => r.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ').trimEnd();
  return [line(rows[0]!), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.slice(1).map(line)].join('\n');
}
