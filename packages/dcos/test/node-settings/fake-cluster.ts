/**
 * A fake DC/OS cluster for the node-settings tests: one real sshd per node
 * (each with a folder standing for its `/`), a fake `systemctl` logging
 * restarts, a Mesos-DNS stand-in per master answering `/v1/version`, and an
 * Admin Router stand-in serving Mesos state and node health, where an agent
 * disappears after each restart and comes back re-registered at the next look.
 */
import { createServer, type Server } from 'node:http';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DriverContext, DesiredArtifact } from '@dcos-cdk/core';
import { readBundle } from '@dcos-cdk/core';
import { generateKeyPair, startSshd, type SshdHandle } from '../../../testing/src/sshd.js';
import type { ClusterNode, NodeSettingsOptions } from '../../src/deploy/node-settings.js';

export const TOKEN = 'secret-token';

/** The Mesos-DNS file as DC/OS ships it, with the HTTP port of the stand-in. */
export function mesosDnsJson(httpPort: number, ipSourcesKey = 'IPSources'): string {
  return `{
  "zk": "zk://127.0.0.1:2181/mesos",
  "refreshSeconds": 30,
  "ttl": 60,
  "domain": "mesos",
  "port": 61053,
  "resolvers": ["169.254.169.253"],
  "timeout": 1,
  "listener": "0.0.0.0",
  "email": "root.mesos-dns.mesos",
  "${ipSourcesKey}": ["host", "netinfo"],
  "SetTruncateBit": true,
  "httpport": ${httpPort}
}
`;
}

export const CALICO_CNI = '{"name":"calico","type":"calico","etcd_endpoints":"http://localhost:2379","ipam":{"type":"calico-ipam"}}\n';

export interface FakeNode extends ClusterNode {
  readonly sshd: SshdHandle;
  /** Folder standing for `/` on the node. */
  readonly root: string;
}

interface AgentTrack {
  seen: number;
  down: boolean;
  reregisteredTime?: number;
}

async function listen(server: Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const a = server.address();
  return typeof a === 'object' && a ? a.port : 0;
}

/** The fake cluster. */
export class FakeCluster {
  public readonly masters: FakeNode[] = [];
  public readonly agents: FakeNode[] = [];
  /** Admin Router URL. */
  public url = '';
  /** Most agents seen away at once by one Mesos state request. */
  public maxAgentsDown = 0;
  /** Agents that never come back after a restart. */
  public readonly neverBack = new Set<string>();
  /** Masters whose Mesos-DNS answers 503. */
  public readonly dnsBroken = new Set<string>();
  public readonly dir = mkdtempSync(join(tmpdir(), 'dcos-cdk-nodes-'));
  public readonly knownHosts = join(this.dir, 'known_hosts');
  private readonly logFile = join(this.dir, 'systemctl.log');
  private readonly servers: Server[] = [];
  private readonly dnsPorts = new Map<string, number>();
  private readonly tracks = new Map<string, AgentTrack>();

  static async start(spec: { masters: number; agents: number; publicAgents: number }): Promise<FakeCluster> {
    const c = new FakeCluster();
    const clientKey = generateKeyPair();
    const names = [
      ...Array.from({ length: spec.masters }, (_, i) => ({ hostname: `10.0.0.${i + 1}`, role: 'master' as const })),
      ...Array.from({ length: spec.agents }, (_, i) => ({ hostname: `10.0.1.${i + 1}`, role: 'agent' as const })),
      ...Array.from({ length: spec.publicAgents }, (_, i) => ({ hostname: `10.0.5.${i + 1}`, role: 'public-agent' as const })),
    ];
    const sshds = await Promise.all(names.map((n) => startSshd({ nodeName: n.hostname, clientKey, systemctlLog: c.logFile })));
    names.forEach((n, i) => {
      const node = { ...n, sshd: sshds[i] as SshdHandle, root: join(c.dir, 'nodes', n.hostname) };
      (n.role === 'master' ? c.masters : c.agents).push(node);
    });
    writeFileSync(c.knownHosts, sshds.map((s) => s.hostKeyLine).join('\n') + '\n');
    for (const m of c.masters) {
      const srv = createServer((req, res) => {
        const broken = c.dnsBroken.has(m.hostname);
        res.writeHead(req.url === '/v1/version' && !broken ? 200 : 503, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify({ Service: 'Mesos-DNS', URL: 'https://github.com/mesosphere/mesos-dns', Version: 'v0.6.0' }));
      });
      c.servers.push(srv);
      c.dnsPorts.set(m.hostname, await listen(srv));
    }
    const router = createServer((req, res) => c.route(req.url ?? '', req.headers.authorization, (status, body) => {
      res.writeHead(status, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify(body));
    }));
    c.servers.push(router);
    c.url = `http://127.0.0.1:${await listen(router)}`;
    c.reset();
    return c;
  }

  /** Fresh node folders, empty logs, no faults. */
  public reset(): void {
    rmSync(join(this.dir, 'nodes'), { recursive: true, force: true });
    writeFileSync(this.logFile, '');
    rmSync(`${this.logFile}.sudo`, { force: true });
    for (const m of this.masters) {
      mkdirSync(join(m.root, 'opt/mesosphere/etc'), { recursive: true });
      writeFileSync(join(m.root, 'opt/mesosphere/etc/mesos-dns.json'), mesosDnsJson(this.dnsPorts.get(m.hostname) ?? 0));
      m.sshd.systemctl.reset();
    }
    for (const a of this.agents) {
      mkdirSync(join(a.root, 'opt/mesosphere/etc/dcos/network/cni'), { recursive: true });
      writeFileSync(join(a.root, 'opt/mesosphere/etc/dcos/network/cni/calico.cni'), CALICO_CNI);
      a.sshd.systemctl.reset();
    }
    this.tracks.clear();
    this.neverBack.clear();
    this.dnsBroken.clear();
    this.maxAgentsDown = 0;
  }

  public dnsPort(hostname: string): number {
    return this.dnsPorts.get(hostname) ?? 0;
  }

  /** Successful `systemctl restart` calls, as `<node> <unit>`. */
  public restarts(): string[] {
    return this.masters[0]?.sshd.systemctl.calls().filter((c) => c.command === 'restart' && c.ok).map((c) => `${c.node} ${c.unit}`) ?? [];
  }

  /** Every `systemctl` call, failed ones included, as `<node> <command> <unit> <ok|failed>`. */
  public systemctlCalls(): string[] {
    return this.masters[0]?.sshd.systemctl.calls().map((c) => `${c.node} ${c.command} ${c.unit} ${c.ok ? 'ok' : 'failed'}`) ?? [];
  }

  public node(hostname: string): FakeNode {
    const n = [...this.masters, ...this.agents].find((x) => x.hostname === hostname);
    if (!n) throw new Error(`no node ${hostname}`);
    return n;
  }

  /** Reads a file of a node (path as on the node). */
  public read(hostname: string, path: string): string {
    return readFileSync(join(this.node(hostname).root, path), 'utf8');
  }

  /** Driver options reaching this cluster. */
  public options(extra: Partial<NodeSettingsOptions> = {}): NodeSettingsOptions {
    return {
      connection: { baseUrl: this.url, token: TOKEN },
      ssh: {
        user: this.masters[0]?.sshd.user ?? 'root',
        privateKey: this.masters[0]?.sshd.privateKey ?? '',
        agent: '',
        knownHostsFiles: [this.knownHosts],
        address: (n) => ({ host: '127.0.0.1', port: this.node(n.hostname).sshd.port }),
        readyTimeoutMs: 5000,
      },
      root: (n) => this.node(n.hostname).root,
      pollIntervalMs: 20,
      mesosDnsTimeoutMs: 1500,
      agentTimeoutMs: 1500,
      ...extra,
    };
  }

  public async stop(): Promise<void> {
    await Promise.all([...this.masters, ...this.agents].map((n) => n.sshd.stop()));
    await Promise.all(this.servers.map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
    rmSync(this.dir, { recursive: true, force: true });
  }

  private route(url: string, auth: string | undefined, send: (status: number, body: unknown) => void): void {
    if (auth !== `token=${TOKEN}`) return send(401, { code: 401, title: 'Unauthorized' });
    if (url === '/system/health/v1/nodes') {
      const nodes = [...this.masters.map((m) => ({ host_ip: m.hostname, role: 'master', health: 0 })), ...this.agents.map((a) => ({ host_ip: a.hostname, role: a.role === 'agent' ? 'agent' : 'agent_public', health: 0 }))];
      return send(200, { nodes });
    }
    if (url !== '/mesos/master/state') return send(404, { message: 'not found' });
    const calls = this.masters[0]?.sshd.systemctl.calls() ?? [];
    let down = 0;
    const slaves = this.agents.map((a, i) => {
      const t = this.tracks.get(a.hostname) ?? { seen: 0, down: false };
      this.tracks.set(a.hostname, t);
      const restarts = calls.filter((c) => c.node === a.hostname && c.command === 'restart' && c.ok).length;
      if (restarts > t.seen) {
        t.seen = restarts;
        t.down = true;
      } else if (t.down && !this.neverBack.has(a.hostname)) {
        t.down = false;
        t.reregisteredTime = 1_500_000_000 + t.seen;
      }
      if (t.down) down++;
      const pub = a.role === 'public-agent';
      return {
        id: `S${i}`,
        hostname: a.hostname,
        active: !t.down,
        registered_time: 1_400_000_000,
        ...(t.reregisteredTime ? { reregistered_time: t.reregisteredTime } : {}),
        attributes: pub ? { public_ip: 'true' } : {},
        reserved_resources: pub ? { slave_public: { cpus: 4 } } : {},
      };
    });
    this.maxAgentsDown = Math.max(this.maxAgentsDown, down);
    send(200, { hostname: this.masters[0]?.hostname, slaves });
  }
}

/** A driver context that records progress. */
export function context(extra: Partial<DriverContext> = {}): DriverContext & { messages: string[] } {
  const messages: string[] = [];
  return { stack: 'demo', progress: (m) => messages.push(m), force: false, counters: { reads: 0, writes: 0 }, messages, ...extra };
}

/** Desired artifacts of a synthesized bundle folder. */
export function desiredFrom(outdir: string): DesiredArtifact[] {
  const b = readBundle(outdir);
  return b.manifest.artifacts.map((a) => ({ id: a.id, kind: a.kind, file: a.file, content: b.contents.get(a.id) ?? '', constructPath: a.constructPath, dependsOn: a.dependsOn }));
}
