import { expect } from 'chai';
import { mkdtempSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { App, type Bundle } from '@dcos-cdk/core';
import { buildStack } from '../lib/stack.js';
import { modelOfBundle } from '../../../test/support/bundle-model.js';
import { evaluateFlow, type NaiveModel, type Packet } from '../../../test/support/naive-felix.js';

const exampleDir = join(dirname(fileURLToPath(import.meta.url)), '..');
const walkthrough = join(exampleDir, 'walkthrough');

function synth(outdir?: string, context: Record<string, string> = {}): Bundle {
  const app = new App({ projectDir: exampleDir, outdir: outdir ?? join(mkdtempSync(join(tmpdir(), 'ipc-')), 'dcos.out'), context });
  buildStack(app);
  return app.synth({ write: outdir !== undefined });
}

function content(bundle: Bundle, id: string): string {
  const a = bundle.artifacts.find((x) => x.id === id);
  if (!a) throw new Error(`no artifact ${id} in ${bundle.artifacts.map((x) => x.id).join(', ')}`);
  return a.content;
}

/** Marathon stores top-level ids in absolute form; the walkthrough writes them relative. */
function canonical(app: Record<string, unknown>): Record<string, unknown> {
  return { ...app, id: String(app.id).startsWith('/') ? app.id : `/${String(app.id)}` };
}

describe('examples/ip-per-container', () => {
  const bundle = synth();

  it('holds the six apps, exactly as the walkthrough defines them (ids in the absolute form Marathon stores)', () => {
    const files: Record<string, string> = {
      '/frontend': 'prod-frontend.json',
      '/tester': 'prod-tester.json',
      '/database': 'prod-database.json',
      '/frontend2': 'dev-frontend.json',
      '/tester2': 'dev-tester.json',
      '/database2': 'dev-database.json',
    };
    const apps = bundle.artifacts.filter((a) => a.kind === 'marathon-app');
    expect(apps.map((a) => a.id).sort()).to.deep.equal(Object.keys(files).map((id) => `marathon-app:${id}`).sort());
    for (const [id, file] of Object.entries(files)) {
      const expected = canonical(JSON.parse(readFileSync(join(walkthrough, file), 'utf8')));
      expect(JSON.parse(content(bundle, `marathon-app:${id}`)), file).to.deep.equal(expected);
    }
  });

  it('writes the calico profile without its allow-all ingress rule, as valid calicoctl v1 input', () => {
    const profile = parse(content(bundle, 'calico-profile:calico'));
    expect(profile).to.deep.equal({
      apiVersion: 'v1',
      kind: 'profile',
      metadata: { name: 'calico', tags: ['calico'] },
      spec: { ingress: [], egress: [{ action: 'allow' }] },
    });
  });

  it('installs the etcd and calico Universe packages, etcd first', () => {
    expect(JSON.parse(content(bundle, 'dcos-package:etcd'))).to.deep.equal({ packageName: 'etcd', packageVersion: '0.0.3', options: {} });
    expect(JSON.parse(content(bundle, 'dcos-package:calico'))).to.deep.equal({ packageName: 'calico', packageVersion: '0.4.0', options: {} });
    const ids = bundle.manifest.artifacts.map((a) => a.id);
    expect(ids.indexOf('dcos-package:etcd')).to.be.lessThan(ids.indexOf('dcos-package:calico'));
    expect(bundle.manifest.artifacts.find((a) => a.id === 'dcos-package:calico')!.dependsOn).to.deep.equal(['dcos-package:etcd']);
  });

  it('turns the source/destination check off on the private agents', () => {
    expect(JSON.parse(content(bundle, 'ec2-instance-attribute:privateagentssourcedestcheck'))).to.deep.equal({
      description: 'private agents (EC2 instances in us-west-2 tagged dcos-role=private-agent)',
      region: 'us-west-2',
      filters: [{ Name: 'tag:dcos-role', Values: ['private-agent'] }],
      attribute: 'sourceDestCheck',
      value: false,
    });
  });

  it("sets Mesos-DNS IPSources to ['netinfo', 'host'] on the masters", () => {
    expect(JSON.parse(content(bundle, 'mesos-dns-config:masters'))).to.deep.equal({
      nodes: 'masters',
      file: '/opt/mesosphere/etc/mesos-dns.json',
      set: { IPSources: ['netinfo', 'host'] },
      restart: 'dcos-mesos-dns',
    });
  });

  it('has policies for both environments, each valid calicoctl v1 input with a unique name', () => {
    const policies = bundle.artifacts.filter((a) => a.kind === 'calico-policy').map((a) => parse(a.content));
    const names = policies.map((p) => p.metadata.name);
    expect(new Set(names).size).to.equal(names.length);
    expect(names).to.include.members(['production-environment', 'development-environment', 'development-frontend-ingress', 'production-database-ingress']);
    for (const p of policies) {
      expect(p.apiVersion).to.equal('v1');
      expect(p.kind).to.equal('policy');
      expect(Object.keys(p.spec)).to.not.include.members(['types', 'preDNAT']);
      for (const r of [...p.spec.ingress, ...p.spec.egress]) {
        expect(r.source ?? {}).to.not.have.property('nets');
        expect(r.destination ?? {}).to.not.have.property('nets');
        if (r.icmp) expect(r.protocol).to.equal('icmp');
      }
    }
  });

  it('orders every app after the packages, the profile and its environment policies', () => {
    const ids = bundle.manifest.artifacts.map((a) => a.id);
    const byId = new Map(bundle.manifest.artifacts.map((a) => [a.id, a]));
    const before = new Set<string>();
    const stack = ['marathon-app:/frontend2'];
    while (stack.length) for (const dep of byId.get(stack.pop()!)!.dependsOn) if (!before.has(dep)) before.add(dep), stack.push(dep);
    expect([...before]).to.include.members(['dcos-package:etcd', 'dcos-package:calico', 'ec2-instance-attribute:privateagentssourcedestcheck', 'calico-profile:calico', 'calico-policy:development-environment', 'calico-policy:development-frontend-ingress']);
    for (const a of bundle.manifest.artifacts) for (const dep of a.dependsOn) expect(ids.indexOf(dep), `${dep} before ${a.id}`).to.be.lessThan(ids.indexOf(a.id));
  });

  for (const dcosVersion of ['1.9', '1.10', '2.1']) {
  describe(`connectivity on DC/OS ${dcosVersion} (checked with a naive Felix evaluator)`, () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'ipc-')), 'dcos.out');
    synth(dir, { dcosVersion });
    const model: NaiveModel = modelOfBundle(dir);
    const ep = (id: string) => ({ endpoint: model.endpoints.find((e) => e.id === id)! });
    const tcp = (port: number): Packet => ({ protocol: 'tcp', port });
    const ping: Packet = { protocol: 'icmp', icmpType: 8 };
    const envs = { production: '', development: '2' };
    const packets: Array<[string, Packet]> = [['tcp/80', tcp(80)], ['tcp/81', tcp(81)], ['tcp/1521', tcp(1521)], ['icmp echo', ping]];

    it('allows exactly tester->frontend:80, tester->database:81, frontend->database:1521 and pings inside each environment', () => {
      const allowed: string[] = [];
      for (const src of model.endpoints) {
        for (const dst of model.endpoints) {
          if (src === dst) continue;
          for (const [name, pkt] of packets) if (evaluateFlow(model, { endpoint: src }, { endpoint: dst }, pkt).allowed) allowed.push(`${src.id} -> ${dst.id} ${name}`);
        }
      }
      const expected: string[] = [];
      for (const s of Object.values(envs)) {
        const apps = ['frontend', 'tester', 'database'].map((a) => `/${a}${s}`);
        expected.push(`/tester${s} -> /frontend${s} tcp/80`, `/tester${s} -> /database${s} tcp/81`, `/frontend${s} -> /database${s} tcp/1521`);
        for (const a of apps) for (const b of apps) if (a !== b) expected.push(`${a} -> ${b} icmp echo`);
      }
      expect(allowed.sort()).to.deep.equal(expected.sort());
    });

    it('isolates the environments in both directions', () => {
      for (const src of model.endpoints) {
        for (const dst of model.endpoints) {
          if (src.labels.group === dst.labels.group) continue;
          for (const [name, pkt] of packets) {
            const r = evaluateFlow(model, { endpoint: src }, { endpoint: dst }, pkt);
            expect(r.allowed, `${src.id} -> ${dst.id} ${name}: ${JSON.stringify(r)}`).to.equal(false);
          }
        }
      }
    });

    it('opens development to the LAN and production to the Internet, on the frontend http port only', () => {
      const lan = { ip: '10.20.3.4' };
      const internet = { ip: '203.0.113.9' };
      expect(evaluateFlow(model, lan, ep('/frontend2'), tcp(80)).allowed).to.equal(true);
      expect(evaluateFlow(model, lan, ep('/frontend2'), tcp(81)).allowed).to.equal(false);
      expect(evaluateFlow(model, internet, ep('/frontend2'), tcp(80)).allowed).to.equal(false);
      expect(evaluateFlow(model, internet, ep('/frontend'), tcp(80)).allowed).to.equal(true);
      expect(evaluateFlow(model, internet, ep('/database'), tcp(1521)).allowed).to.equal(false);
      expect(evaluateFlow(model, lan, ep('/tester2'), ping).allowed).to.equal(false);
    });

    it('never treats a container as part of a CIDR peer, even when its address is inside the CIDR', () => {
      // Every container address is inside 0.0.0.0/0, production's frontend peer.
      const r = evaluateFlow(model, ep('/tester2'), ep('/frontend'), tcp(80));
      expect(r.allowed).to.equal(false);
      expect(r.ingress?.reason).to.equal('no policy allowed it');
    });
  });
  }

  it('synthesizes Marathon 1.5 apps and Calico v3 resources for DC/OS 2.1', () => {
    const v3 = synth(undefined, { dcosVersion: '2.1' });
    expect(v3.manifest.targets).to.deep.equal({ dcos: '2.1', marathon: '1.10', calico: 'v3' });
    expect(JSON.parse(content(v3, 'marathon-app:/frontend2'))).to.deep.equal({
      id: '/frontend2',
      container: { type: 'MESOS', docker: { image: 'nginx:alpine' }, portMappings: [{ containerPort: 80, name: 'http', protocol: 'tcp' }] },
      instances: 1,
      cpus: 0.1,
      mem: 64,
      networks: [{ mode: 'container', name: 'calico', labels: { app: 'frontend', group: 'development' } }],
    });
    const policy = parse(content(v3, 'calico-policy:development-frontend-ingress'));
    expect(policy.apiVersion).to.equal('projectcalico.org/v3');
    expect(policy.kind).to.equal('GlobalNetworkPolicy');
    expect(policy.spec.types).to.deep.equal(['Ingress', 'Egress']);
    expect(policy.spec.ingress[0]).to.deep.include({ action: 'Allow', protocol: 'TCP' });
    expect(parse(content(v3, 'calico-profile:calico')).spec).to.deep.equal({ labelsToApply: { calico: '' }, egress: [{ action: 'Allow' }] });
    expect(v3.artifacts.some((a) => a.kind === 'dcos-package')).to.equal(false);
  });

  it('is deterministic: two syntheses give identical bytes, and the bundle holds no absolute path', () => {
    const base = mkdtempSync(join(tmpdir(), 'ipc-det-'));
    synth(join(base, 'a'));
    synth(join(base, 'b'));
    const files = (dir: string): string[] =>
      readdirSync(dir, { recursive: true, encoding: 'utf8' })
        .filter((f) => statSync(join(dir, f)).isFile())
        .sort();
    const a = files(join(base, 'a'));
    expect(a).to.deep.equal(files(join(base, 'b')));
    for (const f of a) {
      const text = readFileSync(join(base, 'a', f), 'utf8');
      expect(text, f).to.equal(readFileSync(join(base, 'b', f), 'utf8'));
      expect(text, f).to.not.contain(base).and.not.contain(exampleDir).and.not.contain(tmpdir());
    }
  });
});
