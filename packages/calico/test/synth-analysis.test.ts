/*
 * Connectivity findings at synth: leaks into isolated environments fail synthesis on the
 * construct at fault, other findings are warnings with construct paths, flows the stack asked
 * for (allowFrom/allowTo) are not reported, and the analysis can be turned off or skipped.
 */
import { expect } from 'chai';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { App, SynthesisError, type Bundle, type Diagnostic } from '@dcos-cdk/core';
import { CalicoNetwork, CalicoPolicy, Peer, Rule } from '@dcos-cdk/calico';
import { Cluster, Environment } from '@dcos-cdk/dcos';
import { MarathonApp, MarathonPort } from '@dcos-cdk/marathon';
import { buildStack } from '../../../examples/ip-per-container/lib/stack.js';
import { renderedDocumentOf } from '../src/rendered-documents.js';

const exampleDir = join(dirname(fileURLToPath(import.meta.url)), '../../../examples/ip-per-container');

/** GIVEN two environments on one network, each with a web app and a client that may reach it. */
function stack(options: { context?: Record<string, unknown>; devIsolated?: boolean; prodIsolated?: boolean; dcosVersion?: '1.9' | '2.1' } = {}) {
  const app = new App({ projectDir: false, context: options.context ?? {} });
  const cluster = new Cluster(app, 'demo', { dcosVersion: options.dcosVersion ?? '1.9' });
  const calico = new CalicoNetwork(cluster, 'calico', { defaultIngress: 'deny' });
  const dev = new Environment(cluster, 'development', { network: calico, isolated: options.devIsolated ?? true });
  const prod = new Environment(cluster, 'production', { network: calico, isolated: options.prodIsolated ?? true });
  const http = [MarathonPort.tcp('http', 80)];
  const devWeb = new MarathonApp(dev, 'web', { id: '/dev/web', image: 'nginx', ports: http });
  const devClient = new MarathonApp(dev, 'client', { id: '/dev/client', image: 'alpine' });
  const prodWeb = new MarathonApp(prod, 'web', { id: '/prod/web', image: 'nginx', ports: http });
  const prodClient = new MarathonApp(prod, 'client', { id: '/prod/client', image: 'alpine' });
  devWeb.allowFrom(devClient, 'http');
  prodWeb.allowFrom(prodClient, 'http');
  return { app, cluster, dev, prod, devWeb, devClient, prodWeb, prodClient };
}

function errorsOf(app: App): readonly Diagnostic[] {
  try {
    app.synth({ write: false });
  } catch (e) {
    expect(e).to.be.instanceOf(SynthesisError);
    return (e as SynthesisError).errors;
  }
  return expect.fail('synthesis should have failed');
}

/** A hand-written policy letting every client into every web app, whatever its environment. */
function leak(scope: Environment): CalicoPolicy {
  return new CalicoPolicy(scope, 'open-dev', {
    name: 'open-dev',
    selector: "group == 'development' || group == 'production'",
    order: 100,
    ingress: [Rule.allow({ protocol: 'tcp', source: { selector: "app == 'client'" }, destination: { selector: "app == 'web'", ports: [80] } })],
    egress: [Rule.allow({ protocol: 'tcp', destination: { ports: [80] } })],
  });
}

const rules = (b: Bundle): string[] => b.warnings.map((w) => `${w.rule} ${w.constructPath}`);

describe('connectivity findings at synth', () => {
  for (const dcosVersion of ['1.9', '2.1']) {
    it(`the example synthesizes with no warning (DC/OS ${dcosVersion})`, () => {
      const app = new App({ projectDir: exampleDir, context: { dcosVersion } });
      buildStack(app);
      expect(app.synth({ write: false }).warnings).to.deep.equal([]);
    });
  }

  it('a flow into an isolated environment is an error on the policy that opens it; synthesis fails', () => {
    const s = stack();
    leak(s.prod);
    const errors = errorsOf(s.app);
    expect(errors.map((e) => [e.rule, e.constructPath])).to.deep.equal([
      ['analysis/cross-environment-flow', 'demo/production/open-dev'],
      ['analysis/cross-environment-flow', 'demo/production/open-dev'],
    ]);
    expect(errors.map((e) => e.message)).to.have.members([
      '/prod/client (group=production) can reach /dev/web (group=development): tcp 80 (policy open-dev rule 0 (allow)).',
      '/dev/client (group=development) can reach /prod/web (group=production): tcp 80 (policy open-dev rule 0 (allow)).',
    ]);
    expect(errors[0]!.fix).to.contain('allowFrom()');
  });

  it('into an environment with isolated: false, the same flow is a warning; into an isolated one, still an error', () => {
    const lenient = stack({ devIsolated: false });
    leak(lenient.prod);
    expect(errorsOf(lenient.app).map((e) => e.message)).to.deep.equal(['/dev/client (group=development) can reach /prod/web (group=production): tcp 80 (policy open-dev rule 0 (allow)).']);
    const open = stack({ devIsolated: false, prodIsolated: false });
    leak(open.prod);
    const bundle = open.app.synth({ write: false });
    expect(bundle.warnings.map((w) => [w.severity, w.rule, w.constructPath])).to.deep.equal([
      ['warning', 'analysis/cross-environment-flow', 'demo/production/open-dev'],
      ['warning', 'analysis/cross-environment-flow', 'demo/production/open-dev'],
    ]);
  });

  it('flows the stack asked for across environments and from the Internet are not findings', () => {
    const s = stack({ dcosVersion: '2.1' });
    s.devWeb.allowFrom(s.prodClient, 'http');
    s.devClient.allowTo(s.prodWeb, 'http');
    s.prodWeb.allowFrom(Peer.internet(), 'http');
    expect(s.app.synth({ write: false }).warnings).to.deep.equal([]);
  });

  it('warns, with construct paths, about unreachable ports, ports open to the Internet by hand, shadowed rules and policies that select nothing', () => {
    const s = stack();
    new MarathonApp(s.dev, 'db', { id: '/dev/db', image: 'postgres', ports: [MarathonPort.tcp('pg', 5432)] });
    new CalicoPolicy(s.dev, 'public', {
      selector: "app == 'web' && group == 'development'",
      order: 10,
      ingress: [Rule.allow({ protocol: 'tcp', destination: { ports: [80] } }), Rule.allow({ protocol: 'tcp', source: { selector: "app == 'client'" }, destination: { ports: [80] } })],
    });
    new CalicoPolicy(s.dev, 'nobody', { selector: "app == 'nothing'" });
    const bundle = s.app.synth({ write: false });
    expect(rules(bundle)).to.have.members([
      'analysis/unreachable-port demo/development/db',
      'analysis/open-to-internet demo/development/public',
      'analysis/shadowed-rule demo/development/public',
      'analysis/policy-selects-nothing demo/development/nobody',
    ]);
    expect(bundle.warnings.find((w) => w.rule === 'analysis/unreachable-port')!.message).to.equal('/dev/db declares tcp 5432 (pg), but no endpoint and no external address can open a connection to it.');
    expect(bundle.manifest.warnings.map((w) => w.rule)).to.include('analysis/open-to-internet');
  });

  it("is turned off with the context value dcos-cdk:analyzeAtSynth = false, and skipped with one warning above the limit", () => {
    const off = stack({ context: { 'dcos-cdk:analyzeAtSynth': false } });
    leak(off.prod);
    expect(off.app.synth({ write: false }).warnings).to.deep.equal([]);
    const small = stack({ context: { 'dcos-cdk:analyzeAtSynth': 3 } });
    leak(small.prod);
    const bundle = small.app.synth({ write: false });
    expect(bundle.warnings.map((w) => [w.rule, w.constructPath, w.message])).to.deep.equal([
      ['analysis/skipped', 'demo', 'The connectivity analysis was skipped at synth: the stack has 4 Marathon apps, more than 3.'],
    ]);
  });

  it('reads the documents the constructs rendered, equal to their YAML', () => {
    const s = stack({ dcosVersion: '2.1' });
    s.prodWeb.allowFrom(Peer.internet(), 'http');
    const bundle = s.app.synth({ write: false });
    const calico = bundle.artifacts.filter((a) => a.kind.startsWith('calico-'));
    expect(calico.length).to.be.greaterThan(3);
    for (const a of calico) expect(JSON.parse(JSON.stringify(renderedDocumentOf(a.construct))), a.id).to.deep.equal(parse(a.content));
  });
});
