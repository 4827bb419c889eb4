import { expect } from 'chai';
import { ApprovalRequiredError, LockHeldError, runDeploy, runDestroy, runDiff } from '../../src/index.js';
import type { DeployEvent, RunOptions } from '../../src/index.js';
import { bundleOf, fakeDriver, FakeCluster, FakeLock } from './fakes.js';

const bundle = bundleOf('demo', [
  ['policy:a', 'calico-policy', { allow: 1 }],
  ['app:/web', 'marathon-app', { cpus: 1 }, ['policy:a']],
]);

function setup(over: Partial<RunOptions> = {}) {
  const cluster = new FakeCluster();
  const lock = new FakeLock();
  const events: DeployEvent[] = [];
  const options: RunOptions = {
    bundle,
    drivers: [fakeDriver(cluster, ['marathon-app']), fakeDriver(cluster, ['calico-policy'])],
    lock,
    approve: true,
    onEvent: (e) => events.push(e),
    ...over,
  };
  return { cluster, lock, events, options };
}

describe('deploy/engine', () => {
  it('deploys in order under the lock, then an unchanged bundle costs zero writes and no lock', async () => {
    const { cluster, lock, options, events } = setup();
    const r = await runDeploy(options);
    expect(r.status).to.equal('applied');
    expect(cluster.log).to.deep.equal(['create policy:a', 'create app:/web']);
    expect(lock.acquired).to.equal(1);
    expect(lock.released).to.equal(1);
    expect(events.map((e) => e.type)).to.include.members(['plan', 'approval', 'lock', 'start', 'progress', 'done']);
    const again = await runDeploy({ ...options, counters: { reads: 0, writes: 0 } });
    expect(again.status).to.equal('unchanged');
    expect(again.requests.writes).to.equal(0);
    expect(lock.acquired).to.equal(1);
  });

  it('stops at the first failure, releases the lock, and a rerun converges', async () => {
    const { cluster, lock, options } = setup();
    cluster.failOn = (c) => c.id === 'app:/web';
    const r = await runDeploy(options);
    expect(r.status).to.equal('failed');
    expect(r.failure?.change.id).to.equal('app:/web');
    expect(r.applied.map((c) => c.id)).to.deep.equal(['policy:a']);
    expect(lock.holder).to.equal(undefined);
    cluster.failOn = undefined;
    const again = await runDeploy(options);
    expect(again.status).to.equal('applied');
    expect(again.applied.map((c) => c.id)).to.deep.equal(['app:/web']);
  });

  it('refuses when another run holds the lock, naming the holder; --break-lock takes over', async () => {
    const { lock, options, cluster } = setup();
    lock.holder = { id: 'z', holder: 'bob@ci pid 1', stack: 'other', operation: 'deploy', acquiredAt: new Date(Date.now() - 125_000).toISOString() };
    const e = await runDeploy(options).catch((x: unknown) => x);
    expect(e).to.be.instanceOf(LockHeldError);
    expect((e as Error).message).to.include('bob@ci pid 1').and.include('taken 2m05s ago').and.include('--break-lock');
    expect(cluster.log).to.deep.equal([]);
    const r = await runDeploy({ ...options, breakLock: true });
    expect(r.status).to.equal('applied');
  });

  it('removes a stale lock with --break-lock even when nothing changes', async () => {
    const { lock, options } = setup();
    await runDeploy(options);
    lock.holder = { id: 'z', holder: 'dead', stack: 'demo', operation: 'deploy' };
    const r = await runDeploy({ ...options, breakLock: true });
    expect(r.status).to.equal('unchanged');
    expect(lock.holder).to.equal(undefined);
  });

  it('plans again under the lock and applies that plan', async () => {
    const { cluster, lock, options, events } = setup();
    const acquire = lock.acquire.bind(lock);
    lock.acquire = async (req, ctx) => {
      cluster.resources.set('policy:a', { kind: 'calico-policy', value: { allow: 1 }, owner: 'demo' });
      return acquire(req, ctx);
    };
    const r = await runDeploy(options);
    expect(r.applied.map((c) => c.id)).to.deep.equal(['app:/web']);
    expect(events.some((e) => e.type === 'plan' && e.replanned)).to.equal(true);
  });

  describe('approval', () => {
    it('needs approval for calico changes while no flow analysis is wired; fails without a terminal', async () => {
      const { options, cluster, lock } = setup({ approve: false });
      const e = await runDeploy(options).catch((x: unknown) => x);
      expect(e).to.be.instanceOf(ApprovalRequiredError);
      expect((e as Error).message).to.include('--yes').and.include('--require-approval never').and.include('policy:a');
      expect(cluster.log).to.deep.equal([]);
      expect(lock.acquired).to.equal(0);
    });

    it('asks the terminal when there is one, and respects the answer', async () => {
      const { options, cluster } = setup({ approve: false });
      const no = await runDeploy({ ...options, confirm: async () => false }).catch((x: unknown) => x);
      expect((no as ApprovalRequiredError).refused).to.equal(true);
      const asked: string[][] = [];
      const yes = await runDeploy({ ...options, confirm: async (d) => (asked.push([...d.reasons]), true) });
      expect(yes.status).to.equal('applied');
      expect(asked[0]!.join()).to.include('policy:a');
      expect(cluster.log).to.have.length(2);
    });

    it('needs none for app-only changes at broadening, and for everything at never', async () => {
      const appsOnly = bundleOf('demo', [['app:/web', 'marathon-app', { cpus: 1 }]]);
      const { options } = setup({ approve: false, bundle: appsOnly });
      expect((await runDeploy(options)).status).to.equal('applied');
      const s2 = setup({ approve: false, requireApproval: 'never' });
      expect((await runDeploy(s2.options)).status).to.equal('applied');
      const s3 = setup({ approve: false, requireApproval: 'any-change', bundle: appsOnly });
      expect(await runDeploy(s3.options).catch((x: unknown) => x)).to.be.instanceOf(ApprovalRequiredError);
    });

    it('uses the flow analysis when wired: only opened flows need approval', async () => {
      const calls: unknown[] = [];
      const closing = setup({ approve: false, approvalCheck: (before, after) => (calls.push([before, after.manifest.artifacts.length]), { opened: [], closed: ['a → b tcp/80'] }) });
      expect((await runDeploy(closing.options)).status).to.equal('applied');
      expect(calls).to.deep.equal([[undefined, 2]]);
      const opening = setup({ approve: false, approvalCheck: () => ({ opened: ['prod/tester → dev/db tcp/81'], closed: [] }) });
      const e = await runDeploy(opening.options).catch((x: unknown) => x);
      expect((e as Error).message).to.include('opens prod/tester → dev/db tcp/81');
    });

    it('destroy always needs approval and deletes in reverse order', async () => {
      const { options, cluster } = setup();
      await runDeploy(options);
      const e = await runDestroy({ ...options, approve: false }).catch((x: unknown) => x);
      expect(e).to.be.instanceOf(ApprovalRequiredError);
      const r = await runDestroy(options);
      expect(r.status).to.equal('applied');
      expect(cluster.log.slice(2)).to.deep.equal(['delete app:/web', 'delete policy:a']);
    });
  });

  it('stops between changes when aborted and still releases the lock', async () => {
    const { options, cluster, lock } = setup();
    const controller = new AbortController();
    cluster.onApply = () => controller.abort();
    const r = await runDeploy({ ...options, signal: controller.signal });
    expect(r.status).to.equal('aborted');
    expect(cluster.log).to.deep.equal(['create policy:a']);
    expect(lock.holder).to.equal(undefined);
  });

  it('warns but succeeds when the lock cannot be released', async () => {
    const { options, lock, events } = setup();
    lock.failRelease = true;
    const r = await runDeploy(options);
    expect(r.status).to.equal('applied');
    const w = events.find((e) => e.type === 'warning');
    expect(w && w.type === 'warning' && w.message).to.include('--break-lock');
  });

  it('diff reads only and reports the lock holder', async () => {
    const { options, lock } = setup();
    lock.holder = { id: 'z', holder: 'bob', stack: 'x', operation: 'deploy' };
    const d = await runDiff(options);
    expect(d.plan.changes).to.have.length(2);
    expect(d.lockHolder?.holder).to.equal('bob');
    expect(d.requests.writes).to.equal(0);
  });
});
