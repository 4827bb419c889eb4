import { expect } from 'chai';
import { CalicoDatastoreDriver, EtcdError, type CalicoPlannedChange } from '@dcos-cdk/calico/deploy';
import { etcdUnavailableReason, startEtcd, type EtcdServer } from '../../../testing/src/etcd.js';
import { FaultyProxy } from './faulty-proxy.js';
import { context, synthExample, v2Dump, v2Wipe, v3Dump, v3Wipe } from './support.js';

const v1Bundle = synthExample('1.9');
const v3Bundle = synthExample('2.1');

/** The state a clean deploy leaves, without v3 server fields (uids and timestamps differ between runs). */
async function state(etcd: EtcdServer, version: 'v1' | 'v3'): Promise<Record<string, unknown>> {
  const raw = version === 'v1' ? { ...(await v2Dump(etcd.clientUrl, '/calico')), ...(await v2Dump(etcd.clientUrl, '/dcos-cdk')) } : await v3Dump(etcd.clientUrl);
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(raw)) {
    const parsed = JSON.parse(v) as { metadata?: Record<string, unknown> };
    if (parsed.metadata) {
      delete parsed.metadata.uid;
      delete parsed.metadata.creationTimestamp;
    }
    out[k] = parsed;
  }
  return out;
}

for (const version of ['v1', 'v3'] as const) {
  describe(`CalicoDatastoreDriver ${version} under faults (real etcd)`, function () {
    let etcd: EtcdServer | undefined;
    let proxy: FaultyProxy;
    let clean: Record<string, unknown>;
    const { calico } = version === 'v1' ? v1Bundle : v3Bundle;
    const wipe = () => (version === 'v1' ? v2Wipe(etcd!.clientUrl) : v3Wipe(etcd!.clientUrl));
    const driver = (url: string, attempts = 1) => new CalicoDatastoreDriver({ calicoVersion: version, etcd: { endpoints: [url], retry: { attempts, baseDelayMs: 20, maxDelayMs: 200 } } });
    const deploy = async (url: string): Promise<void> => {
      const d = driver(url);
      for (const c of await d.plan(calico, context())) await d.apply(c, context());
    };

    before(async function () {
      const reason = etcdUnavailableReason();
      if (reason) {
        console.warn(`      skipped: ${reason}`);
        this.skip();
      }
      etcd = await startEtcd();
      proxy = await new FaultyProxy(new URL(etcd!.clientUrl)).start();
      await deploy(etcd!.clientUrl);
      clean = await state(etcd!, version);
    });
    after(async () => {
      await proxy?.close();
      await etcd?.stop();
    });
    beforeEach(async () => {
      proxy?.heal();
      if (etcd && !etcd.running) await etcd.restart();
      await wipe();
    });

    it('etcd stopped mid-apply: the failed change leaves old or new state, and a rerun converges', async () => {
      const d = driver(etcd!.clientUrl, 2);
      const changes = await d.plan(calico, context());
      await d.apply(changes[0]!, context());
      await d.apply(changes[1]!, context());
      await etcd!.stopTemporarily();
      const error = await d.apply(changes[2]!, context()).catch((e: unknown) => e);
      expect(error).to.be.instanceOf(EtcdError);
      expect((error as Error).message).to.contain('unreachable').and.contain('running the deploy again is safe');
      await etcd!.restart();

      const rerun = await driver(etcd!.clientUrl).plan(calico, context());
      expect(rerun.slice(0, 2).map((c) => c.action)).to.deep.equal(['noop', 'noop']);
      expect(rerun.slice(2).every((c) => c.action === 'create')).to.equal(true);
      for (const c of rerun) await driver(etcd!.clientUrl).apply(c, context());
      expect(await state(etcd!, version)).to.deep.equal(clean);
      const ctx = context();
      expect((await driver(etcd!.clientUrl).plan(calico, ctx)).every((c) => c.action === 'noop')).to.equal(true);
      expect(ctx.counters.writes).to.equal(0);
    });

    it('etcd dying between the writes of one change: a rerun finishes the resource', async () => {
      const d = driver(proxy.url);
      const changes = await d.plan(calico, context());
      const profile = changes.find((c) => c.kind === 'calico-profile')! as CalicoPlannedChange;
      // v1: ownership record + rules get through, tags and labels do not; v3: the single transaction fails.
      proxy.cutAfterWrites(version === 'v1' ? 2 : 0);
      const error = await d.apply(profile, context()).catch((e: unknown) => e);
      expect(error).to.be.instanceOf(EtcdError);
      proxy.heal();
      const rerun = await driver(proxy.url).plan(calico, context());
      const again = rerun.find((c) => c.id === profile.id)!;
      expect(again.action).to.equal(version === 'v1' ? 'update' : 'create');
      if (version === 'v1') expect(again.fields.map((f) => f.path)).to.deep.equal(['tags', 'labels']);
      for (const c of rerun) await driver(proxy.url).apply(c, context());
      expect(await state(etcd!, version)).to.deep.equal(clean);
    });

    it('a write whose answer was lost is retried and recognised as applied', async () => {
      const d = driver(proxy.url, 3);
      const changes = await d.plan(calico, context());
      proxy.loseAnswers(version === 'v1' ? /^PUT \/v2\/keys\/calico\// : /^POST \/v3\w*\/kv\/txn/, 1);
      const ctx = context();
      for (const c of changes) await d.apply(c, ctx);
      expect(proxy.lost).to.be.greaterThan(0);
      expect(await state(etcd!, version)).to.deep.equal(clean);
    });

    it('etcd restarting while a write is retried: the apply waits and succeeds', async () => {
      const d = driver(etcd!.clientUrl, 12); // up to ~2 s of retries: etcd restarts well within it
      const changes = await d.plan(calico, context());
      await etcd!.stopTemporarily();
      const progress: string[] = [];
      const restart = new Promise((resolve) => setTimeout(resolve, 150)).then(() => etcd!.restart());
      await d.apply(changes[0]!, context('demo', progress));
      await restart;
      expect(progress.some((p) => p.includes('retrying'))).to.equal(true);
      for (const c of changes.slice(1)) await d.apply(c, context());
      expect(await state(etcd!, version)).to.deep.equal(clean);
    });
  });
}
