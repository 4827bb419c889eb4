/**
 * The example stack's bundle (examples/ip-per-container), synthesized for calicoctl v1 and for
 * Calico v3: the environments are isolated and exactly the intended flows are open. The naive
 * evaluator, reading the same bundle with its own reader, agrees on every flow.
 */
import { expect } from 'chai';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { App } from '@dcos-cdk/core';
import { buildStack } from '../../../../examples/ip-per-container/lib/stack.js';
import { modelOfBundle } from '../../../../test/support/bundle-model.js';
import { evaluateFlow, type Packet, type Party } from '../../../../test/support/naive-felix.js';
import { analyze } from '../../src/analysis/engine.js';
import { explain } from '../../src/analysis/explain.js';
import { findings } from '../../src/analysis/findings.js';
import { loadBundleModel } from '../../src/analysis/load-bundle.js';
import { matrixToJson, matrixToTable } from '../../src/analysis/output.js';
import { PEER_REPRESENTATIVES } from './helpers.js';

const exampleDir = join(dirname(fileURLToPath(import.meta.url)), '../../../../examples/ip-per-container');

function synth(context: Record<string, string> = {}): string {
  const outdir = join(mkdtempSync(join(tmpdir(), 'analysis-example-')), 'dcos.out');
  const app = new App({ projectDir: exampleDir, outdir, context });
  buildStack(app);
  app.synth();
  return outdir;
}

/** The intended flows of one environment (Marathon ids with the environment's suffix). */
function intended(s: string): string[] {
  const apps = [`/frontend${s}`, `/tester${s}`, `/database${s}`];
  return [
    `/tester${s} -> /frontend${s} tcp 80`,
    `/tester${s} -> /database${s} tcp 81`,
    `/frontend${s} -> /database${s} tcp 1521`,
    ...apps.flatMap((a) => apps.map((b) => `${a} -> ${b} icmp`)),
  ];
}

const EXPECTED = [
  ...intended(''),
  ...intended('2'),
  '10.20.0.0/16 -> /frontend2 tcp 80',
  '0.0.0.0/0 -> /frontend tcp 80',
  // The LAN's addresses are addresses of the Internet too, which production's frontend admits.
  '10.20.0.0/16 -> /frontend tcp 80',
].sort();

for (const [label, context] of [['calicoctl v1 (DC/OS 1.9)', {}], ['Calico v3 (DC/OS 2.1)', { dcosVersion: '2.1' }]] as const) {
  describe(`the example bundle, ${label}`, () => {
    const dir = synth(context);
    const model = loadBundleModel(dir, { peers: [{ name: 'LAN', cidr: '10.20.0.0/16' }] });
    const m = analyze(model);
    const json = matrixToJson(m);

    it('reads the six apps, the profile and six policies with their construct paths', () => {
      expect(model.apiVersion).to.equal('dcosVersion' in context ? 'v3' : 'v1');
      expect(model.endpoints.map((e) => e.id).sort()).to.deep.equal(['/database', '/database2', '/frontend', '/frontend2', '/tester', '/tester2']);
      expect(model.endpoints.find((e) => e.id === '/database2')!.ports.map((p) => `${p.protocol}/${p.port}`)).to.deep.equal(['tcp/1521', 'tcp/81']);
      expect(model.profiles.map((p) => p.name)).to.deep.equal(['calico']);
      expect(model.policies.find((p) => p.name === 'development-frontend-ingress')!.constructPath).to.equal('demo/development/frontend/IngressPolicy');
      expect(model.peers.map((p) => `${p.name} ${p.cidr.text}`)).to.deep.equal(['LAN 10.20.0.0/16', 'Internet 0.0.0.0/0']);
    });

    it('opens exactly the intended flows and nothing between the environments', () => {
      const open = json.flows.filter((f) => f.allowed).map((f) => `${f.from} -> ${f.to} ${f.protocol}${f.port === null ? '' : ` ${f.port}`}`);
      expect(open.sort()).to.deep.equal(EXPECTED);
      const found = findings(m, { isolatedEnvironments: ['production', 'development'] });
      expect(found.filter((f) => f.severity === 'error')).to.deep.equal([]);
      expect(found.map((f) => f.rule)).to.deep.equal(['analysis/open-to-internet']);
      expect(found[0]!.constructPath).to.equal('demo/production/frontend/IngressPolicy');
    });

    it('covers every source and destination in the JSON matrix, for every listed port', () => {
      expect(json.endpoints).to.have.length(6);
      expect(json.endpoints.find((e) => e.id === '/frontend2')).to.deep.equal({ id: '/frontend2', labels: { app: 'frontend', group: 'development' }, network: 'calico', ports: [{ port: 80, protocol: 'tcp', name: 'http' }] });
      // (6 endpoints + LAN + Internet) × 6 destinations × (tcp 80, 81, 1521 + icmp)
      expect(json.flows).to.have.length(8 * 6 * 4);
      expect(Object.keys(json.flows[0]!)).to.deep.equal(['from', 'to', 'protocol', 'port', 'allowed', 'reason']);
      expect(json.flows.find((f) => f.from === '/tester2' && f.to === '/frontend' && f.port === 80)).to.include({ allowed: false, reason: 'egress: no policy allowed it' });
      expect(matrixToTable(m)).to.match(/^LAN \(10\.20\.0\.0\/16\) +✓ +✗/m);
    });

    it('explains a flow with the rule and the construct that decided it', () => {
      const e = explain(m, { from: 'tester2', to: '/database2', protocol: 'tcp', port: 81 });
      expect(e.allowed).to.equal(true);
      expect(e.egress).to.include({ policy: 'development-environment', ruleIndex: 0, action: 'allow', constructPath: 'demo/development/NetworkPolicy' });
      expect(e.ingress).to.include({ policy: 'development-database-ingress', ruleIndex: 0, action: 'allow', constructPath: 'demo/development/database/IngressPolicy' });
      const leak = explain(m, { from: '/tester', to: '/database2', protocol: 'tcp', port: 81 });
      expect(leak.reason).to.equal('egress: no policy allowed it');
    });

    it('agrees with the naive evaluator reading the same bundle', () => {
      const naive = modelOfBundle(dir);
      const party = (id: string): Party => {
        const ep = naive.endpoints.find((x) => x.id === id);
        return ep ? { endpoint: ep } : { ip: PEER_REPRESENTATIVES[id]! };
      };
      for (const f of json.flows) {
        const pkt: Packet = f.protocol === 'icmp' ? { protocol: 'icmp', icmpType: 8 } : { protocol: f.protocol as 'tcp', port: f.port! };
        expect(evaluateFlow(naive, party(f.from), party(f.to), pkt).allowed, `${f.from} -> ${f.to} ${f.protocol} ${f.port}`).to.equal(f.allowed);
      }
    });
  });
}
