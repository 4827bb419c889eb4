/**
 * Turns plain data (the shapes calicoctl and Marathon use, selectors as strings) into a
 * {@link NetworkModel}: selectors parsed and interned, protocols and ports normalized,
 * default profiles added, endpoint addresses assigned and external peers collected.
 *
 * @module
 */

import { SelectorInterner, type Selector } from '../selector/index.js';
import { parseCidr, type Cidr } from '../model/cidr.js';
import type { RuleAction } from '../model/rule.js';
import type {
  AnalysisFinding,
  CalicoApiVersion,
  DeclaredPort,
  Direction,
  ExternalPeer,
  ModelEndpoint,
  ModelEntity,
  ModelIcmp,
  ModelPolicy,
  ModelProfile,
  ModelRule,
  NetworkModel,
  PortInterval,
  SourceLocation,
} from './model.js';
import { defaultProfileSpec, DEFAULT_POOL_V4, DEFAULT_POOL_V6, nthAddress4, nthAddress6 } from './defaults.js';

/** One side of a rule as calicoctl writes it (v1 `net` is given here as `nets: [net]`). */
export interface EntitySpec {
  /** Selector text. */
  readonly selector?: string;
  /** Selector text. */
  readonly notSelector?: string;
  /** v1 tag. */
  readonly tag?: string;
  /** v1 tag. */
  readonly notTag?: string;
  /** CIDRs or bare addresses. */
  readonly nets?: readonly string[];
  /** CIDRs or bare addresses. */
  readonly notNets?: readonly string[];
  /** Ports: numbers, `"N"`, `"from:to"`, or (v3) port names. */
  readonly ports?: ReadonlyArray<number | string>;
  /** Ports excluded, same forms. */
  readonly notPorts?: ReadonlyArray<number | string>;
}

/** A rule as calicoctl writes it; actions and protocol names in either case. */
export interface RuleSpec {
  /** `allow`, `deny`, `log` or `pass` (any case). */
  readonly action: string;
  /** 4 or 6. */
  readonly ipVersion?: number;
  /** A protocol name (any case) or number, or a numeric string. */
  readonly protocol?: string | number;
  /** A protocol name or number. */
  readonly notProtocol?: string | number;
  /** ICMP type/code. */
  readonly icmp?: ModelIcmp;
  /** ICMP type/code excluded. */
  readonly notICMP?: ModelIcmp;
  /** The packet's source. */
  readonly source?: EntitySpec;
  /** The packet's destination. */
  readonly destination?: EntitySpec;
}

/** A policy as plain data. */
export interface PolicySpec {
  /** Name. */
  readonly name: string;
  /** Order; absent sorts last. */
  readonly order?: number;
  /** Selector text; empty or absent means `all()`. */
  readonly selector?: string;
  /** Directions governed; absent governs both. */
  readonly types?: readonly Direction[];
  /** Ingress rules. */
  readonly ingress?: readonly RuleSpec[];
  /** Egress rules. */
  readonly egress?: readonly RuleSpec[];
  /** Construct path, from a bundle manifest. */
  readonly constructPath?: string;
  /** Where it was read from. */
  readonly location?: SourceLocation;
}

/** A profile as plain data. */
export interface ProfileSpec {
  /** Name. */
  readonly name: string;
  /** v1 tags. */
  readonly tags?: readonly string[];
  /** Labels applied to its endpoints. */
  readonly labels?: Readonly<Record<string, string>>;
  /** Ingress rules. */
  readonly ingress?: readonly RuleSpec[];
  /** Egress rules. */
  readonly egress?: readonly RuleSpec[];
  /** Construct path, from a bundle manifest. */
  readonly constructPath?: string;
  /** Where it was read from. */
  readonly location?: SourceLocation;
}

/** An endpoint as plain data. */
export interface EndpointSpec {
  /** Endpoint id (usually the Marathon app id). */
  readonly id: string;
  /** Marathon app id. @default id */
  readonly appId?: string;
  /** CNI network. @default 'calico' */
  readonly network?: string;
  /** Labels. @default {} */
  readonly labels?: Readonly<Record<string, string>>;
  /** Profile ids. @default [network] */
  readonly profiles?: readonly string[];
  /** Declared ports. @default [] */
  readonly ports?: readonly DeclaredPort[];
  /** Instances. @default 1 */
  readonly instances?: number;
  /** IPv4 address. @default the next address of the first IPv4 pool */
  readonly address?: string;
  /** IPv6 address. @default the next address of the IPv6 pool, when the model uses IPv6 */
  readonly address6?: string;
  /** Construct path, from a bundle manifest. */
  readonly constructPath?: string;
  /** Where it was read from. */
  readonly location?: SourceLocation;
}

/** An external peer declared by the caller, e.g. `{ name: 'LAN', cidr: '10.20.0.0/16' }`. */
export interface PeerSpec {
  /** Display name. */
  readonly name: string;
  /** CIDR. */
  readonly cidr: string;
}

/** A whole model as plain data. */
export interface ModelSpec {
  /** Calico API. @default 'v1' */
  readonly apiVersion?: CalicoApiVersion;
  /** Endpoints. */
  readonly endpoints: readonly EndpointSpec[];
  /** Policies. */
  readonly policies?: readonly PolicySpec[];
  /** Profiles; networks without one get the CNI plugin's default. */
  readonly profiles?: readonly ProfileSpec[];
  /** Declared external peers. */
  readonly peers?: readonly PeerSpec[];
  /** IP pools. @default ['192.168.0.0/16'] */
  readonly pools?: readonly string[];
  /** Problems found by the reader. */
  readonly diagnostics?: readonly AnalysisFinding[];
}

/** Options of {@link buildNetworkModel}. */
export interface BuildModelOptions {
  /** Interner to parse selectors with; share one between models you will diff. */
  readonly interner?: SelectorInterner;
}

/** Invalid model data; `path` points at the offending value inside the {@link ModelSpec}. */
export class ModelError extends Error {
  /** Path of the bad value, e.g. `['policies', 2, 'ingress', 0, 'source', 'nets', 0]`. */
  public readonly path: ReadonlyArray<string | number>;

  constructor(message: string, path: ReadonlyArray<string | number>) {
    super(message);
    this.name = 'ModelError';
    this.path = path;
  }
}

type Path = ReadonlyArray<string | number>;

const PROTOCOL_NUMBERS: Readonly<Record<string, number>> = { icmp: 1, tcp: 6, udp: 17, icmpv6: 58, sctp: 132, udplite: 136 };
const ACTIONS: readonly RuleAction[] = ['allow', 'deny', 'log', 'pass'];

/**
 * Builds a model from plain data.
 *
 * @throws {@link ModelError} on a bad selector, CIDR, port, protocol or action, with the path
 * of the value
 */
export function buildNetworkModel(spec: ModelSpec, options: BuildModelOptions = {}): NetworkModel {
  const apiVersion = spec.apiVersion ?? 'v1';
  const interner = options.interner ?? new SelectorInterner();
  const grammar = { calicoVersion: apiVersion } as const;
  const sel = (text: string | undefined, path: Path): Selector | undefined => {
    if (text === undefined) return undefined;
    try {
      return interner.parse(text, grammar);
    } catch (e) {
      throw new ModelError((e as Error).message, path);
    }
  };
  const cidrs: Cidr[] = [];
  const rule = (r: RuleSpec, path: Path): ModelRule => {
    const action = String(r.action).toLowerCase() as RuleAction;
    if (!ACTIONS.includes(action)) throw new ModelError(`action '${String(r.action)}' is not one of allow, deny, log, pass.`, [...path, 'action']);
    if (r.ipVersion !== undefined && r.ipVersion !== 4 && r.ipVersion !== 6) throw new ModelError(`ipVersion ${String(r.ipVersion)} is neither 4 nor 6.`, [...path, 'ipVersion']);
    const entity = (e: EntitySpec | undefined, side: 'source' | 'destination'): ModelEntity => {
      const p = [...path, side];
      const nets = (e?.nets ?? []).map((n, i) => net(n, [...p, 'nets', i], cidrs));
      const notNets = (e?.notNets ?? []).map((n, i) => net(n, [...p, 'notNets', i], cidrs));
      const named: string[] = [];
      const ports = e?.ports && e.ports.length > 0 ? e.ports.flatMap((x, i) => port(x, [...p, 'ports', i], named)) : undefined;
      const notPorts = (e?.notPorts ?? []).flatMap((x, i) => port(x, [...p, 'notPorts', i], named));
      return {
        selector: sel(e?.selector, [...p, 'selector']),
        notSelector: sel(e?.notSelector, [...p, 'notSelector']),
        tag: e?.tag,
        notTag: e?.notTag,
        nets,
        notNets,
        ports,
        notPorts,
        namedPorts: named.length ? named : undefined,
      };
    };
    return {
      action,
      ipVersion: r.ipVersion as 4 | 6 | undefined,
      protocol: protocolNumber(r.protocol, [...path, 'protocol']),
      notProtocol: protocolNumber(r.notProtocol, [...path, 'notProtocol']),
      icmp: r.icmp ? { type: r.icmp.type, code: r.icmp.code } : undefined,
      notICMP: r.notICMP ? { type: r.notICMP.type, code: r.notICMP.code } : undefined,
      source: entity(r.source, 'source'),
      destination: entity(r.destination, 'destination'),
    };
  };
  const rules = (list: readonly RuleSpec[] | undefined, path: Path): ModelRule[] => (list ?? []).map((r, i) => rule(r, [...path, i]));

  const policies: ModelPolicy[] = (spec.policies ?? []).map((p, i) => ({
    name: p.name,
    order: p.order,
    selector: sel(p.selector ?? '', ['policies', i, 'selector'])!,
    types: p.types,
    ingress: rules(p.ingress, ['policies', i, 'ingress']),
    egress: rules(p.egress, ['policies', i, 'egress']),
    constructPath: p.constructPath,
    location: p.location,
  }));
  const profileOf = (p: ProfileSpec, path: Path, builtIn: boolean): ModelProfile => ({
    name: p.name,
    tags: p.tags ?? [],
    labels: p.labels ?? {},
    ingress: rules(p.ingress, [...path, 'ingress']),
    egress: rules(p.egress, [...path, 'egress']),
    builtIn,
    constructPath: p.constructPath,
    location: p.location,
  });
  const profiles: ModelProfile[] = (spec.profiles ?? []).map((p, i) => profileOf(p, ['profiles', i], false));
  const known = new Set(profiles.map((p) => p.name));
  for (const e of spec.endpoints) {
    const network = e.network ?? 'calico';
    if (!known.has(network)) {
      known.add(network);
      profiles.push(profileOf(defaultProfileSpec(network, apiVersion), ['endpoints'], true));
    }
  }

  const pools = (spec.pools ?? [DEFAULT_POOL_V4]).map((p, i) => net(p, ['pools', i], []));
  const pool4 = pools.find((p) => p.version === 4) ?? parseCidr(DEFAULT_POOL_V4)!;
  const declaredPeers = (spec.peers ?? []).map((p, i) => ({ name: p.name, cidr: net(p.cidr, ['peers', i, 'cidr'], []) }));
  const usesV6 = [...cidrs, ...declaredPeers.map((p) => p.cidr)].some((c) => c.version === 6);
  const pool6 = pools.find((p) => p.version === 6) ?? parseCidr(DEFAULT_POOL_V6)!;
  const endpoints: ModelEndpoint[] = spec.endpoints.map((e, i) => {
    const network = e.network ?? 'calico';
    const address = e.address ?? nthAddress4(pool4, i + 1);
    if (parseCidr(address)?.version !== 4) throw new ModelError(`address '${address}' is not an IPv4 address.`, ['endpoints', i, 'address']);
    return {
      id: e.id,
      appId: e.appId ?? e.id,
      network,
      labels: e.labels ?? {},
      profiles: e.profiles ?? [network],
      ports: e.ports ?? [],
      instances: e.instances ?? 1,
      address,
      address6: e.address6 ?? (usesV6 ? nthAddress6(pool6, i + 1) : undefined),
      constructPath: e.constructPath,
      location: e.location,
    };
  });
  return {
    apiVersion,
    endpoints,
    policies,
    profiles,
    peers: collectPeers(declaredPeers, cidrs, endpoints),
    pools,
    diagnostics: spec.diagnostics ?? [],
  };
}

function net(text: string, path: Path, into: Cidr[]): Cidr {
  const c = typeof text === 'string' ? parseCidr(text.trim()) : undefined;
  if (!c) throw new ModelError(`'${String(text)}' is not an IP address or CIDR.`, path);
  into.push(c);
  return c;
}

function protocolNumber(p: string | number | undefined, path: Path): number | undefined {
  if (p === undefined) return undefined;
  const n = typeof p === 'number' ? p : /^\d+$/.test(p) ? Number(p) : PROTOCOL_NUMBERS[p.toLowerCase()];
  if (n === undefined || !Number.isInteger(n) || n < 1 || n > 255) {
    throw new ModelError(`protocol '${String(p)}' is not one of tcp, udp, icmp, icmpv6, sctp, udplite or a number from 1 to 255.`, path);
  }
  return n;
}

function port(p: number | string, path: Path, named: string[]): PortInterval[] {
  let from: number;
  let to: number;
  if (typeof p === 'number') {
    from = to = p;
  } else if (/^\d+$/.test(p)) {
    from = to = Number(p);
  } else if (/^\d+:\d+$/.test(p)) {
    [from, to] = p.split(':').map(Number) as [number, number];
  } else if (/^[a-zA-Z0-9_.-]{1,128}$/.test(p)) {
    named.push(p);
    return [];
  } else {
    throw new ModelError(`port '${p}' is neither a number, a range "from:to" nor a port name.`, path);
  }
  if (!Number.isInteger(from) || !Number.isInteger(to) || from < 1 || to > 65535 || from > to) {
    throw new ModelError(`port ${String(p)} is not a port or range within 1-65535.`, path);
  }
  return [{ from, to }];
}

/**
 * The external peers: the declared ones, every CIDR a rule names, and the Internet
 * (0.0.0.0/0, plus ::/0 when the model uses IPv6). A host route (/32, /128) to an endpoint's
 * own address stands for no address outside the cluster and is left out.
 */
function collectPeers(declared: ReadonlyArray<{ name: string; cidr: Cidr }>, named: readonly Cidr[], endpoints: readonly ModelEndpoint[]): ExternalPeer[] {
  const byText = new Map<string, ExternalPeer>();
  const containerHosts = new Set<string>();
  for (const e of endpoints) {
    containerHosts.add(`${e.address}/32`);
    if (e.address6) containerHosts.add(parseCidr(e.address6)!.text);
  }
  for (const d of declared) if (!byText.has(d.cidr.text)) byText.set(d.cidr.text, { name: d.name, cidr: d.cidr, declared: true });
  const internet = parseCidr('0.0.0.0/0')!;
  const all: Cidr[] = [internet, ...named];
  if (all.some((c) => c.version === 6) || declared.some((d) => d.cidr.version === 6)) all.push(parseCidr('::/0')!);
  for (const c of all) {
    if (byText.has(c.text) || containerHosts.has(c.text)) continue;
    const name = c.prefix === 0 ? (c.version === 4 ? 'Internet' : 'Internet (IPv6)') : c.text;
    byText.set(c.text, { name, cidr: c, declared: false });
  }
  return [...byText.values()];
}
