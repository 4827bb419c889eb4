import { expect } from 'chai';
import { Construct } from 'constructs';
import { App } from '@dcos-cdk/core';
import { CalicoNetwork, Peer } from '@dcos-cdk/calico';
import { Cluster, Environment, type CalicoVersion, type INetwork } from '@dcos-cdk/dcos';
import { MarathonApp, MarathonPort } from '@dcos-cdk/marathon';
import { DCOS_FOR, errorsOf, expectDiagnostic } from './support.js';

function stack(version: CalicoVersion) {
  const app = new App({ projectDir: false });
  const cluster = new Cluster(app, 'demo', { dcosVersion: DCOS_FOR[version] });
  const calico = new CalicoNetwork(cluster, 'calico');
  const dev = new Environment(cluster, 'development', { network: calico });
  return { app, cluster, calico, dev };
}

describe('endpoint labels are checked with the rules of the target Calico version', () => {
  it('v1: a label key with a space is an error on the app', () => {
    const { app, dev } = stack('v1');
    new MarathonApp(dev, 'web', { id: '/web', image: 'nginx', networkLabels: { 'team name': 'web' } });
    const [e, ...rest] = errorsOf(app);
    expect(rest).to.have.length(0);
    expectDiagnostic(e!, {
      rule: 'calico/endpoint-label',
      path: 'demo/development/web',
      message: 'labels["team name"]: label key \'team name\' is not 1-512 letters, digits, _, ., / or - (libcalico-go v1 label rules).',
      fix: "Endpoint labels come from the app's network labels and its environment.",
    });
  });

  it('v3: a label key v1 accepts but Kubernetes rules refuse (two slashes) is an error; the same app is fine on v1', () => {
    const labels = { 'a/b/c': 'web' };
    const v3 = stack('v3');
    new MarathonApp(v3.dev, 'web', { id: '/web', image: 'nginx', networkLabels: labels });
    expectDiagnostic(errorsOf(v3.app)[0]!, { rule: 'calico/endpoint-label', path: 'demo/development/web', message: /^labels\["a\/b\/c"\]: label key 'a\/b\/c' has more than one '\/'/, fix: 'example.com/app' });
    const v1 = stack('v1');
    new MarathonApp(v1.dev, 'web', { id: '/web', image: 'nginx', networkLabels: labels });
    expect(() => v1.app.synth({ write: false })).to.not.throw();
  });

  it('v3: a label value starting with a dash is an error; v1 takes it', () => {
    for (const [version, fails] of [['v3', true], ['v1', false]] as const) {
      const s = stack(version);
      new MarathonApp(s.dev, 'web', { id: '/web', image: 'nginx', networkLabels: { app: '-web' } });
      if (fails) expect(errorsOf(s.app).map((e) => e.rule)).to.deep.equal(['calico/endpoint-label']);
      else expect(() => s.app.synth({ write: false })).to.not.throw();
    }
  });

  it('two apps with the same labels get a warning: rules naming one match the other', () => {
    const { app, dev } = stack('v1');
    new MarathonApp(dev, 'a', { id: '/a', image: 'x', networkLabels: { app: 'same' } });
    new MarathonApp(dev, 'b', { id: '/b', image: 'x', networkLabels: { app: 'same' } });
    const warnings = app.synth({ write: false }).manifest.warnings;
    expect(warnings.map((w) => [w.rule, w.constructPath])).to.deep.equal([['calico/indistinct-endpoints', 'demo/development/b']]);
  });

  it('a peer in an environment that is not on a Calico network is an error: its side cannot be opened', () => {
    const { app, cluster, dev } = stack('v1');
    class OtherNetwork extends Construct implements INetwork {
      public readonly networkName = 'weave';
      public attachEnvironment(): void {}
      public allowPing(): void {}
      public dependencyIdsFor(): readonly string[] {
        return [];
      }
    }
    const other = new Environment(cluster, 'other', { network: new OtherNetwork(cluster, 'weave') });
    const outsider = new MarathonApp(other, 'x', { id: '/x', image: 'x', ports: [MarathonPort.tcp('http', 80)] });
    const web = new MarathonApp(dev, 'web', { id: '/web', image: 'nginx', ports: [MarathonPort.tcp('http', 80)] });
    web.allowFrom(Peer.app(outsider), 'http');
    const errors = errorsOf(app).filter((e) => e.rule === 'calico/peer-network');
    expect(errors).to.have.length(1);
    expectDiagnostic(errors[0]!, { path: 'demo/development/web', message: "allowFrom(app /x, 'http'): environment demo/other is not on a Calico network, so its side of the connection cannot be opened.", fix: 'Peer.cidr' });
  });
});
