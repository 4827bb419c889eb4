/**
 * Validation parity: every rule of Marathon's app validation (section 1 of
 * the Marathon facts) is caught at synth, reported on the app's construct
 * path, naming the prop and saying how to fix it. One failing input per rule,
 * for each Marathon generation where the rule differs.
 */
import { expect } from 'chai';
import type { Diagnostic } from '@dcos-cdk/core';
import { Constraint, HealthCheck, MarathonApp, MarathonPort, Networking, Volume, type MarathonAppProps } from '../src/index.js';
import { environment, errorsOf, stack, synthOk } from './support.js';

type Dcos = '1.9' | '1.10';

interface Expectation {
  /** Prop path the message starts with ('' for the app as a whole). */
  readonly prop: string;
  /** Text the message contains. */
  readonly message: string | RegExp;
  /** Text the fix contains. */
  readonly fix?: string | RegExp;
  readonly rule?: string;
}

/** GIVEN an app with `props` (and `tweak`) WHEN synthesized THEN exactly one error, on the app, as expected. */
function rejects(dcos: Dcos, props: MarathonAppProps, want: Expectation, tweak?: (a: MarathonApp) => void, variant?: 'enterprise'): Diagnostic {
  const { app, env } = stack({ dcosVersion: dcos, ...(variant ? { variant } : {}) });
  const a = new MarathonApp(env, 'web', props);
  tweak?.(a);
  const errors = errorsOf(app);
  expect(errors, JSON.stringify(errors, null, 1)).to.have.length(1);
  const e = errors[0]!;
  expect(e.constructPath).to.equal('demo/development/web');
  if (want.prop !== '') expect(e.message.startsWith(`${want.prop}: `), e.message).to.equal(true);
  if (typeof want.message === 'string') expect(e.message).to.contain(want.message);
  else expect(e.message).to.match(want.message);
  if (want.fix !== undefined) {
    if (typeof want.fix === 'string') expect(e.fix).to.contain(want.fix);
    else expect(e.fix).to.match(want.fix);
  }
  expect(e.fix.length).to.be.greaterThan(10);
  if (want.rule) expect(e.rule).to.equal(want.rule);
  return e;
}

const both: Dcos[] = ['1.9', '1.10'];
const img = { image: 'nginx' };
const http = MarathonPort.tcp('http', 80);

describe('validation parity: ids', () => {
  for (const dcos of both) {
    it(`${dcos}: a segment Marathon's PathId refuses`, () => {
      rejects(dcos, { ...img, id: 'Front_End' }, { prop: 'id', message: /at \/id: must fully match regular expression/, fix: 'lowercase' });
    });
    it(`${dcos}: a reserved last segment`, () => {
      rejects(dcos, { ...img, id: '/shop/versions' }, { prop: 'id', message: 'reserved keywords', fix: 'Rename the last id segment' });
    });
    it(`${dcos}: a relative id that leaves the root`, () => {
      rejects(dcos, { ...img, id: '..' }, { prop: 'id', message: 'Path must contain at least one path element' });
    });
  }
});

describe('validation parity: cmd, args and container', () => {
  for (const dcos of both) {
    it(`${dcos}: cmd and args together`, () => {
      rejects(dcos, { ...img, cmd: 'nginx', args: ['-g', 'daemon off;'] }, { prop: 'cmd', message: 'cmd and args are both set', fix: 'not both', rule: 'marathon/command' });
    });
    it(`${dcos}: neither cmd, args nor an image`, () => {
      rejects(dcos, { networking: Networking.host() }, { prop: 'cmd', message: "must either contain one of 'cmd' or 'args', and/or a 'container'", fix: 'Set "cmd" or "args"' });
    });
    it(`${dcos}: docker parameters with the Mesos containerizer`, () => {
      rejects(dcos, { ...img, container: { parameters: [{ key: 'hostname', value: 'x' }] } }, { prop: 'container.parameters', message: 'Docker containerizer setting', fix: "container.type to 'DOCKER'" });
    });
    it(`${dcos}: privileged with the Mesos containerizer`, () => {
      rejects(dcos, { ...img, container: { type: 'MESOS', privileged: true } }, { prop: 'container.privileged', message: 'Docker containerizer setting' });
    });
    it(`${dcos}: an empty image`, () => {
      rejects(dcos, { image: '' }, { prop: 'image', message: /container\/docker\/image: (must not be empty|error.minLength)/ });
    });
    it(`${dcos}: image settings without an image`, () => {
      rejects(dcos, { cmd: 'sleep 1d', container: { forcePullImage: true } }, { prop: 'container', message: 'has no image' });
    });
    it(`${dcos}: GPUs with the Docker containerizer`, () => {
      rejects(dcos, { ...img, container: { type: 'DOCKER' }, gpus: 1 }, { prop: 'gpus', message: 'GPU resources only work with the Mesos containerizer' });
    });
    it(`${dcos}: a persistent volume path with a slash`, () => {
      rejects(dcos, { ...img, container: { volumes: [Volume.persistent('/var/data', { size: 100 })] }, upgradeStrategy: { maximumOverCapacity: 0 }, unreachableStrategy: 'disabled' }, { prop: 'container.volumes[0].containerPath', message: "contains '/'" });
    });
    it(`${dcos}: an app with persistent volumes may not run extra instances during upgrades`, () => {
      rejects(dcos, { ...img, container: { volumes: [Volume.persistent('data', { size: 100 })] }, upgradeStrategy: { maximumOverCapacity: 0.5 }, unreachableStrategy: 'disabled' }, { prop: 'upgradeStrategy.maximumOverCapacity', message: 'expected 0.0' });
    });
    it(`${dcos}: negative resources`, () => {
      rejects(dcos, { ...img, cpus: -1 }, { prop: 'cpus', message: /at \/cpus: (got -1.0, expected 0.0 or more|error.min)/ });
    });
  }
  it('1.5: a one-character cmd', () => {
    rejects('1.10', { ...img, cmd: 'x' }, { prop: 'cmd', message: 'must not be an empty string' });
  });
  it('1.4: pullConfig needs Marathon 1.5', () => {
    rejects('1.9', { ...img, container: { pullConfigSecret: 'pull' }, secrets: { pull: { source: 'registry/config' } } }, { prop: 'container.pullConfigSecret', message: 'needs Marathon 1.5' }, undefined, 'enterprise');
  });
  it('1.5: pullConfig with the Docker containerizer', () => {
    rejects('1.10', { ...img, container: { type: 'DOCKER', pullConfigSecret: 'pull' }, secrets: { pull: { source: 'registry/config' } } }, { prop: 'container.pullConfigSecret', message: 'only works with the Mesos containerizer' }, undefined, 'enterprise');
  });
  it('1.4: secret volumes need Marathon 1.5', () => {
    rejects('1.9', { ...img, container: { volumes: [Volume.secret('creds', 'db')] }, secrets: { db: { source: 'db' } } }, { prop: 'container.volumes[0]', message: 'secret volumes need Marathon 1.5' }, undefined, 'enterprise');
  });
  it('1.5: tty only exists from Marathon 1.5 (1.4 refuses it)', () => {
    rejects('1.9', { ...img, tty: true }, { prop: 'tty', message: 'needs Marathon 1.5' });
  });
});

describe('validation parity: ports and networking', () => {
  for (const dcos of both) {
    it(`${dcos}: duplicate port names`, () => {
      rejects(dcos, { ...img, ports: [http, MarathonPort.tcp('http', 81)] }, { prop: 'ports[1].name', message: "'http' is also used by ports[0]", fix: 'distinct name' });
    });
    it(`${dcos}: a port number out of range`, () => {
      rejects(dcos, { ...img, ports: [MarathonPort.tcp('http', 70000)] }, { prop: 'ports[0].port', message: 'not a port number', fix: '65535' });
    });
    it(`${dcos}: a port name Marathon refuses`, () => {
      const e = rejects(dcos, { ...img, ports: [MarathonPort.tcp('Http', 80)] }, { prop: 'ports[0].name', message: dcos === '1.9' ? 'Port name must fully match regular expression ^[a-z0-9-]+$' : 'error.pattern (the value does not match the pattern Marathon requires)' });
      expect(e.message).to.contain(dcos === '1.9' ? '/ipAddress/discovery/ports(0)/name' : '/container/portMappings(0)/name');
    });
    it(`${dcos}: hostPort with host networking`, () => {
      rejects(dcos, { ...img, networking: Networking.host(), ports: [MarathonPort.tcp('http', 0, { hostPort: 80 })] }, { prop: 'ports[0].hostPort', message: 'already is the host port' });
    });
    it(`${dcos}: a malformed VIP`, () => {
      rejects(dcos, { ...img, ports: [MarathonPort.tcp('http', 80, { vip: 'no-port' })] }, { prop: 'ports[0].vip', message: 'not of the form' });
    });
    it(`${dcos}: bridge networking without an image`, () => {
      rejects(dcos, { cmd: 'sleep 1d', networking: Networking.bridge() }, { prop: 'networking', message: 'needs a container image' });
    });
    it(`${dcos}: networkLabels on an app that is not on the environment network`, () => {
      rejects(dcos, { ...img, networking: Networking.host(), networkLabels: { app: 'x' } }, { prop: 'networkLabels', message: 'only apply on the environment' });
    });
    it(`${dcos}: networkLabels carrying the environment's own label`, () => {
      rejects(dcos, { ...img, networkLabels: { app: 'x', group: 'production' } }, { prop: 'networkLabels', message: "sets 'group'", rule: 'marathon/environment-label' });
    });
  }
  it('1.4: the same port number and protocol twice in ipAddress.discovery', () => {
    rejects('1.9', { ...img, ports: [http, MarathonPort.tcp('web', 80)] }, { prop: 'ports', message: 'only one port with a particular port number/protocol combination' });
  });
  it('1.4: an unnamed port of a Mesos container on a CNI network', () => {
    rejects('1.9', { ...img, ports: [MarathonPort.of({ port: 80 })] }, { prop: 'ports[0].name', message: 'need a name' });
  });
  it('1.4: host or service ports of a Mesos container on a CNI network', () => {
    rejects('1.9', { ...img, ports: [MarathonPort.tcp('http', 80, { hostPort: 0 })] }, { prop: 'ports[0].hostPort', message: 'cannot map host or service ports', fix: "container.type 'DOCKER'" });
  });
  it('1.4: bridge networking with the Mesos containerizer', () => {
    rejects('1.9', { ...img, networking: Networking.bridge() }, { prop: 'networking', message: 'needs Marathon 1.5', fix: "'DOCKER'" });
  });
  it('1.4: an IP per task together with port definitions (via an override)', () => {
    rejects('1.9', { ...img, ports: [http] }, { prop: 'networking', message: 'You cannot specify both an IP address and ports', fix: 'ipAddress' }, (a) => a.addOverride('portDefinitions', [{ port: 0 }]));
  });
  it('1.5: port definitions with container networking (via an override)', () => {
    const e = rejects('1.10', { ...img }, { prop: 'networking', message: 'portDefinitions are only allowed with host-networking' }, (a) => a.addOverride('portDefinitions', [{ port: 0 }]));
    expect(e.message).to.contain("the app has overrides: 'portDefinitions'");
  });
  it('1.5: a network combination Marathon refuses (via an override)', () => {
    rejects('1.10', { ...img }, { prop: 'networking', message: 'May specify a single host network, single bridge network, or else 1-to-n container networks' }, (a) => a.addOverride('networks.1', { mode: 'host' }));
  });
  it('1.5: a CNI network name Marathon refuses', () => {
    rejects('1.10', { ...img, networking: Networking.cni('Not_Valid') }, { prop: 'networking', message: '/networks(0)/name: error.pattern' });
  });
  it('1.5: a container network without a name (via an override)', () => {
    const e = rejects('1.10', { ...img }, { prop: 'networking', message: 'Network name must be specified' }, (a) => a.addDeletionOverride('networks.0.name'));
    expect(e.message).to.contain("overrides: 'networks.0.name'");
  });
});

describe('validation parity: health and readiness checks', () => {
  for (const dcos of both) {
    it(`${dcos}: a port name the app does not declare`, () => {
      rejects(dcos, { ...img, ports: [http], healthChecks: [HealthCheck.http({ port: 'admin' })] }, { prop: 'healthChecks[0].port', message: "no port named 'admin' (its ports: http)" });
    });
    it(`${dcos}: a port index outside the app's ports`, () => {
      rejects(dcos, { ...img, ports: [http], healthChecks: [HealthCheck.http({ portIndex: 1 })] }, { prop: 'healthChecks[0].portIndex', message: 'Health check port indices must address an element of the ports array' });
    });
    it(`${dcos}: a port check on an app without ports`, () => {
      rejects(dcos, { ...img, healthChecks: [HealthCheck.tcp()] }, { prop: 'healthChecks[0].port', message: 'declares no ports', fix: 'HealthCheck.command' });
    });
    it(`${dcos}: port and fixedPort together`, () => {
      rejects(dcos, { ...img, ports: [http], healthChecks: [HealthCheck.http({ port: 'http', fixedPort: 80 })] }, { prop: 'healthChecks[0]', message: 'more than one of port, portIndex and fixedPort' });
    });
    it(`${dcos}: two Mesos-side health checks`, () => {
      rejects(dcos, { ...img, ports: [http], healthChecks: [HealthCheck.mesosHttp({ port: 'http' }), HealthCheck.mesosTcp({ port: 'http' })] }, { prop: 'healthChecks', message: 'at most one Mesos health check' });
    });
    it(`${dcos}: a readiness check on an unknown port`, () => {
      rejects(dcos, { ...img, ports: [http], readinessChecks: [{ port: 'admin' }] }, { prop: 'readinessChecks[0].port', message: "no port named 'admin'" });
    });
    it(`${dcos}: a readiness timeout not below its interval`, () => {
      rejects(dcos, { ...img, ports: [http], readinessChecks: [{ port: 'http', intervalSeconds: 5 }] }, { prop: 'readinessChecks[0].timeoutSeconds', message: 'must be lower than intervalSeconds (5)' });
    });
  }
});

describe('validation parity: upgrade strategy and scheduling', () => {
  for (const dcos of both) {
    it(`${dcos}: minimumHealthCapacity above 1`, () => {
      rejects(dcos, { ...img, upgradeStrategy: { minimumHealthCapacity: 1.5 } }, { prop: 'upgradeStrategy.minimumHealthCapacity', message: 'outside [0, 1]', fix: 'between 0 and 1' });
    });
    it(`${dcos}: maximumOverCapacity below 0`, () => {
      rejects(dcos, { ...img, upgradeStrategy: { maximumOverCapacity: -0.1 } }, { prop: 'upgradeStrategy.maximumOverCapacity', message: 'outside [0, 1]' });
    });
    it(`${dcos}: a single-instance app with two instances`, () => {
      rejects(dcos, { ...img, instances: 2, labels: { MARATHON_SINGLE_INSTANCE_APP: 'true' }, upgradeStrategy: { minimumHealthCapacity: 0, maximumOverCapacity: 0 } }, { prop: 'instances', message: 'Single instance app may only have one instance' });
    });
    it(`${dcos}: an unreachable strategy that expunges before replacing`, () => {
      rejects(dcos, { ...img, unreachableStrategy: { inactiveAfterSeconds: 600, expungeAfterSeconds: 60 } }, { prop: 'unreachableStrategy', message: 'must not exceed expungeAfterSeconds' });
    });
  }
});

describe('validation parity: constraints', () => {
  const cases: Array<[string, Constraint, string | RegExp]> = [
    ['an unknown operator', Constraint.of('hostname', 'UNIQ'), "'UNIQ' is not a Marathon constraint operator"],
    ['UNIQUE with a value', Constraint.of('hostname', 'UNIQUE', 'x'), 'UNIQUE takes no value'],
    ['CLUSTER without a value', Constraint.of('rack', 'CLUSTER'), 'CLUSTER needs the value'],
    ['GROUP_BY with a non-integer', Constraint.groupBy('rack', 1.5), "GROUP_BY takes a whole number of groups, not '1.5'"],
    ['LIKE with an invalid regex', Constraint.like('rack', 'rack-(1'), "'rack-(1' is not a valid regular expression"],
    ['UNLIKE without a regex', Constraint.of('rack', 'UNLIKE'), 'UNLIKE needs a regular expression'],
    ['MAX_PER with a non-integer', Constraint.maxPer('zone', 2.5), "MAX_PER needs a whole number of tasks, not '2.5'"],
    ['an empty field', Constraint.unique(''), 'the field is empty'],
  ];
  for (const dcos of both) {
    for (const [name, c, message] of cases) {
      it(`${dcos}: ${name}`, () => {
        rejects(dcos, { ...img, constraints: [Constraint.unique('hostname'), c] }, { prop: 'constraints[1]', message, rule: 'marathon/constraint' });
      });
    }
  }
  it('1.5 refuses UNIQUE with an empty value, 1.4 ignores it', () => {
    rejects('1.10', { ...img, constraints: [Constraint.of('hostname', 'UNIQUE', '')] }, { prop: 'constraints[0]', message: 'even an empty one' });
    const { app, env } = stack({ dcosVersion: '1.9' });
    new MarathonApp(env, 'web', { ...img, constraints: [Constraint.of('hostname', 'UNIQUE', '')] });
    synthOk(app);
  });
});

describe('validation parity: secrets', () => {
  for (const dcos of both) {
    it(`${dcos}: secrets on DC/OS open source`, () => {
      rejects(dcos, { ...img, env: { PW: { secret: 'db' } }, secrets: { db: { source: 'db/password' } } }, { prop: 'secrets', message: 'need DC/OS Enterprise', fix: "variant: 'enterprise'" });
    });
    it(`${dcos}: an env value naming an undeclared secret`, () => {
      rejects(dcos, { ...img, env: { PW: { secret: 'dbpw' } }, secrets: { db: { source: 'db/password' } } }, { prop: 'env.PW', message: "refers to secret 'dbpw', which the app's secrets do not declare (they declare 'db')" }, undefined, 'enterprise');
    });
    it(`${dcos}: an empty secret source`, () => {
      rejects(dcos, { ...img, env: { PW: { secret: 'db' } }, secrets: { db: { source: '' } } }, { prop: 'secrets.db.source', message: 'empty' }, undefined, 'enterprise');
    });
  }
  it('1.5: a secret volume naming an undeclared secret', () => {
    rejects('1.10', { ...img, container: { volumes: [Volume.secret('creds', 'nope')] }, secrets: { db: { source: 'db' } } }, { prop: 'container.volumes[0]', message: "refers to secret 'nope'" }, undefined, 'enterprise');
  });
});

describe('validation parity: fetch, dependencies and overrides', () => {
  it('1.4: fetch and legacy uris together (uris via an override)', () => {
    rejects('1.9', { ...img, fetch: [{ uri: 'https://example.com/a.tgz' }] }, { prop: 'fetch', message: 'You cannot specify both uris and fetch fields' }, (a) => a.addOverride('uris', ['https://example.com/b.tgz']));
  });
  it('1.5: fetch and legacy uris together (uris via an override)', () => {
    rejects('1.10', { ...img, fetch: [{ uri: 'https://example.com/a.tgz' }] }, { prop: 'uris', message: "may not be set in conjunction with fetch (the value comes from addOverride('uris'))" }, (a) => a.addOverride('uris', ['https://example.com/b.tgz']));
  });
  for (const dcos of both) {
    it(`${dcos}: a fetch URI with invalid syntax`, () => {
      rejects(dcos, { ...img, fetch: [{ uri: 'https://example.com/a b.tgz' }] }, { prop: 'fetch[0].uri', message: 'URI has invalid syntax' });
    });
    it(`${dcos}: a dependency path Marathon refuses`, () => {
      rejects(dcos, { ...img, dependsOn: ['/Other_App'] }, { prop: 'dependsOn[0]', message: "'/Other_App' is not a Marathon path: must fully match regular expression", rule: 'marathon/dependency' });
    });
    it(`${dcos}: a dependency on the app's own group`, () => {
      const { app, cluster, calico } = stack({ dcosVersion: dcos });
      const env = environment(cluster, calico, 'shop', '/shop');
      new MarathonApp(env, 'web', { ...img, dependsOn: [env] });
      const [e, ...rest] = errorsOf(app);
      expect(rest).to.have.length(0);
      expect(e!.constructPath).to.equal('demo/shop/web');
      expect(e!.message).to.equal('dependsOn[0]: group /shop of environment demo/shop contains the app itself; Marathon could never start it.');
    });
    it(`${dcos}: overriding the id`, () => {
      rejects(dcos, { ...img }, { prop: 'id', message: 'cannot be overridden', rule: 'marathon/override' }, (a) => a.addOverride('id', '/other'));
    });
  }
  it('a dependency on an environment without a Marathon group', () => {
    const { app, env } = stack();
    new MarathonApp(env, 'web', { ...img, dependsOn: [env] });
    const [e] = errorsOf(app);
    expect(e!.message).to.contain('dependsOn[0]: environment demo/development has no marathonGroup');
  });
});

describe('validation parity: endpoints of the environment network', () => {
  it('allowFrom on a host-networked app is an error that says why', () => {
    const { app, env } = stack();
    const agent = new MarathonApp(env, 'agent', { ...img, networking: Networking.host(), ports: [MarathonPort.tcp('http', 8080)] });
    const tester = new MarathonApp(env, 'tester', { ...img, cmd: 'sleep 1d' });
    agent.allowFrom(tester, 'http');
    const [e, ...rest] = errorsOf(app);
    expect(rest).to.have.length(0);
    expect(e!.rule).to.equal('marathon/not-a-network-endpoint');
    expect(e!.constructPath).to.equal('demo/development/agent');
    expect(e!.message).to.equal(
      `allowFrom(app /tester, "http"): /agent uses host networking, so it is not an endpoint of network 'calico': its traffic does not carry the environment's labels and no Calico policy can select it.`,
    );
    expect(e!.fix).to.contain('Networking.container()');
  });

  it('a bridge app as the peer of allowFrom is an error too', () => {
    const { app, env } = stack({ dcosVersion: '1.10' });
    const web = new MarathonApp(env, 'web', { ...img, ports: [http] });
    const lb = new MarathonApp(env, 'lb', { ...img, container: { type: 'DOCKER' }, networking: Networking.bridge() });
    web.allowFrom(lb, 'http');
    const [e] = errorsOf(app);
    expect(e!.constructPath).to.equal('demo/development/web');
    expect(e!.message).to.contain('/lb uses bridge networking, so it is not an endpoint');
  });
});
