/**
 * The plan instantiated in memory and synthesized without writing: the same
 * constructs, ids and props the generated code creates.
 */
import { App, type Bundle, type Diagnostic } from '@dcos-cdk/core';
import { Cluster, Environment, type ClusterProps } from '@dcos-cdk/dcos';
import { CalicoIpPool, CalicoPolicy, CalicoProfile, ExistingCalicoNetwork } from '@dcos-cdk/calico';
import { MarathonApp } from '@dcos-cdk/marathon';
import { synthesisDiagnostics } from '../diagnostics.js';
import type { ImportPlan, PlannedApp, PlannedCalico, PlannedEnvironment } from './plan.js';

/** Props of the generated `Cluster`. */
export function clusterProps(plan: ImportPlan): ClusterProps {
  const t = plan.targets;
  return {
    dcosVersion: t.dcosVersion,
    ...(t.marathonVersion ? { marathonVersion: t.marathonVersion } : {}),
    ...(t.calicoVersion ? { calicoVersion: t.calicoVersion } : {}),
    ...(t.enterprise ? { variant: 'enterprise' as const } : {}),
  };
}

/** Props of a generated `Environment` (without the network). */
export function environmentProps(plan: ImportPlan, env: PlannedEnvironment): { name?: string; labelKey?: string; marathonGroup?: string; isolated?: false } {
  return {
    ...(env.name !== env.constructId ? { name: env.name } : {}),
    ...(env.isolated === false ? { isolated: false as const } : {}),
    ...(plan.environmentLabel !== undefined && plan.environmentLabel !== 'group' && !env.fallback ? { labelKey: plan.environmentLabel } : {}),
    ...(env.marathonGroup !== undefined ? { marathonGroup: env.marathonGroup } : {}),
  };
}

/** What synthesizing the plan gave. */
export type BuildResult =
  | { readonly ok: true; readonly bundle: Bundle; readonly constructs: ReadonlyMap<string, PlannedApp | PlannedCalico> }
  | { readonly ok: false; readonly diagnostics: readonly Diagnostic[]; readonly constructs: ReadonlyMap<string, PlannedApp | PlannedCalico> };

/**
 * Creates the plan's constructs under a fresh `App` and synthesizes them in
 * memory; `analyzeAtSynth: false` skips the synth-time connectivity analysis
 * (the round-trip check does not need it).
 */
export function buildPlan(plan: ImportPlan, options: { readonly analyzeAtSynth?: boolean } = {}): BuildResult {
  const app = new App({ projectDir: false, context: options.analyzeAtSynth === false ? { 'dcos-cdk:analyzeAtSynth': false } : {} });
  const cluster = new Cluster(app, plan.stackName, clusterProps(plan));
  const constructs = new Map<string, PlannedApp | PlannedCalico>();
  const envs = new Map<PlannedEnvironment, Environment>();
  if (plan.environments.length > 0) {
    const network = new ExistingCalicoNetwork(cluster, plan.network.constructId, plan.network.name !== plan.network.constructId ? { name: plan.network.name } : {});
    for (const e of plan.environments) envs.set(e, new Environment(cluster, e.constructId, { network, ...environmentProps(plan, e) }));
  }
  for (const a of plan.apps) {
    const construct = new MarathonApp(envs.get(a.environment)!, a.constructId, a.props);
    for (const o of a.overrides) {
      if (o.value === undefined) construct.addDeletionOverride(o.path);
      else construct.addOverride(o.path, o.value);
    }
    constructs.set(construct.node.path, a);
  }
  for (const c of plan.calico) {
    const scope = c.environment ? envs.get(c.environment)! : cluster;
    const r = c.resource;
    const construct = r.kind === 'policy' ? new CalicoPolicy(scope, c.constructId, r.props) : r.kind === 'profile' ? new CalicoProfile(scope, c.constructId, r.props) : new CalicoIpPool(scope, c.constructId, r.props);
    constructs.set(construct.node.path, c);
  }
  try {
    return { ok: true, bundle: app.synth({ write: false }), constructs };
  } catch (e) {
    const diagnostics = synthesisDiagnostics(e);
    if (!diagnostics) throw e;
    return { ok: false, diagnostics: diagnostics as readonly Diagnostic[], constructs };
  }
}
