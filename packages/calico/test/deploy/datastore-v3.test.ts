import { expect } from 'chai';
import { CalicoConcurrentModificationError, CalicoDatastoreDriver, CalicoOwnershipError, type CalicoPlannedChange } from '@dcos-cdk/calico/deploy';
import { etcdUnavailableReason, startEtcd, type EtcdServer } from '../../../testing/src/etcd.js';
import { context, synthExample, v3Dump, v3Get, v3Put, v3Wipe } from './support.js';

const GNP = '/calico/resources/v3/projectcalico.org/globalnetworkpolicies';
const PROFILES = '/calico/resources/v3/projectcalico.org/profiles';

async function applyAll(driver: CalicoDatastoreDriver, changes: readonly CalicoPlannedChange[], ctx = context()): Promise<void> {
  for (const c of changes) await driver.apply(c, ctx);
}

/** A stored v3 value with the server fields checked and removed. */
function withoutServerFields(text: string): unknown {
  const value = JSON.parse(text) as { metadata: Record<string, unknown> };
  expect(value.metadata.uid).to.match(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
  expect(value.metadata.creationTimestamp).to.match(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  delete value.metadata.uid;
  delete value.metadata.creationTimestamp;
  return value;
}

const owner = (artifact: string) => ({ 'dcos-cdk.io/stack': 'demo', 'dcos-cdk.io/artifact': artifact });

describe('CalicoDatastoreDriver, Calico v3 layout in etcd v3 (real etcd)', function () {
  let etcd: EtcdServer | undefined;
  const { calico, bundle } = synthExample('2.1');
  const driver = (adopt?: readonly string[], calicoRelease?: string) => new CalicoDatastoreDriver({ calicoVersion: 'v3', etcd: { endpoints: etcd!.endpoints, retry: { attempts: 2, baseDelayMs: 10 } }, adopt, calicoRelease });
  const get = async (key: string): Promise<string> => (await v3Get(etcd!.clientUrl, key))!;

  before(async function () {
    const reason = etcdUnavailableReason();
    if (reason) {
      console.warn(`      skipped: ${reason}`);
      this.skip();
    }
    etcd = await startEtcd();
  });
  after(async () => etcd?.stop());
  beforeEach(async () => v3Wipe(etcd!.clientUrl));

  it('stores each resource whole under its v3 key, policy names as default.<name>, owner annotations added', async () => {
    expect(bundle.manifest.targets.calico).to.equal('v3');
    const changes = await driver().plan(calico, context());
    expect(changes.map((c) => c.action)).to.deep.equal(calico.map(() => 'create'));
    await applyAll(driver(), changes);

    expect(withoutServerFields(await get(`${GNP}/default.production-environment`))).to.deep.equal({
      kind: 'GlobalNetworkPolicy',
      apiVersion: 'projectcalico.org/v3',
      metadata: { name: 'default.production-environment', annotations: owner('calico-policy:production-environment') },
      spec: {
        order: 1000,
        ingress: [{ action: 'Allow', protocol: 'ICMP', icmp: { type: 8 }, source: { selector: 'group == "production"' } }],
        egress: [
          { action: 'Allow', destination: { selector: 'group == "production"' } },
          { action: 'Allow', destination: { notSelector: 'has(calico)' } },
        ],
        selector: 'group == "production"',
        types: ['Ingress', 'Egress'],
      },
    });
    expect(withoutServerFields(await get(`${GNP}/default.development-frontend-ingress`))).to.deep.equal({
      kind: 'GlobalNetworkPolicy',
      apiVersion: 'projectcalico.org/v3',
      metadata: { name: 'default.development-frontend-ingress', annotations: owner('calico-policy:development-frontend-ingress') },
      spec: {
        order: 1000,
        ingress: [
          { action: 'Allow', protocol: 'TCP', source: { selector: '(app == "tester" && group == "development")' }, destination: { ports: [80] } },
          { action: 'Allow', protocol: 'TCP', source: { nets: ['10.20.0.0/16'], notSelector: 'has(calico)' }, destination: { ports: [80] } },
        ],
        selector: '(app == "frontend" && group == "development")',
        types: ['Ingress', 'Egress'],
      },
    });
    expect((withoutServerFields(await get(`${GNP}/default.passthrough`)) as { spec: { ingress: unknown[] } }).spec.ingress[0]).to.deep.equal({ action: 'Pass', source: { selector: 'role == "ops"' } });
    expect(withoutServerFields(await get(`${PROFILES}/calico`))).to.deep.equal({
      kind: 'Profile',
      apiVersion: 'projectcalico.org/v3',
      metadata: { name: 'calico', annotations: owner('calico-profile:calico') },
      spec: { egress: [{ action: 'Allow' }], labelsToApply: { calico: '' } },
    });
    // The pool, with the defaults the v3.14 client fills in (so a second plan compares equal).
    expect((withoutServerFields(await get('/calico/resources/v3/projectcalico.org/ippools/10-1-0-0-16')) as { spec: unknown }).spec).to.deep.equal({
      cidr: '10.1.0.0/16',
      vxlanMode: 'Never',
      ipipMode: 'Always',
      natOutgoing: true,
      blockSize: 26,
      nodeSelector: 'all()',
    });
    // Nothing outside the Calico resource keys.
    expect(Object.keys(await v3Dump(etcd!.clientUrl)).every((k) => k.startsWith('/calico/resources/v3/projectcalico.org/'))).to.equal(true);
  });

  it('stores policies under their own name from Calico v3.29', async () => {
    await applyAll(driver(undefined, 'v3.29'), await driver(undefined, 'v3.29').plan(calico, context()));
    expect(await v3Get(etcd!.clientUrl, `${GNP}/production-environment`)).to.be.a('string');
    expect(await v3Get(etcd!.clientUrl, `${GNP}/default.production-environment`)).to.equal(undefined);
  });

  it('plans only no-ops for an unchanged bundle with zero writes, keeping uid and creationTimestamp on updates', async () => {
    await applyAll(driver(), await driver().plan(calico, context()));
    const ctx = context();
    const again = await driver().plan(calico, ctx);
    expect(again.every((c) => c.action === 'noop')).to.equal(true);
    expect(ctx.counters).to.deep.equal({ reads: 4, writes: 0 });

    const key = `${GNP}/default.production-environment`;
    const original = JSON.parse(await get(key)) as { metadata: { uid: string; creationTimestamp: string }; spec: { order: number } };
    await v3Put(etcd!.clientUrl, key, JSON.stringify({ ...original, spec: { ...original.spec, order: 1 } }));
    const changes = (await driver().plan(calico, context())).filter((c) => c.action !== 'noop');
    expect(changes.map((c) => [c.action, c.fields])).to.deep.equal([['update', [{ path: 'spec.order', before: 1, after: 1000 }]]]);
    const applyCtx = context();
    await applyAll(driver(), changes, applyCtx);
    expect(applyCtx.counters.writes).to.equal(1);
    const updated = JSON.parse(await get(key)) as typeof original;
    expect(updated.metadata).to.include({ uid: original.metadata.uid, creationTimestamp: original.metadata.creationTimestamp });
    expect(updated.spec.order).to.equal(1000);
  });

  it('never touches resources it does not own; adopts only when asked; deletes only its own', async () => {
    const url = etcd!.clientUrl;
    const foreign = JSON.stringify({ kind: 'GlobalNetworkPolicy', apiVersion: 'projectcalico.org/v3', metadata: { name: 'default.hand-made' }, spec: { selector: 'all()' } });
    const other = JSON.stringify({ kind: 'Profile', apiVersion: 'projectcalico.org/v3', metadata: { name: 'calico', annotations: { 'dcos-cdk.io/stack': 'someone-else' } }, spec: {} });
    await v3Put(url, `${GNP}/default.hand-made`, foreign);
    await v3Put(url, `${PROFILES}/calico`, other);

    const error = await driver()
      .plan(calico, context())
      .catch((e: unknown) => e);
    expect(error).to.be.instanceOf(CalicoOwnershipError);
    expect((error as Error).message).to.contain(`${PROFILES}/calico`).and.contain("owned by stack 'someone-else'");
    const adoptOther = await driver(['calico-profile:calico'])
      .plan(calico, context())
      .catch((e: unknown) => e);
    expect(adoptOther, "another stack's resource is never adopted").to.be.instanceOf(CalicoOwnershipError);

    const mine = calico.filter((a) => a.id !== 'calico-profile:calico');
    await applyAll(driver(), await driver().plan(mine, context()));
    await applyAll(driver(), await driver().plan([], context())); // destroy
    expect(await v3Dump(url)).to.deep.equal({ [`${GNP}/default.hand-made`]: foreign, [`${PROFILES}/calico`]: other });
  });

  it('adopts an existing resource that no stack owns only when asked, recording the owner on it', async () => {
    const key = `${GNP}/default.production-environment`;
    const handMade = JSON.stringify({ kind: 'GlobalNetworkPolicy', apiVersion: 'projectcalico.org/v3', metadata: { name: 'default.production-environment', uid: 'u-1', creationTimestamp: '2020-01-01T00:00:00Z' }, spec: { selector: 'all()' } });
    await v3Put(etcd!.clientUrl, key, handMade);
    const error = await driver()
      .plan(calico, context())
      .catch((e: unknown) => e);
    expect((error as Error).message).to.contain(key).and.contain('no stack owns it').and.contain('--adopt');
    expect(await v3Get(etcd!.clientUrl, key)).to.equal(handMade);

    const changes = await driver(['production-environment']).plan(calico, context());
    const adopted = changes.find((c) => c.id === 'calico-policy:production-environment')!;
    expect(adopted.action).to.equal('update');
    expect(adopted.fields.map((f) => f.path)).to.include.members(['metadata.annotations', 'spec.order', 'spec.selector', '(owner)']);
    await applyAll(driver(), changes);
    const stored = JSON.parse(await get(key)) as { metadata: Record<string, unknown> };
    expect(stored.metadata).to.deep.include({ uid: 'u-1', creationTimestamp: '2020-01-01T00:00:00Z', annotations: owner('calico-policy:production-environment') });
  });

  it('detects an edit made between plan and apply (transaction on mod_revision)', async () => {
    await applyAll(driver(), await driver().plan(calico, context()));
    const kept = calico.filter((a) => a.id !== 'calico-policy:passthrough');
    const [del] = (await driver().plan(kept, context())).filter((c) => c.action === 'delete');
    expect(del).to.deep.include({ id: 'calico-policy:passthrough', kind: 'calico-policy' });
    const key = `${GNP}/default.passthrough`;
    await v3Put(etcd!.clientUrl, key, (await get(key)).replace('"order":10', '"order":11'));
    const error = await driver()
      .apply(del!, context())
      .catch((e: unknown) => e);
    expect(error).to.be.instanceOf(CalicoConcurrentModificationError);
    expect(await v3Get(etcd!.clientUrl, key)).to.contain('"order":11');
  });
});
