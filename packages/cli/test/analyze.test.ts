/*
 * `dcos-cdk analyze`: the example's bundle (a table, no leak), the walkthrough's plain files as
 * an operator applies them (the leaks the walkthrough has), --explain, --json and --html, run
 * through the handler and through the built binary.
 */
import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { App } from '@dcos-cdk/core';
import { CalicoNetwork, CalicoPolicy, Rule } from '@dcos-cdk/calico';
import { Cluster, Environment } from '@dcos-cdk/dcos';
import { MarathonApp, MarathonPort } from '@dcos-cdk/marathon';
import { buildStack } from '../../../examples/ip-per-container/lib/stack.js';
import { analyzeCommand } from '../src/commands/index-analyze.js';
import { main } from '../src/main.js';

const repo = join(dirname(fileURLToPath(import.meta.url)), '../../..');
const exampleDir = join(repo, 'examples/ip-per-container');
const bin = join(repo, 'packages/cli/dist/bin.js');
const LAN = '10.20.0.0/16';

/** The example synthesized into a fresh folder. */
function exampleBundle(context: Record<string, string> = {}): string {
  const outdir = join(mkdtempSync(join(tmpdir(), 'analyze-example-')), 'dcos.out');
  const app = new App({ projectDir: exampleDir, outdir, context });
  buildStack(app);
  app.synth();
  return outdir;
}

/** A copy of the walkthrough's files with a CIDR in place of `<your-lan-CIDR>`. */
function walkthroughCopy(): string {
  const dir = mkdtempSync(join(tmpdir(), 'analyze-walkthrough-'));
  const src = join(exampleDir, 'walkthrough');
  for (const f of readdirSync(src).filter((x) => /\.(json|yaml)$/.test(x))) writeFileSync(join(dir, f), readFileSync(join(src, f), 'utf8').replace('<your-lan-CIDR>', LAN));
  return dir;
}

interface Run {
  code: number;
  out: string;
  err: string;
}

async function analyze(...args: string[]): Promise<Run> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(['analyze', ...args], (l) => out.push(l), (l) => err.push(l));
  return { code, out: out.join('\n'), err: err.join('\n') };
}

function cli(cwd: string, ...args: string[]): Run {
  const r = spawnSync(process.execPath, [bin, 'analyze', ...args], { cwd, encoding: 'utf8', env: { ...process.env, NODE_OPTIONS: '' } });
  return { code: r.status ?? -1, out: r.stdout, err: r.stderr };
}

interface Flow {
  from: string;
  to: string;
  protocol: string;
  port: number | null;
  allowed: boolean;
  reason: string;
}

describe('dcos-cdk analyze', function () {
  this.timeout(60000);
  const bundle = exampleBundle();
  const walkthrough = walkthroughCopy();
  const files = readdirSync(walkthrough).map((f) => join(walkthrough, f));

  describe('the example bundle', () => {
    it('prints the matrix as a table and reports no leak and no finding', async () => {
      const r = await analyze(bundle);
      expect(r.code, r.err).to.equal(0);
      expect(r.out).to.contain('6 apps on Calico, 6 policies, 1 profiles (Calico v1)');
      expect(r.out).to.match(/^source +\/frontend tcp\/80 +\/frontend ping/m);
      expect(r.out).to.match(/^\/tester +✓ +✓ +✓ +✗ +✓/m);
      expect(r.out).to.contain('No leak: no flow crosses environments (label group: development, production).');
      expect(r.out).to.contain('No findings.');
    });

    it('runs through the built binary, reading the bundle folder from dcos-cdk.json', function () {
      if (!existsSync(bin)) this.skip();
      const project = mkdtempSync(join(tmpdir(), 'analyze-project-'));
      writeFileSync(join(project, 'dcos-cdk.json'), JSON.stringify({ app: 'bin/app.ts', output: bundle }));
      const r = cli(project);
      expect(r.code, r.err).to.equal(0);
      expect(r.out).to.contain(`bundle ${bundle}`).and.contain('No leak').and.match(/^\/tester2 +/m);
      const elsewhere = mkdtempSync(join(tmpdir(), 'analyze-project-'));
      writeFileSync(join(elsewhere, 'dcos-cdk.json'), JSON.stringify({ output: 'out' }));
      const missing = cli(elsewhere);
      expect(missing.code).to.equal(1);
      expect(missing.err).to.contain(join(elsewhere, 'out'));
      const fromArg = cli(tmpdir(), bundle, '--json');
      expect(fromArg.code, fromArg.err).to.equal(0);
      expect(JSON.parse(fromArg.out).endpoints).to.have.length(6);
    });

    it('--json lists every endpoint and peer to every endpoint, for every declared or named port and ping', async () => {
      const r = await analyze(bundle, '--json', '--lan', `LAN=${LAN}`);
      expect(r.code, r.err).to.equal(0);
      const json = JSON.parse(r.out) as { endpoints: Array<{ id: string; labels: Record<string, string> }>; peers: Array<{ name: string; cidr: string }>; flows: Flow[]; findings: unknown[] };
      expect(json.endpoints.map((e) => e.id).sort()).to.deep.equal(['/database', '/database2', '/frontend', '/frontend2', '/tester', '/tester2']);
      expect(json.endpoints.find((e) => e.id === '/frontend2')!.labels).to.deep.equal({ app: 'frontend', group: 'development' });
      expect(json.peers.map((p) => `${p.name} ${p.cidr}`)).to.deep.equal([`LAN ${LAN}`, 'Internet 0.0.0.0/0']);
      // (6 apps + LAN + Internet) sources × 6 destinations × (tcp 80, 81, 1521 and ping)
      expect(json.flows).to.have.length(8 * 6 * 4);
      expect(Object.keys(json.flows[0]!)).to.deep.equal(['from', 'to', 'protocol', 'port', 'allowed', 'reason']);
      const key = (f: Flow) => `${f.from}>${f.to}>${f.protocol}/${f.port}`;
      const pairs = new Set(json.flows.map(key));
      for (const from of [...json.endpoints.map((e) => e.id), LAN, '0.0.0.0/0']) {
        for (const to of json.endpoints.map((e) => e.id)) {
          for (const p of ['tcp/80', 'tcp/81', 'tcp/1521', 'icmp/null']) expect(pairs.has(`${from}>${to}>${p}`), `${from} ${to} ${p}`).to.equal(true);
        }
      }
      expect(json.flows.find((f) => f.from === LAN && f.to === '/frontend2' && f.port === 80)).to.include({ allowed: true });
      expect(json.flows.find((f) => f.from === '/tester' && f.to === '/frontend2' && f.port === 80)).to.include({ allowed: false, reason: 'egress: no policy allowed it' });
      expect(json.flows.filter((f) => f.allowed && f.from.startsWith('/') && f.from.endsWith('2') !== f.to.endsWith('2'))).to.deep.equal([]);
      expect(json.findings).to.deep.equal([]);
    });

    it('--explain names the deciding rule and construct of each direction', async () => {
      const r = await analyze(bundle, '--explain', '/tester2 -> /database2:tcp/81');
      expect(r.code, r.err).to.equal(0);
      expect(r.out.split('\n')).to.include.members([
        '/tester2 -> /database2 tcp/81: ALLOWED',
        '  egress of /tester2: allows: policy development-environment rule 0 (allow)',
        '      construct demo/development/NetworkPolicy',
        '  ingress of /database2: allows: policy development-database-ingress rule 0 (allow)',
        '      construct demo/development/database/IngressPolicy',
      ]);
      const denied = await analyze(bundle, '--explain', '/tester -> /database2:tcp/81', '--json');
      expect(JSON.parse(denied.out)).to.deep.include({ from: '/tester', to: '/database2', packet: 'tcp/81', allowed: false, reason: 'egress: no policy allowed it' });
      const ping = await analyze(bundle, '--explain', '0.0.0.0/0 -> /frontend:icmp');
      expect(ping.out).to.contain('0.0.0.0/0').and.contain('/frontend icmp echo: DENIED').and.contain('egress of Internet (0.0.0.0/0): not policed');
    });

    it('wrong usage exits 2 with a clear message; --help prints the flags', async () => {
      const bad = await analyze(bundle, '--explain', '/tester -> /frontend');
      expect(bad.code).to.equal(2);
      expect(bad.err).to.contain('--explain takes "<from> -> <to>:<proto>/<port>"');
      const port = await analyze(bundle, '--explain', '/tester -> /frontend:tcp');
      expect(port.code).to.equal(2);
      expect(port.err).to.contain('needs a port');
      const unknown = await analyze(bundle, '--explain', '/nope -> /frontend:tcp/80');
      expect(unknown.code).to.equal(2);
      expect(unknown.err).to.contain("'/nope' is neither an endpoint").and.contain('/frontend2');
      expect((await analyze(bundle, '--lan', 'LAN=not-a-cidr')).code).to.equal(2);
      expect((await analyze('--files')).code).to.equal(2);
      const missing = await analyze(join(tmpdir(), 'no-such-bundle'));
      expect(missing.code).to.equal(1);
      const help = await analyze('--help');
      expect(help.code).to.equal(0);
      for (const flag of ['--files', '--explain', '--json', '--html', '--lan', '--env-label', '--isolated', '--fail-on-findings']) expect(help.out).to.contain(flag);
      expect(analyzeCommand.summary).to.contain('reachability matrix');
      const top: string[] = [];
      await main(['--help'], (l) => top.push(l), () => undefined);
      expect(top.join('\n')).to.match(/^ {2}analyze +who can reach whom/m);
    });
  });

  describe('isolation read from a bundle', () => {
    it('environments synth warned about (isolated: false) are not isolated; --isolated overrides', async () => {
      const outdir = join(mkdtempSync(join(tmpdir(), 'analyze-lenient-')), 'dcos.out');
      const app = new App({ projectDir: false, outdir });
      const cluster = new Cluster(app, 'demo', { dcosVersion: '1.9' });
      const calico = new CalicoNetwork(cluster, 'calico', { defaultIngress: 'deny' });
      for (const name of ['development', 'production']) {
        const env = new Environment(cluster, name, { network: calico, isolated: false });
        const web = new MarathonApp(env, 'web', { id: `/${name}/web`, image: 'nginx', ports: [MarathonPort.tcp('http', 80)] });
        web.allowFrom(new MarathonApp(env, 'client', { id: `/${name}/client`, image: 'alpine' }), 'http');
      }
      new CalicoPolicy(cluster, 'clients-to-webs', {
        selector: 'has(group)',
        order: 100,
        ingress: [Rule.allow({ protocol: 'tcp', source: { selector: "app == 'client'" }, destination: { selector: "app == 'web'", ports: [80] } })],
        egress: [Rule.allow({ protocol: 'tcp', destination: { ports: [80] } })],
      });
      expect(app.synth().warnings.map((w) => w.rule)).to.deep.equal(['analysis/cross-environment-flow', 'analysis/cross-environment-flow']);
      const lenient = JSON.parse((await analyze(outdir, '--json')).out) as { isolated: string[]; findings: Array<{ severity: string; rule: string }> };
      expect(lenient.isolated).to.deep.equal([]);
      expect(lenient.findings.map((f) => `${f.severity} ${f.rule}`)).to.deep.equal(['warning analysis/cross-environment-flow', 'warning analysis/cross-environment-flow']);
      const strict = await analyze(outdir, '--isolated', 'production', '--fail-on-findings');
      expect(strict.code).to.equal(1);
      expect(strict.out).to.contain('2 leaks between environments, 1 into isolated environments.');
    });
  });

  describe('the walkthrough files, as an operator applies them (--files)', () => {
    let json: { flows: Flow[]; findings: Array<{ severity: string; rule: string; message: string }> };
    const flow = (from: string, to: string, protocol: string, port: number | null): Flow => json.flows.find((f) => f.from === from && f.to === to && f.protocol === protocol && f.port === port)!;

    before(async () => {
      const r = await analyze('--files', ...files, '--lan', `LAN=${LAN}`, '--isolated', 'development,production', '--json');
      expect(r.code, r.err).to.equal(0);
      json = JSON.parse(r.out);
    });

    it('reports that production reaches development: the frontend on 80, the database on 81 and 1521', () => {
      expect(flow('/tester', '/frontend2', 'tcp', 80)).to.include({ allowed: true });
      expect(flow('/tester', '/database2', 'tcp', 81)).to.include({ allowed: true });
      expect(flow('/frontend', '/database2', 'tcp', 1521)).to.include({ allowed: true });
      const leaks = json.findings.filter((f) => f.rule === 'analysis/cross-environment-flow');
      expect(leaks.every((f) => f.severity === 'error')).to.equal(true);
      expect(leaks.map((f) => f.message)).to.include.members([
        '/tester (group=production) can reach /frontend2 (group=development): tcp 80 (policy allow-dev-tester-frontend rule 0 (allow)), ping (policy allow-dev-pings rule 0 (allow)).',
        '/tester (group=production) can reach /database2 (group=development): tcp 81 (policy allow-dev-tester-database rule 0 (allow)), ping (policy allow-dev-pings rule 0 (allow)).',
        '/frontend (group=production) can reach /database2 (group=development): tcp 1521 (policy allow-dev-frontend-database rule 0 (allow)), ping (policy allow-dev-pings rule 0 (allow)).',
      ]);
    });

    it('reports that pings reach development from anywhere', () => {
      for (const from of ['/frontend', '/tester', '/database', LAN, '0.0.0.0/0']) {
        for (const to of ['/frontend2', '/tester2', '/database2']) expect(flow(from, to, 'icmp', null), `${from} -> ${to}`).to.include({ allowed: true });
      }
      expect(json.findings.filter((f) => f.rule === 'analysis/open-to-internet').map((f) => f.message)).to.include('/frontend2 can be reached from the Internet: ping (policy allow-dev-pings rule 0 (allow)).');
    });

    it('reports that the LAN rule opens 81 on a frontend that listens on 80', () => {
      expect(flow(LAN, '/frontend2', 'tcp', 81)).to.include({ allowed: true });
      expect(flow(LAN, '/frontend2', 'tcp', 80)).to.include({ allowed: false });
      expect(json.findings.map((f) => f.message)).to.include('policy allow-dev-tester-database ingress rule 0 opens tcp 81 on /frontend2, which declares only tcp 80.');
    });

    it('prints the table, the leaks and the findings as text; --fail-on-findings exits 1', async () => {
      const r = await analyze('--files', walkthrough, '--lan', `LAN=${LAN}`, '--isolated', 'development,production', '--fail-on-findings');
      expect(r.code).to.equal(1);
      expect(r.out).to.match(/^LAN \(10\.20\.0\.0\/16\) +/m);
      expect(r.out).to.contain('9 leaks between environments, 9 into isolated environments.');
      expect(r.out).to.contain('error: /tester (group=production) can reach /frontend2 (group=development)');
      expect(r.out).to.contain('rule: analysis/cross-environment-flow');
      // Without --isolated, flows between environments are warnings.
      const lenient = JSON.parse((await analyze('--files', walkthrough, '--json')).out) as typeof json;
      expect(lenient.findings.filter((f) => f.rule === 'analysis/cross-environment-flow').map((f) => f.severity)).to.have.length(9).and.not.include('error');
      const explained = await analyze('--files', walkthrough, '--lan', `LAN=${LAN}`, '--explain', '10.20.1.1 -> /frontend2:tcp/81');
      expect(explained.out.split('\n')).to.include.members([
        'LAN (10.20.0.0/16) -> /frontend2 tcp/81: ALLOWED',
        '  ingress of /frontend2: allows: policy allow-dev-tester-database rule 0 (allow)',
        `      from ${join(walkthrough, 'allow-dev-lan-frontend.yaml')}:1:1`,
      ]);
    });

    it('names file, line and column when a file is malformed (the placeholder left in)', async () => {
      const r = await analyze('--files', join(exampleDir, 'walkthrough'));
      expect(r.code).to.equal(1);
      expect(r.err).to.match(/allow-dev-lan-frontend\.yaml:11:12: '<your-lan-CIDR>' is not an IP address or CIDR/);
    });
  });

  describe('--html', () => {
    it('writes one self-contained page with the data embedded and nothing fetched', async () => {
      const file = join(mkdtempSync(join(tmpdir(), 'analyze-html-')), 'report.html');
      const r = await analyze('--files', walkthrough, '--lan', `LAN=${LAN}`, '--html', file);
      expect(r.code, r.err).to.equal(0);
      expect(r.out).to.contain(`Wrote the HTML report to ${file}.`);
      const html = readFileSync(file, 'utf8');
      expect(html).to.match(/^<!doctype html>/);
      expect(html).to.not.match(/\b(src|href)\s*=/i);
      expect(html).to.not.match(/https?:\/\//);
      expect(html).to.contain("default-src 'none'");
      const data = JSON.parse(/<script type="application\/json" id="report-data">(.*?)<\/script>/s.exec(html)![1]!);
      expect(data.rows.map((x: { name: string }) => x.name)).to.include.members(['/tester', '/frontend2', 'LAN (10.20.0.0/16)', 'Internet (0.0.0.0/0)']);
      expect(data.columns.find((c: { to: string; port: number | null; declared: boolean }) => c.to === '/frontend2' && c.port === 81)).to.include({ declared: false });
    });
  });
});
