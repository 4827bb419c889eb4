import { expect } from 'chai';
import { App, SynthesisError, type Diagnostic } from '@dcos-cdk/core';
import { CalicoNetwork, CalicoPolicy, Rule } from '@dcos-cdk/calico';
import { Cluster, Environment } from '@dcos-cdk/dcos';
import { MarathonApp, MarathonPort } from '@dcos-cdk/marathon';

/** GIVEN a small stack with one environment. */
function stack() {
  const app = new App({ projectDir: false });
  const cluster = new Cluster(app, 'demo', { dcosVersion: '1.9' });
  const calico = new CalicoNetwork(cluster, 'calico', { defaultIngress: 'deny' });
  const dev = new Environment(cluster, 'development', { network: calico });
  const frontend = new MarathonApp(dev, 'frontend', { id: 'frontend2', image: 'nginx:alpine', cpus: 0.1, mem: 64, ports: [MarathonPort.tcp('http', 80)] });
  const tester = new MarathonApp(dev, 'tester', { id: 'tester2', image: 'donch/net-tools', cmd: 'sleep 4h', cpus: 0.1, mem: 64 });
  return { app, cluster, calico, dev, frontend, tester };
}

/** WHEN it is synthesized, THEN it fails; returns the errors. */
function errorsOf(app: App): Diagnostic[] {
  try {
    app.synth({ write: false });
  } catch (e) {
    expect(e).to.be.instanceOf(SynthesisError);
    return [...(e as SynthesisError).errors];
  }
  return expect.fail('synthesis should have failed');
}

describe('mistakes caught at synth', () => {
  it('two policies with one name in a cluster (the walkthrough names two allow-dev-tester-database)', () => {
    const { app, dev } = stack();
    new CalicoPolicy(dev, 'tester-database', { name: 'allow-dev-tester-database', selector: "group == 'development'" });
    new CalicoPolicy(dev, 'lan-frontend', { name: 'allow-dev-tester-database', selector: "group == 'development'" });
    const [e, ...rest] = errorsOf(app);
    expect(rest).to.have.length(0);
    expect(e!.rule).to.equal('calico/duplicate-policy-name');
    expect(e!.constructPath).to.equal('demo/development/lan-frontend');
    expect(e!.message).to.contain("'allow-dev-tester-database' is already used by demo/development/tester-database");
    expect(e!.fix).to.contain('unique name');
  });

  it('allowFrom naming a port the app does not expose (the walkthrough opens 81 on a frontend that listens on 80)', () => {
    const { app, frontend, tester } = stack();
    frontend.allowFrom(tester, 'ui');
    const [e, ...rest] = errorsOf(app);
    expect(rest).to.have.length(0);
    expect(e!.rule).to.equal('calico/unknown-port');
    expect(e!.constructPath).to.equal('demo/development/frontend');
    expect(e!.message).to.equal("allowFrom(app /tester2, 'ui'): /frontend2 has no port named 'ui' (its ports: http).");
  });

  it('a selector that does not parse', () => {
    const { app, dev } = stack();
    new CalicoPolicy(dev, 'broken', { selector: "app == 'frontend' &&" });
    const [e, ...rest] = errorsOf(app);
    expect(rest).to.have.length(0);
    expect(e!.rule).to.equal('calico/selector-syntax');
    expect(e!.constructPath).to.equal('demo/development/broken');
    expect(e!.message).to.match(/Invalid selector .* at position 20/);
  });

  it('a rule selector that does not parse names the rule', () => {
    const { app, dev } = stack();
    new CalicoPolicy(dev, 'broken-rule', { selector: 'all()', ingress: [Rule.allow({ source: { selector: 'app = tester' } })] });
    const [e] = errorsOf(app);
    expect(e!.constructPath).to.equal('demo/development/broken-rule');
    expect(e!.message).to.match(/^ingress\[0\]\.source\.selector: Invalid selector/);
  });

  it('two apps with one Marathon id', () => {
    const { app, dev } = stack();
    new MarathonApp(dev, 'frontend-copy', { id: '/frontend2', image: 'nginx:alpine' });
    const [e, ...rest] = errorsOf(app);
    expect(rest).to.have.length(0);
    expect(e!.rule).to.equal('marathon/duplicate-app-id');
    expect(e!.constructPath).to.equal('demo/development/frontend-copy');
    expect(e!.message).to.contain("'/frontend2' is already used by demo/development/frontend");
  });

  it('an id Marathon would reject', () => {
    const { app, dev } = stack();
    new MarathonApp(dev, 'bad', { id: 'Front_End', image: 'nginx:alpine' });
    const errors = errorsOf(app);
    expect(errors).to.have.length(1);
    expect(errors[0]!.constructPath).to.equal('demo/development/bad');
    expect(errors[0]!.message).to.contain('/id').and.contain('must fully match regular expression');
  });

  it("an icmp rule without protocol icmp (the walkthrough's allow-dev-pings)", () => {
    const { app, dev } = stack();
    new CalicoPolicy(dev, 'pings', { selector: "group == 'development'", ingress: [{ action: 'allow', icmp: { type: 8 } }] });
    const [e, ...rest] = errorsOf(app);
    expect(rest).to.have.length(0);
    expect(e!.constructPath).to.equal('demo/development/pings');
    expect(e!.message).to.equal('ingress[0].icmp: icmp is set but protocol is not set, so the ICMP match never applies as meant.');
    expect(e!.fix).to.contain("protocol: 'icmp'");
  });

  it('the library sets the protocol itself where it can: allowPing and Rule.allowPing synthesize', () => {
    const { app, dev } = stack();
    dev.allowPing();
    new CalicoPolicy(dev, 'pings', { selector: "group == 'development'", ingress: [Rule.allowPing()] });
    expect(() => app.synth({ write: false })).to.not.throw();
  });

  it('reports every error at once', () => {
    const { app, dev, frontend, tester } = stack();
    frontend.allowFrom(tester, 'ui');
    new CalicoPolicy(dev, 'broken', { selector: '(' });
    new MarathonApp(dev, 'copy', { id: '/tester2', image: 'x' });
    expect(errorsOf(app).map((e) => e.rule).sort()).to.deep.equal(['calico/selector-syntax', 'calico/unknown-port', 'marathon/duplicate-app-id']);
  });
});
