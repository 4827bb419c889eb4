/**
 * The import plan: which constructs the generated stack holds, under which
 * ids and variables, with which props. The same plan is instantiated in
 * memory (to check that it synthesizes back to the inputs) and printed as
 * TypeScript, so the two cannot disagree.
 */
import { fromCalicoResource, type ImportedCalicoResource, type Selector, type SelectorNode } from '@dcos-cdk/calico';
import { propsFromMarathonJson, type MarathonAppProps, type MarathonAppJson, type MarathonImportOverride } from '@dcos-cdk/marathon';
import type { AppInput } from './marathon-input.js';
import type { CalicoInput } from './read.js';
import type { ImportTargets } from './targets.js';

/** An environment of the generated stack. */
export interface PlannedEnvironment {
  /** Environment name (its label value). */
  readonly name: string;
  readonly constructId: string;
  readonly variable: string;
  /** The Marathon group all its apps share, when they share one below the root. */
  readonly marathonGroup?: string;
  /** True for the environment of the apps no environment label places. */
  readonly fallback: boolean;
  /** False when the inputs let another environment reach it (so synth reports that as warnings, not errors). */
  readonly isolated?: false;
}

/** An app of the generated stack. */
export interface PlannedApp {
  readonly input: AppInput;
  /** Absolute Marathon id. */
  readonly id: string;
  readonly environment: PlannedEnvironment;
  readonly constructId: string;
  /** Set when the code needs a variable (for overrides). */
  readonly variable?: string;
  readonly props: MarathonAppProps;
  readonly overrides: readonly MarathonImportOverride[];
}

/** A Calico resource of the generated stack. */
export interface PlannedCalico {
  readonly input: CalicoInput;
  /** The environment whose apps the policy selects, or undefined for the cluster. */
  readonly environment?: PlannedEnvironment;
  readonly constructId: string;
  readonly resource: ImportedCalicoResource;
  /** Comments for the reader (mistakes kept, renames). */
  readonly notes: readonly string[];
}

/** The whole generated stack. */
export interface ImportPlan {
  readonly stackName: string;
  readonly targets: ImportTargets;
  readonly network: { readonly name: string; readonly constructId: string; readonly variable: string };
  /** The label key whose values name the environments, when one was found. */
  readonly environmentLabel?: string;
  readonly environments: readonly PlannedEnvironment[];
  readonly apps: readonly PlannedApp[];
  readonly calico: readonly PlannedCalico[];
  /** The inputs, for the header. */
  readonly sources: readonly string[];
}

/** Options of {@link planImport}. */
export interface PlanOptions {
  readonly stackName: string;
  /** The label whose value names an app's environment. @default the first of ENVIRONMENT_LABELS most apps carry */
  readonly environmentLabel?: string;
  /** The Calico network the environments use. @default the Calico network most apps join */
  readonly network?: string;
  /** Extra overrides per app id (found by the round-trip check). */
  readonly extraOverrides?: ReadonlyMap<string, readonly MarathonImportOverride[]>;
  /** Mistakes (kept as written) per Calico input. */
  readonly mistakes?: ReadonlyMap<CalicoInput, readonly string[]>;
  /** Environments the inputs leave open to other environments. */
  readonly notIsolated?: ReadonlySet<string>;
}

/** Label keys that name an app's environment, in order of preference. */
export const ENVIRONMENT_LABELS = ['group', 'environment', 'env', 'stage'] as const;

/** Valid environment names (they become label values and parts of policy names). */
const ENV_NAME = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/;
const RESERVED = new Set(
  'break case catch class const continue debugger default delete do else enum export extends false finally for function if import in instanceof new null return super switch this throw true try typeof var void while with yield let static implements interface package private protected public await app cluster undefined NaN Infinity'.split(' '),
);

/** Gives out identifiers and construct ids without collisions. */
class Names {
  private readonly used = new Set<string>();
  constructor(taken: Iterable<string> = []) {
    for (const t of taken) this.used.add(t);
  }

  take(wanted: string): string {
    let n = wanted;
    for (let i = 2; this.used.has(n); i++) n = `${wanted}${/[0-9]$/.test(wanted) ? '-' : ''}${i}`;
    this.used.add(n);
    return n;
  }
}

/** A camelCase identifier for `name`. */
function identifier(name: string): string {
  const parts = name.split(/[^A-Za-z0-9]+/).filter((p) => p.length > 0);
  let id = parts.map((p, i) => (i === 0 ? p.charAt(0).toLowerCase() + p.slice(1) : p.charAt(0).toUpperCase() + p.slice(1))).join('');
  if (id === '' || /^[0-9]/.test(id)) id = `x${id}`;
  return RESERVED.has(id) ? `${id}Env` : id;
}

/** Construct ids cannot hold '/'. */
function constructId(name: string): string {
  const id = name.replace(/\//g, '-').replace(/^-+|-+$/g, '');
  return id === '' ? 'resource' : id;
}

function parentOf(id: string): string {
  return id.split('/').slice(0, -1).join('/') || '/';
}

/** The longest group (below the root) that holds all `ids`. */
function commonGroup(ids: readonly string[]): string | undefined {
  if (ids.length === 0) return undefined;
  let segs = parentOf(ids[0]!).split('/').filter(Boolean);
  for (const id of ids.slice(1)) {
    const other = parentOf(id).split('/').filter(Boolean);
    let n = 0;
    while (n < segs.length && n < other.length && segs[n] === other[n]) n++;
    segs = segs.slice(0, n);
  }
  return segs.length > 0 ? `/${segs.join('/')}` : undefined;
}

/** The environment value a selector requires (`key == "v"` alone or in a top-level `&&`). */
function requiredValue(s: Selector, key: string): string | undefined {
  const terms: readonly SelectorNode[] = s.root.kind === 'and' ? s.root.operands : [s.root];
  for (const t of terms) if (t.kind === 'eq' && t.key === key) return t.value;
  return undefined;
}

function withoutKey(labels: Readonly<Record<string, string>>, key: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(labels)) if (k !== key) out[k] = v;
  return out;
}

/** Builds the plan; inputs are assumed checked (see `checkApp`). */
export function planImport(apps: readonly AppInput[], calico: readonly CalicoInput[], targets: ImportTargets, options: PlanOptions): ImportPlan {
  const imported = apps.map((a) => propsFromMarathonJson(a.json as unknown as MarathonAppJson, targets.format, a.parentGroup !== undefined ? { parentGroup: a.parentGroup } : {}));

  // The environments' network: the Calico network most apps join.
  const profiles = calico.flatMap((c) => (c.located.resource.kind === 'profile' ? [c.located.resource.name] : []));
  const calicoNetworks = new Set(['calico', ...profiles, ...(options.network ? [options.network] : [])]);
  const counts = new Map<string, number>();
  for (const i of imported) {
    const n = i.containerNetwork?.name;
    if (n !== undefined && calicoNetworks.has(n)) counts.set(n, (counts.get(n) ?? 0) + 1);
  }
  const networkName = options.network ?? [...counts.entries()].sort((a, b) => b[1] - a[1] || (a[0] === 'calico' ? -1 : 0))[0]?.[0] ?? (profiles.length === 1 ? profiles[0]! : 'calico');

  // The environment label: the first of ENVIRONMENT_LABELS carried by most apps on that network.
  const onNetwork = imported.filter((i) => i.containerNetwork?.name === networkName);
  let labelKey = options.environmentLabel;
  if (labelKey === undefined) {
    let best = 0;
    for (const k of ENVIRONMENT_LABELS) {
      const n = onNetwork.filter((i) => ENV_NAME.test(i.containerNetwork!.labels[k] ?? '')).length;
      if (n > best) [best, labelKey] = [n, k];
    }
  }
  const envOf = (i: (typeof imported)[number]): string | undefined => {
    const v = labelKey === undefined || i.containerNetwork?.name !== networkName ? undefined : i.containerNetwork.labels[labelKey];
    return v !== undefined && ENV_NAME.test(v) ? v : undefined;
  };

  const fileNames = new Names(['app', 'cluster', 'App', 'Cluster', 'Environment', 'ExistingCalicoNetwork', 'MarathonApp', 'MarathonPort', 'Networking', 'HealthCheck', 'Constraint', 'Volume', 'CalicoPolicy', 'CalicoProfile', 'CalicoIpPool', 'Rule', 'Selector']);
  const clusterIds = new Names();
  const network = { name: networkName, constructId: clusterIds.take(constructId(networkName)), variable: fileNames.take(identifier(networkName)) };

  const envNames = [...new Set(imported.map(envOf).filter((e): e is string => e !== undefined))].sort();
  const needsFallback = imported.some((i) => envOf(i) === undefined);
  const fallbackName = envNames.includes('default') || !needsFallback ? undefined : 'default';
  const environments = new Map<string, PlannedEnvironment>();
  for (const name of [...envNames, ...(fallbackName ? [fallbackName] : [])]) {
    const members = imported.filter((i) => (envOf(i) ?? fallbackName) === name).map((i) => i.id);
    const group = commonGroup(members);
    environments.set(name, {
      name,
      constructId: clusterIds.take(constructId(name)),
      variable: fileNames.take(name === fallbackName ? 'defaultEnvironment' : identifier(name)),
      ...(group !== undefined ? { marathonGroup: group } : {}),
      fallback: name === fallbackName,
      ...(options.notIsolated?.has(name) && name !== fallbackName ? { isolated: false as const } : {}),
    });
  }
  const scopeIds = new Map<PlannedEnvironment | undefined, Names>([[undefined, clusterIds]]);
  const idsIn = (env: PlannedEnvironment | undefined): Names => scopeIds.get(env) ?? scopeIds.set(env, new Names()).get(env)!;

  const plannedApps: PlannedApp[] = imported.map((i, n) => {
    const env = environments.get(envOf(i) ?? fallbackName ?? 'default')!;
    const props: Record<string, unknown> = { ...i.props };
    if (envOf(i) !== undefined) {
      // On its environment's network: the environment adds its label; the rest stays as written.
      delete props.networking;
      props.networkLabels = withoutKey(i.containerNetwork!.labels, labelKey!);
    }
    if (env.marathonGroup !== undefined) props.id = i.id.slice(env.marathonGroup.length + 1);
    const overrides = [...i.overrides, ...(options.extraOverrides?.get(i.id) ?? [])];
    const last = i.id.split('/').pop()!;
    return {
      input: apps[n]!,
      id: i.id,
      environment: env,
      constructId: idsIn(env).take(last),
      ...(overrides.length > 0 ? { variable: fileNames.take(identifier(last)) } : {}),
      props: props as MarathonAppProps,
      overrides,
    };
  });

  const plannedCalico: PlannedCalico[] = calico.map((c) => {
    const mistakes = options.mistakes?.get(c) ?? [];
    const resource = fromCalicoResource(c.located.resource, { version: c.located.version, keepMistakes: mistakes.length > 0 });
    const notes = mistakes.map((m) => `calicoctl accepts this as written, but: ${m} Kept as written (mistakes: 'warning'); the analysis reports what it does.`);
    let name: string;
    let env: PlannedEnvironment | undefined;
    if (resource.kind === 'policy') {
      if (c.name !== undefined) {
        (resource.props as { name: string }).name = c.name;
        notes.push(`Imported as '${c.name}': ${c.renamedFrom!.where} also defines a policy '${c.renamedFrom!.name}' (--rename-duplicates).`);
      }
      name = resource.props.name;
      const value = labelKey === undefined ? undefined : requiredValue(resource.props.selector as Selector, labelKey);
      env = value === undefined ? undefined : environments.get(value);
      if (env?.fallback) env = undefined;
    } else if (resource.kind === 'profile') name = `${resource.props.name}-profile`;
    else name = resource.props.name ?? `pool-${resource.props.cidr}`;
    return { input: c, ...(env ? { environment: env } : {}), constructId: idsIn(env).take(constructId(name)), resource, notes };
  });

  return {
    stackName: options.stackName,
    targets,
    network,
    ...(labelKey !== undefined && envNames.length > 0 ? { environmentLabel: labelKey } : {}),
    environments: [...environments.values()],
    apps: plannedApps,
    calico: plannedCalico,
    sources: [...new Set([...apps.map((a) => a.source.file), ...calico.map((c) => c.located.file)])],
  };
}
