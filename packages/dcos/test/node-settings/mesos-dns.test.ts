import { expect } from 'chai';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { App, type DesiredArtifact } from '@dcos-cdk/core';
import { Cluster } from '../../src/index.js';
import { MesosDnsDriver, isNodeSettingsChange, type NodeSettingsChange } from '../../src/deploy/node-settings.js';
import { FakeCluster, context, desiredFrom, mesosDnsJson } from './fake-cluster.js';

const exampleDir = join(dirname(fileURLToPath(import.meta.url)), '../../../../examples/ip-per-container');
const FILE = '/opt/mesosphere/etc/mesos-dns.json';

/** The walkthrough's example, synthesized into a temporary bundle. */
async function exampleArtifacts(): Promise<DesiredArtifact[]> {
  const { buildStack } = await import('../../../../examples/ip-per-container/lib/stack.js');
  const outdir = join(mkdtempSync(join(tmpdir(), 'dcos-cdk-example-')), 'dcos.out');
  const app = new App({ projectDir: exampleDir, outdir });
  buildStack(app);
  app.synth();
  return desiredFrom(outdir).filter((a) => a.kind === 'mesos-dns-config');
}

/** A cluster with the same Mesos-DNS settings and nothing else (fast, and independent of the other packages). */
function clusterArtifacts(): DesiredArtifact[] {
  const outdir = join(mkdtempSync(join(tmpdir(), 'dcos-cdk-mdns-')), 'dcos.out');
  const app = new App({ projectDir: false, outdir });
  new Cluster(app, 'demo', { dcosVersion: '1.9', mesosDns: { ipSources: ['netinfo', 'host'] } });
  app.synth();
  return desiredFrom(outdir).filter((a) => a.kind === 'mesos-dns-config');
}

describe('node settings: Mesos-DNS IPSources on the masters', function () {
  this.timeout(20000);
  let cluster: FakeCluster;
  let desired: DesiredArtifact[];

  before(async () => {
    cluster = await FakeCluster.start({ masters: 3, agents: 0, publicAgents: 0 });
    desired = clusterArtifacts();
  });
  after(() => cluster.stop());
  beforeEach(() => {
    cluster.reset();
    desired = clusterArtifacts();
  });

  async function deploy(ctx = context()): Promise<NodeSettingsChange> {
    const driver = new MesosDnsDriver(cluster.options());
    try {
      const [change] = await driver.plan(desired, ctx);
      if (!change || !isNodeSettingsChange(change)) throw new Error('expected one node-settings change');
      if (change.action !== 'noop') await driver.apply(change, ctx);
      return change;
    } finally {
      driver.close();
    }
  }

  /** Plans and applies with a fresh driver; resolves to the error of either. */
  async function failingDeploy(options = cluster.options(), ctx = context()): Promise<Error | undefined> {
    const driver = new MesosDnsDriver(options);
    try {
      const [change] = await driver.plan(desired, ctx);
      await driver.apply(change!, ctx);
      return undefined;
    } catch (e) {
      return e as Error;
    } finally {
      driver.close();
    }
  }

  it('GIVEN the example bundle WHEN deployed THEN every master gets ["netinfo","host"] (rest of the file untouched) and Mesos-DNS restarts once per master, one after the other; a second deploy does nothing; dropping the setting restores the original', async () => {
    desired = await exampleArtifacts();
    expect(desired.map((a) => a.id)).to.deep.equal(['mesos-dns-config:masters']);
    expect(desired[0]?.content).to.equal(clusterArtifacts()[0]?.content);
    const ctx = context();
    const change = await deploy(ctx);

    expect(change.action).to.equal('update');
    expect(change.resource).to.equal(`Mesos-DNS ${FILE} on 3 master(s)`);
    expect(change.fields).to.deep.equal([
      { path: `10.0.0.1,10.0.0.2,10.0.0.3:${FILE}#IPSources`, before: ['host', 'netinfo'], after: ['netinfo', 'host'] },
      { path: `10.0.0.1,10.0.0.2,10.0.0.3:${FILE}.dcos-cdk.owner.json`, after: 'keys IPSources owned by stack demo' },
    ]);
    expect(change.diff).to.include(`--- 10.0.0.1:${FILE}\n+++ 10.0.0.1:${FILE}\n@@ -8,7 +8,7 @@\n`);
    expect(change.diff).to.include('-  "IPSources": ["host", "netinfo"],\n+  "IPSources": ["netinfo", "host"],');
    for (const m of cluster.masters) {
      const original = mesosDnsJson(cluster.dnsPort(m.hostname));
      expect(cluster.read(m.hostname, FILE)).to.equal(original.replace('["host", "netinfo"]', '["netinfo", "host"]'));
      expect(cluster.read(m.hostname, `${FILE}.dcos-cdk.bak`)).to.equal(original);
      expect(existsSync(join(m.root, `${FILE}.dcos-cdk.pending-restart`))).to.equal(false);
      expect(existsSync(join(m.root, `${FILE}.dcos-cdk.tmp`))).to.equal(false);
      expect(JSON.parse(cluster.read(m.hostname, `${FILE}.dcos-cdk.owner.json`))).to.deep.equal({
        managedBy: 'dcos-cdk',
        stack: 'demo',
        owns: { IPSources: { present: true, value: ['host', 'netinfo'] } },
      });
    }
    expect(cluster.restarts()).to.deep.equal(['10.0.0.1 dcos-mesos-dns', '10.0.0.2 dcos-mesos-dns', '10.0.0.3 dcos-mesos-dns']);
    const steps = ctx.messages.filter((m) => /restarting|waiting/.test(m));
    expect(steps).to.deep.equal(['10.0.0.1', '10.0.0.2', '10.0.0.3'].flatMap((h) => [`master ${h}: restarting dcos-mesos-dns`, `${h}: waiting for Mesos-DNS`]));

    // A second deploy plans nothing, writes nothing, restarts nothing.
    const again = context();
    const second = await deploy(again);
    expect([second.action, second.fields, again.counters.writes]).to.deep.equal(['noop', [], 0]);
    expect(cluster.restarts()).to.have.length(3);

    // The stack drops its Mesos-DNS settings: the original value comes back, with one more restart each.
    desired = [];
    const driver = new MesosDnsDriver(cluster.options());
    const changes = await driver.plan([], context());
    expect(changes.map((c) => [c.id, c.action])).to.deep.equal([['mesos-dns-config:masters', 'delete']]);
    await driver.apply(changes[0]!, context());
    expect(await driver.plan([], context())).to.deep.equal([]);
    driver.close();
    for (const m of cluster.masters) {
      expect(cluster.read(m.hostname, FILE)).to.equal(mesosDnsJson(cluster.dnsPort(m.hostname)));
      expect(existsSync(join(m.root, `${FILE}.dcos-cdk.owner.json`))).to.equal(false);
    }
    expect(cluster.restarts()).to.have.length(6);
  });

  it('GIVEN a file spelling the key "ipsources" WHEN planned THEN that key changes, keeping its spelling, and no second key is added', async () => {
    const m = cluster.masters[0]!;
    writeFileSync(join(m.root, FILE), mesosDnsJson(cluster.dnsPort(m.hostname), 'ipsources'));
    const driver = new MesosDnsDriver(cluster.options());
    const [change] = await driver.plan(desired, context());
    driver.close();
    if (!change || !isNodeSettingsChange(change)) throw new Error('expected a node-settings change');
    expect(change.fields).to.deep.include({ path: `10.0.0.1:${FILE}#ipsources`, before: ['host', 'netinfo'], after: ['netinfo', 'host'] });
    const text = change.nodes.find((n) => n.node.hostname === '10.0.0.1')?.after ?? '';
    expect(text).to.equal(mesosDnsJson(cluster.dnsPort(m.hostname), 'ipsources').replace('["host", "netinfo"]', '["netinfo", "host"]'));
  });

  it('GIVEN a master whose file is not valid JSON WHEN planning THEN a clear error names the node and file, and no master is touched', async () => {
    const m = cluster.masters[1]!;
    writeFileSync(join(m.root, FILE), '{ "zk": "zk://127.0.0.1:2181/mesos", ');
    const err = await failingDeploy();
    expect(err?.message).to.match(/^master 10\.0\.0\.2: .*\/opt\/mesosphere\/etc\/mesos-dns\.json: Not valid JSON \(.*\); nothing was changed\. Fix the file on the node/);
    expect(cluster.restarts()).to.deep.equal([]);
    expect(cluster.read('10.0.0.1', FILE)).to.equal(mesosDnsJson(cluster.dnsPort('10.0.0.1')));
    expect(cluster.read('10.0.0.2', FILE)).to.equal('{ "zk": "zk://127.0.0.1:2181/mesos", ');
  });

  it('GIVEN the restart fails on the second master WHEN deploying THEN that master gets its old file back and restarted, the third is untouched, and the next deploy finishes the roll', async () => {
    cluster.node('10.0.0.2').sshd.systemctl.fail('restart', 'dcos-mesos-dns', 1);
    const err = await failingDeploy();
    expect(err?.message).to.match(/^master 10\.0\.0\.2: .*mesos-dns\.json: Restarting dcos-mesos-dns after the change failed \('systemctl restart dcos-mesos-dns' failed \(Job for dcos-mesos-dns\.service failed/);
    expect(err?.message).to.include('The previous file was put back and dcos-mesos-dns restarted with it');
    expect(err?.message).to.include("Look at 'journalctl -u dcos-mesos-dns' on the node, then deploy again.");
    expect(cluster.read('10.0.0.2', FILE)).to.equal(mesosDnsJson(cluster.dnsPort('10.0.0.2')));
    expect(existsSync(join(cluster.node('10.0.0.2').root, `${FILE}.dcos-cdk.pending-restart`))).to.equal(false);
    expect(cluster.read('10.0.0.3', FILE)).to.equal(mesosDnsJson(cluster.dnsPort('10.0.0.3')));
    expect(cluster.systemctlCalls()).to.deep.equal(['10.0.0.1 restart dcos-mesos-dns ok', '10.0.0.2 restart dcos-mesos-dns failed', '10.0.0.2 restart dcos-mesos-dns ok']);

    const resumed = await deploy();
    // Master 2 kept its ownership record (written with the change); master 3 was never reached.
    expect(resumed.fields.map((f) => f.path)).to.deep.equal([`10.0.0.2,10.0.0.3:${FILE}#IPSources`, `10.0.0.3:${FILE}.dcos-cdk.owner.json`]);
    expect(cluster.restarts()).to.deep.equal(['10.0.0.1 dcos-mesos-dns', '10.0.0.2 dcos-mesos-dns', '10.0.0.2 dcos-mesos-dns', '10.0.0.3 dcos-mesos-dns']);
  });

  it('GIVEN Mesos-DNS does not answer after the restart WHEN deploying THEN the master is rolled back and the error says what it waited for', async () => {
    cluster.dnsBroken.add('10.0.0.1');
    const err = await failingDeploy(cluster.options({ mesosDnsTimeoutMs: 200 }));
    expect(err?.message).to.match(/^master 10\.0\.0\.1: .*Restarting dcos-mesos-dns after the change failed \(timed out after 0 s waiting for Mesos-DNS to answer on 127\.0\.0\.1:\d+ \(last error: GET \/v1\/version answered 503\)\), and so did putting the previous file back/);
    expect(cluster.read('10.0.0.1', FILE)).to.equal(mesosDnsJson(cluster.dnsPort('10.0.0.1')));
    expect(existsSync(join(cluster.node('10.0.0.1').root, `${FILE}.dcos-cdk.pending-restart`))).to.equal(true);
    expect(cluster.read('10.0.0.2', FILE)).to.equal(mesosDnsJson(cluster.dnsPort('10.0.0.2')));
  });

  it('GIVEN a crash between the write and the restart on the third master WHEN deploying again THEN only that master restarts, once, and the marker goes', async () => {
    for (const m of cluster.masters) {
      writeFileSync(join(m.root, FILE), mesosDnsJson(cluster.dnsPort(m.hostname)).replace('["host", "netinfo"]', '["netinfo", "host"]'));
      writeFileSync(join(m.root, `${FILE}.dcos-cdk.owner.json`), JSON.stringify({ managedBy: 'dcos-cdk', stack: 'demo', owns: { IPSources: { present: true, value: ['host', 'netinfo'] } } }));
    }
    const m = cluster.masters[2]!;
    writeFileSync(join(m.root, `${FILE}.dcos-cdk.pending-restart`), 'dcos-mesos-dns (stack demo)\n');
    const change = await deploy();
    expect(change.fields).to.deep.equal([{ path: '10.0.0.3:dcos-mesos-dns', before: 'restart pending (interrupted deploy)', after: 'restarted' }]);
    expect(cluster.restarts()).to.deep.equal(['10.0.0.3 dcos-mesos-dns']);
    expect(existsSync(join(m.root, `${FILE}.dcos-cdk.pending-restart`))).to.equal(false);
  });

  it('GIVEN another stack owns the keys WHEN planning THEN it refuses without --force, and plans to take them over with it', async () => {
    for (const m of cluster.masters) {
      const record = { managedBy: 'dcos-cdk', stack: 'other', owns: { IPSources: { present: true, value: ['host', 'netinfo'] } } };
      writeFileSync(join(m.root, `${FILE}.dcos-cdk.owner.json`), JSON.stringify(record));
    }
    const err = await failingDeploy();
    expect(err?.message).to.match(/^3 nodes failed:\n  master 10\.0\.0\.1: .*The Mesos-DNS keys IPSources belong to stack 'other'\. .*--force/);
    const driver = new MesosDnsDriver(cluster.options());
    const [change] = await driver.plan(desired, context({ force: true }));
    driver.close();
    expect(change?.action).to.equal('update');
    expect(change?.fields).to.deep.include({ path: `10.0.0.1,10.0.0.2,10.0.0.3:${FILE}.dcos-cdk.owner.json`, before: 'owned by stack other', after: 'keys IPSources owned by stack demo' });
  });
});
