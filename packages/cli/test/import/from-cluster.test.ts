/*
 * `dcos-cdk import --from-cluster`: apps from Marathon (the emulator, over HTTP) and Calico
 * resources from the datastore (a real etcd, written by the deploy driver as calicoctl would),
 * optionally filtered by Marathon group or label.
 */
import { expect } from 'chai';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, type DesiredArtifact } from '@dcos-cdk/core';
import { CalicoDatastoreDriver } from '@dcos-cdk/calico/deploy';
import { MarathonEmulator } from '../../../testing/src/emulator/index.js';
import { etcdUnavailableReason, startEtcd, type EtcdServer } from '../../../testing/src/etcd.js';
import { buildStack } from '../../../../examples/ip-per-container/lib/stack.js';
import { absolute, appDifferences, bundleCalico, calicoOf, filesOf, LAN, project, runImport, synthGenerated, typecheck, walkthroughDir } from './support.js';

const TOKEN = 'tok-import-5e6f7a8b';

/** The walkthrough's calicoctl files as the cluster holds them: the LAN policy under a name of its own (etcd keeps one per name). */
function clusterCalico(): Array<{ file: string; text: string }> {
  return filesOf(walkthroughDir, /\.yaml$/).map((f) => (f.file === 'allow-dev-lan-frontend.yaml' ? { ...f, text: f.text.replace('<your-lan-CIDR>', LAN).replace('name: allow-dev-tester-database', 'name: allow-dev-lan-frontend') } : f));
}

async function post(emu: MarathonEmulator, app: unknown): Promise<void> {
  const res = await fetch(`${emu.url}/service/marathon/v2/apps`, { method: 'POST', headers: { Authorization: `token=${TOKEN}`, 'content-type': 'application/json' }, body: JSON.stringify(app) });
  if (res.status !== 201) throw new Error(`POST ${JSON.stringify(app)}: ${res.status} ${await res.text()}`);
}

describe('dcos-cdk import --from-cluster (Marathon emulator, real etcd)', function () {
  this.timeout(60_000);
  let etcd: EtcdServer | undefined;
  let emu: MarathonEmulator;
  let env: Record<string, string>;
  const walkthroughApps = filesOf(walkthroughDir, /\.json$/).map((f) => JSON.parse(f.text) as Record<string, unknown>);

  before(async function () {
    const reason = etcdUnavailableReason();
    if (reason) {
      console.warn(`      skipped: ${reason}`);
      this.skip();
    }
    etcd = await startEtcd();
    emu = await MarathonEmulator.start({ marathonVersion: '1.4', token: TOKEN, deploymentDurationMs: 5 });
    env = { DCOS_URL: emu.url, DCOS_ACS_TOKEN: TOKEN, DCOS_DIR: mkdtempSync(join(tmpdir(), 'dcos-cdk-nodir-')) };
    // The walkthrough's apps, through POST /v2/apps. (Marathon 1.4 stores the post's relative ids
    // as absolute ones; the emulator, which validates with the library's rules, wants them absolute.)
    for (const app of walkthroughApps) await post(emu, absolute(app));
    await post(emu, { id: '/shop/web', cmd: 'sleep 1000', cpus: 0.1, mem: 32, labels: { DCOS_CDK_STACK: 'old-stack', team: 'shop' } });
    await post(emu, { id: '/kafka', cmd: 'sleep 1000', cpus: 0.1, mem: 32, labels: { DCOS_PACKAGE_NAME: 'kafka' } });
    // The Calico resources, written to etcd v2 exactly as calicoctl v1 writes them.
    const artifacts: DesiredArtifact[] = clusterCalico().map((f) => ({ id: `calico-${f.file}`, kind: /kind: profile/.test(f.text) ? 'calico-profile' : 'calico-policy', file: f.file, content: f.text, constructPath: f.file, dependsOn: [] }));
    const driver = new CalicoDatastoreDriver({ calicoVersion: 'v1', etcd: { endpoints: etcd!.endpoints } });
    const ctx = { stack: 'walkthrough', force: false, counters: { reads: 0, writes: 0 }, progress: () => undefined };
    for (const change of await driver.plan(artifacts, ctx)) await driver.apply(change, ctx);
  });

  after(async () => {
    await emu?.stop();
    await etcd?.stop();
  });

  it('imports every app and Calico resource of the cluster: same apps, same resources, the leaks reported', async () => {
    const dir = project();
    const r = await runImport(['--from-cluster', '--etcd-endpoints', etcd!.clientUrl], { cwd: dir, env });
    expect(r.code, r.err).to.equal(0);
    expect(r.err).to.contain('Skipped /kafka: the app of DC/OS package kafka');
    expect(r.out).to.contain('Imported 7 Marathon apps and 6 Calico resources into imported-stack.ts (DC/OS 1.9: Marathon 1.4 JSON, calicoctl v1).');
    expect(r.out).to.contain('/tester (group=production) can reach /frontend2 (group=development): tcp 80');
    const file = join(dir, 'imported-stack.ts');
    const code = readFileSync(file, 'utf8');
    expect(code).to.contain('// marathon:/frontend2:1:1');
    expect(code).to.contain('// etcd:/calico/v1/policy/tier/default/policy/allow-dev-pings:1:1');
    // The ownership label of another stack is not imported; the app's own labels are.
    expect(code).to.contain("labels: { team: 'shop' },");
    expect(code).to.not.contain('DCOS_CDK_STACK');
    expect(typecheck([file])).to.deep.equal([]);
    const bundle = await synthGenerated(file);
    const shop = { id: '/shop/web', cmd: 'sleep 1000', cpus: 0.1, mem: 32, labels: { team: 'shop' } };
    expect(appDifferences([...walkthroughApps.map((a) => absolute(a)), shop], bundle)).to.deep.equal([]);
    expect(bundleCalico(bundle)).to.deep.equal(calicoOf(clusterCalico()));
  });

  it('--label group=development: the development apps and the policies that select them', async () => {
    const dir = project();
    const r = await runImport(['--from-cluster', '--etcd-endpoints', etcd!.clientUrl, '--label', 'group=development'], { cwd: dir, env });
    expect(r.code, r.err).to.equal(0);
    expect(r.err).to.contain('Skipped /frontend: not selected by --group/--label');
    const bundle = await synthGenerated(join(dir, 'imported-stack.ts'));
    expect(appDifferences(walkthroughApps.filter((a) => String(a.id).endsWith('2')).map((a) => absolute(a)), bundle)).to.deep.equal([]);
    // Every walkthrough policy selects group == 'development'; the profile is the network's.
    expect(bundleCalico(bundle)).to.deep.equal(calicoOf(clusterCalico()));
  });

  it('--group /shop: the apps under the group, and no policy that selects none of them', async () => {
    const dir = project();
    const r = await runImport(['--from-cluster', '--etcd-endpoints', etcd!.clientUrl, '--group', '/shop'], { cwd: dir, env });
    expect(r.code, r.err).to.equal(0);
    expect(r.out).to.contain('Imported 1 Marathon app and 0 Calico resources');
    const code = readFileSync(join(dir, 'imported-stack.ts'), 'utf8');
    expect(code).to.contain("marathonGroup: '/shop'");
    expect(code).to.contain("new MarathonApp(defaultEnvironment, 'web', {\n  id: 'web',");
  });

  it('without etcd, imports the apps only and says so', async () => {
    const dir = project();
    const r = await runImport(['--from-cluster', '--no-analysis', '--group', '/shop'], { cwd: dir, env });
    expect(r.code, r.err).to.equal(0);
    expect(r.err).to.contain('No Calico etcd given (--etcd-endpoints or ETCD_ENDPOINTS): importing apps only.');
  });

  it('a cluster it cannot reach is a clear error', async () => {
    const dir = project();
    const r = await runImport(['--from-cluster'], { cwd: dir, env: { DCOS_DIR: env.DCOS_DIR! } });
    expect(r.code).to.not.equal(0);
    expect(r.err).to.contain('No DC/OS cluster to talk to');
  });
});

describe('dcos-cdk import --from-cluster on Calico v3 (Marathon 1.5 emulator, etcd v3)', function () {
  this.timeout(60_000);
  let etcd: EtcdServer | undefined;
  let emu: MarathonEmulator;
  let env: Record<string, string>;
  let artifacts: readonly DesiredArtifact[];

  before(async function () {
    const reason = etcdUnavailableReason();
    if (reason) {
      console.warn(`      skipped: ${reason}`);
      this.skip();
    }
    // The example stack for DC/OS 2.1, deployed: its apps to Marathon, its Calico v3 resources to etcd.
    const app = new App({ projectDir: false, context: { dcosVersion: '2.1', lanCidr: LAN, 'dcos-cdk:analyzeAtSynth': false } });
    buildStack(app);
    artifacts = app.synth({ write: false }).artifacts.map((a) => ({ id: a.id, kind: a.kind, file: a.file, content: a.content, constructPath: a.constructPath, dependsOn: a.dependsOn }));
    etcd = await startEtcd();
    emu = await MarathonEmulator.start({ marathonVersion: '1.5', token: TOKEN, deploymentDurationMs: 5 });
    env = { DCOS_URL: emu.url, DCOS_ACS_TOKEN: TOKEN, DCOS_DIR: mkdtempSync(join(tmpdir(), 'dcos-cdk-nodir-')) };
    for (const a of artifacts.filter((x) => x.kind === 'marathon-app')) await post(emu, JSON.parse(a.content));
    const driver = new CalicoDatastoreDriver({ calicoVersion: 'v3', etcd: { endpoints: etcd!.endpoints } });
    const ctx = { stack: 'demo', force: false, counters: { reads: 0, writes: 0 }, progress: () => undefined };
    for (const change of await driver.plan(artifacts.filter((a) => a.kind.startsWith('calico-')), ctx)) await driver.apply(change, ctx);
  });

  after(async () => {
    await emu?.stop();
    await etcd?.stop();
  });

  it('gives back the deployed apps and policies, isolated as they were', async () => {
    const dir = project();
    const r = await runImport(['--from-cluster', '--etcd-endpoints', etcd!.clientUrl, '--calico-version', 'v3', '--dcos-version', '2.1'], { cwd: dir, env });
    expect(r.code, r.err).to.equal(0);
    expect(r.out).to.contain('(DC/OS 2.1: Marathon 1.5+ JSON, calicoctl v3)');
    expect(r.out).to.not.contain('analysis/cross-environment-flow');
    const file = join(dir, 'imported-stack.ts');
    expect(readFileSync(file, 'utf8')).to.not.contain('isolated: false');
    expect(typecheck([file])).to.deep.equal([]);
    const bundle = await synthGenerated(file);
    const apps = artifacts.filter((a) => a.kind === 'marathon-app').map((a) => JSON.parse(a.content) as Record<string, unknown>);
    expect(appDifferences(apps, bundle)).to.deep.equal([]);
    expect(bundleCalico(bundle)).to.deep.equal(calicoOf(artifacts.filter((a) => a.kind.startsWith('calico-')).map((a) => ({ file: a.file, text: a.content }))));
  });
});
