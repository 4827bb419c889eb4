import type { JsonValue } from '@dcos-cdk/core';
import type { CalicoVersion } from '@dcos-cdk/dcos';
import type { Selector } from '../selector/index.js';
import type { ResolvedRule } from '../model/resolve.js';
import { ruleV1 } from './rule-v1.js';
import { ruleV3 } from './rule-v3.js';

/** Direction a policy governs. */
export type PolicyType = 'ingress' | 'egress';

/** A policy ready to render. */
export interface PolicyModel {
  readonly name: string;
  readonly order?: number;
  readonly selector: Selector;
  /** Directions governed; absent means both, as a calicoctl v1 policy does. */
  readonly types?: readonly PolicyType[];
  readonly ingress: readonly ResolvedRule[];
  readonly egress: readonly ResolvedRule[];
}

/** A profile ready to render. */
export interface ProfileModel {
  readonly name: string;
  readonly tags: readonly string[];
  readonly labels: Readonly<Record<string, string>>;
  readonly ingress: readonly ResolvedRule[];
  readonly egress: readonly ResolvedRule[];
}

/**
 * A policy as calicoctl input: v1 `policy`, or v3 `GlobalNetworkPolicy`
 * with explicit `types` so it governs the same directions as in v1.
 */
export function renderPolicy(p: PolicyModel, version: CalicoVersion): JsonValue {
  if (version === 'v1') {
    return {
      apiVersion: 'v1',
      kind: 'policy',
      metadata: { name: p.name },
      spec: { order: p.order, selector: p.selector.toString(), ingress: p.ingress.map(ruleV1), egress: p.egress.map(ruleV1) },
    };
  }
  const types = (p.types ?? ['ingress', 'egress']).map((t) => (t === 'ingress' ? 'Ingress' : 'Egress'));
  return {
    apiVersion: 'projectcalico.org/v3',
    kind: 'GlobalNetworkPolicy',
    metadata: { name: p.name },
    spec: {
      order: p.order,
      selector: p.selector.toString(),
      types,
      ingress: p.ingress.length ? p.ingress.map(ruleV3) : undefined,
      egress: p.egress.length ? p.egress.map(ruleV3) : undefined,
    },
  };
}

/** A profile as calicoctl input: v1 tags and labels, or v3 `labelsToApply` (each tag a label with value ""). */
export function renderProfile(p: ProfileModel, version: CalicoVersion): JsonValue {
  if (version === 'v1') {
    return {
      apiVersion: 'v1',
      kind: 'profile',
      metadata: { name: p.name, tags: p.tags.length ? p.tags : undefined, labels: Object.keys(p.labels).length ? p.labels : undefined },
      spec: { ingress: p.ingress.map(ruleV1), egress: p.egress.map(ruleV1) },
    };
  }
  const labelsToApply: Record<string, string> = { ...p.labels };
  for (const t of p.tags) labelsToApply[t] = '';
  return {
    apiVersion: 'projectcalico.org/v3',
    kind: 'Profile',
    metadata: { name: p.name },
    spec: {
      labelsToApply: Object.keys(labelsToApply).length ? labelsToApply : undefined,
      ingress: p.ingress.length ? p.ingress.map(ruleV3) : undefined,
      egress: p.egress.length ? p.egress.map(ruleV3) : undefined,
    },
  };
}
