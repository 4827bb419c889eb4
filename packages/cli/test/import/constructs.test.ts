/*
 * The constructs imported stacks are made of: ExistingCalicoNetwork (a Calico network the stack
 * joins without managing it) and CalicoPolicy's `mistakes: 'warning'` (a policy kept as written).
 */
import { expect } from 'chai';
import { App, SynthesisError } from '@dcos-cdk/core';
import { Cluster, Environment } from '@dcos-cdk/dcos';
import { CalicoPolicy, ExistingCalicoNetwork, Rule, Selector } from '@dcos-cdk/calico';
import { MarathonApp, MarathonPort } from '@dcos-cdk/marathon';

function stack() {
  const app = new App({ projectDir: false, context: { 'dcos-cdk:analyzeAtSynth': false } });
  const cluster = new Cluster(app, 'demo', { dcosVersion: '1.9' });
  const calico = new ExistingCalicoNetwork(cluster, 'calico');
  const dev = new Environment(cluster, 'development', { network: calico });
  return { app, cluster, calico, dev };
}

describe('ExistingCalicoNetwork', () => {
  it('emits nothing of its own: no package, no profile, no policy', () => {
    const { app, dev } = stack();
    new MarathonApp(dev, 'web', { image: 'nginx', ports: [MarathonPort.tcp('http', 80)] });
    expect(app.synth({ write: false }).artifacts.map((a) => a.id)).to.deep.equal(['marathon-app:/web']);
  });

  it('gives apps their environment label, and orders them after the policies that select them', () => {
    const { app, cluster, dev } = stack();
    const web = new MarathonApp(dev, 'web', { image: 'nginx', networkLabels: { app: 'web' } });
    new CalicoPolicy(cluster, 'Web', { name: 'web', selector: Selector.parse("app == 'web' && group == 'development'"), ingress: [Rule.allow()] });
    new CalicoPolicy(cluster, 'Other', { name: 'other', selector: Selector.parse("app == 'db'"), ingress: [Rule.allow()] });
    const bundle = app.synth({ write: false });
    const a = bundle.artifacts.find((x) => x.id === web.artifactId)!;
    expect(JSON.parse(a.content).ipAddress.labels).to.deep.equal({ app: 'web', group: 'development' });
    expect(a.dependsOn).to.deep.equal(['calico-policy:web']);
  });

  it('refuses allowPing and allowFrom, which need generated policies', () => {
    const { dev } = stack();
    const web = new MarathonApp(dev, 'web', { image: 'nginx', ports: [MarathonPort.tcp('http', 80)] });
    const client = new MarathonApp(dev, 'client', { image: 'alpine' });
    expect(() => dev.allowPing()).to.throw(/allowPing\(\) needs a CalicoNetwork/);
    expect(() => web.allowFrom(client, 'http')).to.throw(/traffic rules need a Calico network/);
  });
});

describe("CalicoPolicy mistakes: 'warning'", () => {
  const ping = { name: 'pings', selector: Selector.parse("group == 'development'"), ingress: [Rule.allow({ icmp: { type: 8 } })] };

  it('is an error by default: a rule that cannot work as written', () => {
    const { app, cluster } = stack();
    new CalicoPolicy(cluster, 'Pings', ping);
    expect(() => app.synth({ write: false })).to.throw(SynthesisError, /icmp is set but protocol is not set/);
  });

  it("with 'warning', is reported as a warning and the policy is written as it is", () => {
    const { app, cluster } = stack();
    new CalicoPolicy(cluster, 'Pings', { ...ping, mistakes: 'warning' });
    const bundle = app.synth({ write: false });
    expect(bundle.warnings.map((w) => w.rule)).to.deep.equal(['calico/rule']);
    expect(bundle.artifacts[0]!.content).to.contain('icmp:\n      type: 8').and.not.contain('protocol');
  });

  it("with 'warning', still refuses what Calico rejects", () => {
    const { app, cluster } = stack();
    new CalicoPolicy(cluster, 'Bad', { ...ping, ingress: [Rule.allow({ protocol: 'tcp', destination: { ports: [70000] } })], mistakes: 'warning' });
    expect(() => app.synth({ write: false })).to.throw(SynthesisError);
  });
});
