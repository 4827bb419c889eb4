import { expect } from 'chai';
import type { DesiredArtifact } from '@dcos-cdk/core';
import { CalicoConcurrentModificationError, CalicoDatastoreDriver, CalicoOwnershipError, type CalicoPlannedChange } from '@dcos-cdk/calico/deploy';
import { etcdUnavailableReason, startEtcd, type EtcdServer } from '../../../testing/src/etcd.js';
import { context, synthExample, v2Dump, v2Get, v2Put, v2Wipe } from './support.js';

const POLICY = '/calico/v1/policy/tier/default/policy';
const PROFILE = '/calico/v1/policy/profile';
const OWNERS = '/dcos-cdk/owners/demo';

/** Applies every change of a plan in order. */
async function applyAll(driver: CalicoDatastoreDriver, changes: readonly CalicoPlannedChange[], ctx = context()): Promise<void> {
  for (const c of changes) await driver.apply(c, ctx);
}

describe('CalicoDatastoreDriver, calicoctl v1 layout in etcd v2 (real etcd)', function () {
  let etcd: EtcdServer | undefined;
  const { calico, bundle } = synthExample('1.9');
  const json = async (key: string): Promise<unknown> => JSON.parse((await v2Get(etcd!.clientUrl, key))!);
  const driver = (adopt?: readonly string[]) => new CalicoDatastoreDriver({ calicoVersion: 'v1', etcd: { endpoints: etcd!.endpoints, retry: { attempts: 2, baseDelayMs: 10 } }, adopt });

  before(async function () {
    const reason = etcdUnavailableReason();
    if (reason) {
      console.warn(`      skipped: ${reason}`);
      this.skip();
    }
    etcd = await startEtcd();
  });
  after(async () => etcd?.stop());
  beforeEach(async () => v2Wipe(etcd!.clientUrl));

  it('writes exactly the keys and values of calico.md §5 for the example', async () => {
    expect(bundle.manifest.targets.calico).to.equal('v1');
    const ctx = context(bundle.manifest.stack);
    const changes = await driver().plan(calico, ctx);
    expect(changes.map((c) => c.action)).to.deep.equal(calico.map(() => 'create'));
    expect(ctx.counters.writes).to.equal(0);
    await applyAll(driver(), changes);

    // icmp: icmp_type, protocol by name, egress selector/notSelector on the destination side.
    expect(await json(`${POLICY}/production-environment`)).to.deep.equal({
      order: 1000,
      inbound_rules: [{ action: 'allow', protocol: 'icmp', icmp_type: 8, src_selector: 'group == "production"' }],
      outbound_rules: [
        { action: 'allow', dst_selector: 'group == "production"' },
        { action: 'allow', '!dst_selector': 'has(calico)' },
      ],
      selector: 'group == "production"',
    });
    // ports + selector + net + notSelector; the empty egress list is omitted.
    expect(await json(`${POLICY}/development-frontend-ingress`)).to.deep.equal({
      order: 1000,
      inbound_rules: [
        { action: 'allow', protocol: 'tcp', src_selector: '(app == "tester" && group == "development")', dst_ports: [80] },
        { action: 'allow', protocol: 'tcp', src_net: '10.20.0.0/16', '!src_selector': 'has(calico)', dst_ports: [80] },
      ],
      selector: '(app == "frontend" && group == "development")',
    });
    // pass is stored as next-tier; dst_net masked, src_net not; port ranges as "a:b".
    expect(await json(`${POLICY}/passthrough`)).to.deep.equal({
      order: 10,
      inbound_rules: [
        { action: 'next-tier', src_selector: 'role == "ops"' },
        { action: 'allow', protocol: 'tcp', src_net: '10.1.2.3/16', dst_net: '10.0.0.0/8', dst_ports: ['8000:8080', 9090] },
      ],
      selector: 'app == "monitor"',
    });
    // The profile: three keys, rules without the empty ingress list, tags, labels never null.
    expect(await json(`${PROFILE}/calico/rules`)).to.deep.equal({ outbound_rules: [{ action: 'allow' }] });
    expect(await v2Get(etcd!.clientUrl, `${PROFILE}/calico/tags`)).to.equal('["calico"]');
    expect(await v2Get(etcd!.clientUrl, `${PROFILE}/calico/labels`)).to.equal('{}');
    // Bytes as Go's encoding/json writes them (calicoctl): && escaped, fields in struct order.
    expect(await v2Get(etcd!.clientUrl, `${POLICY}/production-frontend-ingress`)).to.equal(
      '{"order":1000,"inbound_rules":[{"action":"allow","protocol":"tcp","src_selector":"(app == \\"tester\\" \\u0026\\u0026 group == \\"production\\")","dst_ports":[80]},' +
        '{"action":"allow","protocol":"tcp","src_net":"0.0.0.0/0","dst_ports":[80],"!src_selector":"has(calico)"}],"selector":"(app == \\"frontend\\" \\u0026\\u0026 group == \\"production\\")"}',
    );
    // An IP pool: key from the CIDR, every field written, ipam = !disabled.
    expect(await json('/calico/v1/ipam/v4/pool/10.1.0.0-16')).to.deep.equal({ cidr: '10.1.0.0/16', ipip: 'tunl0', ipip_mode: 'always', masquerade: true, ipam: true, disabled: false });
    // ...and, as calicoctl does for an IPIP pool, the global IpInIpEnabled (created once, never owned or deleted).
    expect(await v2Get(etcd!.clientUrl, '/calico/v1/config/IpInIpEnabled')).to.equal('true');
    // Ownership records beside the data.
    expect(await json(`${OWNERS}${PROFILE}/calico`)).to.deep.equal({
      artifact: 'calico-profile:calico',
      kind: 'calico-profile',
      resource: 'Calico profile calico',
      keys: [`${PROFILE}/calico/rules`, `${PROFILE}/calico/tags`, `${PROFILE}/calico/labels`],
      dir: `${PROFILE}/calico`,
    });
    expect(Object.keys(await v2Dump(etcd!.clientUrl, OWNERS))).to.have.length(calico.length);
  });

  it('plans only no-ops for an unchanged bundle, with zero writes and four reads', async () => {
    await applyAll(driver(), await driver().plan(calico, context()));
    const ctx = context();
    const again = await driver().plan(calico, ctx);
    expect(again.every((c) => c.action === 'noop' && c.fields.length === 0)).to.equal(true);
    // Ownership records, the policy tree, the pool key, IpInIpEnabled.
    expect(ctx.counters).to.deep.equal({ reads: 4, writes: 0 });
    for (const c of again) await driver().apply(c, ctx);
    expect(ctx.counters.writes).to.equal(0);
  });

  it('never touches keys it does not own, and refuses to overwrite an unowned resource unless adopted', async () => {
    const url = etcd!.clientUrl;
    await v2Put(url, `${POLICY}/hand-made`, '{"selector":"all()"}');
    await v2Put(url, `${PROFILE}/other/rules`, '{}');
    await v2Put(url, `${POLICY}/production-environment`, '{"selector":"group == \\"production\\"","inbound_rules":[{"action":"allow"}]}');
    const before = await v2Dump(url, '/calico');

    const error = await driver()
      .plan(calico, context())
      .catch((e: unknown) => e);
    expect(error).to.be.instanceOf(CalicoOwnershipError);
    expect((error as Error).message).to.contain(`${POLICY}/production-environment`).and.contain('no stack owns it').and.contain('--adopt');
    expect(await v2Dump(url, '/calico')).to.deep.equal(before);

    const adopting = driver(['calico-policy:production-environment']);
    const changes = await adopting.plan(calico, context());
    const adopted = changes.find((c) => c.id === 'calico-policy:production-environment')!;
    expect(adopted.action).to.equal('update');
    expect(adopted.fields.map((f) => f.path)).to.include.members(['order', 'inbound_rules[0].protocol', '(owner)']);
    await applyAll(adopting, changes);
    await applyAll(driver(), await driver().plan([], context())); // destroy
    const after = await v2Dump(url, '/calico');
    expect(after).to.deep.equal({ [`${POLICY}/hand-made`]: '{"selector":"all()"}', [`${PROFILE}/other/rules`]: '{}', '/calico/v1/config/IpInIpEnabled': 'true' });
    expect(await v2Dump(url, '/dcos-cdk')).to.deep.equal({});
  });

  it('refuses a resource another stack owns', async () => {
    await applyAll(driver(), await driver().plan(calico, context('team-a')));
    const error = await driver()
      .plan(calico, context('team-b'))
      .catch((e: unknown) => e);
    expect((error as CalicoOwnershipError).conflicts).to.have.length(calico.length);
    expect((error as Error).message).to.contain("owned by stack 'team-a'");
  });

  it('deletes what the stack owns and the bundle dropped, profile directory included, and keeps the rest', async () => {
    await applyAll(driver(), await driver().plan(calico, context()));
    const kept = calico.filter((a) => a.id !== 'calico-profile:calico' && a.id !== 'calico-policy:passthrough');
    const changes = await driver().plan(kept, context());
    const deletes = changes.filter((c) => c.action === 'delete');
    expect(deletes.map((c) => c.id).sort()).to.deep.equal(['calico-policy:passthrough', 'calico-profile:calico']);
    expect(deletes.find((c) => c.id === 'calico-profile:calico')!.fields).to.deep.include({ path: 'tags', before: ['calico'] });
    await applyAll(driver(), changes);
    const left = await v2Dump(etcd!.clientUrl, '/calico');
    expect(Object.keys(left).some((k) => k.startsWith(`${PROFILE}/`) || k.endsWith('/passthrough'))).to.equal(false);
    expect(await fetch(`${etcd!.clientUrl}/v2/keys${PROFILE}/calico`).then((r) => r.status)).to.equal(404);
    expect(Object.keys(await v2Dump(etcd!.clientUrl, OWNERS))).to.have.length(kept.length);
  });

  it('shows field-level differences and detects an edit made between plan and apply (compare-and-swap)', async () => {
    await applyAll(driver(), await driver().plan(calico, context()));
    const key = `${POLICY}/development-frontend-ingress`;
    const edited = JSON.parse((await v2Get(etcd!.clientUrl, key))!) as { inbound_rules: { dst_ports: number[] }[] };
    edited.inbound_rules[0]!.dst_ports = [8080];
    await v2Put(etcd!.clientUrl, key, JSON.stringify(edited));

    const [drift] = (await driver().plan(calico, context())).filter((c) => c.action !== 'noop');
    expect(drift).to.deep.include({ id: 'calico-policy:development-frontend-ingress', action: 'update' });
    expect(drift!.fields).to.deep.equal([{ path: 'inbound_rules[0].dst_ports[0]', before: 8080, after: 80 }]);

    await v2Put(etcd!.clientUrl, key, JSON.stringify({ ...edited, order: 5 })); // someone else, after the plan
    const error = await driver()
      .apply(drift!, context())
      .catch((e: unknown) => e);
    expect(error).to.be.instanceOf(CalicoConcurrentModificationError);
    expect(JSON.parse((await v2Get(etcd!.clientUrl, key))!)).to.include({ order: 5 });
    await applyAll(driver(), await driver().plan(calico, context()));
    expect((await driver().plan(calico, context())).every((c) => c.action === 'noop')).to.equal(true);
  });

  it('refuses a bundle synthesized for Calico v3', () => {
    const v3: DesiredArtifact[] = [...synthExample('2.1').calico];
    return driver()
      .plan(v3, context())
      .then(
        () => expect.fail('planned a v3 artifact against a v1 cluster'),
        (e: Error) => expect(e.message).to.contain('Synthesize the bundle for the cluster'),
      );
  });
});
