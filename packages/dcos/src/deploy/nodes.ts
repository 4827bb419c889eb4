/**
 * Node discovery through the Admin Router: agents (private and public) from
 * Mesos state, masters from the DC/OS diagnostics health API; or an explicit
 * list, role by role.
 */
import type { RequestCounters } from '@dcos-cdk/core';
import { NodeSettingsError, type ClusterNode } from './node-errors.js';

/**
 * How to reach the Admin Router. A `DcosConnection` fits: the TLS setting
 * (`core.ssl_verify`) travels inside its `fetch`.
 */
export interface AdminRouterConnection {
  /** `core.dcos_url`, e.g. `https://dcos.example.com`. */
  readonly baseUrl: string;
  /** ACS token, sent as `Authorization: token=<token>`. @default no header */
  readonly token?: string;
  /** The fetch to use (carries TLS settings). @default globalThis.fetch */
  readonly fetch?: typeof fetch;
}

/** Nodes given by hand instead of discovered; each role given replaces discovery of that role. */
export interface NodeList {
  /** Master hostnames or IPs. */
  readonly masters?: readonly string[];
  /** Private agent hostnames or IPs. */
  readonly agents?: readonly string[];
  /** Public agent hostnames or IPs. */
  readonly publicAgents?: readonly string[];
}

/** An agent as Mesos state lists it. */
export interface AgentRegistration {
  /** Agent hostname (usually its IP on DC/OS). */
  readonly hostname: string;
  /** Mesos agent id. */
  readonly id: string;
  /** Connected and active. */
  readonly active: boolean;
  /** Public agent: resources reserved for `slave_public` or attribute `public_ip:true`. */
  readonly public: boolean;
  /** Mesos `registered_time`, seconds. */
  readonly registeredTime?: number;
  /** Mesos `reregistered_time`, seconds (set after a re-registration). */
  readonly reregisteredTime?: number;
}

/** Where nodes come from. */
export interface NodeSource {
  /** Admin Router, for discovery and for watching agents re-register. */
  readonly connection?: AdminRouterConnection;
  /** Explicit nodes; a role given here is not discovered. */
  readonly nodes?: NodeList;
  /** Request counters to increment. */
  readonly counters?: RequestCounters;
  /** Aborts requests. */
  readonly signal?: AbortSignal;
}

const REQUEST_TIMEOUT_MS = 30_000;

/** GETs a JSON document through the Admin Router, with clear errors. */
async function getJson(conn: AdminRouterConnection, path: string, source: NodeSource): Promise<unknown> {
  const url = `${conn.baseUrl.replace(/\/+$/, '')}${path}`;
  const doFetch = conn.fetch ?? globalThis.fetch;
  const timeout = AbortSignal.timeout(REQUEST_TIMEOUT_MS);
  const signal = source.signal ? AbortSignal.any([source.signal, timeout]) : timeout;
  if (source.counters) source.counters.reads++;
  let res: Response;
  try {
    res = await doFetch(url, { headers: { Accept: 'application/json', ...(conn.token ? { Authorization: `token=${conn.token}` } : {}) }, signal });
  } catch (e) {
    throw new NodeSettingsError({}, `Cannot reach the Admin Router at ${url} (${(e as Error).message}).`, 'Check core.dcos_url and the network, or list the nodes explicitly.', { cause: e });
  }
  if (res.status === 401 || res.status === 403) {
    throw new NodeSettingsError({}, `The Admin Router refused GET ${path} (${res.status}).`, "Log in again ('dcos auth login') or use an account allowed to read Mesos state and node health.");
  }
  if (!res.ok) {
    throw new NodeSettingsError({}, `GET ${url} answered ${res.status}.`, 'Check that this is a DC/OS cluster, or list the nodes explicitly (--masters/--agents).');
  }
  try {
    return await res.json();
  } catch (e) {
    throw new NodeSettingsError({}, `GET ${url} did not return JSON.`, 'Check core.dcos_url: it must be the Admin Router of the cluster.', { cause: e });
  }
}

function isRecord(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

function isPublicAgent(slave: Record<string, unknown>): boolean {
  const reserved = slave.reserved_resources;
  if (isRecord(reserved) && 'slave_public' in reserved) return true;
  if (slave.default_role === 'slave_public') return true;
  const attrs = slave.attributes;
  return isRecord(attrs) && String(attrs.public_ip) === 'true';
}

/** Registered agents from `GET /mesos/master/state` (`slaves[]`), sorted by hostname. */
export async function fetchAgentRegistrations(conn: AdminRouterConnection, source: NodeSource = {}): Promise<AgentRegistration[]> {
  const state = await getJson(conn, '/mesos/master/state', source);
  const slaves = isRecord(state) && Array.isArray(state.slaves) ? state.slaves : undefined;
  if (!slaves) throw new NodeSettingsError({}, 'Mesos state has no slaves list.', 'Check core.dcos_url: it must be the Admin Router of the cluster.');
  const byHost = new Map<string, AgentRegistration>();
  for (const s of slaves) {
    if (!isRecord(s) || typeof s.hostname !== 'string') continue;
    const reg: AgentRegistration = {
      hostname: s.hostname,
      id: typeof s.id === 'string' ? s.id : '',
      active: s.active === true,
      public: isPublicAgent(s),
      ...(typeof s.registered_time === 'number' ? { registeredTime: s.registered_time } : {}),
      ...(typeof s.reregistered_time === 'number' ? { reregisteredTime: s.reregistered_time } : {}),
    };
    const seen = byHost.get(reg.hostname);
    if (!seen || (!seen.active && reg.active)) byHost.set(reg.hostname, reg);
  }
  return [...byHost.values()].sort((a, b) => a.hostname.localeCompare(b.hostname));
}

/** Masters from `GET /system/health/v1/nodes` (role `master`, `host_ip`), sorted. */
export async function fetchMasters(conn: AdminRouterConnection, source: NodeSource = {}): Promise<string[]> {
  const body = await getJson(conn, '/system/health/v1/nodes', source);
  const nodes = isRecord(body) && Array.isArray(body.nodes) ? body.nodes : [];
  const masters = nodes.filter((n): n is Record<string, unknown> => isRecord(n) && n.role === 'master' && typeof n.host_ip === 'string').map((n) => String(n.host_ip));
  if (masters.length === 0) {
    throw new NodeSettingsError({}, 'The node health API lists no master.', 'List the masters explicitly (--masters).');
  }
  return [...new Set(masters)].sort();
}

function noSource(role: string, flag: string): NodeSettingsError {
  return new NodeSettingsError({}, `No way to find the ${role}: neither an Admin Router connection nor an explicit list was given.`, `Attach the dcos CLI to the cluster or pass ${flag}.`);
}

/** The masters, explicit or discovered. */
export async function discoverMasters(source: NodeSource): Promise<ClusterNode[]> {
  if (source.nodes?.masters) return source.nodes.masters.map((hostname) => ({ hostname, role: 'master' as const }));
  if (!source.connection) throw noSource('masters', '--masters');
  return (await fetchMasters(source.connection, source)).map((hostname) => ({ hostname, role: 'master' as const }));
}

/** Private and public agents, explicit or discovered; private first, each sorted by hostname. */
export async function discoverAgents(source: NodeSource): Promise<ClusterNode[]> {
  const explicit = source.nodes;
  if (explicit?.agents || explicit?.publicAgents) {
    const priv = (explicit.agents ?? []).map((hostname) => ({ hostname, role: 'agent' as const }));
    const pub = (explicit.publicAgents ?? []).map((hostname) => ({ hostname, role: 'public-agent' as const }));
    return [...priv, ...pub];
  }
  if (!source.connection) throw noSource('agents', '--agents/--public-agents');
  const regs = await fetchAgentRegistrations(source.connection, source);
  return [
    ...regs.filter((r) => !r.public).map((r) => ({ hostname: r.hostname, role: 'agent' as const })),
    ...regs.filter((r) => r.public).map((r) => ({ hostname: r.hostname, role: 'public-agent' as const })),
  ];
}
