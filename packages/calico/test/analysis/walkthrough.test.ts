/**
 * The blog post's own files, analyzed as written (with a real CIDR in place of the
 * `<your-lan-CIDR>` placeholder): the mistakes the product brief lists must show up.
 */
import { expect } from 'chai';
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { analyze, type ReachabilityMatrix } from '../../src/analysis/engine.js';
import { explain } from '../../src/analysis/explain.js';
import { findings } from '../../src/analysis/findings.js';
import { loadFilesModel } from '../../src/analysis/load-files.js';
import { AnalysisLoadError } from '../../src/analysis/source-file.js';

const walkthrough = join(dirname(fileURLToPath(import.meta.url)), '../../../../examples/ip-per-container/walkthrough');
const LAN = '10.20.0.0/16';

function files(dir: string): string[] {
  return readdirSync(dir)
    .filter((f) => /\.(json|yaml)$/.test(f))
    .sort()
    .map((f) => join(dir, f));
}

/** A temp copy of the walkthrough with the LAN placeholder filled in. */
function copyWithLan(): string {
  const dir = mkdtempSync(join(tmpdir(), 'walkthrough-'));
  for (const f of files(walkthrough)) writeFileSync(join(dir, f.split('/').pop()!), readFileSync(f, 'utf8').replace('<your-lan-CIDR>', LAN));
  return dir;
}

function allowed(m: ReachabilityMatrix, from: string, to: string, q: { protocol: 'tcp' | 'icmp'; port?: number }): boolean {
  return explain(m, { from, to, ...q }).allowed;
}

describe('the walkthrough files, as written', () => {
  const dir = copyWithLan();
  const model = loadFilesModel(files(dir), { peers: [{ name: 'LAN', cidr: LAN }] });
  const m = analyze(model);
  const found = findings(m, { isolatedEnvironments: ['development', 'production'] });

  it('refuses the placeholder CIDR, naming file, line and column', () => {
    expect(() => loadFilesModel(files(walkthrough))).to.throw(AnalysisLoadError, /allow-dev-lan-frontend\.yaml:11:12: '<your-lan-CIDR>' is not an IP address or CIDR/);
  });

  it('reads six apps on calico, the edited profile and five policies (two named allow-dev-tester-database)', () => {
    expect(model.endpoints.map((e) => e.id)).to.have.members(['/frontend', '/tester', '/database', '/frontend2', '/tester2', '/database2']);
    expect(model.profiles.map((p) => [p.name, p.builtIn, p.ingress.length])).to.deep.equal([['calico', false, 0]]);
    expect(model.policies.filter((p) => p.name === 'allow-dev-tester-database')).to.have.length(2);
    expect(found.filter((f) => f.rule === 'analysis/duplicate-policy-name')).to.have.length(1);
  });

  it('lets production reach development: frontend on 80, database on 81 and 1521', () => {
    expect(allowed(m, '/tester', '/frontend2', { protocol: 'tcp', port: 80 })).to.equal(true);
    expect(allowed(m, '/tester', '/database2', { protocol: 'tcp', port: 81 })).to.equal(true);
    expect(allowed(m, '/frontend', '/database2', { protocol: 'tcp', port: 1521 })).to.equal(true);
    expect(explain(m, { from: '/tester', to: '/frontend2', protocol: 'tcp', port: 80 }).ingress).to.include({ policy: 'allow-dev-tester-frontend', ruleIndex: 0, action: 'allow' });
    const leaks = found.filter((f) => f.rule === 'analysis/cross-environment-flow');
    expect(leaks.every((f) => f.severity === 'error')).to.equal(true);
    expect(leaks.map((f) => f.message)).to.include.members([
      '/tester (group=production) can reach /frontend2 (group=development): tcp 80 (policy allow-dev-tester-frontend rule 0 (allow)), ping (policy allow-dev-pings rule 0 (allow)).',
      '/frontend (group=production) can reach /database2 (group=development): tcp 1521 (policy allow-dev-frontend-database rule 0 (allow)), ping (policy allow-dev-pings rule 0 (allow)).',
    ]);
    // Development cannot reach production: production has no policy and its profile admits nothing.
    expect(allowed(m, '/tester2', '/frontend', { protocol: 'tcp', port: 80 })).to.equal(false);
    expect(explain(m, { from: '/tester2', to: '/frontend', protocol: 'tcp', port: 80 }).reason).to.equal('ingress: profile default');
  });

  it('lets pings reach development from anywhere (icmp without protocol, no source)', () => {
    for (const from of ['/frontend', '/tester', '/database', '/tester2', 'LAN', 'Internet', '203.0.113.9']) {
      for (const to of ['/frontend2', '/tester2', '/database2']) expect(allowed(m, from, to, { protocol: 'icmp' }), `${from} -> ${to}`).to.equal(true);
    }
    expect(explain(m, { from: 'Internet', to: '/tester2', protocol: 'icmp' }).ingress).to.include({ policy: 'allow-dev-pings', ruleIndex: 0 });
    expect(found.some((f) => f.rule === 'analysis/rule-check' && /allow-dev-pings\.yaml:8:5: .*icmp is set but protocol is not set/.test(f.message))).to.equal(true);
    expect(found.filter((f) => f.rule === 'analysis/open-to-internet').map((f) => f.message)).to.include('/frontend2 can be reached from the Internet: ping (policy allow-dev-pings rule 0 (allow)).');
  });

  it('reports that the LAN rule opens 81 on a frontend that listens on 80', () => {
    expect(allowed(m, 'LAN', '/frontend2', { protocol: 'tcp', port: 81 })).to.equal(true);
    expect(allowed(m, 'LAN', '/frontend2', { protocol: 'tcp', port: 80 })).to.equal(false);
    expect(found.filter((f) => f.rule === 'analysis/undeclared-port').map((f) => f.message)).to.deep.equal([
      'policy allow-dev-tester-database ingress rule 0 opens tcp 81 on /frontend2, which declares only tcp 80.',
    ]);
  });

  it("reports production's declared ports as reachable from nowhere", () => {
    expect(found.filter((f) => f.rule === 'analysis/unreachable-port').map((f) => f.message.split(' declares')[0])).to.have.members(['/frontend', '/database', '/database']);
  });

  it('with duplicatePolicies: last, keeps only the policy read last', () => {
    const last = analyze(loadFilesModel(files(dir), { duplicatePolicies: 'last' }));
    expect(last.model.policies.filter((p) => p.name === 'allow-dev-tester-database')).to.have.length(1);
    expect(allowed(last, '10.20.1.1', '/frontend2', { protocol: 'tcp', port: 81 })).to.equal(false);
    expect(allowed(last, '/tester2', '/database2', { protocol: 'tcp', port: 81 })).to.equal(true);
  });
});
