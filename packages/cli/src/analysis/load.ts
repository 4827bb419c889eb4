/**
 * What `dcos-cdk analyze` analyzes: a bundle folder or plain Marathon and calicoctl files,
 * turned into a model, a reachability matrix and findings.
 *
 * @module
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { analyze, findings, loadBundleModel, loadFilesModel, type AnalysisFinding, type NetworkModel, type PeerSpec, type ReachabilityMatrix } from '@dcos-cdk/calico';
import { MANIFEST_FILE } from '@dcos-cdk/core';
import { CliError, EXIT } from '../errors.js';

/** Where the input comes from. */
export type AnalysisInput = { readonly kind: 'bundle'; readonly dir: string } | { readonly kind: 'files'; readonly paths: readonly string[] };

/** Options of {@link loadAnalysis}. */
export interface LoadAnalysisOptions {
  /** Declared external peers (`--lan`). */
  readonly peers: readonly PeerSpec[];
  /** The label naming an endpoint's environment (`--env-label`). */
  readonly envLabel: string;
  /**
   * Isolated environments (`--isolated`). When absent: for a bundle every environment but those
   * synth reported flows into as warnings (see {@link notIsolatedAtSynth}); for plain files none.
   */
  readonly isolated?: readonly string[];
}

/** A loaded analysis. */
export interface LoadedAnalysis {
  /** What was read, for headings. */
  readonly input: AnalysisInput;
  /** The model. */
  readonly model: NetworkModel;
  /** Its matrix. */
  readonly matrix: ReachabilityMatrix;
  /** Every finding, the input's own problems first. */
  readonly findings: readonly AnalysisFinding[];
  /** The environment label. */
  readonly envLabel: string;
  /** Environments found (values of the environment label), sorted. */
  readonly environments: readonly string[];
  /** The isolated ones. */
  readonly isolated: readonly string[];
}

/** Construct ids a `CalicoNetwork` gives the policies it generates from `allowFrom`/`allowTo`. */
const GENERATED_POLICY = /\/(NetworkPolicy|IngressPolicy)$/;

/**
 * The policies of a bundle that a `CalicoNetwork` generated: their allow rules are the flows
 * the stack asked for, as synth treats them.
 */
export function grantPoliciesOf(model: NetworkModel): string[] {
  return model.policies.filter((p) => p.constructPath !== undefined && GENERATED_POLICY.test(p.constructPath)).map((p) => p.name);
}

/** Files given to `--files`, with folders expanded to their `.json`, `.yaml` and `.yml` files (sorted). */
export function expandFiles(paths: readonly string[], cwd: string): string[] {
  const out: string[] = [];
  for (const p of paths) {
    const abs = resolve(cwd, p);
    let isDir = false;
    try {
      isDir = statSync(abs).isDirectory();
    } catch {
      throw new CliError(`--files: '${p}' does not exist.`, EXIT.usage);
    }
    if (!isDir) out.push(abs);
    else {
      const inside = readdirSync(abs)
        .filter((f) => /\.(json|ya?ml)$/i.test(f))
        .sort()
        .map((f) => join(abs, f));
      if (inside.length === 0) throw new CliError(`--files: folder '${p}' holds no .json, .yaml or .yml file.`, EXIT.usage);
      out.push(...inside);
    }
  }
  return out;
}

/** Reads the input and analyzes it. Load errors become {@link CliError}s (exit 1). */
export function loadAnalysis(input: AnalysisInput, options: LoadAnalysisOptions): LoadedAnalysis {
  let model: NetworkModel;
  try {
    model = input.kind === 'bundle' ? loadBundleModel(input.dir, { peers: options.peers }) : loadFilesModel(input.paths, { peers: options.peers });
  } catch (e) {
    const err = e as Error;
    if (err.name === 'BundleError') throw e;
    throw new CliError(err.message, EXIT.invalid);
  }
  const matrix = analyze(model);
  const environments = [...new Set(model.endpoints.map((e) => e.labels[options.envLabel]).filter((v): v is string => v !== undefined))].sort();
  const isolated = options.isolated ?? (input.kind === 'bundle' ? environments.filter((e) => !notIsolatedAtSynth(input.dir, options.envLabel).has(e)) : []);
  const found = findings(matrix, {
    environmentLabel: options.envLabel,
    isolatedEnvironments: isolated,
    ...(input.kind === 'bundle' ? { grantPolicies: grantPoliciesOf(model) } : {}),
  });
  return { input, model, matrix, findings: found, envLabel: options.envLabel, environments, isolated };
}

/**
 * The environments synth reported flows into as warnings (`analysis/cross-environment-flow` in
 * the manifest's warnings): those have `isolated: false` in the stack. Synth fails on a flow into
 * an isolated one, so the bundle records no other.
 */
export function notIsolatedAtSynth(dir: string, envLabel: string): Set<string> {
  const out = new Set<string>();
  let manifest: { warnings?: Array<{ rule?: unknown; message?: unknown }> };
  try {
    manifest = JSON.parse(readFileSync(join(dir, MANIFEST_FILE), 'utf8')) as typeof manifest;
  } catch {
    return out;
  }
  for (const w of manifest.warnings ?? []) {
    if (w.rule !== 'analysis/cross-environment-flow' || typeof w.message !== 'string') continue;
    const m = / can reach .+? \(([^=()]+)=([^()]*)\): /.exec(w.message);
    if (m && m[1] === envLabel) out.add(m[2]!);
  }
  return out;
}

/** One finding, as the CLI prints it (the same two-line layout as synth's diagnostics). */
export function formatFinding(f: AnalysisFinding): string {
  return `${f.severity}: ${f.constructPath ? `${f.constructPath}: ` : ''}${f.message}\n  rule: ${f.rule}\n  fix:  ${f.fix}`;
}

/** The flows between environments among the findings. */
export function leaksOf(found: readonly AnalysisFinding[]): AnalysisFinding[] {
  return found.filter((f) => f.rule === 'analysis/cross-environment-flow');
}
