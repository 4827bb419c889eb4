import { expect } from 'chai';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { CalicoctlDriver, CalicoctlError, CalicoDatastoreDriver, CalicoOwnershipError, type CalicoctlPlannedChange } from '@dcos-cdk/calico/deploy';
import { etcdUnavailableReason, startEtcd, type EtcdServer } from '../../../testing/src/etcd.js';
import { context, synthExample, v2Dump, v2Wipe } from './support.js';

const fake = join(dirname(fileURLToPath(import.meta.url)), 'fixtures', 'fake-calicoctl.mjs');
// Each fake calicoctl run starts node: keep to a few resources (the profile, one icmp policy, the pass policy).
const SUBSET = ['calico-profile:calico', 'calico-policy:production-environment', 'calico-policy:passthrough'];
const subset = (version: '1.9' | '2.1') => synthExample(version).calico.filter((a) => SUBSET.includes(a.id));

interface Call {
  argv: string[];
  file?: string;
  etcd?: string;
}

/** A temp folder with a `calicoctl` on a PATH of its own, and its recorded calls. */
function fakeCalicoctl(api: 'v1' | 'v3') {
  const dir = mkdtempSync(join(tmpdir(), 'fake-calicoctl-'));
  const bin = join(dir, 'bin');
  rmSync(bin, { recursive: true, force: true });
  writeFileSync(join(dir, 'calls.jsonl'), '');
  const script = join(dir, 'calicoctl');
  writeFileSync(script, `#!/bin/sh\nexec "${process.execPath}" "${fake}" "$@"\n`);
  chmodSync(script, 0o755);
  const env: Record<string, string> = { PATH: `${dir}:${process.env.PATH}`, FAKE_CALICOCTL_DIR: dir, FAKE_CALICOCTL_API: api, ETCD_ENDPOINTS: 'http://etcd.example:2379' };
  return {
    dir,
    env,
    calls: (): Call[] =>
      readFileSync(join(dir, 'calls.jsonl'), 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l) as Call),
    reset: () => writeFileSync(join(dir, 'calls.jsonl'), ''),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

async function applyAll(driver: CalicoctlDriver, changes: readonly CalicoctlPlannedChange[]): Promise<void> {
  for (const c of changes) await driver.apply(c, context());
}

describe('CalicoctlDriver with a fake calicoctl on PATH', () => {
  describe('Calico v3: calicoctl apply -f, ownership in annotations', () => {
    const calico = subset('2.1');
    // One fake cluster for the group: the tests follow each other like successive deploys.
    let ctl: ReturnType<typeof fakeCalicoctl>;
    before(() => (ctl = fakeCalicoctl('v3')));
    after(() => ctl.remove());
    beforeEach(() => ctl.reset());
    const driver = (adopt?: readonly string[]) => new CalicoctlDriver({ calicoVersion: 'v3', env: ctl.env, adopt });
    let first: CalicoctlPlannedChange | undefined;

    it('applies each resource with its owner annotations, then plans only no-ops with reads only', async () => {
      const ctx = context();
      const changes = await driver().plan(calico, ctx);
      first = changes[0];
      expect(changes.map((c) => c.action)).to.deep.equal(calico.map(() => 'create'));
      expect(ctx.counters).to.deep.equal({ reads: 4, writes: 0 });
      expect(ctl.calls().map((c) => c.argv.slice(0, 2).join(' '))).to.deep.equal(['get globalnetworkpolicy', 'get networkpolicy', 'get profile', 'get ippool']);
      ctl.reset();
      await applyAll(driver(), changes);
      const calls = ctl.calls();
      expect(calls.every((c) => c.argv[0] === 'apply' && c.argv[1] === '-f' && c.etcd === 'http://etcd.example:2379')).to.equal(true);
      const profile = parse(calls.find((c) => c.file!.includes('kind: Profile'))!.file!) as unknown;
      expect(profile).to.deep.equal({
        apiVersion: 'projectcalico.org/v3',
        kind: 'Profile',
        metadata: { name: 'calico', annotations: { 'dcos-cdk.io/stack': 'demo', 'dcos-cdk.io/artifact': 'calico-profile:calico' } },
        spec: { egress: [{ action: 'Allow' }], labelsToApply: { calico: '' } },
      });

      const again = context();
      const second = await driver().plan(calico, again);
      expect(second.every((c) => c.action === 'noop')).to.equal(true);
      expect(again.counters).to.deep.equal({ reads: 4, writes: 0 });
    });

    it('refuses unowned resources unless adopted, updates with the live resourceVersion, deletes only its own', async () => {
      const state = JSON.parse(readFileSync(join(ctl.dir, 'state.json'), 'utf8')) as { items: Record<string, { metadata: { resourceVersion: string }; spec: { order?: number } }> };
      state.items['globalnetworkpolicy//production-environment']!.spec.order = 7;
      state.items['globalnetworkpolicy//hand-made'] = { kind: 'GlobalNetworkPolicy', metadata: { name: 'hand-made', resourceVersion: '1' }, spec: {} } as never;
      writeFileSync(join(ctl.dir, 'state.json'), JSON.stringify(state));

      const kept = calico.filter((a) => a.id !== 'calico-policy:passthrough');
      const policy = calico.find((a) => a.kind === 'calico-policy')!;
      const bundle = [...kept, { ...policy, id: 'calico-policy:hand-made', content: policy.content.replace(/name: .*/, 'name: hand-made') }];
      const error = await driver()
        .plan(bundle, context())
        .catch((e: unknown) => e);
      expect(error).to.be.instanceOf(CalicoOwnershipError);
      expect((error as Error).message).to.contain('hand-made').and.contain('no stack owns it').and.contain('--adopt');

      const changes = (await driver(['calico-policy:hand-made']).plan(bundle, context())).filter((c) => c.action !== 'noop');
      expect(changes.map((c) => [c.action, c.id])).to.deep.equal([
        ['update', 'calico-policy:production-environment'],
        ['update', 'calico-policy:hand-made'],
        ['delete', 'calico-policy:passthrough'],
      ]);
      expect(changes[0]!.fields).to.deep.equal([{ path: 'spec.order', before: 7, after: 1000 }]);
      ctl.reset();
      await applyAll(driver(), changes);
      const writes = ctl.calls();
      expect(writes.map((c) => c.argv[0])).to.deep.equal(['apply', 'apply', 'delete']);
      expect((parse(writes[0]!.file!) as { metadata: { resourceVersion: string } }).metadata.resourceVersion).to.equal(state.items['globalnetworkpolicy//production-environment']!.metadata.resourceVersion);
      expect((parse(writes[1]!.file!) as { metadata: { annotations: Record<string, string> } }).metadata.annotations).to.include({ 'dcos-cdk.io/stack': 'demo' });
      expect(parse(writes[2]!.file!)).to.deep.include({ kind: 'GlobalNetworkPolicy' });
    });

    it('reports a failing calicoctl with its output', async () => {
      ctl.env.FAKE_CALICOCTL_FAIL = 'connection refused: http://etcd.example:2379';
      const error = await driver()
        .apply(first!, context())
        .catch((e: unknown) => e);
      delete ctl.env.FAKE_CALICOCTL_FAIL;
      expect(error).to.be.instanceOf(CalicoctlError);
      expect((error as Error).message).to.contain('calicoctl apply -f').and.contain('exit code 1').and.contain('connection refused');
    });
  });

  describe('calicoctl v1: create/replace/delete -f, ownership records in etcd v2', function () {
    const calico = subset('1.9');
    let etcd: EtcdServer | undefined;
    let ctl: ReturnType<typeof fakeCalicoctl>;
    before(async function () {
      const reason = etcdUnavailableReason();
      if (reason) {
        console.warn(`      skipped: ${reason}`);
        this.skip();
      }
      etcd = await startEtcd();
    });
    after(async () => etcd?.stop());
    beforeEach(async () => {
      ctl = fakeCalicoctl('v1');
      await v2Wipe(etcd!.clientUrl);
    });
    afterEach(() => ctl?.remove());
    const driver = () => new CalicoctlDriver({ calicoVersion: 'v1', env: ctl.env, ownershipEtcd: { endpoints: etcd!.endpoints } });

    it('creates from the bundle files unchanged, records ownership, then replaces and deletes', async () => {
      const changes = await driver().plan(calico, context());
      await applyAll(driver(), changes);
      const creates = ctl.calls().filter((c) => c.argv[0] === 'create');
      expect(creates.map((c) => c.file)).to.deep.equal(calico.map((a) => a.content));
      const records = await v2Dump(etcd!.clientUrl, '/dcos-cdk/owners/demo');
      expect(Object.keys(records)).to.include('/dcos-cdk/owners/demo/calico/v1/policy/profile/calico');
      expect(Object.keys(records)).to.have.length(calico.length);

      const ctx = context();
      expect((await driver().plan(calico, ctx)).every((c) => c.action === 'noop')).to.equal(true);
      expect(ctx.counters.writes).to.equal(0);

      ctl.reset();
      const changed = calico.map((a) => (a.id === 'calico-policy:passthrough' ? { ...a, content: a.content.replace('order: 10', 'order: 20') } : a)).filter((a) => a.id !== 'calico-profile:calico');
      const next = (await driver().plan(changed, context())).filter((c) => c.action !== 'noop');
      expect(next.map((c) => [c.action, c.id])).to.deep.equal([
        ['update', 'calico-policy:passthrough'],
        ['delete', 'calico-profile:calico'],
      ]);
      expect(next[0]!.fields).to.deep.equal([{ path: 'order', before: 10, after: 20 }]);
      await applyAll(driver(), next);
      expect(ctl.calls().filter((c) => c.argv[0] !== 'get').map((c) => c.argv.slice(0, 2).join(' '))).to.deep.equal(['replace -f', 'delete -f']);
      expect(Object.keys(await v2Dump(etcd!.clientUrl, '/dcos-cdk/owners/demo'))).to.not.include('/dcos-cdk/owners/demo/calico/v1/policy/profile/calico');
    });

    it('shares ownership records with the datastore driver, and refuses resources of another stack', async () => {
      await applyAll(driver(), await driver().plan(calico, context()));
      const store = new CalicoDatastoreDriver({ calicoVersion: 'v1', etcd: { endpoints: etcd!.endpoints } });
      // The datastore driver sees the records: the resources are this stack's (their data lives in the fake calicoctl only).
      expect((await store.plan(calico, context())).every((c) => c.action === 'create')).to.equal(true);
      const error = await driver()
        .plan(calico, context('other-stack'))
        .catch((e: unknown) => e);
      expect(error).to.be.instanceOf(CalicoOwnershipError);
      expect((error as Error).message).to.contain("owned by stack 'demo'");
    });
  });
});
