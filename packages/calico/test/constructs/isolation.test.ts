import { expect } from 'chai';
import { parse } from 'yaml';
import { App, type Bundle } from '@dcos-cdk/core';
import { CalicoNetwork, CalicoPolicy, Peer } from '@dcos-cdk/calico';
import { Cluster, Environment, type CalicoVersion } from '@dcos-cdk/dcos';
import { MarathonApp, MarathonPort } from '@dcos-cdk/marathon';
import { addCalicoResource, addMarathonApp } from '../../../../test/support/bundle-model.js';
import { evaluateFlow, type NaiveModel, type Packet, type Party } from '../../../../test/support/naive-felix.js';
import { DCOS_FOR, errorsOf } from './support.js';

/** The naive evaluator's model of an in-memory bundle (policies and profiles first, then the apps). */
function modelOf(bundle: Bundle): NaiveModel {
  const model: NaiveModel = { endpoints: [], policies: [], profiles: [] };
  for (const a of bundle.artifacts) if (a.kind === 'calico-policy' || a.kind === 'calico-profile') addCalicoResource(model, parse(a.content) as Record<string, unknown>);
  for (const a of bundle.artifacts) if (a.kind === 'marathon-app') addMarathonApp(model, JSON.parse(a.content) as Record<string, unknown>);
  return model;
}

const tcp = (port: number): Packet => ({ protocol: 'tcp', port });
const ping: Packet = { protocol: 'icmp', icmpType: 8 };
const PACKETS: Array<[string, Packet]> = [['tcp/80', tcp(80)], ['tcp/8080', tcp(8080)], ['tcp/5432', tcp(5432)], ['tcp/9100', tcp(9100)], ['icmp echo', ping]];

/**
 * GIVEN three environments on one network, isolated by default:
 * development (egress 'allow'), production (egress 'restricted') and ops,
 * with app, environment, CIDR and Internet peers in both directions.
 */
function scenario(version: CalicoVersion, outdir?: string): { app: App; bundle: Bundle; model: NaiveModel } {
  const app = new App({ projectDir: false, outdir });
  const cluster = new Cluster(app, 'demo', { dcosVersion: DCOS_FOR[version] });
  const calico = new CalicoNetwork(cluster, 'calico', { defaultIngress: 'deny' });
  const dev = new Environment(cluster, 'development', { network: calico });
  const prod = new Environment(cluster, 'production', { network: calico, egress: 'restricted' });
  const ops = new Environment(cluster, 'ops', { network: calico });
  const http = (port: number) => [MarathonPort.tcp('http', port)];
  const pg = [MarathonPort.tcp('pg', 5432)];
  const devWeb = new MarathonApp(dev, 'web', { id: '/dev/web', image: 'nginx', ports: http(80) });
  const devWorker = new MarathonApp(dev, 'worker', { id: '/dev/worker', image: 'busybox' });
  const devDb = new MarathonApp(dev, 'db', { id: '/dev/db', image: 'postgres', ports: pg });
  const prodWeb = new MarathonApp(prod, 'web', { id: '/prod/web', image: 'nginx', ports: http(80) });
  const prodApi = new MarathonApp(prod, 'api', { id: '/prod/api', image: 'api', ports: http(8080) });
  const prodDb = new MarathonApp(prod, 'db', { id: '/prod/db', image: 'postgres', ports: pg });
  new MarathonApp(ops, 'monitor', { id: '/ops/monitor', image: 'prometheus' });

  devWeb.allowFrom(devWorker, 'http'); // an app of the same environment
  devDb.allowFrom(Peer.environment(dev), 'pg'); // the whole environment
  devWeb.allowFrom(Peer.cidr('10.20.0.0/16', 'the LAN'), 'http'); // addresses outside the cluster
  prodDb.allowFrom(prodApi, 'pg');
  prodDb.allowFrom(Peer.cidr('192.168.0.0/16', 'the container range'), 'pg'); // holds every container, matches none
  prodApi.allowFrom(devWorker, 'http'); // an app of another environment
  devWorker.allowTo(prodWeb, 'http'); // to an app of another environment
  prodWeb.allowFrom(Peer.internet(), 'http');
  prodWeb.allowFrom(Peer.environment(ops), 'http'); // another whole environment
  prodApi.allowTo(Peer.cidr('203.0.113.0/24', 'a partner'), { port: 443, protocol: 'tcp' }); // restricted egress, opened
  const monitor = ops.endpoints[0] as MarathonApp;
  monitor.allowTo(Peer.environment(prod), { port: 9100, protocol: 'tcp' }); // to every app of another environment
  prod.allowPing();
  const bundle = app.synth({ write: outdir !== undefined });
  return { app, bundle, model: modelOf(bundle) };
}

for (const version of ['v1', 'v3'] as const) {
  describe(`isolation API on Calico ${version} (flows checked with the naive Felix evaluator)`, () => {
    const { bundle, model } = scenario(version);
    const ep = (id: string): Party => ({ endpoint: model.endpoints.find((e) => e.id === id)! });
    const allows = (src: Party, dst: Party, p: Packet) => evaluateFlow(model, src, dst, p).allowed;

    it('between containers, allows exactly the flows the apps asked for, in both environments and across them', () => {
      const allowed: string[] = [];
      for (const src of model.endpoints) {
        for (const dst of model.endpoints) {
          if (src === dst) continue;
          for (const [name, p] of PACKETS) if (evaluateFlow(model, { endpoint: src }, { endpoint: dst }, p).allowed) allowed.push(`${src.id} -> ${dst.id} ${name}`);
        }
      }
      const pings = ['/prod/web', '/prod/api', '/prod/db'].flatMap((a) => ['/prod/web', '/prod/api', '/prod/db'].filter((b) => b !== a).map((b) => `${a} -> ${b} icmp echo`));
      expect(allowed.sort()).to.deep.equal(
        [
          '/dev/worker -> /dev/web tcp/80',
          '/dev/web -> /dev/db tcp/5432',
          '/dev/worker -> /dev/db tcp/5432',
          '/prod/api -> /prod/db tcp/5432',
          '/dev/worker -> /prod/api tcp/8080',
          '/dev/worker -> /prod/web tcp/80',
          '/ops/monitor -> /prod/web tcp/80',
          '/ops/monitor -> /prod/web tcp/9100',
          '/ops/monitor -> /prod/api tcp/9100',
          '/ops/monitor -> /prod/db tcp/9100',
          ...pings,
        ].sort(),
      );
    });

    it('opens a cross-environment connection on both sides and nothing else: not the other direction, not other ports', () => {
      expect(allows(ep('/dev/worker'), ep('/prod/api'), tcp(8080))).to.equal(true);
      expect(allows(ep('/dev/worker'), ep('/prod/api'), tcp(80))).to.equal(false);
      expect(allows(ep('/prod/api'), ep('/dev/worker'), tcp(8080))).to.equal(false);
      expect(allows(ep('/dev/web'), ep('/prod/api'), tcp(8080))).to.equal(false);
      // The egress side alone would not do: production's ingress policy names the worker.
      const r = evaluateFlow(model, ep('/dev/web'), ep('/prod/web'), tcp(80));
      expect(r.egress?.allowed).to.equal(true); // development may open connections... but not into production:
      expect(r.allowed).to.equal(false);
    });

    it('CIDR and Internet peers mean addresses outside the cluster; a container inside the CIDR never matches', () => {
      expect(allows({ ip: '10.20.3.4' }, ep('/dev/web'), tcp(80))).to.equal(true);
      expect(allows({ ip: '10.21.3.4' }, ep('/dev/web'), tcp(80))).to.equal(false);
      expect(allows({ ip: '203.0.113.9' }, ep('/prod/web'), tcp(80))).to.equal(true);
      expect(allows({ ip: '203.0.113.9' }, ep('/prod/api'), tcp(8080))).to.equal(false);
      expect(allows({ ip: '192.168.200.1' }, ep('/prod/db'), tcp(5432))).to.equal(true);
      expect(allows(ep('/dev/db'), ep('/prod/db'), tcp(5432))).to.equal(false);
      expect(allows(ep('/prod/web'), ep('/prod/db'), tcp(5432))).to.equal(false);
    });

    it("egress 'allow' reaches anything outside the cluster; 'restricted' only the peers apps name, on their ports", () => {
      expect(allows(ep('/dev/worker'), { ip: '8.8.8.8' }, tcp(443))).to.equal(true);
      expect(allows(ep('/prod/web'), { ip: '8.8.8.8' }, tcp(443))).to.equal(false);
      expect(allows(ep('/prod/api'), { ip: '203.0.113.5' }, tcp(443))).to.equal(true);
      expect(allows(ep('/prod/api'), { ip: '203.0.113.5' }, tcp(80))).to.equal(false);
      expect(allows(ep('/prod/api'), { ip: '8.8.8.8' }, tcp(443))).to.equal(false);
    });

    it('allowPing lets the environment ping itself, and no one else ping it', () => {
      expect(allows(ep('/prod/web'), ep('/prod/db'), ping)).to.equal(true);
      expect(allows(ep('/dev/web'), ep('/prod/db'), ping)).to.equal(false);
      expect(allows({ ip: '203.0.113.9' }, ep('/prod/web'), ping)).to.equal(false);
      expect(allows(ep('/dev/web'), ep('/dev/db'), ping)).to.equal(false);
    });

    it('names generated policies readably and deterministically, valid for calicoctl v1 and Calico v3', () => {
      const names = bundle.artifacts.filter((a) => a.kind === 'calico-policy').map((a) => (parse(a.content) as { metadata: { name: string } }).metadata.name);
      expect(names.sort()).to.deep.equal(
        ['development-environment', 'development-web-ingress', 'development-db-ingress', 'production-environment', 'production-web-ingress', 'production-api-ingress', 'production-db-ingress', 'ops-environment'].sort(),
      );
      for (const n of names) expect(n).to.match(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/).and.to.have.length.at.most(128);
      const again = scenario(version).bundle;
      expect(again.artifacts.map((a) => [a.id, a.content])).to.deep.equal(bundle.artifacts.map((a) => [a.id, a.content]));
    });
  });
}

describe('generated policy names stay unique within the calicoctl v1 name rules', () => {
  it('two slugs that collide (environment a-b, app c; environment a, app b-c) get distinct, stable names', () => {
    const app = new App({ projectDir: false });
    const cluster = new Cluster(app, 'demo', { dcosVersion: '1.9' });
    const calico = new CalicoNetwork(cluster, 'calico');
    const ab = new Environment(cluster, 'a-b', { network: calico });
    const a = new Environment(cluster, 'a', { network: calico });
    const c = new MarathonApp(ab, 'c', { id: '/x/c', image: 'x', ports: [MarathonPort.tcp('http', 80)] });
    const bc = new MarathonApp(a, 'b-c', { id: '/y/bc', image: 'x', ports: [MarathonPort.tcp('http', 80)] });
    c.allowFrom(Peer.internet(), 'http');
    bc.allowFrom(Peer.internet(), 'http');
    const names = app.synth({ write: false }).artifacts.filter((x) => x.kind === 'calico-policy').map((x) => x.id);
    expect(names).to.include('calico-policy:a-b-c-ingress');
    const other = names.find((n) => n.startsWith('calico-policy:a-b-c-ingress-'));
    expect(other).to.match(/^calico-policy:a-b-c-ingress-[0-9a-f]{8}$/);
  });

  it('a very long environment and app name is cut to 128 characters with a digest', () => {
    const app = new App({ projectDir: false });
    const cluster = new Cluster(app, 'demo', { dcosVersion: '1.9' });
    const calico = new CalicoNetwork(cluster, 'calico');
    const env = new Environment(cluster, `e${'x'.repeat(62)}`, { network: calico });
    const long = new MarathonApp(env, 'a'.repeat(100), { id: '/long', image: 'x', networkLabels: { app: 'long' }, ports: [MarathonPort.tcp('http', 80)] });
    long.allowFrom(Peer.internet(), 'http');
    const ids = app.synth({ write: false }).artifacts.filter((x) => x.kind === 'calico-policy').map((x) => x.id.slice('calico-policy:'.length));
    const ingress = ids.find((n) => n.startsWith('e'))!;
    for (const n of ids) expect(n).to.match(/^[a-zA-Z0-9_./-]{1,128}$/);
    expect(ids.some((n) => n.length === 128 && /-[0-9a-f]{8}$/.test(n))).to.equal(true, ingress);
  });

  it('a hand-written policy keeps its name; the generated one moves aside', () => {
    const app = new App({ projectDir: false });
    const cluster = new Cluster(app, 'demo', { dcosVersion: '1.9' });
    new CalicoPolicy(cluster, 'mine', { name: 'dev-environment', selector: 'all()' });
    const calico = new CalicoNetwork(cluster, 'calico');
    new Environment(cluster, 'dev', { network: calico });
    const ids = app.synth({ write: false }).artifacts.filter((x) => x.kind === 'calico-policy').map((x) => x.id);
    expect(ids).to.include('calico-policy:dev-environment');
    expect(ids.filter((i) => i.startsWith('calico-policy:dev-environment-'))).to.have.length(1);
  });

  it('an app that carries another environment\'s membership label is an error on the app', () => {
    const app = new App({ projectDir: false });
    const cluster = new Cluster(app, 'demo', { dcosVersion: '1.9' });
    const calico = new CalicoNetwork(cluster, 'calico');
    new Environment(cluster, 'production', { network: calico });
    const dev = new Environment(cluster, 'development', { network: calico, labelKey: 'stage' });
    new MarathonApp(dev, 'spy', { id: '/spy', image: 'x', networkLabels: { app: 'spy', group: 'production' } });
    const [e, ...rest] = errorsOf(app);
    expect(rest).to.have.length(0);
    expect(e!.rule).to.equal('calico/environment-label');
    expect(e!.constructPath).to.equal('demo/development/spy');
    expect(e!.message).to.equal("/spy carries the label group: production, which marks members of environment demo/production; that environment's policies would treat it as one of theirs.");
    expect(e!.fix).to.equal("Remove 'group' from the app's network labels.");
  });
});
