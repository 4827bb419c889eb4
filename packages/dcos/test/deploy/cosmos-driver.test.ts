import { expect } from 'chai';
import type { DesiredArtifact } from '@dcos-cdk/core';
import { OwnershipConflictError } from '@dcos-cdk/core';
import { MarathonClient } from '../../../marathon/src/deploy/index.js';
import { CosmosDriver, packageOfApp, parsePackageArtifact } from '../../src/deploy/index.js';
import type { MarathonEmulator } from '../../../testing/src/emulator/index.js';
import { connect, ctx, emulator } from './helpers.js';

const pkg = (name: string, version?: string, options: Record<string, unknown> = {}): DesiredArtifact => ({
  id: `dcos-package:${name}`,
  kind: 'dcos-package',
  file: `dcos/packages/${name}.json`,
  content: JSON.stringify({ packageName: name, ...(version ? { packageVersion: version } : {}), options }),
  constructPath: `demo/Package-${name}`,
  dependsOn: [],
});

async function install(emu: MarathonEmulator, body: unknown): Promise<number> {
  const r = await fetch(`${emu.url}/package/install`, {
    method: 'POST',
    headers: {
      Authorization: 'token=tok-dcos-unit-5e6f7a8b',
      'Content-Type': 'application/vnd.dcos.package.install-request+json;charset=utf-8;version=v1',
      Accept: 'application/vnd.dcos.package.install-response+json;charset=utf-8;version=v2',
    },
    body: JSON.stringify(body),
  });
  await r.text();
  return r.status;
}

describe('deploy/cosmos-driver', () => {
  let emu: MarathonEmulator;
  let driver: CosmosDriver;
  beforeEach(async () => {
    emu = await emulator({ marathonVersion: '1.4' });
    const conn = connect(emu);
    driver = new CosmosDriver(conn, new MarathonClient(conn, { pollIntervalMs: 2, progressIntervalMs: 10 }), { healthTimeoutMs: 2000 });
  });
  afterEach(() => emu.stop());

  it('parses dcos-package artifacts and rejects malformed ones', () => {
    expect(parsePackageArtifact(pkg('etcd', '0.0.3'))).to.deep.equal({ packageName: 'etcd', packageVersion: '0.0.3', options: {} });
    expect(() => parsePackageArtifact({ ...pkg('x'), content: '{"options":{}}' })).to.throw(/packageName/);
    expect(() => parsePackageArtifact({ ...pkg('x'), content: 'nope' })).to.throw(/not valid JSON/);
  });

  it('installs a missing package, marks its app owned, waits until healthy; then plans a no-op with reads only', async () => {
    const c = ctx();
    const [change] = await driver.plan([pkg('etcd', '0.0.3')], c);
    expect(change).to.deep.include({ action: 'create', resource: 'DC/OS package etcd 0.0.3' });
    expect(c.counters.writes).to.equal(0);
    await driver.apply(change!, c);
    const app = emu.state.app('/etcd')!;
    expect(app.labels).to.include({ DCOS_PACKAGE_NAME: 'etcd', DCOS_CDK_STACK: 'demo' });
    expect(app.tasksHealthy).to.equal(1);
    expect(c.messages.join('\n')).to.include('Installing DC/OS package etcd 0.0.3').and.include('owned by stack').and.include('healthy');
    const c2 = ctx();
    const again = await driver.plan([pkg('etcd', '0.0.3')], c2);
    expect(again.map((x) => x.action)).to.deep.equal(['noop']);
    expect(c2.counters).to.deep.equal({ reads: 1, writes: 0 });
    expect(packageOfApp(app)).to.deep.include({ packageName: 'etcd', packageVersion: '0.0.3', stack: 'demo', options: {} });
  });

  it('leaves a package installed outside the stack alone, and reports a version conflict', async () => {
    expect(await install(emu, { packageName: 'etcd', packageVersion: '0.0.3' })).to.equal(200);
    const plan = await driver.plan([pkg('etcd', '0.0.3')], ctx());
    expect(plan[0]).to.deep.include({ action: 'noop' });
    expect(plan[0]!.resource).to.include('not owned by this stack');
    const e = await driver.plan([pkg('etcd', '0.0.2')], ctx()).catch((x: unknown) => x);
    expect(e).to.be.instanceOf(OwnershipConflictError);
    expect((e as Error).message).to.include('outside dcos-cdk').and.include('0.0.2');
    expect(await driver.plan([], ctx())).to.deep.equal([]);
  });

  it('reinstalls an owned package whose version or options changed, and uninstalls one the bundle dropped', async () => {
    const c = ctx();
    const [create] = await driver.plan([pkg('etcd', '0.0.2')], c);
    await driver.apply(create!, c);
    const [update] = await driver.plan([pkg('etcd', '0.0.3', { etcd: { 'cpu-limit': 2 } })], c);
    expect(update).to.deep.include({ action: 'update' });
    expect(update!.resource).to.include('reinstall');
    expect(update!.fields.map((f) => f.path)).to.deep.equal(['options.etcd.cpu-limit', 'packageVersion']);
    await driver.apply(update!, c);
    expect(emu.state.installedPackages()).to.deep.equal([{ packageName: 'etcd', packageVersion: '0.0.3', appId: '/etcd' }]);
    const [del] = await driver.plan([], c);
    expect(del).to.deep.include({ action: 'delete', id: 'dcos-package:etcd' });
    await driver.apply(del!, c);
    expect(emu.state.installedPackages()).to.deep.equal([]);
    await driver.apply(del!, c); // again: nothing left, no error
  });
});
