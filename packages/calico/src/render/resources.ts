import type { JsonValue } from '@dcos-cdk/core';
import type { CalicoVersion } from '@dcos-cdk/dcos';
import type { Selector } from '../selector/index.js';
import type { ResolvedRule } from '../model/resolve.js';
import type { IpipMode, PolicyScope, PolicyType } from '../model/resources.js';
import { ruleV1 } from './rule-v1.js';
import { ruleV3 } from './rule-v3.js';

export type { PolicyType } from '../model/resources.js';

/** A policy ready to render: checked for the target version. */
export interface PolicyModel {
  readonly name: string;
  /** @default 'global' */
  readonly scope?: PolicyScope;
  /** Namespace of a namespaced policy. @default 'default' */
  readonly namespace?: string;
  readonly order?: number;
  readonly selector: Selector;
  /** Directions governed; absent means both, as a calicoctl v1 policy does. */
  readonly types?: readonly PolicyType[];
  readonly ingress: readonly ResolvedRule[];
  readonly egress: readonly ResolvedRule[];
  readonly doNotTrack?: boolean;
  readonly preDNAT?: boolean;
  readonly applyOnForward?: boolean;
}

/** A profile ready to render. */
export interface ProfileModel {
  readonly name: string;
  readonly tags: readonly string[];
  readonly labels: Readonly<Record<string, string>>;
  readonly ingress: readonly ResolvedRule[];
  readonly egress: readonly ResolvedRule[];
}

/** An IP pool ready to render. */
export interface IpPoolModel {
  readonly name?: string;
  /** Canonical, strictly masked CIDR. */
  readonly cidr: string;
  readonly ipipMode?: IpipMode;
  readonly natOutgoing?: boolean;
  readonly disabled?: boolean;
}

const TYPE_V3 = { ingress: 'Ingress', egress: 'Egress' } as const;
const IPIP_V3 = { always: 'Always', 'cross-subnet': 'CrossSubnet', never: 'Never' } as const;

/**
 * A policy as calicoctl input: v1 `policy` (never with a field calicoctl
 * v1.3 rejects), or v3 `GlobalNetworkPolicy` / `NetworkPolicy` with explicit
 * `types`, so it governs the same directions as in v1.
 */
export function renderPolicy(p: PolicyModel, version: CalicoVersion): JsonValue {
  if (version === 'v1') {
    return {
      apiVersion: 'v1',
      kind: 'policy',
      metadata: { name: p.name },
      spec: {
        order: p.order,
        selector: p.selector.toString(),
        ingress: p.ingress.map(ruleV1),
        egress: p.egress.map(ruleV1),
        doNotTrack: p.doNotTrack || undefined,
      },
    };
  }
  // calicoctl v3 would default absent types from the rules; explicit types keep the v1 meaning.
  const types = p.types ?? (p.preDNAT ? ['ingress'] : ['ingress', 'egress']);
  const namespaced = p.scope === 'namespace';
  return {
    apiVersion: 'projectcalico.org/v3',
    kind: namespaced ? 'NetworkPolicy' : 'GlobalNetworkPolicy',
    metadata: { name: p.name, namespace: namespaced ? (p.namespace ?? 'default') : undefined },
    spec: {
      order: p.order,
      selector: p.selector.toString(),
      types: types.map((t) => TYPE_V3[t]),
      ingress: p.ingress.length ? p.ingress.map(ruleV3) : undefined,
      egress: p.egress.length ? p.egress.map(ruleV3) : undefined,
      doNotTrack: p.doNotTrack,
      preDNAT: p.preDNAT,
      applyOnForward: p.applyOnForward,
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
  return {
    apiVersion: 'projectcalico.org/v3',
    kind: 'Profile',
    metadata: { name: p.name },
    spec: {
      labelsToApply: labelsToApply(p),
      ingress: p.ingress.length ? p.ingress.map(ruleV3) : undefined,
      egress: p.egress.length ? p.egress.map(ruleV3) : undefined,
    },
  };
}

/**
 * A profile's v3 `labelsToApply`: its labels, then each tag as a label with
 * value "". A label that shares a tag's key keeps its value, as v1's effective
 * labels (labels before tags) do.
 */
export function labelsToApply(p: Pick<ProfileModel, 'labels' | 'tags'>): Record<string, string> | undefined {
  const out: Record<string, string> = {};
  for (const t of p.tags) out[t] = '';
  Object.assign(out, p.labels);
  const keys = Object.keys(out).sort();
  if (keys.length === 0) return undefined;
  return Object.fromEntries(keys.map((k) => [k, out[k]!]));
}

/**
 * An IP pool as calicoctl input: v1 `ipPool` (`metadata.cidr`,
 * `spec.ipip.{enabled, mode}`, `spec.nat-outgoing`, `spec.disabled`) or v3
 * `IPPool` (`metadata.name`, `spec.cidr`, `ipipMode`, `natOutgoing`, `disabled`).
 */
export function renderIpPool(p: IpPoolModel, version: CalicoVersion): JsonValue {
  if (version === 'v1') {
    const ipip = p.ipipMode === undefined ? undefined : p.ipipMode === 'never' ? { enabled: false } : { enabled: true, mode: p.ipipMode };
    return {
      apiVersion: 'v1',
      kind: 'ipPool',
      metadata: { cidr: p.cidr },
      spec: { ipip, 'nat-outgoing': p.natOutgoing, disabled: p.disabled },
    };
  }
  return {
    apiVersion: 'projectcalico.org/v3',
    kind: 'IPPool',
    metadata: { name: p.name },
    spec: { cidr: p.cidr, ipipMode: p.ipipMode && IPIP_V3[p.ipipMode], natOutgoing: p.natOutgoing, disabled: p.disabled },
  };
}
