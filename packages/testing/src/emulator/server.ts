/**
 * The emulator HTTP server: Admin Router style prefixes (`/service/marathon`, `/marathon` with a
 * 307 for the bare prefix, bare `/v2` and `/ping`), auth, faults, request log, and dispatch to
 * Marathon, Cosmos (`/package/`), IAM (`/acs/api/v1/`) and Mesos state routes.
 */
import { marathonValidator } from './marathon-validator.js';
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Auth } from './auth.js';
import { ChangeEngine, lockError } from './changes.js';
import type { MarathonContext } from './context.js';
import { routeCosmos } from './cosmos.js';
import { DeploymentManager } from './deployments.js';
import { FaultQueue } from './faults.js';
import { HttpError, marathonError, readBody, writeResponse } from './http.js';
import type { RouteRequest, RouteResponse } from './http.js';
import { routeMarathon } from './marathon-routes.js';
import { DEFAULT_AGENTS, DEFAULT_MASTERS, resolveAgents, routeMesos } from './mesos-state.js';
import { MarathonState, VersionClock } from './state.js';
import { RequestLog, createStateView } from './state-view.js';
import type { EmulatorStateView } from './state-view.js';
import type { AgentSpec, FaultSpec, MarathonEmulatorOptions, MasterSpec, RequestLogEntry } from './types.js';
import { defaultUniverseDir, loadUniverse } from './universe.js';
import type { UniversePackage } from './universe.js';

/** Fault injection API exposed as {@link MarathonEmulator.faults}. */
export interface EmulatorFaults {
  /** Add a fault; faults are consumed in the order they were added. */
  add(spec: FaultSpec): void;
  /** Remove all pending faults. */
  clear(): void;
  /** Number of requests pending faults will still affect. */
  pending(): number;
}

type Target =
  | { kind: 'redirect'; location: string }
  | { kind: 'marathon' | 'cosmos' | 'acs' | 'mesos' | 'unknown'; path: string; prefix: string };

function resolveTarget(rawPath: string, query: string): Target {
  for (const prefix of ['/service/marathon', '/marathon']) {
    if (rawPath === prefix) return { kind: 'redirect', location: `${prefix}/${query ? `?${query}` : ''}` };
    if (rawPath.startsWith(prefix + '/')) return { kind: 'marathon', path: rawPath.slice(prefix.length), prefix };
  }
  if (rawPath === '/ping' || rawPath === '/v2' || rawPath.startsWith('/v2/')) return { kind: 'marathon', path: rawPath, prefix: '' };
  if (rawPath.startsWith('/cosmos/package/')) return { kind: 'cosmos', path: rawPath.slice('/cosmos'.length), prefix: '/cosmos' };
  if (rawPath.startsWith('/package/')) return { kind: 'cosmos', path: rawPath, prefix: '' };
  if (rawPath.startsWith('/acs/api/v1/')) return { kind: 'acs', path: rawPath, prefix: '' };
  if (rawPath.startsWith('/mesos/') || rawPath.startsWith('/system/health/v1/')) return { kind: 'mesos', path: rawPath, prefix: '' };
  return { kind: 'unknown', path: rawPath, prefix: '' };
}

function isJsonContentType(value: string | undefined): boolean {
  if (value === undefined) return true;
  const essence = value.split(';')[0]!.trim().toLowerCase();
  return essence === 'application/json' || essence.endsWith('+json') || essence === '*/*' || essence === '';
}

/**
 * A real HTTP server imitating Marathon (1.4 or 1.5) behind the DC/OS Admin Router, plus
 * Cosmos, IAM login and Mesos state, for integration tests.
 *
 * @example
 * const emu = await MarathonEmulator.start({ deploymentDurationMs: 20 });
 * await fetch(`${emu.url}/service/marathon/v2/apps`, { method: 'POST', body: JSON.stringify({ id: '/web', cmd: 'sleep 1' }) });
 * await emu.stop();
 */
export class MarathonEmulator {
  /** Base URL, e.g. `http://127.0.0.1:41234`. */
  readonly url: string;
  /** Fault injection. */
  readonly faults: EmulatorFaults;
  /** Inspection helpers. */
  readonly state: EmulatorStateView;

  private readonly faultQueue = new FaultQueue();
  private readonly log = new RequestLog();
  private readonly ctx: MarathonContext;
  private readonly auth: Auth;
  private readonly packages: UniversePackage[];
  private readonly versions: VersionClock;
  private readonly hanging = new Set<ServerResponse>();
  private stopped = false;

  private constructor(
    private readonly server: Server,
    private readonly options: MarathonEmulatorOptions,
    agents: AgentSpec[],
    private readonly masters: MasterSpec[],
  ) {
    const clock = options.clock ?? (() => new Date());
    this.versions = new VersionClock(clock);
    const state = new MarathonState(agents, this.versions.next());
    const deployments = new DeploymentManager(options.deploymentDurationMs ?? 50, (plan) => {
      const stagedAt = clock().toISOString();
      for (const [id, def] of plan.target) if (def && state.apps.has(id)) state.startTasks(id, stagedAt);
    });
    this.ctx = {
      version: options.marathonVersion ?? '1.5',
      state,
      engine: new ChangeEngine(state, deployments, this.versions),
      deployments,
      validator: options.validateApp ?? marathonValidator,
      defaultNetworkName: options.defaultNetworkName ?? 'dcos',
      agents,
    };
    const authConfig = {
      invalidTokenStatus: options.invalidTokenStatus ?? 403,
      accounts: options.accounts ?? [{ uid: 'bootstrapuser', password: 'deleteme' }],
    };
    this.auth = new Auth(options.token === undefined ? authConfig : { ...authConfig, token: options.token });
    this.packages = loadUniverse(options.universeDir ?? defaultUniverseDir());
    this.state = createStateView(this.ctx, this.log);
    const queue = this.faultQueue;
    this.faults = { add: (spec) => queue.add(spec), clear: () => queue.clear(), pending: () => queue.pending() };
    const address = server.address() as AddressInfo;
    this.url = `http://${address.family === 'IPv6' ? `[${address.address}]` : address.address}:${address.port}`;
    server.on('request', (req: IncomingMessage, res: ServerResponse) => {
      this.handle(req, res).catch((err: unknown) => {
        if (!res.headersSent && !res.destroyed) writeResponse(res, { status: 500, body: { message: String(err) } });
      });
    });
  }

  /** Start an emulator listening on `host:port` (default 127.0.0.1, a free port). */
  static async start(options: MarathonEmulatorOptions = {}): Promise<MarathonEmulator> {
    const server = createServer();
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
    });
    const agents = resolveAgents(options.agents ?? DEFAULT_AGENTS);
    return new MarathonEmulator(server, options, agents, options.masters ?? DEFAULT_MASTERS);
  }

  /** Stop: cancels deployments, drops hanging requests and closes all connections. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    this.ctx.deployments.clear();
    for (const res of this.hanging) res.socket?.destroy();
    this.hanging.clear();
    await new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }

  /** Forget apps, groups, deployments, installed packages, faults and the request log. */
  reset(): void {
    this.ctx.deployments.clear();
    this.ctx.state.reset(this.versions.next());
    this.faultQueue.clear();
    this.log.clear();
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(`http://emulator${(req.url ?? '/').startsWith('/') ? '' : '/'}${req.url ?? ''}`);
    const method = (req.method ?? 'GET').toUpperCase();
    const query = url.search.startsWith('?') ? url.search.slice(1) : url.search;
    const entry: RequestLogEntry = this.log.record({ method, path: url.pathname, query, status: 0 });
    res.on('finish', () => {
      entry.status = res.statusCode;
    });
    const body = await readBody(req);
    if (this.options.latencyMs) await this.sleep(this.options.latencyMs);
    const target = resolveTarget(url.pathname, query);
    const fault = this.faultQueue.take(method, target.kind === 'redirect' ? [url.pathname] : [url.pathname, target.path]);
    if (fault) {
      entry.fault = fault.kind;
      if (fault.kind === 'latency') await this.sleep(fault.ms);
      else if (fault.kind === 'reset') return void req.socket.destroy();
      else if (fault.kind === 'timeout') return void this.hanging.add(res);
      else if (fault.kind === 'status') return this.respond(res, { status: fault.status, body: fault.body ?? { message: `Emulated ${fault.status}` } });
      else if (fault.kind === 'lock') return this.respond(res, lockError([fault.deploymentId ?? randomUUID()]).response);
    }
    let response: RouteResponse;
    try {
      response = this.dispatch(target, { method, path: '', query: url.searchParams, body, headers: req.headers, baseUrl: '' }, req);
    } catch (err) {
      if (!(err instanceof HttpError)) throw err;
      response = err.response;
    }
    this.respond(res, response);
  }

  private dispatch(target: Target, base: RouteRequest, req: IncomingMessage): RouteResponse {
    if (target.kind === 'redirect') return { status: 307, headers: { Location: target.location } };
    const host = req.headers.host ?? this.url.replace(/^http:\/\//, '');
    const route: RouteRequest = { ...base, path: target.path, baseUrl: `http://${host}${target.prefix}` };
    if (target.kind === 'acs') {
      if (route.path === '/acs/api/v1/auth/login' && route.method === 'POST') return this.auth.login(route);
      if (route.path === '/acs/api/v1/auth/providers' && route.method === 'GET') return this.auth.providers();
    }
    const denied = this.auth.check(req.headers);
    if (denied) return denied;
    switch (target.kind) {
      case 'marathon':
        if (['POST', 'PUT', 'PATCH'].includes(route.method) && route.body !== '' && !isJsonContentType(req.headers['content-type'])) {
          throw marathonError(415, 'Unsupported Media Type');
        }
        return routeMarathon(this.ctx, route);
      case 'cosmos':
        return routeCosmos(this.ctx, this.packages, route);
      case 'mesos':
        return routeMesos(route, this.ctx.agents, this.masters) ?? { status: 404, body: { message: `URI not found: ${route.path}` } };
      default:
        return { status: 404, body: { message: `URI not found: ${route.path}` } };
    }
  }

  private respond(res: ServerResponse, response: RouteResponse): void {
    if (res.destroyed || res.headersSent) return;
    writeResponse(res, response);
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const t = setTimeout(resolve, ms);
      t.unref();
    });
  }
}
