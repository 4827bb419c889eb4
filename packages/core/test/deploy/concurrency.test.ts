import { expect } from 'chai';
import { runDeploy, runDestroy } from '../../src/index.js';
import type { ArtifactDriver, DeployEvent, DesiredArtifact, DriverContext, PlannedChange, RunOptions } from '../../src/index.js';
import { changeDependencies } from '../../src/deploy/plan.js';
import { bundleOf, fakeDriver, FakeCluster, FakeLock } from './fakes.js';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Wraps fake drivers: every apply takes `delay(change)` ms and is traced. */
class Trace {
  running = 0;
  maxRunning = 0;
  readonly events: string[] = [];
  readonly started = new Map<string, number>();
  readonly finished = new Map<string, number>();
  private seq = 0;
  delay: (c: PlannedChange) => number = () => 5;

  wrap(driver: ArtifactDriver): ArtifactDriver {
    return {
      kinds: driver.kinds,
      plan: (d: readonly DesiredArtifact[], ctx: DriverContext) => driver.plan(d, ctx),
      apply: async (c: PlannedChange, ctx: DriverContext) => {
        this.running++;
        this.maxRunning = Math.max(this.maxRunning, this.running);
        this.started.set(c.id, this.seq++);
        this.events.push(`start ${c.id}`);
        try {
          await new Promise<void>((resolve, reject) => {
            const t = setTimeout(resolve, this.delay(c));
            ctx.signal?.addEventListener('abort', () => (clearTimeout(t), reject(new Error('aborted'))), { once: true });
          });
          await driver.apply(c, ctx);
        } finally {
          this.running--;
          this.finished.set(c.id, this.seq++);
          this.events.push(`end ${c.id}`);
        }
      },
    };
  }
}

/** n environments: a profile, 2 policies per env (the second after the first), 3 apps per env after both policies. */
function scaled(envs: number, extra: Array<[string, string, unknown, string[]?]> = []) {
  const arts: Array<[string, string, unknown, string[]?]> = [['calico-profile:p', 'calico-profile', { p: 1 }]];
  for (let e = 0; e < envs; e++) {
    arts.push([`calico-policy:e${e}a`, 'calico-policy', { e }, ['calico-profile:p']]);
    arts.push([`calico-policy:e${e}b`, 'calico-policy', { e }, [`calico-policy:e${e}a`]]);
    for (let a = 0; a < 3; a++) arts.push([`marathon-app:/e${e}/a${a}`, 'marathon-app', { e, a }, [`calico-policy:e${e}b`]]);
  }
  return bundleOf('demo', [...arts, ...extra]);
}

function setup(bundle: ReturnType<typeof scaled>, over: Partial<RunOptions> = {}) {
  const cluster = new FakeCluster();
  const trace = new Trace();
  const events: DeployEvent[] = [];
  const lock = new FakeLock();
  const kinds = [['marathon-app'], ['calico-policy', 'calico-profile'], ['mesos-dns-config'], ['cni-network'], ['dcos-package']];
  const options: RunOptions = {
    bundle,
    drivers: kinds.map((k) => trace.wrap(fakeDriver(cluster, k))),
    lock,
    approve: true,
    onEvent: (e) => events.push(e),
    ...over,
  };
  return { cluster, trace, events, lock, options };
}

function expectDependenciesRespected(bundle: ReturnType<typeof scaled>, trace: Trace, reverse = false): void {
  for (const a of bundle.manifest.artifacts) {
    for (const d of a.dependsOn) {
      const [first, second] = reverse ? [a.id, d] : [d, a.id];
      if (!trace.started.has(second)) continue;
      expect(trace.finished.get(first), `${first} finished before ${second} started`).to.be.lessThan(trace.started.get(second)!);
    }
  }
}

describe('deploy/engine concurrency', () => {
  it('applies independent changes concurrently, within the bound, after their dependencies, calico in plan order', async () => {
    const bundle = scaled(10);
    const { trace, options, events, cluster } = setup(bundle, { concurrency: 4 });
    const r = await runDeploy(options);
    expect(r.status).to.equal('applied');
    expect(r.applied).to.have.length(1 + 10 * 5);
    expect(trace.maxRunning).to.equal(4);
    expectDependenciesRespected(bundle, trace);
    // calico changes never overlap and keep the plan order
    const calico = r.plan.changes.filter((c) => c.kind.startsWith('calico-')).map((c) => c.id);
    const calicoEvents = trace.events.filter((e) => e.split(' ')[1]!.startsWith('calico-'));
    expect(calicoEvents).to.deep.equal(calico.flatMap((id) => [`start ${id}`, `end ${id}`]));
    // counters and events stay exact
    expect(r.requests.writes).to.equal(1 + 51 + 1); // lock, changes, release
    expect(cluster.log).to.have.length(51);
    const starts = events.filter((e) => e.type === 'start');
    const dones = events.filter((e) => e.type === 'done');
    expect(starts.map((e) => (e.type === 'start' ? e.index : 0))).to.deep.equal([...Array(51).keys()].map((i) => i + 1));
    expect(dones.map((e) => (e.type === 'done' ? e.index : 0))).to.deep.equal([...Array(51).keys()].map((i) => i + 1));
    for (const e of events) if (e.type === 'progress') expect(e.message).to.equal(`applying ${e.change!.id}`);
  });

  it('keeps the order a reorder hook chose for calico changes', async () => {
    const bundle = bundleOf('demo', [
      ['calico-policy:a', 'calico-policy', { a: 1 }],
      ['calico-policy:b', 'calico-policy', { b: 1 }],
      ['calico-policy:c', 'calico-policy', { c: 1 }],
      ['marathon-app:/x', 'marathon-app', { x: 1 }],
      ['marathon-app:/y', 'marathon-app', { y: 1 }],
    ]);
    const { trace, options } = setup(bundle, {
      concurrency: 8,
      orderChanges: (plan) => ({ changes: [...plan.changes].reverse() }),
    });
    trace.delay = (c) => (c.id === 'calico-policy:c' ? 30 : 2);
    const r = await runDeploy(options);
    expect(r.status).to.equal('applied');
    const calico = trace.events.filter((e) => e.includes('calico-'));
    expect(calico).to.deep.equal(['c', 'c', 'b', 'b', 'a', 'a'].map((x, i) => `${i % 2 ? 'end' : 'start'} calico-policy:${x}`));
    // the apps did not wait for the slow calico change
    expect(trace.finished.get('marathon-app:/x')).to.be.lessThan(trace.finished.get('calico-policy:c')!);
  });

  it('runs node settings one at a time, and deletes only after creates, in reverse dependency order', async () => {
    const bundle = scaled(3, [
      ['mesos-dns-config:a', 'mesos-dns-config', { a: 1 }],
      ['cni-network:n', 'cni-network', { n: 1 }],
      ['mesos-dns-config:b', 'mesos-dns-config', { b: 1 }],
    ]);
    const { trace, options, cluster } = setup(bundle, { concurrency: 16 });
    cluster.resources.set('marathon-app:/old', { kind: 'marathon-app', value: 1, owner: 'demo' });
    cluster.resources.set('dcos-package:old', { kind: 'dcos-package', value: 1, owner: 'demo' });
    const r = await runDeploy(options);
    expect(r.status).to.equal('applied');
    const nodes = trace.events.filter((e) => /mesos-dns|cni/.test(e)).map((e) => e.split(' ')[0]);
    expect(nodes).to.deep.equal(['start', 'end', 'start', 'end', 'start', 'end']);
    const lastCreate = Math.max(...r.plan.changes.filter((c) => c.action !== 'delete').map((c) => trace.finished.get(c.id)!));
    expect(trace.started.get('marathon-app:/old')).to.be.greaterThan(lastCreate);
    expect(trace.started.get('dcos-package:old')).to.be.greaterThan(trace.finished.get('marathon-app:/old')!);

    const destroy = setup(bundle, { concurrency: 16 });
    for (const [id, v] of cluster.resources) destroy.cluster.resources.set(id, v);
    const d = await runDestroy(destroy.options);
    expect(d.status).to.equal('applied');
    expect(destroy.trace.maxRunning).to.be.greaterThan(1);
    expectDependenciesRespected(bundle, destroy.trace, true);
  });

  it('with concurrency 1 applies in plan order, one at a time', async () => {
    const bundle = scaled(3);
    const { trace, options } = setup(bundle, { concurrency: 1 });
    const r = await runDeploy(options);
    expect(trace.maxRunning).to.equal(1);
    expect(trace.events.filter((e) => e.startsWith('start')).map((e) => e.slice(6))).to.deep.equal(r.plan.changes.map((c) => c.id));
  });

  it('stops starting changes at the first failure, waits for the running ones, and a rerun converges', async () => {
    const bundle = scaled(6);
    const { trace, options, cluster, lock, events } = setup(bundle, { concurrency: 4 });
    trace.delay = (c) => (c.id === 'marathon-app:/e1/a0' ? 1 : 20);
    cluster.failOn = (c) => c.id === 'marathon-app:/e1/a0';
    const r = await runDeploy(options);
    expect(r.status).to.equal('failed');
    expect(r.failure?.change.id).to.equal('marathon-app:/e1/a0');
    expect(events.filter((e) => e.type === 'failed')).to.have.length(1);
    const failedAt = trace.finished.get('marathon-app:/e1/a0')!;
    for (const [id, at] of trace.started) if (at > failedAt) expect.fail(`${id} started after the failure`);
    // the running ones finished and were reported as applied
    expect(trace.running).to.equal(0);
    for (const c of r.applied) expect(cluster.resources.has(c.id)).to.equal(true);
    expect(r.applied.length).to.equal(cluster.log.length);
    expect(r.applied.length).to.be.lessThan(r.plan.changes.length - 1);
    expect(lock.holder).to.equal(undefined);
    cluster.failOn = undefined;
    const again = await runDeploy(options);
    expect(again.status).to.equal('applied');
    expect(again.applied.length + r.applied.length).to.equal(r.plan.changes.length);
  });

  it('stops on abort, lets the running changes end, and releases the lock', async () => {
    const bundle = scaled(6);
    const controller = new AbortController();
    const { trace, options, lock } = setup(bundle, { concurrency: 4, signal: controller.signal });
    let n = 0;
    trace.delay = () => {
      if (++n === 6) setTimeout(() => controller.abort(), 1);
      return 10;
    };
    const r = await runDeploy(options);
    expect(r.status).to.equal('aborted');
    expect(trace.running).to.equal(0);
    expect(trace.started.size).to.be.lessThan(r.plan.changes.length);
    expect(r.applied.length).to.be.lessThan(trace.started.size);
    expect(lock.holder).to.equal(undefined);
    expect(lock.released).to.equal(1);
  });

  it('changeDependencies: edges point backwards, through transitive dependencies and chains', () => {
    const bundle = bundleOf('demo', [
      ['dcos-package:p', 'dcos-package', {}],
      ['marathon-app:/mid', 'marathon-app', {}, ['dcos-package:p']],
      ['marathon-app:/top', 'marathon-app', {}, ['marathon-app:/mid']],
      ['marathon-app:/free', 'marathon-app', {}],
    ]);
    const ch = (id: string, kind: string, action: PlannedChange['action'] = 'create'): PlannedChange => ({ id, kind, action, resource: id, fields: [] });
    // /mid is unchanged: /top still waits for the package through it
    const changes = [ch('dcos-package:p', 'dcos-package'), ch('marathon-app:/top', 'marathon-app'), ch('marathon-app:/free', 'marathon-app'), ch('calico-policy:x', 'calico-policy', 'delete'), ch('calico-policy:y', 'calico-policy', 'delete')];
    expect(changeDependencies(changes, bundle)).to.deep.equal([[], [0], [], [0, 1, 2], [0, 1, 2, 3]]);
  });
});
