/**
 * Which cluster the inputs were written for: the Marathon API generation the
 * apps use, the Calico API of the resources, and whether the apps need DC/OS
 * Enterprise (secrets).
 */
import { resolveTargets, type CalicoVersion, type DcosVersion, type MarathonVersion } from '@dcos-cdk/dcos';
import type { MarathonApiVersion } from '@dcos-cdk/marathon';
import type { ImportIssue } from './issues.js';
import type { AppInput } from './marathon-input.js';
import type { CalicoInput } from './read.js';

/** The cluster the generated stack targets. */
export interface ImportTargets {
  readonly dcosVersion: DcosVersion;
  /** Set when it differs from the DC/OS release's own Marathon. */
  readonly marathonVersion?: MarathonVersion;
  /** Set when it differs from the DC/OS release's own Calico API. */
  readonly calicoVersion?: CalicoVersion;
  /** The app JSON generation of the cluster's Marathon. */
  readonly format: MarathonApiVersion;
  /** The Calico API of the cluster. */
  readonly calico: CalicoVersion;
  /** True when an app uses secrets (DC/OS Enterprise). */
  readonly enterprise: boolean;
}

/** What the caller already knows (flags, or the live cluster). */
export interface TargetHints {
  readonly dcosVersion?: DcosVersion;
  readonly marathonVersion?: MarathonVersion;
  readonly calicoVersion?: CalicoVersion;
}

function isObj(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The API generation an app's fields belong to, when they say. */
function generationOf(app: Readonly<Record<string, unknown>>): MarathonApiVersion | undefined {
  const c = isObj(app.container) ? app.container : {};
  const d = isObj(c.docker) ? c.docker : {};
  const volumes = Array.isArray(c.volumes) ? c.volumes : [];
  if (app.networks !== undefined || c.portMappings !== undefined || app.tty !== undefined || d.pullConfig !== undefined || volumes.some((v) => isObj(v) && v.secret !== undefined)) return '1.5';
  if (app.ipAddress !== undefined || d.network !== undefined || d.portMappings !== undefined || (Array.isArray(app.storeUrls) && app.storeUrls.length > 0)) return '1.4';
  return undefined;
}

function usesSecrets(app: Readonly<Record<string, unknown>>): boolean {
  const env = isObj(app.env) ? Object.values(app.env) : [];
  const c = isObj(app.container) ? app.container : {};
  const volumes = Array.isArray(c.volumes) ? c.volumes : [];
  return (isObj(app.secrets) && Object.keys(app.secrets).length > 0) || env.some(isObj) || volumes.some((v) => isObj(v) && v.secret !== undefined) || (isObj(c.docker) && c.docker.pullConfig !== undefined);
}

const DCOS_OF_MARATHON: Readonly<Record<string, DcosVersion>> = { '1.4': '1.9', '1.5': '1.10', '1.6': '1.11', '1.7': '1.12', '1.8': '1.13', '1.9': '2.0', '1.10': '2.1', '1.11': '2.2' };

/**
 * Decides the target cluster. Apps in 1.5-only shapes (`networks`,
 * `container.portMappings`, ...) mean Marathon 1.5+ (1.4-shaped apps among
 * them are translated as Marathon 1.5 does); otherwise 1.4. Calico v3
 * resources mean DC/OS 2.1+. Mixed Calico versions are an error.
 */
export function decideTargets(apps: readonly AppInput[], calico: readonly CalicoInput[], hints: TargetHints): { targets: ImportTargets; issues: ImportIssue[] } {
  const issues: ImportIssue[] = [];
  const first = calico[0]?.located;
  for (const c of calico) {
    if (first && c.located.version !== first.version) {
      issues.push({ severity: 'error', file: c.located.file, line: c.located.line, column: c.located.column, message: `this resource is Calico ${c.located.version}, but ${first.file}:${first.line}:${first.column} is Calico ${first.version}; one cluster speaks one Calico API.`, fix: 'Import the resources of one cluster at a time (convert the others to its apiVersion).' });
    }
  }
  const generations = apps.map((a) => generationOf(a.json));
  const wanted: MarathonApiVersion | undefined = generations.includes('1.5') ? '1.5' : generations.includes('1.4') ? '1.4' : undefined;
  const calicoFromFiles = first?.version;
  let dcos = hints.dcosVersion;
  let marathon = hints.marathonVersion;
  if (dcos === undefined && marathon !== undefined) dcos = DCOS_OF_MARATHON[marathon] ?? '2.2';
  if (dcos === undefined) {
    const calicoV3 = (hints.calicoVersion ?? calicoFromFiles) === 'v3';
    dcos = wanted === '1.5' ? (calicoV3 ? '2.1' : '1.10') : wanted === '1.4' ? '1.9' : calicoV3 ? '2.1' : '1.9';
  }
  const base = resolveTargets(dcos);
  if (marathon === base.marathon) marathon = undefined;
  let calicoVersion: CalicoVersion | undefined = hints.calicoVersion ?? calicoFromFiles;
  if (calicoVersion === base.calico) calicoVersion = undefined;
  const resolved = resolveTargets(dcos, { ...(marathon ? { marathon } : {}), ...(calicoVersion ? { calico: calicoVersion } : {}) });
  const format: MarathonApiVersion = ['1.4'].includes(resolved.marathon) ? '1.4' : '1.5';
  return {
    targets: {
      dcosVersion: dcos,
      ...(marathon ? { marathonVersion: marathon } : {}),
      ...(calicoVersion ? { calicoVersion } : {}),
      format,
      calico: resolved.calico,
      enterprise: apps.some((a) => usesSecrets(a.json)),
    },
    issues,
  };
}
