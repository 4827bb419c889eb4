import { relative, resolve } from 'node:path';
import { readBundle, readProjectConfig, PROJECT_FILE, type Manifest } from '@dcos-cdk/core';
import { CliError, EXIT } from '../errors.js';
import { formatReported } from '../diagnostics.js';
import { runApp } from '../run-app.js';

/** Options of `dcos-cdk synth`. */
export interface SynthCommandOptions {
  readonly projectDir: string;
  readonly output?: string;
  readonly context: Readonly<Record<string, string>>;
  readonly json: boolean;
}

/** `dcos-cdk synth`: runs the app, then prints what the bundle holds. */
export async function synthCommand(o: SynthCommandOptions, out: (line: string) => void): Promise<number> {
  const config = readProjectConfig(o.projectDir);
  if (!config.app) {
    throw new CliError(`No "app" in ${resolve(o.projectDir, PROJECT_FILE)}: set it to the file that builds the stack, e.g. { "app": "bin/app.ts" }.`, EXIT.usage);
  }
  const outdir = resolve(o.projectDir, o.output ?? config.output ?? 'dcos.out');
  const started = process.hrtime.bigint();
  const result = await runApp({ projectDir: o.projectDir, app: config.app, outdir, context: o.context });
  if (!result.ok) {
    const errors = result.diagnostics.filter((d) => d.severity === 'error');
    if (o.json) {
      out(JSON.stringify({ ok: false, errors: errors, warnings: result.diagnostics.filter((d) => d.severity === 'warning') }, null, 2));
    } else {
      for (const d of result.diagnostics) out(formatReported(d));
      out(`\nSynthesis failed: ${errors.length} error${errors.length === 1 ? '' : 's'}; nothing was written.`);
    }
    return EXIT.invalid;
  }
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const { manifest } = readBundle(outdir);
  if (o.json) {
    out(JSON.stringify({ ok: true, outdir, stack: manifest.stack, targets: manifest.targets, artifacts: countByKind(manifest), warnings: manifest.warnings }, null, 2));
  } else {
    out(summary(manifest, relative(process.cwd(), outdir) || '.', seconds));
  }
  return EXIT.ok;
}

function countByKind(m: Manifest): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const a of m.artifacts) counts[a.kind] = (counts[a.kind] ?? 0) + 1;
  return counts;
}

function summary(m: Manifest, outdir: string, seconds: number): string {
  const t = m.targets;
  const lines = [`Synthesized stack '${m.stack}' for DC/OS ${t.dcos ?? '?'} (Marathon ${t.marathon ?? '?'}, Calico ${t.calico ?? '?'}) into ${outdir}/ in ${seconds.toFixed(2)} s`];
  const counts = countByKind(m);
  for (const kind of Object.keys(counts).sort()) lines.push(`  ${kind.padEnd(24)}${String(counts[kind]).padStart(5)}`);
  lines.push(`  ${'total'.padEnd(24)}${String(m.artifacts.length).padStart(5)}`);
  if (m.warnings.length === 0) lines.push('No warnings.');
  else {
    lines.push(`${m.warnings.length} warning${m.warnings.length === 1 ? '' : 's'}:`);
    for (const w of m.warnings) lines.push(formatReported(w));
  }
  return lines.join('\n');
}
