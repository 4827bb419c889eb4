/**
 * The library's typed props can express every app body of Marathon's official
 * examples (`../shared/specs/marathon/<tag>/api/v2/examples/*.json`): each is
 * built from props and compared with the example, semantically (see
 * `semantic` below). `addOverride` is used only where documented in OVERRIDES.
 */
import fs from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import type { App } from '@dcos-cdk/core';
import type { JsonValue } from '@dcos-cdk/core';
import { Constraint, HealthCheck, MarathonApp, MarathonPort, Networking, Volume } from '../src/index.js';
import { Ctx } from '../src/validation/context.js';
import { migrate15 } from '../src/validation/networking-1.5.js';
import type { MarathonApiVersion, MarathonAppJson } from '../src/validation/index.js';
import { SHARED_MISSING, haveMarathonSpecs, marathonApiDir } from './validation/schema.js';
import { environment, errorsOf, stack, synthOk } from './support.js';

type Json = Record<string, unknown>;

/**
 * Where an example needs `addOverride`, and why the typed props cannot say it:
 * - app.json `ipAddress`, `portDefinitions`, `requirePorts`: the kitchen-sink example combines
 *   Docker bridge port mappings, an IP per task and host port definitions at once. No single
 *   networking mode produces that, and Marathon rejects it (see REJECTED below).
 * - app.json (1.5 copy) `tty`: the 1.5 examples still use 1.4-style networking, so the app is
 *   built in the 1.4 format (Cluster.marathonVersion '1.4'), which has no typed `tty`.
 * - app_list.json `uris`: the legacy field; the typed props model its successor, `fetch`.
 */
const OVERRIDES = ['ipAddress', 'portDefinitions', 'requirePorts', 'tty', 'uris'];

/** Examples Marathon itself refuses; the synth errors the library reports instead (rule: message part). */
const REJECTED: Record<string, readonly string[]> = {
  '1.4 app.json': ['cmd: cmd and args are both set', "env.PASSWORD: refers to secret '/db/password'", 'You cannot specify both an IP address and ports'],
  '1.5 app.json': ['cmd: cmd and args are both set', "env.PASSWORD: refers to secret '/db/password'", 'You cannot specify both an IP address and ports'],
  '1.5 app_list.json': ['constraints[0]: ["hostname","UNIQUE",""]: UNIQUE takes no value (Marathon 1.5 rejects even an empty one)'],
};

function example(version: MarathonApiVersion, file: string): unknown {
  return JSON.parse(fs.readFileSync(path.join(marathonApiDir(version), 'v2', 'examples', file), 'utf8'));
}

const RESPONSE_ONLY = ['version', 'versionInfo', 'tasksStaged', 'tasksRunning', 'tasksHealthy', 'tasksUnhealthy', 'deployments', 'tasks', 'lastTaskFailure'];

/** Drops nulls (Marathon reads them as absent) and empty collections (Marathon's defaults), except portDefinitions. */
function prune(v: unknown, key = ''): unknown {
  if (Array.isArray(v)) {
    const a = v.map((x) => prune(x));
    return a.length === 0 && key !== 'portDefinitions' ? undefined : a;
  }
  if (typeof v !== 'object' || v === null) return v === null ? undefined : v;
  const o: Json = {};
  for (const [k, x] of Object.entries(v)) {
    const p = prune(x, k);
    if (p !== undefined) o[k] = p;
  }
  return Object.keys(o).length === 0 ? undefined : o;
}

function withTcp(list: unknown): unknown {
  return Array.isArray(list) ? list.map((p: Json) => ({ protocol: 'tcp', ...p })) : list;
}

/**
 * The app as Marathon understands it: response-only fields, nulls and empty
 * collections dropped, the id absolute, legacy `ports` turned into port
 * definitions (or dropped for bridge apps, where a response lists the service
 * ports there), 1.4-style networking translated for 1.5 with Marathon 1.5's
 * own translation, and Marathon's defaults for `requirePorts` (false) and port
 * protocols (tcp).
 */
function semantic(app: unknown, version: MarathonApiVersion): Json {
  const a = prune(structuredClone(app)) as Json;
  for (const k of RESPONSE_ONLY) delete a[k];
  a['id'] = String(a['id']).startsWith('/') ? a['id'] : `/${String(a['id'])}`;
  // Marathon's default, and forced for bridge and container networking.
  if (a['requirePorts'] === false) delete a['requirePorts'];
  const container = a['container'] as Json | undefined;
  const docker = container?.['docker'] as Json | undefined;
  if (version === '1.4') {
    if (Array.isArray(a['ports']) && a['portDefinitions'] === undefined && !['BRIDGE', 'USER'].includes(String(docker?.['network']))) {
      a['portDefinitions'] = (a['ports'] as number[]).map((port) => ({ port }));
    }
    delete a['ports'];
  } else {
    const m = migrate15(a as unknown as MarathonAppJson, new Ctx('1.5'));
    if (m === undefined) throw new Error(`Marathon 1.5 cannot translate ${String(a['id'])}`);
    delete a['ports'];
    delete a['ipAddress'];
    a['networks'] = m.networks.length > 0 ? m.networks : [{ mode: 'host' }];
    if (m.container !== undefined) a['container'] = m.container;
    if (m.portDefinitions !== undefined) a['portDefinitions'] = m.portDefinitions;
  }
  a['portDefinitions'] = withTcp(a['portDefinitions']);
  const c = a['container'] as Json | undefined;
  if (c !== undefined) {
    c['portMappings'] = withTcp(c['portMappings']);
    const d = c['docker'] as Json | undefined;
    if (d !== undefined) d['portMappings'] = withTcp(d['portMappings']);
  }
  return prune(a) as Json;
}

/** A stack per example file: the cluster's Marathon and an Enterprise variant (app.json uses secrets). */
function exampleStack(version: MarathonApiVersion, format: MarathonApiVersion = version) {
  return stack({ dcosVersion: version === '1.4' ? '1.9' : '1.10', marathonVersion: format, variant: 'enterprise' });
}

type Built = { app: App; apps: MarathonApp[] };

/** `addOverride`, allowed only for the fields documented in OVERRIDES. */
function override(a: MarathonApp, path: string, value: JsonValue): void {
  expect(OVERRIDES, `override of '${path}' is not documented`).to.include(path.split('.')[0]);
  a.addOverride(path, value);
}

const hostPorts = (...ports: number[]) => ports.map((port) => MarathonPort.of({ port }));

const BUILDERS: Record<string, (version: MarathonApiVersion) => Built> = {
  'apps_create.json': (version) => {
    const { app, cluster, calico } = exampleStack(version);
    const test = environment(cluster, calico, 'test', '/test');
    const sleep120 = new MarathonApp(test, 'sleep120', { cmd: 'sleep 120', cpus: 0.3, instances: 2, mem: 9, networking: Networking.host() });
    const sleep60 = new MarathonApp(test, 'sleep60', { cmd: 'sleep 60', cpus: 0.3, instances: 2, mem: 9, networking: Networking.host(), dependsOn: [sleep120, '/other/namespace/or/app'] });
    return { app, apps: [sleep60, sleep120] };
  },
  'group.json': (version) => {
    const { app, cluster, calico } = exampleStack(version);
    const tools = environment(cluster, calico, 'tools', '/tools');
    const docker = environment(cluster, calico, 'docker', '/tools/docker');
    const scheduling = { backoffSeconds: 1, backoffFactor: 1.15, maxLaunchDelaySeconds: 3600 };
    const dockerDefaults = { type: 'DOCKER' as const, forcePullImage: false, parameters: [] };
    const oauth = new MarathonApp(tools, 'oauth-server', {
      instances: 2, cpus: 1, mem: 1024, disk: 0,
      constraints: [Constraint.unique('hostname')],
      networking: Networking.host({ requirePorts: false }),
      ports: hostPorts(1980),
      ...scheduling,
      image: 'docker-registry/oauth_server:6d7d463cb8b1517002080a81cf23f9cf7b7fc774',
      container: { ...dockerDefaults, privileged: false, volumes: [] },
      healthChecks: [HealthCheck.http({ path: '/', portIndex: 0, gracePeriodSeconds: 300, intervalSeconds: 20, timeoutSeconds: 20, maxConsecutiveFailures: 3, ignoreHttp1xx: false })],
      dependsOn: [],
      upgradeStrategy: { minimumHealthCapacity: 0.5, maximumOverCapacity: 0 },
    });
    const datadog = new MarathonApp(tools, 'datadog-agent', {
      instances: 5, cpus: 1, mem: 512, disk: 0, executor: '',
      constraints: [Constraint.unique('hostname')],
      networking: Networking.host({ requirePorts: false }),
      ports: hostPorts(10018),
      ...scheduling,
      image: 'datadog/docker-dd-agent:latest',
      container: {
        ...dockerDefaults,
        privileged: true,
        volumes: [
          Volume.host('/var/run/docker.sock', '/var/run/docker.sock', 'RW'),
          Volume.host('/host/proc/mounts', '/proc/mounts', 'RO'),
          Volume.host('/host/sys/fs/cgroup', '/sys/fs/cgroup/', 'RO'),
        ],
      },
      healthChecks: [],
      upgradeStrategy: { minimumHealthCapacity: 0.5, maximumOverCapacity: 0 },
    });
    const registry = new MarathonApp(docker, 'registry', {
      instances: 1, cpus: 0.5, mem: 4096, disk: 0, executor: '',
      constraints: [],
      networking: Networking.bridge(),
      ports: [MarathonPort.of({ port: 5000, hostPort: 0, servicePort: 5000, protocol: 'tcp' })],
      ...scheduling,
      image: 'registry',
      container: { ...dockerDefaults, privileged: false, volumes: [Volume.host('/docker_storage', '/hdd/tools/docker/registry', 'RW')] },
      upgradeStrategy: { minimumHealthCapacity: 1, maximumOverCapacity: 1 },
    });
    return { app, apps: [oauth, datadog, registry] };
  },
  'app_list.json': (version) => {
    const { app, env } = exampleStack(version);
    const myapp = new MarathonApp(env, 'myapp', {
      cmd: 'env && sleep 60',
      env: { LD_LIBRARY_PATH: '/usr/local/lib/myLib' },
      instances: 3, cpus: 0.1, mem: 5, disk: 0, executor: '',
      constraints: [Constraint.of('hostname', 'UNIQUE', '')],
      networking: Networking.host({ requirePorts: false }),
      ports: hostPorts(10013, 10015),
      backoffSeconds: 1, backoffFactor: 1.15, maxLaunchDelaySeconds: 3600,
      healthChecks: [],
      upgradeStrategy: { minimumHealthCapacity: 1, maximumOverCapacity: 1 },
      labels: {},
    });
    override(myapp, 'uris', ['https://raw.github.com/mesosphere/marathon/master/README.md']);
    return { app, apps: [myapp] };
  },
  'app.json': (version) => {
    // The 1.5 copy is 1.4-shaped (stale networking): build it in the 1.4 format.
    const { app, env } = exampleStack(version, '1.4');
    const foo = new MarathonApp(env, 'foo', {
      id: '/foo', instances: 2, cmd: 'sleep 1000', args: ['sleep', '100'], cpus: 0.1, disk: 0, mem: 16,
      acceptedResourceRoles: ['mesos_role'], backoffFactor: 1.15, backoffSeconds: 1,
      constraints: [Constraint.like('hostname', 'srv2.*')],
      image: 'mesosphere:marathon/latest',
      container: { type: 'DOCKER', forcePullImage: false, privileged: false, parameters: [{ key: 'name', value: 'kdc' }], volumes: [Volume.host('/docker_storage', '/hdd/tools/docker/registry', 'RW')] },
      networking: Networking.bridge(),
      ports: [MarathonPort.tcp('http', 80, { hostPort: 0, servicePort: 10019, labels: { vip: '192.168.0.1:80' } })],
      dependsOn: ['/prod/group'],
      env: { XPS1: 'Test', XPS2: 'Rest', PASSWORD: { secret: '/db/password' } },
      executor: '',
      healthChecks: [HealthCheck.http({ gracePeriodSeconds: 300, ignoreHttp1xx: false, intervalSeconds: 20, maxConsecutiveFailures: 3, path: '/', portIndex: 0, timeoutSeconds: 20 })],
      readinessChecks: [{ name: 'myReadyCheck', protocol: 'HTTP', path: '/v1/plan', port: 'http', intervalSeconds: 10, timeoutSeconds: 3, httpStatusCodesForReady: [200], preserveLastResponse: true }],
      labels: { owner: 'zeus', note: 'Away from olympus' },
      maxLaunchDelaySeconds: 3600,
      upgradeStrategy: { maximumOverCapacity: 1, minimumHealthCapacity: 1 },
      fetch: [{ uri: 'https://foo.com/setup.py' }, { uri: 'https://foo.com/archive.zip', executable: false, extract: true, cache: true, destPath: 'newname.zip' }],
      user: 'root',
      secrets: { secret1: { source: '/db/password' }, secret3: { source: '/foo2' } },
      taskKillGracePeriodSeconds: 30,
    });
    override(foo, 'ipAddress', { discovery: { ports: [{ number: 8080, name: 'rest-endpoint', protocol: 'tcp' }] }, groups: ['dev'], labels: { environment: 'dev' } });
    override(foo, 'portDefinitions', [{ port: 0, protocol: 'tcp', name: 'http', labels: { vip: '192.168.0.1:80' } }]);
    override(foo, 'requirePorts', false);
    if (version === '1.5') override(foo, 'tty', true);
    return { app, apps: [foo] };
  },
};

/** The example's app bodies, by file. */
function exampleApps(version: MarathonApiVersion, file: string): Json[] {
  const body = example(version, file);
  if (file === 'app.json') return [body as Json];
  if (file === 'apps_create.json') return body as Json[];
  if (file === 'app_list.json') return (body as { apps: Json[] }).apps;
  const out: Json[] = [];
  const walk = (g: Json): void => {
    out.push(...((g['apps'] as Json[] | undefined) ?? []));
    for (const s of (g['groups'] as Json[] | undefined) ?? []) walk(s);
  };
  walk(body as Json);
  return out;
}

describe('examples from props: Marathon\'s official example apps, built with the typed props', function () {
  before(function () {
    if (!haveMarathonSpecs()) {
      console.warn(`      ${SHARED_MISSING}`);
      this.skip();
    }
  });

  for (const version of ['1.4', '1.5'] as const) {
    for (const file of Object.keys(BUILDERS)) {
      it(`${version} ${file}: every app body, semantically equal`, () => {
        const { app, apps } = BUILDERS[file]!(version);
        const expected = exampleApps(version, file);
        expect(apps.map((a) => a.marathonId)).to.deep.equal(expected.map((e) => e['id']));
        const shape: MarathonApiVersion = file === 'app.json' ? '1.4' : version;
        for (const [i, a] of apps.entries()) {
          expect(semantic(a.toMarathonJson(), shape), `${file} ${a.marathonId}`).to.deep.equal(semantic(expected[i], shape));
        }
        const rejected = REJECTED[`${version} ${file}`];
        if (rejected === undefined) {
          const bundle = synthOk(app);
          for (const [i, a] of apps.entries()) {
            const emitted = JSON.parse(bundle.artifacts.find((x) => x.id === a.artifactId)!.content) as JsonValue;
            expect(semantic(emitted, shape)).to.deep.equal(semantic(expected[i], shape));
          }
        } else {
          const messages = errorsOf(app).map((e) => e.message);
          for (const part of rejected) expect(messages.some((m) => m.includes(part)), `${part} in ${JSON.stringify(messages, null, 1)}`).to.equal(true);
        }
      });
    }
  }
});
