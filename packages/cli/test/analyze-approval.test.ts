/*
 * Deploy approval from the connectivity analysis: `dcos-cdk deploy` against the Marathon +
 * Cosmos emulator and a real etcd (the Calico datastore) asks for approval exactly when the
 * change opens a flow, comparing the bundle with the live Calico resources.
 */
import { expect } from 'chai';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { App, readBundle } from '@dcos-cdk/core';
import { Peer } from '@dcos-cdk/calico';
import { MarathonApp } from '@dcos-cdk/marathon';
import { etcdUnavailableReason, MarathonEmulator, startEtcd, type EtcdServer } from '@dcos-cdk/testing';
import { buildStack } from '../../../examples/ip-per-container/lib/stack.js';
import { deployCommands, DEPLOY_HOOKS } from '../src/commands/index-deploy.js';
import { diffBundles, flowApprovalCheck } from '../src/analysis/approval.js';

const exampleDir = join(dirname(fileURLToPath(import.meta.url)), '../../../examples/ip-per-container');
const TOKEN = 'tok-approval-1a2b3c';

/** The example, optionally with the development database opened to a partner network. */
function synth(openToPartners: boolean): string {
  const outdir = join(mkdtempSync(join(tmpdir(), 'approval-')), 'dcos.out');
  const app = new App({ projectDir: exampleDir, outdir });
  const cluster = buildStack(app);
  if (openToPartners) {
    const database = cluster.node.findChild('development').node.findChild('database') as MarathonApp;
    database.allowFrom(Peer.cidr('10.30.0.0/16', 'partners'), 'database');
  }
  app.synth();
  return outdir;
}

interface Run {
  code: number;
  all: string;
  reasons: string[];
}

describe('deploy approval from the connectivity analysis (emulator + etcd)', function () {
  this.timeout(60000);
  let etcd: EtcdServer | undefined;
  let emu: MarathonEmulator;
  const plain = synth(false);
  const opened = synth(true);

  before(async function () {
    const why = etcdUnavailableReason();
    if (why) {
      console.warn(`    skipped: ${why}`);
      this.skip();
    }
    etcd = await startEtcd();
    emu = await MarathonEmulator.start({ marathonVersion: '1.4', token: TOKEN, deploymentDurationMs: 5 });
  });

  after(async () => {
    await emu?.stop();
    await etcd?.stop();
  });

  async function deploy(bundle: string, ...extra: string[]): Promise<Run> {
    const lines: string[] = [];
    const args = [bundle, '--etcd-endpoints', etcd!.clientUrl, '--skip-kinds', 'ec2-instance-attribute,mesos-dns-config', ...extra];
    const code = await deployCommands.deploy.run(args, (l) => lines.push(l), (l) => lines.push(l), {
      env: { DCOS_URL: emu.url, DCOS_ACS_TOKEN: TOKEN, DCOS_DIR: mkdtempSync(join(tmpdir(), 'approval-dcos-')) },
      interactive: false,
      tuning: { pollIntervalMs: 3, requestTimeoutMs: 2000, retries: 2, retryBaseMs: 3, progressIntervalMs: 50, deploymentTimeoutMs: 5000, lockWaitTimeoutMs: 3000, healthTimeoutMs: 3000 },
    });
    const all = lines.join('\n');
    return { code, all, reasons: all.split('\n').filter((l) => l.startsWith('  - ')).map((l) => l.slice(4)) };
  }

  it('is the deploy commands’ approval check', () => {
    expect(DEPLOY_HOOKS.approvalCheck).to.equal(flowApprovalCheck);
  });

  it('a first deploy that opens the frontends to the Internet and the LAN needs approval: exit 5 without a TTY, naming --require-approval', async () => {
    const r = await deploy(plain);
    expect(r.code, r.all).to.equal(5);
    expect(r.all).to.contain('--require-approval never').and.contain('--yes');
    expect(r.reasons).to.include('opens 0.0.0.0/0 → /frontend tcp/80 (ingress: calico-policy:production-frontend-ingress rule 1 (allow))');
    expect(r.reasons).to.include('opens 10.20.0.0/16 → /frontend2 tcp/80 (ingress: calico-policy:development-frontend-ingress rule 1 (allow))');
    // Inside an environment the default profile already let every container in: nothing new there.
    expect(r.reasons.filter((x) => /^opens \/tester/.test(x))).to.deep.equal([]);
    const yes = await deploy(plain, '--yes');
    expect(yes.code, yes.all).to.equal(0);
  });

  it('a change that opens a flow needs approval and lists exactly that flow', async () => {
    const r = await deploy(opened);
    expect(r.code, r.all).to.equal(5);
    expect(r.all).to.contain('--require-approval never');
    expect(r.reasons).to.deep.equal(['opens 10.30.0.0/16 → /database2 tcp/1521 (ingress: calico-policy:development-database-ingress rule 2 (allow))']);
    const yes = await deploy(opened, '--yes');
    expect(yes.code, yes.all).to.equal(0);
  });

  it('a change that only closes flows does not need approval', async () => {
    const r = await deploy(plain, '--json');
    expect(r.code, r.all).to.equal(0);
    expect(r.all).to.contain('"status": "applied"');
  });

  it('diff shows the flows a change would open and close, and writes nothing', async () => {
    const lines: string[] = [];
    const code = await deployCommands.diff.run(
      [opened, '--etcd-endpoints', etcd!.clientUrl, '--skip-kinds', 'ec2-instance-attribute,mesos-dns-config'],
      (l) => lines.push(l),
      (l) => lines.push(l),
      { env: { DCOS_URL: emu.url, DCOS_ACS_TOKEN: TOKEN, DCOS_DIR: mkdtempSync(join(tmpdir(), 'approval-dcos-')) }, tuning: { requestTimeoutMs: 2000, retries: 1, retryBaseMs: 3 } },
    );
    const all = lines.join('\n');
    expect(code, all).to.equal(0);
    expect(all).to.contain('Connectivity: the change opens 1 flow(s) and closes 0:');
    expect(all).to.contain('  + 10.30.0.0/16 → /database2 tcp/1521 (ingress: calico-policy:development-database-ingress rule 2 (allow))');
    const again = await deploy(plain, '--json');
    expect(again.all).to.contain('"status": "unchanged"');
  });

  it('with --require-approval any-change every change needs approval, as before', async () => {
    const r = await deploy(opened, '--require-approval', 'any-change');
    expect(r.code, r.all).to.equal(5);
  });
});

describe('the approval check without a live cluster', () => {
  const a = readBundle(synth(false));
  const b = readBundle(synth(true));

  it('compares two bundles: the partner rule opens one flow, and removing it closes it', () => {
    expect(diffBundles(a, b)).to.deep.equal({ opened: ['10.30.0.0/16 → /database2 tcp/1521 (ingress: calico-policy:development-database-ingress rule 2 (allow))'], closed: [] });
    expect(diffBundles(b, a)).to.deep.equal({ opened: [], closed: ['10.30.0.0/16 → /database2 tcp/1521 (ingress: no policy allowed it)'] });
  });

  it('without a known "before" (no deploy setup), treats every flow the bundle allows as opened', async () => {
    const r = await flowApprovalCheck(undefined, a);
    expect(r.opened[0]).to.match(/^every flow the bundle allows/);
    expect(r.opened).to.include('/tester → /frontend tcp/80 (egress: calico-policy:production-environment rule 0 (allow); ingress: calico-policy:production-frontend-ingress rule 0 (allow))');
    expect(r.closed).to.deep.equal([]);
  });
});
