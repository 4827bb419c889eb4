import { expect } from 'chai';
import type { DesiredArtifact, DriverContext } from '@dcos-cdk/core';
import { OwnershipConflictError } from '@dcos-cdk/core';
import { DcosConnection } from '@dcos-cdk/dcos/deploy';
import { MarathonEmulator } from '../../../testing/src/emulator/index.js';
import { appPath, lockingDeployments, MarathonClient, MarathonDriver } from '../../src/deploy/index.js';

const artifact = (app: Record<string, unknown>): DesiredArtifact => ({
  id: `marathon-app:${String(app.id)}`,
  kind: 'marathon-app',
  file: `marathon${String(app.id)}.json`,
  content: JSON.stringify(app),
  constructPath: 'demo/x',
  dependsOn: [],
});
const web = { id: '/web', cmd: 'sleep 100', cpus: 0.1, mem: 32 };

function ctx(over: Partial<DriverContext> = {}): DriverContext & { messages: string[] } {
  const messages: string[] = [];
  return { stack: 'demo', force: false, counters: { reads: 0, writes: 0 }, progress: (m) => messages.push(m), messages, ...over };
}

async function put(emu: MarathonEmulator, path: string, body: unknown): Promise<any> {
  const r = await fetch(emu.url + path, { method: 'PUT', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
  return r.json();
}

describe('deploy/marathon-driver', () => {
  let emu: MarathonEmulator;
  let client: MarathonClient;
  let driver: MarathonDriver;
  async function start(deploymentDurationMs: number): Promise<void> {
    emu = await MarathonEmulator.start({ marathonVersion: '1.5', deploymentDurationMs });
    client = new MarathonClient(new DcosConnection({ url: emu.url, timeoutMs: 300, retries: 3, retryBaseMs: 2 }), { pollIntervalMs: 3, progressIntervalMs: 1 });
    driver = new MarathonDriver(client);
  }
  afterEach(() => emu.stop());

  it('creates with the ownership label, updates with partialUpdate=false, deletes, all waiting for deployments', async () => {
    await start(5);
    const c = ctx();
    const [create] = await driver.plan([artifact({ ...web, labels: { tier: 'web' } })], c);
    expect(create!.action).to.equal('create');
    await driver.apply(create!, c);
    expect(emu.state.app('/web')!.labels).to.deep.equal({ tier: 'web', DCOS_CDK_STACK: 'demo' });
    expect(emu.state.deployments()).to.deep.equal([]);
    const [noop] = await driver.plan([artifact({ ...web, labels: { tier: 'web' } })], c);
    expect(noop!.action).to.equal('noop');

    emu.state.clearRequests();
    const [update] = await driver.plan([artifact({ ...web, cpus: 0.2 })], c);
    expect(update!.fields).to.deep.equal([
      { path: 'cpus', before: 0.1, after: 0.2 },
      { path: 'labels.tier', before: 'web' },
    ]);
    await driver.apply(update!, c);
    const puts = emu.state.requests().filter((r) => r.method === 'PUT');
    expect(puts.map((r) => r.query)).to.deep.equal(['partialUpdate=false']);
    expect(emu.state.app('/web')!.labels).to.deep.equal({ DCOS_CDK_STACK: 'demo' });
    expect(emu.state.app('/web')!.cpus).to.equal(0.2);

    const [del] = await driver.plan([], c);
    expect(del).to.deep.include({ action: 'delete', id: 'marathon-app:/web' });
    await driver.apply(del!, c);
    expect(emu.state.app('/web')).to.equal(undefined);
    await driver.apply(del!, c); // already gone: fine
  });

  it('never plans changes to apps it does not own, and never deletes them', async () => {
    await start(2);
    await fetch(`${emu.url}/v2/apps`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ ...web, labels: { DCOS_CDK_STACK: 'other' } }) });
    await fetch(`${emu.url}/v2/apps`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ id: '/etcd', cmd: 'sleep 1', labels: { DCOS_CDK_STACK: 'demo', DCOS_PACKAGE_NAME: 'etcd' } }) });
    await fetch(`${emu.url}/v2/apps`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ id: '/plain', cmd: 'sleep 1' }) });
    expect(await driver.plan([], ctx())).to.deep.equal([]);
    const e = await driver.plan([artifact(web), artifact({ id: '/plain', cmd: 'y' })], ctx()).catch((x: unknown) => x);
    expect(e).to.be.instanceOf(OwnershipConflictError);
    expect((e as Error).message).to.include("belongs to stack 'other'").and.include('Marathon app /plain already exists and it has no DCOS_CDK_STACK label');
    const bad = { ...artifact({ ...web, id: '/mine', labels: { DCOS_CDK_STACK: 'other' } }) };
    await driver.plan([bad], ctx()).then(
      () => expect.fail(),
      (x: Error) => expect(x.message).to.include('reserved'),
    );
  });

  it('on a 409 waits for the deployment holding the app, then retries; --force cancels it instead', async () => {
    await start(150);
    const c = ctx();
    const [create] = await driver.plan([artifact(web)], c);
    await driver.apply(create!, c);
    const other = await put(emu, '/service/marathon/v2/apps/web', { cpus: 0.3 });
    const [update] = await driver.plan([artifact(web)], c);
    const t0 = Date.now();
    await driver.apply(update!, c);
    expect(Date.now() - t0).to.be.greaterThan(100);
    expect(c.messages.join('\n')).to.include(`locked by deployment ${other.deploymentId}`);
    expect(emu.state.app('/web')!.cpus).to.equal(0.1);

    const other2 = await put(emu, '/service/marathon/v2/apps/web', { cpus: 0.4 });
    const fc = ctx({ force: true });
    const [update2] = await driver.plan([artifact(web)], fc);
    emu.state.clearRequests();
    await driver.apply(update2!, fc);
    expect(emu.state.requests().find((r) => r.method === 'PUT')!.query).to.include('force=true');
    expect(fc.messages.join('\n')).not.to.include('locked by deployment');
    expect(emu.state.deployments().map((d) => d.id)).not.to.include(other2.deploymentId);
  });

  it('recovers a create whose answer was lost without creating twice', async () => {
    await start(2);
    emu.faults.add({ kind: 'timeout', method: 'POST', path: '/v2/apps' });
    const c = ctx();
    const [create] = await driver.plan([artifact(web)], c);
    await driver.apply(create!, c);
    expect(emu.state.app('/web')!.labels).to.deep.equal({ DCOS_CDK_STACK: 'demo' });
    expect(emu.state.requests().filter((r) => r.method === 'POST')).to.have.length(2);
  });

  it('reports deployment progress while waiting and fails clearly after the deployment timeout', async () => {
    await start(400);
    const slow = new MarathonClient(new DcosConnection({ url: emu.url, retries: 0 }), { pollIntervalMs: 5, progressIntervalMs: 20, deploymentTimeoutMs: 60 });
    const c = ctx();
    const [create] = await new MarathonDriver(slow).plan([artifact(web)], c);
    const e = await new MarathonDriver(slow).apply(create!, c).catch((x: unknown) => x);
    expect((e as Error).message).to.include('did not finish within').and.include('still running in Marathon');
    expect(c.messages.some((m) => /Waiting for deployment of \/web: step \d\/\d/.test(m))).to.equal(true);
  });

  it('helpers: app paths and 409 bodies', () => {
    expect(appPath('/a/b c')).to.equal('/a/b%20c');
    expect(appPath('x')).to.equal('/x');
    expect(lockingDeployments({ message: 'locked', deployments: [{ id: 'd1' }, { id: 'd2' }] })).to.deep.equal(['d1', 'd2']);
    expect(lockingDeployments({ message: 'An app with id [/x] already exists.' })).to.equal(undefined);
  });
});
