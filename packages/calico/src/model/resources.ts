import type { Selector } from '../selector/index.js';
import type { RuleProps } from './rule.js';

/** Direction a policy governs. */
export type PolicyType = 'ingress' | 'egress';

/** IP-in-IP encapsulation of a pool: v1 `ipip.{enabled, mode}`, v3 `ipipMode`. */
export type IpipMode = 'always' | 'cross-subnet' | 'never';

/**
 * Where a policy lives: `global` is a calicoctl v1 `policy` or a Calico v3
 * `GlobalNetworkPolicy`; `namespace` is a Calico v3 `NetworkPolicy`, which
 * only selects, and whose rule selectors only match, endpoints of its
 * namespace. calicoctl v1 has no namespaces and writes both as `policy`.
 */
export type PolicyScope = 'global' | 'namespace';

/**
 * A Calico policy in the version-neutral rule model: what calicoctl v1
 * `policy`, v3 `GlobalNetworkPolicy` and v3 `NetworkPolicy` files say.
 * `types` absent means both directions, as a calicoctl v1 policy always
 * governs both.
 */
export interface PolicyResource {
  readonly kind: 'policy';
  /** Calico name. */
  readonly name: string;
  /** Global or namespaced. */
  readonly scope: PolicyScope;
  /** Namespace of a namespaced policy (calicoctl fills in `default`). */
  readonly namespace?: string;
  /** Ascending order; absent sorts after every ordered policy. */
  readonly order?: number;
  /** The endpoints the policy applies to; `''` or `all()` selects every endpoint. */
  readonly selector: Selector | string;
  /** Directions governed; absent governs both. */
  readonly types?: readonly PolicyType[];
  /** Ingress rules, in order. */
  readonly ingress: readonly RuleProps[];
  /** Egress rules, in order. */
  readonly egress: readonly RuleProps[];
  /** Untracked policy (host endpoints only). */
  readonly doNotTrack?: boolean;
  /** Applied before DNAT (host endpoints; Calico v3 and calicoctl v1.4+). */
  readonly preDNAT?: boolean;
  /** Also applied to forwarded traffic (host endpoints; Calico v3). */
  readonly applyOnForward?: boolean;
}

/** A Calico profile: v1 tags and labels, v3 `labelsToApply` (each tag a label with value ""). */
export interface ProfileResource {
  readonly kind: 'profile';
  /** Calico name. */
  readonly name: string;
  /** v1 tags. */
  readonly tags: readonly string[];
  /** Labels the profile gives its endpoints. */
  readonly labels: Readonly<Record<string, string>>;
  /** Ingress rules, in order. */
  readonly ingress: readonly RuleProps[];
  /** Egress rules, in order. */
  readonly egress: readonly RuleProps[];
}

/** A Calico IP pool: v1 `ipPool` (named by its CIDR) or v3 `IPPool`. */
export interface IpPoolResource {
  readonly kind: 'ipPool';
  /** v3 name (required there); a v1 pool has none. */
  readonly name?: string;
  /** The pool's network, strictly masked. */
  readonly cidr: string;
  /** IP-in-IP mode; absent means the client default (off). */
  readonly ipipMode?: IpipMode;
  /** Masquerade traffic leaving the pools. */
  readonly natOutgoing?: boolean;
  /** No new addresses are allocated from the pool. */
  readonly disabled?: boolean;
}

/** Any Calico resource of the rule model. */
export type CalicoResource = PolicyResource | ProfileResource | IpPoolResource;
