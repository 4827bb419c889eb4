/**
 * Connectivity findings at synth: once the bundle is emitted and ordered, the cluster's Calico
 * resources and Marathon apps are analyzed in memory (the same engine as `dcos-cdk analyze`)
 * and every finding is reported on the construct that emitted the policy or app at fault.
 * Flows into an isolated `Environment` from another one are errors; everything else is a
 * warning. Flows the stack asked for (`allowFrom`/`allowTo`, which the network turns into its
 * generated policies) are not reported as leaks or Internet exposure.
 *
 * Turned off with the context value `dcos-cdk:analyzeAtSynth` = `false`; skipped, with one
 * warning, above {@link SYNTH_ANALYSIS_MAX_ENDPOINTS} endpoints (`dcos-cdk analyze` has no limit).
 *
 * @module
 */

import type { IConstruct } from 'constructs';
import { addSynthesisParticipant, type Artifact, type CheckContext, type DiagnosticCollector } from '@dcos-cdk/core';
import type { Environment } from '@dcos-cdk/dcos';
import { analyze } from './analysis/engine.js';
import { findings } from './analysis/findings.js';
import { isAnalyzedKind, modelFromArtifacts } from './analysis/load-artifacts.js';
import type { AnalysisFinding } from './analysis/model.js';
import { renderedDocumentOf } from './rendered-documents.js';

/** Context key that turns the synth-time analysis off (`false`). */
export const ANALYZE_AT_SYNTH_CONTEXT = 'dcos-cdk:analyzeAtSynth';

/**
 * Above this many Calico endpoints (Marathon apps on Calico networks) the analysis is skipped
 * at synth with one warning, so synthesis stays fast; `dcos-cdk analyze` on the bundle runs it
 * whatever the size. Override with the context value `dcos-cdk:analyzeAtSynth` set to a number.
 */
export const SYNTH_ANALYSIS_MAX_ENDPOINTS = 5_000;

/** What the check needs from the cluster's Calico registry. */
export interface SynthAnalysisSource {
  /** Every environment attached to a Calico network of the cluster. */
  environments(): readonly Environment[];
  /** Names of the policies the networks generate from `allowFrom`/`allowTo`. */
  grantPolicyNames(): ReadonlySet<string>;
}

/**
 * Registers the synth-time analysis on `cluster` (once per cluster; the Calico registry does
 * it when the cluster's first Calico construct is created).
 */
export function addSynthAnalysis(cluster: IConstruct, source: SynthAnalysisSource): void {
  addSynthesisParticipant(cluster, { check: (bundle, d) => checkConnectivity(cluster, source, bundle, d) });
}

function limitOf(cluster: IConstruct): number | undefined {
  const v: unknown = cluster.node.tryGetContext(ANALYZE_AT_SYNTH_CONTEXT);
  if (v === false || v === 'false') return undefined;
  if (typeof v === 'number' && v >= 0) return v;
  if (typeof v === 'string' && /^\d+$/.test(v)) return Number(v);
  return SYNTH_ANALYSIS_MAX_ENDPOINTS;
}

function checkConnectivity(cluster: IConstruct, source: SynthAnalysisSource, bundle: CheckContext, d: DiagnosticCollector): void {
  const limit = limitOf(cluster);
  if (limit === undefined) return;
  const artifacts: Artifact[] = bundle.artifacts.filter((a) => isAnalyzedKind(a.kind));
  const apps = artifacts.reduce((n, a) => n + (a.kind === 'marathon-app' ? 1 : 0), 0);
  if (apps === 0) return;
  if (apps > limit) {
    d.warn(
      cluster,
      'analysis/skipped',
      `The connectivity analysis was skipped at synth: the stack has ${apps} Marathon apps, more than ${limit}.`,
      `Run 'dcos-cdk analyze' on the bundle, or set the context value ${ANALYZE_AT_SYNTH_CONTEXT} to a higher limit.`,
    );
    return;
  }
  let found: AnalysisFinding[];
  try {
    found = findingsOf(artifacts, bundle.targets.calico, source);
  } catch (e) {
    d.warn(cluster, 'analysis/skipped', `The connectivity analysis could not read the bundle: ${(e as Error).message}`, "Run 'dcos-cdk analyze' on the bundle for details, and report this if the bundle deploys.");
    return;
  }
  for (const f of found) {
    d.add({ severity: f.severity, constructPath: f.constructPath ?? cluster.node.path, rule: f.rule, message: f.message, fix: f.fix });
  }
}

/**
 * The findings of the analysis, without the problems of the input itself (synth's own checks
 * report those). Environments are grouped by their label key; the first key's run reports
 * everything, each further key only the flows between its environments.
 */
function findingsOf(artifacts: readonly Artifact[], calicoTarget: string | undefined, source: SynthAnalysisSource): AnalysisFinding[] {
  const model = modelFromArtifacts(
    artifacts.map((a) => ({ kind: a.kind, file: a.file, content: a.content, constructPath: a.constructPath, document: renderedDocumentOf(a.construct) })),
    calicoTarget,
  );
  const matrix = analyze(model);
  const keys = new Map<string, Set<string>>();
  for (const env of source.environments()) {
    const isolated = keys.get(env.labelKey) ?? keys.set(env.labelKey, new Set()).get(env.labelKey)!;
    if (env.isolated) isolated.add(env.environmentName);
  }
  if (keys.size === 0) keys.set('group', new Set());
  const grantPolicies = source.grantPolicyNames();
  const out: AnalysisFinding[] = [];
  let first = true;
  for (const [environmentLabel, isolatedEnvironments] of keys) {
    const all = findings(matrix, { environmentLabel, isolatedEnvironments, grantPolicies }).slice(model.diagnostics.length);
    out.push(...(first ? all : all.filter((f) => f.rule === 'analysis/cross-environment-flow')));
    first = false;
  }
  return out;
}
