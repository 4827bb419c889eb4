import { expect } from 'chai';
import { Cluster } from '@dcos-cdk/dcos';
import { Constraint, HealthCheck, MarathonApp, MarathonPort, Networking, Volume } from '../src/index.js';
import { Ctx } from '../src/validation/context.js';
import { migrate15 } from '../src/validation/networking-1.5.js';
import type { MarathonAppJson } from '../src/validation/index.js';
import { appJson, environment, errorsOf, stack, synthOk } from './support.js';

type Json = Record<string, unknown>;

/** GIVEN one app built from `props` on DC/OS `dcos`, WHEN synthesized, THEN its JSON. */
function render(dcos: '1.9' | '1.10', props: ConstructorParameters<typeof MarathonApp>[2], variant?: 'enterprise'): Json {
  const { app, env } = stack({ dcosVersion: dcos, ...(variant ? { variant } : {}) });
  const a = new MarathonApp(env, 'web', props);
  return appJson(synthOk(app), a.marathonId);
}

/** Marathon 1.5's own translation of 1.4 networking fields (AppNormalization.forDeprecated). */
function as15(app14: Json): Json {
  const m = migrate15(app14 as unknown as MarathonAppJson, new Ctx('1.5'));
  if (m === undefined) throw new Error('Marathon 1.5 refuses to translate the app');
  const { ipAddress: _ip, ...rest } = app14;
  return { ...rest, ...(m.container === undefined ? {} : { container: m.container }), networks: m.networks, ...(m.portDefinitions === undefined ? {} : { portDefinitions: m.portDefinitions }) };
}

const http = MarathonPort.tcp('http', 80);

describe('MarathonApp: networking for both Marathon generations', () => {
  it('container networking, Mesos containerizer: 1.4 ipAddress + discovery ports, 1.5 networks + container.portMappings', () => {
    const props = { id: 'web', image: 'nginx:alpine', ports: [http] };
    const v14 = render('1.9', props);
    const v15 = render('1.10', props);
    expect(v14).to.deep.equal({
      id: '/web',
      container: { type: 'MESOS', docker: { image: 'nginx:alpine' } },
      ipAddress: { networkName: 'calico', labels: { app: 'web', group: 'development' }, discovery: { ports: [{ name: 'http', number: 80, protocol: 'tcp' }] } },
    });
    expect(v15).to.deep.equal({
      id: '/web',
      container: { type: 'MESOS', docker: { image: 'nginx:alpine' }, portMappings: [{ containerPort: 80, name: 'http', protocol: 'tcp' }] },
      networks: [{ mode: 'container', name: 'calico', labels: { app: 'web', group: 'development' } }],
    });
    expect(as15(v14)).to.deep.equal(v15);
  });

  it('container networking, Docker containerizer: 1.4 USER network + docker.portMappings + ipAddress, 1.5 networks', () => {
    const props = { image: 'nginx:alpine', container: { type: 'DOCKER' as const }, ports: [MarathonPort.tcp('http', 80, { hostPort: 0, servicePort: 10080 })] };
    const v14 = render('1.9', props);
    const v15 = render('1.10', props);
    expect(v14).to.deep.equal({
      id: '/web',
      container: { type: 'DOCKER', docker: { image: 'nginx:alpine', network: 'USER', portMappings: [{ containerPort: 80, name: 'http', protocol: 'tcp', hostPort: 0, servicePort: 10080 }] } },
      ipAddress: { networkName: 'calico', labels: { app: 'web', group: 'development' } },
    });
    expect(v15).to.deep.equal({
      id: '/web',
      container: { type: 'DOCKER', docker: { image: 'nginx:alpine' }, portMappings: [{ containerPort: 80, name: 'http', protocol: 'tcp', hostPort: 0, servicePort: 10080 }] },
      networks: [{ mode: 'container', name: 'calico', labels: { app: 'web', group: 'development' } }],
    });
    expect(as15(v14)).to.deep.equal(v15);
  });

  it('another CNI network: named network, its own labels, not the environment labels', () => {
    const v15 = render('1.10', { image: 'nginx', networking: Networking.cni('dcos', { labels: { tier: 'web' } }) });
    expect(v15['networks']).to.deep.equal([{ mode: 'container', name: 'dcos', labels: { tier: 'web' } }]);
    const v14 = render('1.9', { image: 'nginx', networking: Networking.cni('dcos') });
    expect(v14['ipAddress']).to.deep.equal({ networkName: 'dcos' });
  });

  it('host networking: portDefinitions (and docker.network HOST on 1.4), networks [host] on 1.5', () => {
    const props = { image: 'nginx', container: { type: 'DOCKER' as const }, networking: Networking.host({ requirePorts: true }), ports: [MarathonPort.tcp('http', 8080)] };
    const v14 = render('1.9', props);
    const v15 = render('1.10', props);
    expect(v14).to.deep.equal({
      id: '/web',
      container: { type: 'DOCKER', docker: { image: 'nginx', network: 'HOST' } },
      portDefinitions: [{ port: 8080, protocol: 'tcp', name: 'http' }],
      requirePorts: true,
    });
    expect(v15).to.deep.equal({
      id: '/web',
      container: { type: 'DOCKER', docker: { image: 'nginx' } },
      networks: [{ mode: 'host' }],
      portDefinitions: [{ port: 8080, protocol: 'tcp', name: 'http' }],
      requirePorts: true,
    });
    expect(as15(v14)).to.deep.equal(v15);
  });

  it('host networking without a container or ports: a plain command, Marathon assigns its default port', () => {
    expect(render('1.9', { cmd: 'sleep 1d', networking: Networking.host() })).to.deep.equal({ id: '/web', cmd: 'sleep 1d' });
    expect(render('1.10', { cmd: 'sleep 1d', networking: Networking.host() })).to.deep.equal({ id: '/web', cmd: 'sleep 1d', networks: [{ mode: 'host' }] });
  });

  it('bridge networking: Docker BRIDGE + docker.portMappings on 1.4, networks [container/bridge] on 1.5', () => {
    const props = { image: 'registry', container: { type: 'DOCKER' as const }, networking: Networking.bridge(), ports: [MarathonPort.tcp('registry', 5000, { hostPort: 0, servicePort: 5000 })] };
    const v14 = render('1.9', props);
    const v15 = render('1.10', props);
    const mapping = { containerPort: 5000, name: 'registry', protocol: 'tcp', hostPort: 0, servicePort: 5000 };
    expect(v14).to.deep.equal({ id: '/web', container: { type: 'DOCKER', docker: { image: 'registry', network: 'BRIDGE', portMappings: [mapping] } } });
    expect(v15).to.deep.equal({ id: '/web', container: { type: 'DOCKER', docker: { image: 'registry' }, portMappings: [mapping] }, networks: [{ mode: 'container/bridge' }] });
    expect(as15(v14)).to.deep.equal(v15);
  });

  it('bridge networking with the Mesos containerizer (mesos-bridge) on Marathon 1.5', () => {
    const v15 = render('1.10', { image: 'nginx', networking: Networking.bridge(), ports: [http] });
    expect(v15['networks']).to.deep.equal([{ mode: 'container/bridge' }]);
    expect((v15['container'] as Json)['portMappings']).to.deep.equal([{ containerPort: 80, name: 'http', protocol: 'tcp' }]);
  });

  it('marathonVersion set on the Cluster wins over the DC/OS release', () => {
    const { app, env } = stack({ dcosVersion: '1.9', marathonVersion: '1.5' });
    new MarathonApp(env, 'web', { image: 'nginx', ports: [http] });
    const json = appJson(synthOk(app), '/web');
    expect(json).to.have.property('networks');
    expect(json).to.not.have.property('ipAddress');
  });

  it('only apps on the environment network are its endpoints; host and bridge apps wait for nothing of the network', () => {
    const { app, env } = stack({ dcosVersion: '1.10' });
    const web = new MarathonApp(env, 'web', { image: 'nginx', ports: [http] });
    const agent = new MarathonApp(env, 'agent', { image: 'datadog/agent', networking: Networking.host() });
    expect(env.endpoints).to.deep.equal([web]);
    expect(web.isNetworkEndpoint).to.equal(true);
    expect(agent.isNetworkEndpoint).to.equal(false);
    const bundle = synthOk(app);
    const deps = (id: string) => bundle.manifest.artifacts.find((a) => a.id === id)!.dependsOn;
    expect(deps('marathon-app:/web')).to.include('calico-policy:development-environment');
    expect(deps('marathon-app:/agent')).to.deep.equal([]);
  });
});

describe('MarathonApp: ids and Marathon groups', () => {
  it('resolves relative ids against the environment group as Marathon does, and writes the file under the id', () => {
    const { app, env } = stack({ dcosVersion: '1.10', marathonGroup: '/development/frontend' });
    const web = new MarathonApp(env, 'web', { image: 'nginx' });
    const api = new MarathonApp(env, 'api', { id: 'v1/api', image: 'api' });
    const up = new MarathonApp(env, 'up', { id: '../shared', image: 'x' });
    const abs = new MarathonApp(env, 'abs', { id: '/elsewhere/tool', image: 'x' });
    expect([web.marathonId, api.marathonId, up.marathonId, abs.marathonId]).to.deep.equal([
      '/development/frontend/web',
      '/development/frontend/v1/api',
      '/development/shared',
      '/elsewhere/tool',
    ]);
    const bundle = synthOk(app);
    expect(bundle.manifest.artifacts.find((a) => a.id === 'marathon-app:/development/frontend/web')!.file).to.equal('marathon/development/frontend/web.json');
    expect(appJson(bundle, '/development/frontend/web')['id']).to.equal('/development/frontend/web');
  });

  it('keeps flat ids without a group (the walkthrough)', () => {
    const { app, env } = stack();
    expect(new MarathonApp(env, 'frontend', { id: 'frontend2', image: 'nginx' }).marathonId).to.equal('/frontend2');
    synthOk(app);
  });

  it('detects duplicates by resolved id across environments', () => {
    const { app, cluster, calico, env } = stack({ marathonGroup: '/dev' });
    const other = environment(cluster, calico, 'production');
    new MarathonApp(env, 'web', { image: 'nginx' });
    new MarathonApp(other, 'web', { id: '/dev/web', image: 'nginx' });
    const [e, ...rest] = errorsOf(app);
    expect(rest).to.have.length(0);
    expect(e!.rule).to.equal('marathon/duplicate-app-id');
    expect(e!.constructPath).to.equal('demo/production/web');
    expect(e!.message).to.contain("'/dev/web' is already used by demo/development/web");
  });

  it('refuses an app whose id is the group of another app', () => {
    const { app, env } = stack();
    new MarathonApp(env, 'shop', { id: '/shop', image: 'x' });
    new MarathonApp(env, 'web', { id: '/shop/web', image: 'x' });
    const [e, ...rest] = errorsOf(app);
    expect(rest).to.have.length(0);
    expect(e!.rule).to.equal('marathon/app-is-group');
    expect(e!.constructPath).to.equal('demo/development/web');
    expect(e!.message).to.contain("'/shop', which is the id of app demo/development/shop");
  });

  it('validates the environment group as a Marathon path', () => {
    const { app, env } = stack({ marathonGroup: '/Dev_Team' });
    new MarathonApp(env, 'web', { image: 'x' });
    const errors = errorsOf(app);
    const e = errors.find((x) => x.rule === 'dcos/marathon-group')!;
    expect(e.constructPath).to.equal('demo/development');
    expect(e.message).to.contain("segment 'Dev_Team' is not a valid name");
  });
});

describe('MarathonApp: dependencies', () => {
  it('writes Marathon dependencies and orders the manifest by them (app, environment group, path)', () => {
    const { app, cluster, calico, env } = stack({ dcosVersion: '1.10', marathonGroup: '/dev/backend' });
    const front = environment(cluster, calico, 'front', '/dev/frontend');
    const db = new MarathonApp(env, 'db', { image: 'postgres' });
    const cache = new MarathonApp(env, 'cache', { image: 'redis' });
    const api = new MarathonApp(front, 'api', { image: 'api', dependsOn: [db] });
    const web = new MarathonApp(front, 'web', { image: 'nginx', dependsOn: [env, '../../external/auth', 'api'] });
    const bundle = synthOk(app);
    expect(appJson(bundle, api.marathonId)['dependencies']).to.deep.equal(['/dev/backend/db']);
    expect(appJson(bundle, web.marathonId)['dependencies']).to.deep.equal(['/dev/backend', '/external/auth', '/dev/frontend/api']);
    const deps = (id: string) => bundle.manifest.artifacts.find((a) => a.id === id)!.dependsOn;
    expect(deps(api.artifactId)).to.include(db.artifactId);
    expect(deps(web.artifactId)).to.include.members([db.artifactId, cache.artifactId, api.artifactId]);
    const order = bundle.manifest.artifacts.map((a) => a.id);
    expect(order.indexOf(db.artifactId)).to.be.lessThan(order.indexOf(api.artifactId));
    expect(order.indexOf(api.artifactId)).to.be.lessThan(order.indexOf(web.artifactId));
  });
});

describe('MarathonApp: service discovery names (app.dns)', () => {
  it('computes the Mesos-DNS, dcos-net and VIP names of /mygroup/myapp', () => {
    const { app, env } = stack({ dcosVersion: '1.10', marathonGroup: '/mygroup' });
    const a = new MarathonApp(env, 'myapp', { image: 'nginx', ports: [MarathonPort.tcp('http', 80, { vip: true }), MarathonPort.tcp('admin', 9000, { vip: '10.0.0.5:9000' })] });
    expect(a.dns.taskName).to.equal('myapp.mygroup');
    expect(a.dns.mesos).to.equal('myapp-mygroup.marathon.mesos');
    expect(a.dns.mesosDiscovery).to.equal('myapp.mygroup.marathon.mesos');
    expect(a.dns.mesosAgent).to.equal('myapp-mygroup.marathon.slave.mesos');
    expect(a.dns.srv()).to.equal('_myapp-mygroup._tcp.marathon.mesos');
    expect(a.dns.containerIp).to.equal('myapp-mygroup.marathon.containerip.dcos.thisdcos.directory');
    expect(a.dns.agentIp).to.equal('myapp-mygroup.marathon.agentip.dcos.thisdcos.directory');
    expect(a.dns.autoIp).to.equal('myapp-mygroup.marathon.autoip.dcos.thisdcos.directory');
    expect(a.dns.vip('http')).to.deep.equal({ portName: 'http', label: '/mygroup/myapp:80', host: 'mygroupmyapp.marathon.l4lb.thisdcos.directory', port: 80, address: 'mygroupmyapp.marathon.l4lb.thisdcos.directory:80' });
    expect(a.dns.vip('admin').address).to.equal('10.0.0.5:9000');
    expect(() => a.dns.vip('nope')).to.throw("port 'nope' has no VIP");
    const json = appJson(synthOk(app), '/mygroup/myapp');
    expect((json['container'] as Json)['portMappings']).to.deep.equal([
      { containerPort: 80, name: 'http', protocol: 'tcp', labels: { VIP_0: '/mygroup/myapp:80' } },
      { containerPort: 9000, name: 'admin', protocol: 'tcp', labels: { VIP_0: '10.0.0.5:9000' } },
    ]);
  });

  it('names can be used in another app, e.g. in env and args', () => {
    const { app, env } = stack();
    const db = new MarathonApp(env, 'db', { id: 'database', image: 'h2', ports: [MarathonPort.tcp('jdbc', 1521)] });
    new MarathonApp(env, 'api', { image: 'api', args: ['--db', `${db.dns.mesos}:1521`], env: { DB_HOST: db.dns.containerIp } });
    const json = appJson(synthOk(app), '/api');
    expect(json['env']).to.deep.equal({ DB_HOST: 'database.marathon.containerip.dcos.thisdcos.directory' });
    expect(json['args']).to.deep.equal(['--db', 'database.marathon.mesos:1521']);
  });

  it('mangles names like Mesos-DNS (RFC 1123 labels, 63 characters)', () => {
    const { env } = stack({ marathonGroup: '/a.b' });
    const long = new MarathonApp(env, 'x', { id: 'x'.repeat(60) + '-yyyy', image: 'i' });
    expect(long.dns.mesos.split('.')[0]).to.have.length(63);
    expect(long.dns.mesos.startsWith('x'.repeat(60) + '-yy')).to.equal(true);
    expect(new MarathonApp(env, 'y', { id: 'web', image: 'i' }).dns.mesos).to.equal('web-a-b.marathon.mesos');
  });
});

describe('MarathonApp: the whole definition', () => {
  it('renders every typed prop (Marathon 1.5, Enterprise)', () => {
    const json = render('1.10', {
      image: 'shop/api:1.2',
      container: { type: 'MESOS', forcePullImage: true, volumes: [Volume.persistent('data', { size: 512 }), Volume.host('/etc/ssl', '/etc/ssl', 'RO')] },
      args: ['--port', '8080'],
      user: 'nobody',
      cpus: 0.5, mem: 256, disk: 10, instances: 2,
      ports: [MarathonPort.tcp('http', 8080)],
      labels: { team: 'shop' },
      env: { MODE: 'prod', DB_PASSWORD: { secret: 'db' } },
      secrets: { db: { source: 'shop/db-password' } },
      constraints: [Constraint.unique('hostname'), Constraint.maxPer('zone', 2), Constraint.groupBy('rack', 3), Constraint.like('pool', 'gpu.*'), Constraint.unlike('pool', 'spot'), Constraint.cluster('region', 'eu')],
      healthChecks: [HealthCheck.mesosHttp({ port: 'http', path: '/health', gracePeriodSeconds: 30 }), HealthCheck.command('test -f /tmp/ok')],
      readinessChecks: [{ port: 'http', path: '/ready' }],
      upgradeStrategy: { minimumHealthCapacity: 0.5, maximumOverCapacity: 0 },
      unreachableStrategy: 'disabled',
      residency: { taskLostBehavior: 'WAIT_FOREVER' },
      backoffSeconds: 2, backoffFactor: 1.5, maxLaunchDelaySeconds: 600,
      fetch: [{ uri: 'https://example.com/config.tgz', cache: true }],
      killSelection: 'OLDEST_FIRST',
      taskKillGracePeriodSeconds: 10,
      acceptedResourceRoles: ['*'],
    }, 'enterprise');
    expect(json).to.deep.equal({
      id: '/web',
      container: {
        type: 'MESOS',
        docker: { image: 'shop/api:1.2', forcePullImage: true },
        volumes: [{ containerPath: 'data', mode: 'RW', persistent: { size: 512 } }, { containerPath: '/etc/ssl', hostPath: '/etc/ssl', mode: 'RO' }],
        portMappings: [{ containerPort: 8080, name: 'http', protocol: 'tcp' }],
      },
      instances: 2,
      args: ['--port', '8080'],
      user: 'nobody',
      cpus: 0.5, mem: 256, disk: 10,
      env: { MODE: 'prod', DB_PASSWORD: { secret: 'db' } },
      secrets: { db: { source: 'shop/db-password' } },
      labels: { team: 'shop' },
      networks: [{ mode: 'container', name: 'calico', labels: { app: 'web', group: 'development' } }],
      healthChecks: [{ protocol: 'MESOS_HTTP', path: '/health', portIndex: 0, gracePeriodSeconds: 30 }, { protocol: 'COMMAND', command: { value: 'test -f /tmp/ok' } }],
      readinessChecks: [{ path: '/ready', portName: 'http' }],
      constraints: [['hostname', 'UNIQUE'], ['zone', 'MAX_PER', '2'], ['rack', 'GROUP_BY', '3'], ['pool', 'LIKE', 'gpu.*'], ['pool', 'UNLIKE', 'spot'], ['region', 'CLUSTER', 'eu']],
      upgradeStrategy: { minimumHealthCapacity: 0.5, maximumOverCapacity: 0 },
      backoffSeconds: 2, backoffFactor: 1.5, maxLaunchDelaySeconds: 600,
      fetch: [{ uri: 'https://example.com/config.tgz', cache: true }],
      killSelection: 'OLDEST_FIRST',
      unreachableStrategy: 'disabled',
      taskKillGracePeriodSeconds: 10,
      acceptedResourceRoles: ['*'],
      residency: { taskLostBehavior: 'WAIT_FOREVER' },
    });
  });

  it('health checks name ports: portIndex, except for Mesos containers on a CNI network under Marathon 1.4 (the port number)', () => {
    const props = { image: 'nginx', ports: [MarathonPort.tcp('admin', 9000), http], healthChecks: [HealthCheck.http({ port: 'http' }), HealthCheck.tcp()] };
    expect(render('1.9', props)['healthChecks']).to.deep.equal([{ protocol: 'HTTP', port: 80 }, { protocol: 'TCP', port: 9000 }]);
    expect(render('1.10', props)['healthChecks']).to.deep.equal([{ protocol: 'HTTP', portIndex: 1 }, { protocol: 'TCP' }]);
    const docker = { ...props, container: { type: 'DOCKER' as const } };
    expect(render('1.9', docker)['healthChecks']).to.deep.equal([{ protocol: 'HTTP', portIndex: 1 }, { protocol: 'TCP' }]);
  });

  it('addOverride sets and addDeletionOverride removes fields the props do not model; toMarathonJson shows the result', () => {
    const { app, env } = stack({ dcosVersion: '1.10' });
    const web = new MarathonApp(env, 'web', { image: 'nginx', container: { type: 'DOCKER' }, labels: { 'HAPROXY_0.VHOST': 'x' } });
    web.addOverride('container.docker.parameters', [{ key: 'log-driver', value: 'journald' }]);
    web.addOverride('labels.HAPROXY_0\\.VHOST', 'shop.example.com');
    web.addOverride('networks.0.labels.extra', 'yes');
    web.addDeletionOverride('networks.0.labels.app');
    const json = appJson(synthOk(app), '/web');
    expect(json).to.deep.equal(web.toMarathonJson());
    expect((json['container'] as Json)['docker']).to.deep.equal({ image: 'nginx', parameters: [{ key: 'log-driver', value: 'journald' }] });
    expect(json['labels']).to.deep.equal({ 'HAPROXY_0.VHOST': 'shop.example.com' });
    expect(json['networks']).to.deep.equal([{ mode: 'container', name: 'calico', labels: { group: 'development', extra: 'yes' } }]);
  });

  it('the same stack synthesizes for Marathon 1.4 and 1.5 (Cluster.marathonVersion)', () => {
    for (const marathonVersion of ['1.4', '1.5', '1.11'] as const) {
      const { app, env } = stack({ dcosVersion: '1.10', marathonVersion });
      new MarathonApp(env, 'web', { image: 'nginx', ports: [http], healthChecks: [HealthCheck.mesosHttp({ port: 'http' })], constraints: [Constraint.unique('hostname')] });
      expect(Cluster.of(env).formats.marathon).to.equal(marathonVersion);
      const json = appJson(synthOk(app), '/web');
      expect(Object.keys(json)).to.include(marathonVersion === '1.4' ? 'ipAddress' : 'networks');
    }
  });
});
