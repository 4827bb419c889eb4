import { toYaml, toYamlDocuments, type JsonValue } from '@dcos-cdk/core';
import type { CalicoVersion } from '@dcos-cdk/dcos';
import type { CalicoProblem } from '../model/problems.js';
import type { CalicoResource } from '../model/resources.js';
import { validateIpPool, validatePolicy, validateProfile } from '../model/validate.js';
import { renderIpPool, renderPolicy, renderProfile } from '../render/resources.js';

/** A resource that cannot be written for the requested version. */
export interface RenderProblem extends CalicoProblem {
  /** Which resource: `policy allow-dev-pings`, `ipPool 10.1.0.0/16`. */
  readonly resource: string;
}

/** Thrown when resources cannot be rendered for a version, listing every problem Calico would reject. */
export class CalicoRenderError extends Error {
  /** Every problem that stops rendering. */
  public readonly problems: readonly RenderProblem[];

  constructor(problems: readonly RenderProblem[], version: CalicoVersion) {
    super(`Cannot render for Calico ${version}:\n${problems.map((p) => `  ${p.resource}: ${p.path}: ${p.message}\n    fix: ${p.fix}`).join('\n')}`);
    this.name = 'CalicoRenderError';
    this.problems = problems;
  }
}

function label(r: CalicoResource): string {
  return r.kind === 'ipPool' ? `ipPool ${r.name ?? r.cidr}` : `${r.kind} ${r.name}`;
}

/** One resource as calicoctl input for `version`, or the problems that stop it. */
function renderOne(r: CalicoResource, version: CalicoVersion): { value?: JsonValue; problems: readonly CalicoProblem[] } {
  switch (r.kind) {
    case 'policy': {
      const v = validatePolicy(r, version);
      return { value: v.model && renderPolicy(v.model, version), problems: v.problems };
    }
    case 'profile': {
      const v = validateProfile(r, version);
      return { value: v.model && renderProfile(v.model, version), problems: v.problems };
    }
    default: {
      const v = validateIpPool(r, version);
      return { value: v.model && renderIpPool(v.model, version), problems: v.problems };
    }
  }
}

/**
 * Renders resources of the rule model as calicoctl input for `version`, the
 * way synthesis does: v1 `policy`/`profile`/`ipPool` (never a field calicoctl
 * v1.3 rejects), or v3 `GlobalNetworkPolicy`/`NetworkPolicy`/`Profile`/
 * `IPPool` with explicit policy types. Mistakes Calico accepts do not stop
 * rendering; anything Calico would reject does.
 *
 * @returns the resources as plain objects, in order
 * @throws {@link CalicoRenderError} listing every resource Calico `version` would reject
 */
export function renderCalicoObjects(resources: readonly CalicoResource[], version: CalicoVersion): JsonValue[] {
  const out: JsonValue[] = [];
  const problems: RenderProblem[] = [];
  for (const r of resources) {
    const { value, problems: p } = renderOne(r, version);
    for (const x of p) if (x.kind === 'invalid') problems.push({ ...x, resource: label(r) });
    if (value !== undefined) out.push(value);
  }
  if (problems.length > 0) throw new CalicoRenderError(problems, version);
  return out;
}

/**
 * Renders resources as one calicoctl YAML file for `version`: a single
 * resource as it is; several as a YAML list for calicoctl v1 (v1.3 reads one
 * document per file) or as `---` documents for Calico v3.
 *
 * @throws {@link CalicoRenderError} listing every resource Calico `version` would reject
 */
export function renderCalicoResources(resources: readonly CalicoResource[], version: CalicoVersion): string {
  const objects = renderCalicoObjects(resources, version);
  if (objects.length === 1) return toYaml(objects[0]!);
  if (version === 'v1') return toYaml(objects);
  return toYamlDocuments(objects);
}
