/**
 * `dcos-cdk import`, as a library: Marathon JSON and calicoctl YAML become
 * one TypeScript stack that synthesizes back to the same apps and resources.
 * Nothing is returned (and so nothing written) unless every input is valid
 * and the round trip holds.
 *
 * @module
 */
import type { Bundle, Diagnostic } from '@dcos-cdk/core';
import { validatePolicy, validateProfile } from '@dcos-cdk/calico';
import type { CalicoVersion, DcosVersion, MarathonVersion } from '@dcos-cdk/dcos';
import type { MarathonImportOverride } from '@dcos-cdk/marathon';
import { leakyEnvironments } from './analysis.js';
import { buildPlan, type BuildResult } from './build.js';
import { generateStackCode } from './codegen.js';
import { ImportError, type ImportIssue } from './issues.js';
import { checkApp, type AppInput } from './marathon-input.js';
import { planImport, type ImportPlan, type PlannedApp, type PlanOptions } from './plan.js';
import { checkDuplicates, readInputs, type CalicoInput, type InputText } from './read.js';
import { decideTargets, type ImportTargets } from './targets.js';
import { inputApp, overridesFor, verifyBundle, type RoundTripDifference } from './verify.js';

export type { InputText } from './read.js';
export type { ImportIssue } from './issues.js';
export { ImportError, formatImportIssue } from './issues.js';
export type { ImportPlan } from './plan.js';

/** Options of {@link importStack}. */
export interface ImportOptions {
  /** Id of the generated `Cluster` (the stack name deploy owns resources under). @default 'imported' */
  readonly stackName?: string;
  /** Target DC/OS release. @default inferred from the inputs */
  readonly dcosVersion?: DcosVersion;
  /** Target Marathon, when it is not the DC/OS release's own. */
  readonly marathonVersion?: MarathonVersion;
  /** Target Calico API. @default the inputs', else the DC/OS release's */
  readonly calicoVersion?: CalicoVersion;
  /** Label key naming an app's environment. @default the first of group, environment, env, stage most apps carry */
  readonly environmentLabel?: string;
  /** Calico network the environments use. @default the one most apps join */
  readonly network?: string;
  /** Import policies that share a name under distinct names instead of failing. @default false */
  readonly renameDuplicates?: boolean;
}

/** What an import gives. */
export interface ImportResult {
  readonly plan: ImportPlan;
  /** The TypeScript source of the stack. */
  readonly code: string;
  /** The stack synthesized in memory (equal to the inputs). */
  readonly bundle: Bundle;
  /** Warnings about the inputs (mistakes kept as written, renames, dropped metadata). */
  readonly warnings: readonly ImportIssue[];
  /** Warnings synthesis reported. */
  readonly synthWarnings: readonly Diagnostic[];
}

function at(a: AppInput, message: string, fix: string): ImportIssue {
  const p = a.source.locate(a.path);
  return { severity: 'error', file: a.source.file, ...p, message, fix };
}

function itemIssue(item: RoundTripDifference['item'], message: string, fix: string): ImportIssue {
  if ('props' in item) return at(item.input, message, fix);
  const l = item.input.located;
  return { severity: 'error', file: l.file, line: l.line, column: l.column, message, fix };
}

/** Mistakes Calico accepts (the YAML reader's warnings), per resource: kept as written. */
function mistakesOf(calico: readonly CalicoInput[]): Map<CalicoInput, string[]> {
  const out = new Map<CalicoInput, string[]>();
  for (const c of calico) {
    const r = c.located.resource;
    const problems = r.kind === 'policy' ? validatePolicy(r, c.located.version).problems : r.kind === 'profile' ? validateProfile(r, c.located.version).problems : [];
    const mistakes = problems.filter((p) => p.kind === 'mistake').map((p) => `${p.path}: ${p.message}`);
    if (mistakes.length > 0) out.set(c, mistakes);
  }
  return out;
}

function synthesisFailure(built: BuildResult & { ok: false }): ImportError {
  const fix = 'The input is valid for Marathon and Calico, but dcos-cdk refuses the construct it becomes; please report this with the input.';
  return new ImportError(
    built.diagnostics
      .filter((d) => d.severity === 'error')
      .map((d) => {
        const item = built.constructs.get(d.constructPath);
        return item ? itemIssue(item, `the imported ${'props' in item ? 'app' : 'resource'} does not synthesize: [${d.rule}] ${d.message}`, fix) : { severity: 'error' as const, file: '(stack)', line: 1, column: 1, message: `${d.constructPath}: [${d.rule}] ${d.message}`, fix };
      }),
  );
}

/**
 * The last steps once the round trip holds: environments the inputs leave
 * open to others are marked `isolated: false` (their leaks become synth
 * warnings, as the operator's files allow them), and the stack is
 * synthesized once more as the generated code will be, analysis included.
 */
function finish(plan: ImportPlan, bundle: Bundle, warnings: readonly ImportIssue[], apps: readonly AppInput[], calico: readonly CalicoInput[], targets: ImportTargets, options: PlanOptions): ImportResult {
  const notIsolated = leakyEnvironments(plan, bundle);
  const final = notIsolated.size > 0 ? planImport(apps, calico, targets, { ...options, notIsolated }) : plan;
  const built = buildPlan(final);
  if (!built.ok) throw synthesisFailure(built);
  return { plan: final, code: generateStackCode(final), bundle: built.bundle, warnings, synthWarnings: built.bundle.warnings };
}

/**
 * Imports Marathon app definitions and calicoctl resources as a typed stack.
 *
 * @throws {@link ImportError} listing every problem (file:line:column) when an
 * input is malformed, holds unknown fields, or would be rejected by Marathon
 * or calicoctl, or when the stack would not mean what the inputs mean
 */
export function importStack(inputs: readonly InputText[], options: ImportOptions = {}): ImportResult {
  const read = readInputs(inputs);
  const dup = checkDuplicates(read.apps, read.calico, options.renameDuplicates ?? false);
  const { targets, issues: targetIssues } = decideTargets(read.apps, dup.calico, options);
  const issues: ImportIssue[] = [...read.issues, ...dup.issues, ...targetIssues];
  for (const a of read.apps) issues.push(...checkApp(a, targets.format, targets.enterprise));
  if (read.apps.length === 0 && dup.calico.length === 0 && !issues.some((i) => i.severity === 'error')) {
    issues.push({ severity: 'error', file: inputs[0]?.file ?? '(no input)', line: 1, column: 1, message: 'the inputs hold no Marathon app and no Calico resource.', fix: 'Pass Marathon app JSON and calicoctl YAML files (or folders holding them).' });
  }
  if (issues.some((i) => i.severity === 'error')) throw new ImportError(issues);
  const warnings = issues.filter((i) => i.severity === 'warning');

  const planOptions: PlanOptions = {
    stackName: options.stackName ?? 'imported',
    ...(options.environmentLabel !== undefined ? { environmentLabel: options.environmentLabel } : {}),
    ...(options.network !== undefined ? { network: options.network } : {}),
    mistakes: mistakesOf(dup.calico),
  };
  let plan = planImport(read.apps, dup.calico, targets, planOptions);
  let built = buildPlan(plan, { analyzeAtSynth: false });
  let extraOverrides: Map<string, MarathonImportOverride[]> | undefined;
  for (let round = 0; ; round++) {
    if (!built.ok) throw synthesisFailure(built);
    const differences = verifyBundle(plan, built.bundle, built.constructs);
    if (differences.length === 0) return finish(plan, built.bundle, warnings, read.apps, dup.calico, targets, { ...planOptions, ...(extraOverrides ? { extraOverrides } : {}) });
    const extra = new Map<string, MarathonImportOverride[]>();
    if (round === 0) {
      for (const d of differences) {
        if (!('props' in d.item)) continue;
        const a: PlannedApp = d.item;
        const rendered = built.bundle.artifacts.find((x) => x.constructPath.endsWith(`/${a.constructId}`) && x.id === `marathon-app:${a.id}`);
        if (rendered) extra.set(a.id, overridesFor(inputApp(a, targets.format), JSON.parse(rendered.content) as Record<string, unknown>));
      }
    }
    if (extra.size === 0) {
      throw new ImportError(differences.map((d) => itemIssue(d.item, `the imported stack would not mean what the input means: ${d.fields.join('; ')}.`, 'This is a dcos-cdk bug; please report it with the input. Nothing was written.')));
    }
    extraOverrides = extra;
    plan = planImport(read.apps, dup.calico, targets, { ...planOptions, extraOverrides });
    built = buildPlan(plan, { analyzeAtSynth: false });
  }
}
