import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { run } from './measure.js';

/** A benchmark another part of the project keeps beside this one. */
interface ExtraBenchmark {
  readonly name: string;
  /** TypeScript file in test/bench, run with tsx against the packages' sources. */
  readonly file: string;
  /** Arguments of a full run and of `--quick`. */
  readonly args: { readonly full: readonly string[]; readonly quick: readonly string[] };
}

/**
 * The hook for other benchmarks (analysis now, deploy when it lands): each
 * runs in its own process after the side-by-side scenarios and prints its own
 * report. Lines of the form `<label> median <n> ms ... target <n> ms OK|MISSED`
 * become target checks; the whole output is kept in results.json. A listed
 * file that does not exist yet is skipped.
 */
export const EXTRA_BENCHMARKS: readonly ExtraBenchmark[] = [
  // (a) 2,000 apps; (b)-(d) build a 100,000-endpoint model first, which a quick run skips.
  { name: 'analysis', file: 'analysis.ts', args: { full: [], quick: ['a'] } },
  { name: 'deploy', file: 'deploy.ts', args: { full: [], quick: ['--quick'] } },
];

/** One `median ... target ... OK|MISSED` line of an extra benchmark. */
export interface ExtraMeasure {
  readonly label: string;
  readonly medianMs: number;
  readonly targetMs: number;
  readonly met: boolean;
}

/** What an extra benchmark reported. */
export interface ExtraResult {
  readonly name: string;
  readonly output: string;
  readonly measures: readonly ExtraMeasure[];
  readonly failed?: boolean;
}

const MEASURE = /^(.+?)\s+median\s+([\d.]+) ms.*?target ([\d.]+) ms (OK|MISSED)\s*$/;

/** Runs every extra benchmark that exists. `distDir` is test/bench/dist. */
export async function runExtras(distDir: string, quick: boolean, progress: (line: string) => void): Promise<ExtraResult[]> {
  const benchDir = resolve(distDir, '..');
  const results: ExtraResult[] = [];
  for (const e of EXTRA_BENCHMARKS) {
    const file = join(benchDir, e.file);
    if (!existsSync(file)) continue;
    progress(`${e.name} (${e.file}${quick ? ` ${e.args.quick.join(' ')}` : ''}):`);
    try {
      const args = ['--import', 'tsx', '--conditions=dcos-cdk-source', file, ...(quick ? e.args.quick : e.args.full)];
      const { stdout } = await run(process.execPath, args, { cwd: resolve(benchDir, '../..') });
      results.push({ name: e.name, output: stdout, measures: parseMeasures(stdout) });
    } catch (err) {
      results.push({ name: e.name, output: `failed: ${(err as Error).message}`, measures: [], failed: true });
    }
  }
  return results;
}

function parseMeasures(output: string): ExtraMeasure[] {
  return output.split('\n').flatMap((line) => {
    const m = MEASURE.exec(line.trim());
    return m ? [{ label: m[1]!.trim(), medianMs: Number(m[2]), targetMs: Number(m[3]), met: m[4] === 'OK' }] : [];
  });
}
