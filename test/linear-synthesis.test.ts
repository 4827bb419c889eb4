import { expect } from 'chai';
import { App } from '@dcos-cdk/core';
import { CalicoNetwork } from '@dcos-cdk/calico';
import { Cluster, Environment } from '@dcos-cdk/dcos';
import { MarathonApp, MarathonPort } from '@dcos-cdk/marathon';

/**
 * GIVEN `environments` environments of `triples` walkthrough triples each
 * (frontend, tester, database; the tester reaches both, the frontend the
 * database): the shape `npm run bench` measures, small.
 */
function walkthroughs(environments: number, triples: number): App {
  const app = new App({ projectDir: false });
  const cluster = new Cluster(app, 'demo', { dcosVersion: '1.9' });
  const calico = new CalicoNetwork(cluster, 'calico', { defaultIngress: 'deny' });
  for (let e = 0; e < environments; e++) {
    const env = new Environment(cluster, `env-${e}`, { network: calico });
    env.allowPing();
    for (let t = 0; t < triples; t++) {
      const suffix = `-${e}-${t}`;
      const frontend = new MarathonApp(env, `frontend-${t}`, { id: `frontend${suffix}`, image: 'nginx:alpine', ports: [MarathonPort.tcp('http', 80)] });
      const tester = new MarathonApp(env, `tester-${t}`, { id: `tester${suffix}`, image: 'donch/net-tools', cmd: 'sleep 4h' });
      const database = new MarathonApp(env, `database-${t}`, { id: `database${suffix}`, image: 'oscarfonts/h2', ports: [MarathonPort.tcp('database', 1521), MarathonPort.tcp('http', 81)] });
      frontend.allowFrom(tester, 'http');
      database.allowFrom(tester, 'http');
      database.allowFrom(frontend, 'database');
    }
  }
  return app;
}

describe('synthesis stays linear in the size of the stack', () => {
  it('an app follows its environment policy and its own ingress policy, not every policy of its environment', () => {
    const bundle = walkthroughs(1, 2).synth({ write: false });
    const deps = (id: string) => bundle.manifest.artifacts.find((a) => a.id === `marathon-app:${id}`)!.dependsOn;
    expect(deps('/frontend-0-1')).to.deep.equal(['calico-policy:env-0-environment', 'calico-policy:env-0-frontend-1-ingress']);
    expect(deps('/database-0-0')).to.deep.equal(['calico-policy:env-0-environment', 'calico-policy:env-0-database-0-ingress']);
    expect(deps('/tester-0-0')).to.deep.equal(['calico-policy:env-0-environment']);
  });

  it('one environment of 1,500 apps: the manifest has at most two dependencies per app', () => {
    const bundle = walkthroughs(1, 500).synth({ write: false });
    const apps = bundle.manifest.artifacts.filter((a) => a.kind === 'marathon-app');
    expect(apps).to.have.length(1500);
    expect(Math.max(...apps.map((a) => a.dependsOn.length))).to.equal(2);
  });

  it('checks across environments look environments up, not scan them per app: 300 environments read each a few times', () => {
    const app = walkthroughs(300, 1);
    let reads = 0;
    for (const env of app.node.findAll().filter(Environment.isEnvironment)) {
      for (const field of ['labelKey', 'environmentName'] as const) {
        const value = env[field];
        Object.defineProperty(env, field, { get: () => (reads++, value) });
      }
    }
    app.synth({ write: false });
    // 300 environments and 900 apps; one scan of every environment per app would read them 270,000 times or more.
    expect(reads).to.be.lessThan(20 * (300 + 900));
  });
});
