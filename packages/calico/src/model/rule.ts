import type { Selector } from '../selector/index.js';

/** What a rule does when it matches. */
export type RuleAction = 'allow' | 'deny' | 'log' | 'pass';

/** Protocol names Calico accepts (lower case; v3 output capitalizes them). */
export type ProtocolName = 'tcp' | 'udp' | 'icmp' | 'icmpv6' | 'sctp' | 'udplite';

/** A protocol by name or IANA number (1-255). */
export type Protocol = ProtocolName | number;

/** An inclusive port range. */
export interface PortRange {
  readonly from: number;
  readonly to: number;
}

/** A port number, a range, or (Calico v3 only) a named port. */
export type Port = number | PortRange | string;

/** ICMP type and optional code. */
export interface IcmpMatch {
  /** ICMP type, 0-254 (8 is echo request). @default any type */
  readonly type?: number;
  /** ICMP code, 0-255; needs a type. @default any code */
  readonly code?: number;
}

/** One side (source or destination) of a rule; all given criteria must match. */
export interface EntityRule {
  /**
   * Endpoints whose labels match. A string is parsed for the cluster's
   * Calico version. Matches only Calico endpoints.
   * @default any endpoint or address
   */
  readonly selector?: Selector | string;
  /** Anything except endpoints whose labels match (non-Calico addresses match). @default nothing excluded */
  readonly notSelector?: Selector | string;
  /**
   * Calico v3 only: endpoints in namespaces whose labels match; `global()`
   * (Calico v3.15+) means endpoints in no namespace. calicoctl v1 has no
   * namespaces.
   * @default the policy's own namespace (NetworkPolicy) or any (GlobalNetworkPolicy)
   */
  readonly namespaceSelector?: Selector | string;
  /**
   * Addresses inside any of these CIDRs (a bare address means /32 or /128).
   * calicoctl v1.3 takes at most one (it writes `net`).
   * @default any address
   */
  readonly nets?: readonly string[];
  /** Addresses outside all of these CIDRs. calicoctl v1.3 takes at most one (`notNet`). @default nothing excluded */
  readonly notNets?: readonly string[];
  /** Ports (needs protocol tcp or udp; sctp too on Calico v3). @default any port */
  readonly ports?: readonly Port[];
  /** Any port but these (needs protocol tcp or udp; sctp too on Calico v3). @default nothing excluded */
  readonly notPorts?: readonly Port[];
  /** Endpoints whose profile has this tag: the same as the selector `has(tag)`, which is what Calico v3 output says. @default none */
  readonly tag?: string;
  /** Anything without this tag: the same as the notSelector `has(tag)`. @default none */
  readonly notTag?: string;
}

/** A Calico policy or profile rule. Criteria are ANDed; list entries are ORed. */
export interface RuleProps {
  /** What to do on a match: `allow` and `deny` decide, `log` logs and goes on, `pass` skips to the profiles. */
  readonly action: RuleAction;
  /** Match only IPv4 or IPv6. @default both */
  readonly ipVersion?: 4 | 6;
  /** Match only this protocol. @default any */
  readonly protocol?: Protocol;
  /** Match any protocol but this one. @default none excluded */
  readonly notProtocol?: Protocol;
  /** ICMP type/code; needs protocol icmp or icmpv6. @default any */
  readonly icmp?: IcmpMatch;
  /** Any ICMP but this type/code; needs protocol icmp or icmpv6 to mean anything. @default nothing excluded */
  readonly notICMP?: IcmpMatch;
  /** Where the packet comes from. @default anywhere */
  readonly source?: EntityRule;
  /** Where the packet goes. @default anywhere */
  readonly destination?: EntityRule;
}

/** Builders for common rules. */
export const Rule = {
  /** An allow rule with the given criteria. */
  allow(criteria: Omit<RuleProps, 'action'> = {}): RuleProps {
    return { action: 'allow', ...criteria };
  },
  /** A deny rule with the given criteria. */
  deny(criteria: Omit<RuleProps, 'action'> = {}): RuleProps {
    return { action: 'deny', ...criteria };
  },
  /** A log rule: logs matching packets and goes on with the next rule. */
  log(criteria: Omit<RuleProps, 'action'> = {}): RuleProps {
    return { action: 'log', ...criteria };
  },
  /** A pass rule: skips the remaining policies; the endpoint's profiles decide. */
  pass(criteria: Omit<RuleProps, 'action'> = {}): RuleProps {
    return { action: 'pass', ...criteria };
  },
  /** Allows ICMP echo requests (ping) from `source`; the protocol is set for you. */
  allowPing(source: EntityRule = {}): RuleProps {
    return { action: 'allow', protocol: 'icmp', icmp: { type: 8 }, source };
  },
} as const;
