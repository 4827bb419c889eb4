import { expect } from 'chai';
import { LockHeldError } from '@dcos-cdk/core';
import { LOCK_APP_ID, MarathonDeployLock } from '../../src/deploy/index.js';
import type { MarathonEmulator } from '../../../testing/src/emulator/index.js';
import { connect, ctx, emulator, raw } from './helpers.js';

describe('deploy/lock (cluster deploy lock as a Marathon app)', () => {
  let emu: MarathonEmulator;
  beforeEach(async () => {
    emu = await emulator();
  });
  afterEach(() => emu.stop());

  it('is taken by creating /dcos-cdk-lock with the holder in labels, and released by deleting it', async () => {
    const lock = new MarathonDeployLock(connect(emu), { holder: 'alice@laptop pid 1' });
    const c = ctx();
    expect(await lock.inspect(c)).to.equal(undefined);
    const lease = await lock.acquire({ stack: 'demo', operation: 'deploy', breakLock: false }, c);
    const app = emu.state.app(LOCK_APP_ID)!;
    expect(app.instances).to.equal(0);
    expect(app.labels).to.include({ DCOS_CDK_LOCK: 'true', DCOS_CDK_LOCK_HOLDER: 'alice@laptop pid 1', DCOS_CDK_LOCK_STACK: 'demo', DCOS_CDK_LOCK_OPERATION: 'deploy' });
    expect(app.labels).not.to.have.property('DCOS_CDK_STACK');
    const seen = await lock.inspect(c);
    expect(seen).to.deep.include({ holder: 'alice@laptop pid 1', stack: 'demo', id: lease.holder.id });
    await lease.release(c);
    expect(emu.state.app(LOCK_APP_ID)).to.equal(undefined);
  });

  it('refuses a second holder with who and since; a new lock can be taken right after a release', async () => {
    const now = new Date('2030-01-01T10:00:00Z');
    const a = new MarathonDeployLock(connect(emu), { holder: 'alice', clock: () => now });
    const b = new MarathonDeployLock(connect(emu), { holder: 'bob', clock: () => new Date(now.getTime() + 90_000) });
    const lease = await a.acquire({ stack: 'demo', operation: 'deploy', breakLock: false }, ctx());
    const e = await b.acquire({ stack: 'other', operation: 'destroy', breakLock: false }, ctx()).catch((x: unknown) => x);
    expect(e).to.be.instanceOf(LockHeldError);
    expect((e as Error).message).to.include('alice').and.include("stack 'demo'").and.include('taken 1m30s ago');
    await lease.release(ctx());
    const second = await b.acquire({ stack: 'other', operation: 'destroy', breakLock: false }, ctx());
    expect(second.holder.holder).to.equal('bob');
  });

  it('recognises its own lock when the answer to the create was lost', async () => {
    const lock = new MarathonDeployLock(connect(emu));
    emu.faults.add({ kind: 'status', status: 502, method: 'POST', path: '/v2/apps' });
    const lease = await lock.acquire({ stack: 'demo', operation: 'deploy', breakLock: false }, ctx());
    expect(emu.state.app(LOCK_APP_ID)).not.to.equal(undefined);
    await lease.release(ctx());
  });

  it('--break-lock removes a stale lock; release never removes a lock that is no longer ours', async () => {
    const old = new MarathonDeployLock(connect(emu), { holder: 'dead-ci' });
    const stale = await old.acquire({ stack: 'demo', operation: 'deploy', breakLock: false }, ctx());
    const c = ctx();
    const fresh = await new MarathonDeployLock(connect(emu), { holder: 'me' }).acquire({ stack: 'demo', operation: 'deploy', breakLock: true }, c);
    expect(c.messages.join()).to.include('Breaking the deploy lock of dead-ci');
    const c2 = ctx();
    await stale.release(c2);
    expect(c2.messages.join()).to.include('no longer ours');
    expect(emu.state.app(LOCK_APP_ID)).not.to.equal(undefined);
    await fresh.release(ctx());
    expect(emu.state.app(LOCK_APP_ID)).to.equal(undefined);
  });

  it('never deletes an app with the lock id that dcos-cdk did not create', async () => {
    await raw(emu, 'POST', '/service/marathon/v2/apps', { id: LOCK_APP_ID, cmd: 'sleep 1' });
    const lock = new MarathonDeployLock(connect(emu));
    expect((await lock.inspect(ctx()))?.holder).to.include('not made by dcos-cdk');
    const e = await lock.acquire({ stack: 'demo', operation: 'deploy', breakLock: true }, ctx()).catch((x: unknown) => x);
    expect((e as Error).message).to.include('not a dcos-cdk lock');
    expect(emu.state.app(LOCK_APP_ID)).not.to.equal(undefined);
  });
});
