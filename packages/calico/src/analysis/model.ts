/**
 * The network model the connectivity analysis works on: what a bundle (or a set of plain
 * Marathon and calicoctl files) says about endpoints, profiles, policies and the addresses
 * outside the cluster. Build one with `buildNetworkModel`, `loadBundleModel` or
 * `loadFilesModel`.
 *
 * @module
 */

import type { Selector } from '../selector/index.js';
import type { Cidr } from '../model/cidr.js';
import type { RuleAction } from '../model/rule.js';

/** The Calico API the resources were written for: calicoctl v1 (`apiVersion: v1`) or v3. */
export type CalicoApiVersion = 'v1' | 'v3';

/** A direction of policy: `ingress` polices traffic to an endpoint, `egress` traffic from it. */
export type Direction = 'ingress' | 'egress';

/** An inclusive port range, 1-65535. */
export interface PortInterval {
  /** First port. */
  readonly from: number;
  /** Last port (equal to `from` for one port). */
  readonly to: number;
}

/** Where something was read from, for messages. Lines and columns count from 1. */
export interface SourceLocation {
  /** The file (a bundle-relative path for bundles, the path given for plain files). */
  readonly file: string;
  /** Line of the resource, when known. */
  readonly line?: number;
  /** Column of the resource, when known. */
  readonly column?: number;
}

/** A port an app declares (Marathon 1.4 `ipAddress.discovery.ports`, 1.5+ `portMappings`). */
export interface DeclaredPort {
  /** Port number inside the container. */
  readonly port: number;
  /** Its protocol. A Marathon `"udp,tcp"` port is declared once per protocol. */
  readonly protocol: 'tcp' | 'udp';
  /** The port's name, when it has one. */
  readonly name?: string;
}

/**
 * A Calico workload endpoint: one Marathon app on one Calico network, as the CNI plugin
 * creates it for every instance. All instances share labels and profiles, so the app is
 * analyzed as one endpoint standing at `address`.
 */
export interface ModelEndpoint {
  /** Endpoint id: the Marathon app id (`/frontend`), or `<app id>@<network>` when the app joins several Calico networks. */
  readonly id: string;
  /** The Marathon app id, absolute (`/frontend`). */
  readonly appId: string;
  /** The CNI network name (also the endpoint's only profile, as the CNI plugin sets it). */
  readonly network: string;
  /** Labels exactly as the CNI plugin gives them: Marathon `ipAddress.labels` (1.4) or `networks[].labels` (1.5+). */
  readonly labels: Readonly<Record<string, string>>;
  /** Profile ids, in order; the CNI plugin sets `[network]`. */
  readonly profiles: readonly string[];
  /** Ports the app declares. */
  readonly ports: readonly DeclaredPort[];
  /** Number of instances (Marathon `instances`). */
  readonly instances: number;
  /** An IPv4 address from the network's pool that stands for the endpoint in `net`/`notNet` matches. */
  readonly address: string;
  /** An IPv6 address standing for the endpoint in IPv6 flows, when the model has any. */
  readonly address6?: string;
  /** Construct that emitted the app, when read from a bundle. */
  readonly constructPath?: string;
  /** File the app was read from. */
  readonly location?: SourceLocation;
}

/** ICMP type and code criteria; an absent field matches any value. */
export interface ModelIcmp {
  /** ICMP type. */
  readonly type?: number;
  /** ICMP code. */
  readonly code?: number;
}

/** One side of a rule, normalized; every criterion given must match. */
export interface ModelEntity {
  /** Calico endpoints whose effective labels match. */
  readonly selector?: Selector;
  /** Anything but Calico endpoints whose effective labels match. */
  readonly notSelector?: Selector;
  /** Calico endpoints that have this tag (`has(tag)`). */
  readonly tag?: string;
  /** Anything but Calico endpoints that have this tag. */
  readonly notTag?: string;
  /** Addresses in any of these networks (empty: no constraint). */
  readonly nets: readonly Cidr[];
  /** Addresses outside all of these networks. */
  readonly notNets: readonly Cidr[];
  /** Numeric ports; `undefined` means any port. Named ports (v3) are left out: DC/OS endpoints declare none to Calico, so they never match. */
  readonly ports?: readonly PortInterval[];
  /** Ports excluded. */
  readonly notPorts: readonly PortInterval[];
  /** Named ports the rule gave (v3), kept for messages. */
  readonly namedPorts?: readonly string[];
}

/** A policy or profile rule, normalized: protocols as IANA numbers, nets parsed. */
export interface ModelRule {
  /** What the rule does on a match. */
  readonly action: RuleAction;
  /** Only this IP version. */
  readonly ipVersion?: 4 | 6;
  /** Only this protocol number (tcp = 6, udp = 17, icmp = 1, icmpv6 = 58, sctp = 132, udplite = 136). */
  readonly protocol?: number;
  /** Any protocol but this number. */
  readonly notProtocol?: number;
  /** ICMP type/code. */
  readonly icmp?: ModelIcmp;
  /** Any ICMP but this type/code. */
  readonly notICMP?: ModelIcmp;
  /** The packet's source. */
  readonly source: ModelEntity;
  /** The packet's destination. */
  readonly destination: ModelEntity;
}

/** A Calico policy (v1 `policy`, v3 `GlobalNetworkPolicy` or `NetworkPolicy`). */
export interface ModelPolicy {
  /** Name as Felix sorts it (`<namespace>/<name>` for a v3 NetworkPolicy). */
  readonly name: string;
  /** Order; `undefined` sorts last (+∞). */
  readonly order?: number;
  /** Endpoints the policy applies to. */
  readonly selector: Selector;
  /** Directions governed; `undefined` governs both (v1, or a backend policy written without types). */
  readonly types?: readonly Direction[];
  /** Ingress rules, in order. */
  readonly ingress: readonly ModelRule[];
  /** Egress rules, in order. */
  readonly egress: readonly ModelRule[];
  /** Construct that emitted it, when read from a bundle. */
  readonly constructPath?: string;
  /** File it was read from. */
  readonly location?: SourceLocation;
}

/** A Calico profile. */
export interface ModelProfile {
  /** Profile name (the CNI network's name for the network's profile). */
  readonly name: string;
  /** v1 tags; each is also a label with value `""`. */
  readonly tags: readonly string[];
  /** Labels the profile gives its endpoints (v1 `metadata.labels`, v3 `spec.labelsToApply`). */
  readonly labels: Readonly<Record<string, string>>;
  /** Ingress rules. */
  readonly ingress: readonly ModelRule[];
  /** Egress rules. */
  readonly egress: readonly ModelRule[];
  /** True for a profile the input did not contain: the CNI plugin's default (calico.md §6). */
  readonly builtIn: boolean;
  /** Construct that emitted it, when read from a bundle. */
  readonly constructPath?: string;
  /** File it was read from. */
  readonly location?: SourceLocation;
}

/**
 * Addresses outside the cluster. A peer stands for the address region of its CIDR minus the
 * CIDRs of more specific peers and minus every container address, so each peer is matched
 * by a rule's `nets` exactly when its CIDR lies inside one of them.
 */
export interface ExternalPeer {
  /** Display name: a declared name (`LAN`), `Internet` for 0.0.0.0/0, `Internet (IPv6)` for ::/0, else the CIDR. */
  readonly name: string;
  /** The network. */
  readonly cidr: Cidr;
  /** True when the peer was declared by the caller rather than found in a rule. */
  readonly declared: boolean;
}

/** A problem found while reading the input, or by the analysis. Same shape as core's `Diagnostic`, with `constructPath` optional. */
export interface AnalysisFinding {
  /** `error` for what breaks isolation or cannot be deployed as written, `warning` otherwise. */
  readonly severity: 'error' | 'warning';
  /** Short rule id, e.g. `analysis/cross-environment-flow`. */
  readonly rule: string;
  /** What is wrong. */
  readonly message: string;
  /** The construct at fault, when the input came from a bundle. */
  readonly constructPath?: string;
  /** How to fix it. */
  readonly fix: string;
}

/** Everything the analysis needs, normalized. */
export interface NetworkModel {
  /** The Calico API of the resources. */
  readonly apiVersion: CalicoApiVersion;
  /** Every Calico endpoint, in input order. */
  readonly endpoints: readonly ModelEndpoint[];
  /** Every policy, in input order (the engine sorts them as Felix does). */
  readonly policies: readonly ModelPolicy[];
  /** Every profile, including built-in defaults for networks without one. */
  readonly profiles: readonly ModelProfile[];
  /** External peers: every CIDR a rule names, the declared ones, and the Internet. */
  readonly peers: readonly ExternalPeer[];
  /** IP pools endpoints take addresses from. */
  readonly pools: readonly Cidr[];
  /** Problems found while reading the input (duplicate names, rules Calico would reject...). */
  readonly diagnostics: readonly AnalysisFinding[];
}
