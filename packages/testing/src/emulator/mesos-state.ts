/**
 * Minimal Mesos master state and DC/OS node health for node discovery:
 * `GET /mesos/master/state` (also `/mesos/state`, `.json` variants), `GET /mesos/master/slaves`,
 * `GET /system/health/v1/nodes`.
 */
import type { RouteRequest, RouteResponse } from './http.js';
import type { AgentSpec, JsonObject, MasterSpec } from './types.js';

/** Default agents: one private, one public. */
export const DEFAULT_AGENTS: AgentSpec[] = [{ hostname: '10.0.1.1' }, { hostname: '10.0.5.1', public: true }];

/** Default masters. */
export const DEFAULT_MASTERS: MasterSpec[] = [{ hostname: '10.0.0.1' }];

const MASTER_ID = '5f0d6a2c-0c3b-4a5e-9a55-000000000001';

/** Agents with ids filled in. */
export function resolveAgents(agents: AgentSpec[]): AgentSpec[] {
  return agents.map((a, i) => ({ ...a, id: a.id ?? `${MASTER_ID}-S${i}` }));
}

function resources(cpus: number, mem: number): JsonObject {
  return { cpus, mem, disk: 35000, gpus: 0, ports: '[1025-2180, 2182-3887, 3889-5049, 5052-8079, 8082-8180, 8182-32000]' };
}

function slaveJson(agent: AgentSpec): JsonObject {
  const attributes: JsonObject = { ...(agent.attributes ?? {}) };
  if (agent.public) attributes.public_ip = 'true';
  const role = agent.public ? 'slave_public' : '*';
  const total = resources(4, 14000);
  return {
    id: agent.id ?? '',
    hostname: agent.hostname,
    port: 5051,
    pid: `slave(1)@${agent.hostname}:5051`,
    attributes,
    resources: total,
    used_resources: resources(0, 0),
    offered_resources: resources(0, 0),
    reserved_resources: agent.public ? { slave_public: total } : {},
    unreserved_resources: agent.public ? resources(0, 0) : total,
    active: true,
    version: '1.4.0',
    capabilities: ['MULTI_ROLE', 'HIERARCHICAL_ROLE', 'RESERVATION_REFINEMENT'],
    registered_time: 1500000000,
    ...(role === '*' ? {} : { default_role: role }),
  };
}

function masterState(agents: AgentSpec[], masters: MasterSpec[]): JsonObject {
  const leader = masters[0]?.hostname ?? '127.0.0.1';
  return {
    version: '1.4.0',
    id: MASTER_ID,
    pid: `master@${leader}:5050`,
    hostname: leader,
    leader: `master@${leader}:5050`,
    leader_info: { id: MASTER_ID, hostname: leader, ip: 0, port: 5050 },
    activated_slaves: agents.length,
    deactivated_slaves: 0,
    cluster: 'emulator',
    slaves: agents.map(slaveJson),
    frameworks: [{ id: `${MASTER_ID}-0000`, name: 'marathon', active: true, hostname: leader, webui_url: `http://${leader}:8080` }],
    completed_frameworks: [],
    unregistered_frameworks: [],
  };
}

/** Route Mesos / health paths; undefined when the path is not one of them. */
export function routeMesos(req: RouteRequest, agents: AgentSpec[], masters: MasterSpec[]): RouteResponse | undefined {
  const p = req.path.replace(/\/$/, '');
  if (['/mesos/master/state', '/mesos/master/state.json', '/mesos/state', '/mesos/state.json'].includes(p)) {
    return { status: 200, body: masterState(agents, masters) };
  }
  if (p === '/mesos/master/slaves' || p === '/mesos/slaves') {
    return { status: 200, body: { slaves: agents.map(slaveJson), recovered_slaves: [] } };
  }
  if (p === '/system/health/v1/nodes') {
    const nodes = [
      ...masters.map((m) => ({ host_ip: m.hostname, health: 0, role: 'master' })),
      ...agents.map((a) => ({ host_ip: a.hostname, health: 0, role: a.public ? 'agent_public' : 'agent' })),
    ];
    return { status: 200, body: { nodes } };
  }
  return undefined;
}
