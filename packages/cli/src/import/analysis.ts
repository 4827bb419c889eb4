/**
 * The connectivity analysis of an imported stack's bundle (in memory): which
 * environments the inputs leave open to others, and the findings the import
 * prints, so the first thing an operator learns is what their current setup
 * lets through.
 */
import type { Bundle } from '@dcos-cdk/core';
import { analyze, findings, modelFromArtifacts, type AnalysisFinding, type ReachabilityMatrix } from '@dcos-cdk/calico';
import type { ImportPlan } from './plan.js';

/** What the analysis of an imported stack found, or why it did not run. */
export type ImportAnalysis = { readonly ran: true; readonly findings: readonly AnalysisFinding[] } | { readonly ran: false; readonly reason: string };

function matrixOf(plan: ImportPlan, bundle: Bundle): ReachabilityMatrix {
  return analyze(modelFromArtifacts(bundle.artifacts, plan.targets.calico));
}

/**
 * Environments (found by their label) that an endpoint of another
 * environment can open a flow to, with the imported policies as written.
 */
export function leakyEnvironments(plan: ImportPlan, bundle: Bundle): Set<string> {
  const key = plan.environmentLabel;
  const out = new Set<string>();
  if (key === undefined) return out;
  const names = new Set(plan.environments.filter((e) => !e.fallback).map((e) => e.name));
  const matrix = matrixOf(plan, bundle);
  const sources = matrix.sources().filter((s) => s.kind === 'endpoint' && s.endpoint.labels[key] !== undefined);
  for (const d of matrix.destinations()) {
    const env = d.endpoint.labels[key];
    if (env === undefined || !names.has(env) || out.has(env)) continue;
    for (const s of sources) {
      if (s.kind !== 'endpoint' || s.endpoint.labels[key] === env) continue;
      if (matrix.cellsBetween(s, d).some((c) => c.allowed)) {
        out.add(env);
        break;
      }
    }
  }
  return out;
}

/**
 * The findings on the imported stack: flows between the environments found
 * by their label are errors (the walkthrough's leaks from production into
 * development), everything else as `dcos-cdk analyze` reports it.
 */
export function analyzeImport(plan: ImportPlan, bundle: Bundle): ImportAnalysis {
  if (!bundle.artifacts.some((a) => a.kind === 'marathon-app')) return { ran: false, reason: 'the inputs hold no Marathon app' };
  try {
    const matrix = matrixOf(plan, bundle);
    const isolated = plan.environments.filter((e) => !e.fallback).map((e) => e.name);
    return { ran: true, findings: findings(matrix, { environmentLabel: plan.environmentLabel ?? 'group', isolatedEnvironments: isolated }) };
  } catch (e) {
    return { ran: false, reason: `the analysis could not read the stack: ${(e as Error).message}` };
  }
}

/** The input an imported construct came from (`file:line:column`), by its construct path. */
export function sourceOf(plan: ImportPlan, constructPath: string | undefined): string | undefined {
  if (constructPath === undefined) return undefined;
  for (const a of plan.apps) {
    if (`${plan.stackName}/${a.environment.constructId}/${a.constructId}` !== constructPath) continue;
    const p = a.input.source.locate(a.input.path);
    return `${a.input.source.file}:${p.line}:${p.column}`;
  }
  for (const c of plan.calico) {
    if (`${plan.stackName}/${c.environment ? `${c.environment.constructId}/` : ''}${c.constructId}` !== constructPath) continue;
    const l = c.input.located;
    return `${l.file}:${l.line}:${l.column}`;
  }
  return undefined;
}
