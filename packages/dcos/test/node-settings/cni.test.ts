import { expect } from 'chai';
import { existsSync, mkdtempSync, readdirSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, type DesiredArtifact } from '@dcos-cdk/core';
import { CalicoNetwork } from '@dcos-cdk/calico';
import { Cluster } from '../../src/index.js';
import { CniNetworkDriver, isNodeSettingsChange, type CniNetworkDriverOptions, type NodeSettingsChange } from '../../src/deploy/node-settings.js';
import { generateKeyPair } from '../../../testing/src/sshd.js';
import { FakeCluster, context, desiredFrom } from './fake-cluster.js';

const CNI = '/opt/mesosphere/etc/dcos/network/cni';
const STATE = '/opt/mesosphere/etc/dcos/network/cni.dcos-cdk';
const AGENTS = ['10.0.1.1', '10.0.1.2', '10.0.5.1'];

/** A stack with one extra Calico network, `backend`, synthesized into a bundle. */
function backendNetwork(): DesiredArtifact[] {
  const outdir = join(mkdtempSync(join(tmpdir(), 'dcos-cdk-cni-')), 'dcos.out');
  const app = new App({ projectDir: false, outdir });
  const cluster = new Cluster(app, 'demo', { dcosVersion: '1.9' });
  new CalicoNetwork(cluster, 'backend');
  app.synth();
  return desiredFrom(outdir).filter((a) => a.kind === 'cni-network');
}

describe('node settings: extra CNI networks on the agents', function () {
  this.timeout(20000);
  let cluster: FakeCluster;
  const desired = backendNetwork();
  const content = desired[0]?.content ?? '';

  before(async () => {
    cluster = await FakeCluster.start({ masters: 1, agents: 2, publicAgents: 1 });
  });
  after(() => cluster.stop());
  beforeEach(() => cluster.reset());

  async function run(artifacts: readonly DesiredArtifact[], options: Partial<CniNetworkDriverOptions> = {}, ctx = context()): Promise<NodeSettingsChange[]> {
    const driver = new CniNetworkDriver(cluster.options(options));
    try {
      const changes = (await driver.plan(artifacts, ctx)).filter(isNodeSettingsChange);
      for (const c of changes) if (c.action !== 'noop') await driver.apply(c, ctx);
      return changes;
    } finally {
      driver.close();
    }
  }

  async function failing(artifacts: readonly DesiredArtifact[], options: Partial<CniNetworkDriverOptions> = {}, ctx = context()): Promise<Error | undefined> {
    return run(artifacts, options, ctx).then(() => undefined, (e: Error) => e);
  }

  function cniFiles(host: string): string[] {
    return readdirSync(join(cluster.node(host).root, CNI)).sort();
  }

  it('GIVEN a stack with network "backend" WHEN deployed THEN backend.cni lands on every agent, agents restart one at a time and re-register; a second deploy does nothing; dropping the network removes only its file', async () => {
    expect(desired.map((a) => [a.id, a.file])).to.deep.equal([['cni-network:backend', 'cni/backend.cni']]);
    const ctx = context();
    const [change] = await run(desired, {}, ctx);

    expect(change?.action).to.equal('create');
    expect(change?.resource).to.equal(`CNI network backend (${CNI}/backend.cni) on 3 agent(s)`);
    expect(change?.fields).to.deep.equal([
      { path: `${AGENTS.join(',')}:${CNI}/backend.cni`, after: JSON.parse(content) },
      { path: `${AGENTS.join(',')}:${CNI}/backend.cni owner`, after: 'stack demo' },
    ]);
    expect(change?.diff).to.include(`--- /dev/null\n+++ ${AGENTS.join(', ')}:${CNI}/backend.cni\n@@ -0,0 +1,8 @@\n+{\n+  "name": "backend",`);
    for (const host of AGENTS) {
      expect(cluster.read(host, `${CNI}/backend.cni`)).to.equal(content);
      // Mesos reads every file of the CNI folder: nothing of ours but the network file may sit there.
      expect(cniFiles(host)).to.deep.equal(['backend.cni', 'calico.cni']);
      expect(JSON.parse(cluster.read(host, `${STATE}/owner-demo.json`))).to.deep.equal({ managedBy: 'dcos-cdk', stack: 'demo', owns: ['backend.cni'] });
      expect(existsSync(join(cluster.node(host).root, STATE, 'backend.cni.dcos-cdk.pending-restart'))).to.equal(false);
    }
    expect(cluster.restarts()).to.deep.equal(['10.0.1.1 dcos-mesos-slave', '10.0.1.2 dcos-mesos-slave', '10.0.5.1 dcos-mesos-slave-public']);
    expect(cluster.maxAgentsDown).to.equal(1);
    expect(ctx.messages.filter((m) => /re-register/.test(m))).to.deep.equal(AGENTS.map((h) => `${h}: waiting for the agent to re-register`));

    const again = context();
    const [second] = await run(desired, {}, again);
    expect([second?.action, again.counters.writes]).to.deep.equal(['noop', 0]);
    expect(cluster.restarts()).to.have.length(3);

    const removal = await run([]);
    expect(removal.map((c) => [c.id, c.action])).to.deep.equal([['cni-network:backend', 'delete']]);
    for (const host of AGENTS) {
      expect(cniFiles(host)).to.deep.equal(['calico.cni']);
      expect(cluster.read(host, `${STATE}/backend.cni.dcos-cdk.bak`)).to.equal(content);
      expect(existsSync(join(cluster.node(host).root, STATE, 'owner-demo.json'))).to.equal(false);
    }
    expect(cluster.restarts()).to.have.length(6);
    expect(await run([])).to.deep.equal([]);
  });

  it('GIVEN backend.cni exists with other content and no owner WHEN planning THEN it refuses, naming node and file; with --force it takes the file over and keeps the old one', async () => {
    const other = '{"name":"backend","type":"bridge"}\n';
    writeFileSync(join(cluster.node('10.0.1.2').root, CNI, 'backend.cni'), other);
    const err = await failing(desired);
    expect(err?.message).to.match(/^agent 10\.0\.1\.2: .*\/backend\.cni: The file exists with other content and was not written by this stack\. .*--force/);
    expect(cluster.restarts()).to.deep.equal([]);
    expect(cluster.read('10.0.1.2', `${CNI}/backend.cni`)).to.equal(other);
    expect(existsSync(join(cluster.node('10.0.1.1').root, CNI, 'backend.cni'))).to.equal(false);

    const [change] = await run(desired, {}, context({ force: true }));
    expect(change?.action).to.equal('update');
    expect(change?.fields).to.deep.include({ path: `10.0.1.2:${CNI}/backend.cni#type`, before: 'bridge', after: 'calico' });
    expect(cluster.read('10.0.1.2', `${CNI}/backend.cni`)).to.equal(content);
    expect(cluster.read('10.0.1.2', `${STATE}/backend.cni.dcos-cdk.bak`)).to.equal(other);
  });

  it('GIVEN another stack owns backend.cni WHEN this stack drops its own networks THEN the other stack\'s file stays', async () => {
    const root = cluster.node('10.0.1.1').root;
    mkdirSync(join(root, STATE), { recursive: true });
    writeFileSync(join(root, CNI, 'backend.cni'), content);
    writeFileSync(join(root, STATE, 'owner-other.json'), JSON.stringify({ managedBy: 'dcos-cdk', stack: 'other', owns: ['backend.cni'] }));
    expect(await run([])).to.deep.equal([]);
    expect(cniFiles('10.0.1.1')).to.deep.equal(['backend.cni', 'calico.cni']);
  });

  it('GIVEN backend.cni already there with the desired content but no owner WHEN deploying THEN the stack claims it without restarting anything', async () => {
    for (const host of AGENTS) writeFileSync(join(cluster.node(host).root, CNI, 'backend.cni'), content);
    const [change] = await run(desired);
    expect(change?.action).to.equal('update');
    expect(change?.fields).to.deep.equal([{ path: `${AGENTS.join(',')}:${CNI}/backend.cni owner`, after: 'stack demo' }]);
    expect(cluster.restarts()).to.deep.equal([]);
    expect(JSON.parse(cluster.read('10.0.5.1', `${STATE}/owner-demo.json`)).owns).to.deep.equal(['backend.cni']);
  });

  it('GIVEN an agent that does not re-register WHEN deploying THEN it gets its previous state back, the error names it, and later agents are untouched', async () => {
    cluster.neverBack.add('10.0.1.2');
    const err = await failing(desired, { agentTimeoutMs: 300 });
    expect(err?.message).to.match(/^agent 10\.0\.1\.2: .*backend\.cni: Restarting dcos-mesos-slave after the change failed \(timed out after 0 s waiting for agent 10\.0\.1\.2 to re-register with the Mesos master \(last error: agent is not active\)\)/);
    expect(cniFiles('10.0.1.1')).to.deep.equal(['backend.cni', 'calico.cni']);
    expect(cniFiles('10.0.1.2')).to.deep.equal(['calico.cni']);
    expect(cniFiles('10.0.5.1')).to.deep.equal(['calico.cni']);
    expect(cluster.restarts()).to.deep.equal(['10.0.1.1 dcos-mesos-slave', '10.0.1.2 dcos-mesos-slave', '10.0.1.2 dcos-mesos-slave']);
  });

  it('GIVEN a crash after writing the file on an agent WHEN deploying again THEN only that agent restarts', async () => {
    for (const host of AGENTS) {
      const root = cluster.node(host).root;
      mkdirSync(join(root, STATE), { recursive: true });
      writeFileSync(join(root, CNI, 'backend.cni'), content);
      writeFileSync(join(root, STATE, 'owner-demo.json'), JSON.stringify({ managedBy: 'dcos-cdk', stack: 'demo', owns: ['backend.cni'] }));
    }
    writeFileSync(join(cluster.node('10.0.1.2').root, STATE, 'backend.cni.dcos-cdk.pending-restart'), 'dcos-mesos-slave (stack demo)\n');
    const [change] = await run(desired);
    expect(change?.fields).to.deep.equal([{ path: '10.0.1.2:dcos-mesos-slave', before: 'restart pending (interrupted deploy)', after: 'restarted' }]);
    expect(cluster.restarts()).to.deep.equal(['10.0.1.2 dcos-mesos-slave']);
    expect(existsSync(join(cluster.node('10.0.1.2').root, STATE, 'backend.cni.dcos-cdk.pending-restart'))).to.equal(false);
  });

  it('GIVEN explicit agents and no Admin Router, --max-unavailable 2 and a non-root sudo setup WHEN deploying THEN every agent is done, waiting on systemctl is-active, through sudo -n', async () => {
    await run(desired, { connection: undefined, nodes: { agents: ['10.0.1.1', '10.0.1.2'], publicAgents: ['10.0.5.1'] }, maxUnavailable: 2, sudo: true });
    for (const host of AGENTS) expect(cluster.read(host, `${CNI}/backend.cni`)).to.equal(content);
    expect(cluster.restarts()).to.have.members(['10.0.1.1 dcos-mesos-slave', '10.0.1.2 dcos-mesos-slave', '10.0.5.1 dcos-mesos-slave-public']);
    expect(cluster.systemctlCalls().filter((c) => c.includes('is-active'))).to.have.length(3);
    const sudo = cluster.node('10.0.1.1').sshd.sudoCalls();
    expect(new Set(sudo)).to.deep.equal(new Set(AGENTS.map((h) => `${h} sudo sh -c`)));
  });

  it('GIVEN an agent that refuses SSH logins WHEN planning THEN the error names it and says how to fix the credentials', async () => {
    const err = await failing(desired, { ssh: { ...cluster.options().ssh, privateKey: generateKeyPair('intruder').privateKey } });
    expect(err?.message).to.match(/^3 nodes failed:\n {2}agent 10\.0\.1\.1: SSH authentication as '\w+' at 127\.0\.0\.1:\d+ failed \(tried the given key\)\. Add the cluster's key to the ssh-agent/);
    expect(cluster.restarts()).to.deep.equal([]);
  });
});

