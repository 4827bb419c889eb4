/*
 * A generated corpus of Marathon apps over every field the typed props model: fast-check
 * draws plain specs, which become MarathonApp props; the stack synthesizes them (invalid
 * combinations are dropped), and the rendered JSON is the input the import must give back.
 */
import fc from 'fast-check';
import { App } from '@dcos-cdk/core';
import { Cluster, Environment, type DcosVersion } from '@dcos-cdk/dcos';
import { ExistingCalicoNetwork } from '@dcos-cdk/calico';
import { Constraint, HealthCheck, MarathonApp, MarathonPort, Networking, Volume, type MarathonAppProps } from '@dcos-cdk/marathon';

const maybe = <T>(a: fc.Arbitrary<T>): fc.Arbitrary<T | undefined> => fc.option(a, { nil: undefined, freq: 2 });
const name = fc.constantFrom('a', 'b2', 'web', 'x-y');
const labels = fc.dictionary(fc.constantFrom('team', 'tier', 'HAPROXY_0_VHOST', 'x.y/z'), fc.constantFrom('ops', 'front', 'a.example.com', ''), { maxKeys: 2 });
const seconds = fc.integer({ min: 0, max: 3600 });

const port = fc.record({
  port: fc.integer({ min: 1, max: 65535 }),
  protocol: fc.constantFrom('tcp', 'udp'),
  hostPort: maybe(fc.constantFrom(0, 31000)),
  servicePort: maybe(fc.constantFrom(0, 10101)),
  labels: maybe(labels),
  vip: maybe(fc.constantFrom<true | string>(true, 'svc:8080')),
  named: fc.boolean(),
});
type PortSpec = typeof port extends fc.Arbitrary<infer T> ? T : never;

const check = fc.record({
  protocol: fc.constantFrom('HTTP', 'HTTPS', 'TCP', 'MESOS_HTTP', 'MESOS_HTTPS', 'MESOS_TCP', 'COMMAND'),
  target: fc.constantFrom('name', 'index', 'fixed', 'none'),
  path: maybe(fc.constantFrom('/', '/health')),
  ignoreHttp1xx: maybe(fc.boolean()),
  gracePeriodSeconds: maybe(seconds),
  intervalSeconds: maybe(fc.integer({ min: 1, max: 120 })),
  timeoutSeconds: maybe(fc.integer({ min: 1, max: 60 })),
  maxConsecutiveFailures: maybe(fc.integer({ min: 0, max: 10 })),
  delaySeconds: maybe(fc.integer({ min: 0, max: 30 })),
});

/** A plain description of an app, drawn by fast-check. */
export const appSpec = fc.record({
  mode: fc.constantFrom('env', 'cni', 'host', 'bridge'),
  containerType: fc.constantFrom<'MESOS' | 'DOCKER' | undefined>('MESOS', 'DOCKER', undefined),
  image: maybe(fc.constantFrom('nginx:alpine', 'registry.example.com/app:1.2')),
  command: fc.constantFrom('cmd', 'args', 'none'),
  user: maybe(fc.constantFrom('nobody', 'root')),
  cpus: maybe(fc.constantFrom(0.1, 0.5, 2)),
  mem: maybe(fc.constantFrom(32, 128.5, 1024)),
  disk: maybe(fc.constantFrom(0, 100)),
  gpus: maybe(fc.constantFrom(0, 1)),
  instances: maybe(fc.integer({ min: 0, max: 5 })),
  ports: fc.array(port, { maxLength: 3 }),
  requirePorts: maybe(fc.boolean()),
  networkLabels: maybe(fc.dictionary(fc.constantFrom('app', 'role'), fc.constantFrom('web', 'db'), { maxKeys: 2 })),
  netLabels: maybe(fc.dictionary(fc.constantFrom('app', 'zone'), fc.constantFrom('a', 'b'), { maxKeys: 2 })),
  labels: maybe(labels),
  env: maybe(fc.dictionary(fc.constantFrom('A', 'B_C', 'SECRET'), fc.oneof(fc.constantFrom('1', 'x y'), fc.constant({ secret: 'pw' })), { maxKeys: 3 })),
  constraints: fc.array(fc.oneof(
    fc.constant(Constraint.unique('hostname')),
    fc.constant(Constraint.cluster('rack', 'r1')),
    fc.constant(Constraint.groupBy('zone')),
    fc.constant(Constraint.groupBy('zone', 3)),
    fc.constant(Constraint.like('hostname', 'srv[0-9]+')),
    fc.constant(Constraint.unlike('rack', 'r9')),
    fc.constant(Constraint.maxPer('zone', 2)),
  ), { maxLength: 2 }),
  healthChecks: fc.array(check, { maxLength: 2 }),
  readiness: maybe(fc.record({ name: maybe(fc.constantFrom('ready')), protocol: maybe(fc.constantFrom<'HTTP' | 'HTTPS'>('HTTP', 'HTTPS')), path: maybe(fc.constantFrom('/ready')), intervalSeconds: maybe(fc.constantFrom(30, 60)), timeoutSeconds: maybe(fc.constantFrom(5, 10)), httpStatusCodesForReady: maybe(fc.constantFrom([200], [200, 204])), preserveLastResponse: maybe(fc.boolean()) })),
  upgradeStrategy: maybe(fc.record({ minimumHealthCapacity: maybe(fc.constantFrom(0, 0.5, 1)), maximumOverCapacity: maybe(fc.constantFrom(0, 0.2, 1)) })),
  backoffSeconds: maybe(fc.constantFrom(1, 5)),
  backoffFactor: maybe(fc.constantFrom(1.15, 2)),
  maxLaunchDelaySeconds: maybe(fc.constantFrom(300, 3600)),
  fetch: fc.array(fc.record({ uri: fc.constantFrom('https://example.com/a.tgz', 'https://example.com/run.sh'), extract: maybe(fc.boolean()), executable: maybe(fc.boolean()), cache: maybe(fc.boolean()), destPath: maybe(fc.constantFrom('x.sh')) }), { maxLength: 2 }),
  killSelection: maybe(fc.constantFrom<'YOUNGEST_FIRST' | 'OLDEST_FIRST'>('YOUNGEST_FIRST', 'OLDEST_FIRST')),
  unreachableStrategy: maybe(fc.oneof(fc.constant<'disabled'>('disabled'), fc.record({ inactiveAfterSeconds: maybe(fc.constantFrom(60, 300)), expungeAfterSeconds: maybe(fc.constantFrom(600, 900)) }))),
  persistent: fc.boolean(),
  taskKillGracePeriodSeconds: maybe(fc.constantFrom(3, 30)),
  acceptedResourceRoles: maybe(fc.constantFrom(['*'], ['slave_public'])),
  executor: maybe(fc.constantFrom('', '//cmd')),
  residency: maybe(fc.record({ relaunchEscalationTimeoutSeconds: maybe(fc.constantFrom(60, 3600)), taskLostBehavior: maybe(fc.constantFrom<'WAIT_FOREVER' | 'RELAUNCH_AFTER_TIMEOUT'>('WAIT_FOREVER', 'RELAUNCH_AFTER_TIMEOUT')) })),
  tty: maybe(fc.boolean()),
  dependsOn: fc.array(fc.constantFrom('/other/app', 'sibling', '../up'), { maxLength: 2 }),
  forcePullImage: maybe(fc.boolean()),
  privileged: maybe(fc.boolean()),
  parameters: fc.array(fc.record({ key: fc.constantFrom('label', 'hostname'), value: fc.constantFrom('x', 'y') }), { maxLength: 2 }),
  volumes: fc.array(fc.oneof(
    fc.constant(Volume.host('/data', '/mnt/data')),
    fc.constant(Volume.host('/etc/x', '/etc/x', 'RO')),
    fc.constant(Volume.persistent('pgdata', { size: 1024 })),
    fc.constant(Volume.persistent('big', { size: 2048, type: 'mount', maxSize: 4096, mode: 'RW' })),
    fc.constant(Volume.secret('/run/secret', 'pw')),
  ), { maxLength: 2 }),
  pullConfigSecret: maybe(fc.constant('pw')),
  group: fc.constantFrom<string | undefined>(undefined, '/shop'),
});
/** A drawn app spec. */
export type AppSpec = typeof appSpec extends fc.Arbitrary<infer T> ? T : never;

function toPort(p: PortSpec, i: number): MarathonPort {
  const options = { ...(p.hostPort !== undefined ? { hostPort: p.hostPort } : {}), ...(p.servicePort !== undefined ? { servicePort: p.servicePort } : {}), ...(p.labels && Object.keys(p.labels).length > 0 ? { labels: p.labels } : {}), ...(p.vip !== undefined ? { vip: p.vip } : {}) };
  const n = ['http', 'admin', 'metrics'][i]!;
  if (!p.named) return MarathonPort.of({ port: p.port, ...(p.protocol === 'udp' ? { protocol: 'udp' as const } : {}), ...options });
  return p.protocol === 'udp' ? MarathonPort.udp(n, p.port, options) : MarathonPort.tcp(n, p.port, options);
}

function defined<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined && !(Array.isArray(v) && v.length === 0))) as T;
}

/** The props a spec describes. */
export function propsOf(spec: AppSpec, id: string, format: '1.4' | '1.5' = '1.5'): MarathonAppProps {
  let s = spec;
  if (format === '1.4') {
    // Marathon 1.4 has no tty, secret volumes or pullConfig, bridges Docker only, and names the ports of Mesos containers on CNI networks.
    s = { ...s, tty: undefined, pullConfigSecret: undefined, volumes: s.volumes.filter((v) => v.kind !== 'secret'), containerType: s.mode === 'bridge' ? 'DOCKER' : s.containerType };
    if ((s.mode === 'env' || s.mode === 'cni') && s.containerType !== 'DOCKER') s = { ...s, ports: s.ports.map((p) => ({ ...p, named: true })) };
  }
  // Keep combinations coherent, so most draws are apps Marathon accepts.
  const docker = s.containerType === 'DOCKER';
  const image = s.image ?? (s.containerType !== undefined || s.command !== 'cmd' ? 'nginx:alpine' : undefined);
  const mesosChecks = new Set<string>();
  const portable = s.mode === 'bridge' || (s.mode !== 'host' && docker);
  s = {
    ...s,
    ports: s.ports.map((p) => ({ ...p, hostPort: portable ? p.hostPort : undefined, servicePort: portable ? p.servicePort : undefined })),
    healthChecks: s.healthChecks.filter((c) => !c.protocol.startsWith('MESOS') || (!mesosChecks.has('x') && mesosChecks.add('x'))).map((c) => ({ ...c, target: s.ports.length === 0 && c.target !== 'none' ? 'fixed' : c.target === 'name' && !s.ports.some((p) => p.named) ? 'index' : c.target })),
    privileged: docker ? s.privileged : undefined,
    parameters: docker ? s.parameters : [],
    pullConfigSecret: docker || image === undefined ? undefined : s.pullConfigSecret,
    gpus: docker ? undefined : s.gpus,
    volumes: s.volumes.filter((v) => v.kind !== 'persistent' || s.persistent),
    residency: s.persistent && s.volumes.some((v) => v.kind === 'persistent') ? s.residency : undefined,
    image,
  };
  if (s.volumes.some((v) => v.kind === 'persistent')) s = { ...s, upgradeStrategy: { minimumHealthCapacity: 0.5, maximumOverCapacity: 0 }, unreachableStrategy: 'disabled', instances: 1 };
  if (typeof s.unreachableStrategy === 'object' && (s.unreachableStrategy.inactiveAfterSeconds ?? 300) > (s.unreachableStrategy.expungeAfterSeconds ?? 600)) s = { ...s, unreachableStrategy: { inactiveAfterSeconds: 60, expungeAfterSeconds: 600 } };
  const ports = s.ports.map(toPort);
  const networking = s.mode === 'env' ? undefined : s.mode === 'cni' ? Networking.cni('dcos', s.netLabels ? { labels: s.netLabels } : {}) : s.mode === 'host' ? Networking.host(s.requirePorts !== undefined ? { requirePorts: s.requirePorts } : {}) : Networking.bridge(s.netLabels ? { labels: s.netLabels } : {});
  const checks = s.healthChecks.map((c) => {
    const timing = defined({ gracePeriodSeconds: c.gracePeriodSeconds, intervalSeconds: c.intervalSeconds, timeoutSeconds: c.timeoutSeconds, maxConsecutiveFailures: c.maxConsecutiveFailures, delaySeconds: c.delaySeconds });
    if (c.protocol === 'COMMAND') return HealthCheck.command('curl -f localhost', timing);
    const target = c.target === 'name' ? { port: ports.find((p) => p.name)?.name ?? 'http' } : c.target === 'index' ? { portIndex: 0 } : c.target === 'fixed' ? { fixedPort: 8080 } : {};
    const http = c.protocol.includes('HTTP');
    const o = { ...timing, ...target, ...(http ? defined({ path: c.path, ignoreHttp1xx: c.ignoreHttp1xx }) : {}) };
    return { HTTP: HealthCheck.http, HTTPS: HealthCheck.https, TCP: HealthCheck.tcp, MESOS_HTTP: HealthCheck.mesosHttp, MESOS_HTTPS: HealthCheck.mesosHttps, MESOS_TCP: HealthCheck.mesosTcp }[c.protocol](o);
  });
  const named = ports.find((p) => p.name !== undefined)?.name;
  const container = defined({ type: s.containerType, forcePullImage: s.forcePullImage, privileged: s.privileged, parameters: s.parameters, volumes: s.volumes, pullConfigSecret: s.pullConfigSecret });
  const env = s.env;
  const usesSecret = (env && Object.values(env).some((v) => typeof v !== 'string')) || s.volumes.some((v) => v.kind === 'secret') || s.pullConfigSecret !== undefined;
  return defined<MarathonAppProps>({
    id,
    image: s.image,
    container: Object.keys(container).length > 0 ? container : undefined,
    cmd: s.command === 'cmd' ? 'sleep 1000' : undefined,
    args: s.command === 'args' ? ['--port', '8080'] : undefined,
    user: s.user,
    cpus: s.cpus,
    mem: s.mem,
    disk: s.disk,
    gpus: s.gpus,
    instances: s.instances,
    networking,
    ports: s.mode === 'host' && ports.length === 0 ? undefined : ports,
    networkLabels: s.mode === 'env' ? s.networkLabels : undefined,
    labels: s.labels && Object.keys(s.labels).length > 0 ? s.labels : undefined,
    env: env && Object.keys(env).length > 0 ? env : undefined,
    secrets: usesSecret ? { pw: { source: 'shop/pw' } } : undefined,
    constraints: s.constraints,
    healthChecks: checks,
    readinessChecks: s.readiness && named ? [{ port: named, ...defined(s.readiness) }] : undefined,
    upgradeStrategy: s.upgradeStrategy ? defined(s.upgradeStrategy) : undefined,
    backoffSeconds: s.backoffSeconds,
    backoffFactor: s.backoffFactor,
    maxLaunchDelaySeconds: s.maxLaunchDelaySeconds,
    fetch: s.fetch.map((f) => defined(f)),
    killSelection: s.killSelection,
    unreachableStrategy: s.unreachableStrategy === undefined || s.unreachableStrategy === 'disabled' ? s.unreachableStrategy : defined(s.unreachableStrategy),
    taskKillGracePeriodSeconds: s.taskKillGracePeriodSeconds,
    acceptedResourceRoles: s.acceptedResourceRoles,
    executor: s.executor,
    residency: s.residency ? defined(s.residency) : undefined,
    tty: s.tty,
    dependsOn: s.dependsOn.length > 0 ? [...new Set(s.dependsOn)] : undefined,
  });
}

/** One valid corpus entry: the app JSON the typed props render, and what was drawn. */
export interface CorpusApp {
  readonly spec: AppSpec;
  readonly props: MarathonAppProps;
  readonly json: Record<string, unknown>;
}

/**
 * Draws `count` specs (deterministic seed) and keeps those whose app synthesizes for
 * `dcosVersion` (Enterprise, so secrets are allowed).
 */
export function marathonCorpus(dcosVersion: DcosVersion, count: number, seed: number): CorpusApp[] {
  const out: CorpusApp[] = [];
  fc.sample(appSpec, { numRuns: count, seed }).forEach((spec, i) => {
    const app = new App({ projectDir: false, context: { 'dcos-cdk:analyzeAtSynth': false } });
    const cluster = new Cluster(app, 'corpus', { dcosVersion, variant: 'enterprise' });
    const env = new Environment(cluster, 'dev', { network: new ExistingCalicoNetwork(cluster, 'calico'), ...(spec.group ? { marathonGroup: spec.group } : {}) });
    const props = propsOf(spec, `app${i}`, dcosVersion === '1.9' ? '1.4' : '1.5');
    const construct = new MarathonApp(env, `app${i}`, props);
    try {
      const bundle = app.synth({ write: false });
      const a = bundle.artifacts.find((x) => x.id === construct.artifactId)!;
      out.push({ spec, props, json: JSON.parse(a.content) as Record<string, unknown> });
    } catch {
      // An invalid combination: the library refuses it at synth, so it is no input.
    }
  });
  return out;
}
