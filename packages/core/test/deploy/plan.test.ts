import { expect } from 'chai';
import { buildPlan, DriverContractError, MissingDriverError, orderChanges } from '../../src/index.js';
import type { DriverContext, PlannedChange } from '../../src/index.js';
import { bundleOf, fakeDriver, FakeCluster } from './fakes.js';

const ctx = (): DriverContext => ({ stack: 'demo', force: false, counters: { reads: 0, writes: 0 }, progress: () => undefined });

const bundle = bundleOf('demo', [
  ['pkg:etcd', 'dcos-package', { v: 1 }],
  ['policy:a', 'calico-policy', { allow: 1 }, ['pkg:etcd']],
  ['app:/web', 'marathon-app', { cpus: 1 }, ['policy:a']],
  ['app:/db', 'marathon-app', { cpus: 2 }, ['policy:a']],
]);

describe('deploy/plan', () => {
  it('orders creates and updates in manifest order and drops no-ops', async () => {
    const cluster = new FakeCluster();
    cluster.resources.set('app:/web', { kind: 'marathon-app', value: { cpus: 1 }, owner: 'demo' });
    cluster.resources.set('pkg:etcd', { kind: 'dcos-package', value: { v: 0 }, owner: 'demo' });
    const drivers = [fakeDriver(cluster, ['marathon-app']), fakeDriver(cluster, ['calico-policy']), fakeDriver(cluster, ['dcos-package'])];
    const plan = await buildPlan({ bundle, drivers }, ctx());
    expect(plan.changes.map((c) => `${c.action} ${c.id}`)).to.deep.equal(['update pkg:etcd', 'create policy:a', 'create app:/db']);
    expect(plan.unchanged.map((c) => c.id)).to.deep.equal(['app:/web']);
  });

  it('puts deletes last, in reverse dependency order (apps before policies before packages)', () => {
    const del = (id: string, kind: string): PlannedChange => ({ id, kind, action: 'delete', resource: id, fields: [] });
    const create = (id: string, kind: string): PlannedChange => ({ id, kind, action: 'create', resource: id, fields: [] });
    const ordered = orderChanges(
      [del('pkg:old', 'dcos-package'), del('app:/gone', 'marathon-app'), create('app:/web', 'marathon-app'), del('policy:a', 'calico-policy'), del('ec2:x', 'ec2-instance-attribute')],
      bundle,
    );
    expect(ordered.map((c) => c.id)).to.deep.equal(['app:/web', 'app:/gone', 'policy:a', 'pkg:old', 'ec2:x']);
  });

  it('destroy plans deletes of everything owned, nothing else', async () => {
    const cluster = new FakeCluster();
    cluster.resources.set('app:/web', { kind: 'marathon-app', value: {}, owner: 'demo' });
    cluster.resources.set('app:/theirs', { kind: 'marathon-app', value: {}, owner: 'other' });
    cluster.resources.set('pkg:etcd', { kind: 'dcos-package', value: {}, owner: 'demo' });
    const plan = await buildPlan({ bundle, drivers: [fakeDriver(cluster, ['marathon-app', 'dcos-package']), fakeDriver(cluster, ['calico-policy'])], mode: 'destroy' }, ctx());
    expect(plan.changes.map((c) => `${c.action} ${c.id}`)).to.deep.equal(['delete app:/web', 'delete pkg:etcd']);
  });

  it('fails naming the kinds without a driver, unless they are skipped', async () => {
    const cluster = new FakeCluster();
    const drivers = [fakeDriver(cluster, ['marathon-app'])];
    let error: unknown;
    await buildPlan({ bundle, drivers }, ctx()).catch((e: unknown) => (error = e));
    expect(error).to.be.instanceOf(MissingDriverError);
    expect((error as MissingDriverError).kinds).to.deep.equal(['dcos-package', 'calico-policy']);
    expect((error as Error).message).to.include('--skip-kinds dcos-package,calico-policy');
    const plan = await buildPlan({ bundle, drivers, skipKinds: ['dcos-package', 'calico-policy'] }, ctx());
    expect(plan.skipped.map((a) => a.id)).to.deep.equal(['pkg:etcd', 'policy:a']);
    expect(plan.warnings.join('\n')).to.include('app:/web, app:/db').and.include('calico-policy');
  });

  it('rejects drivers that break the contract', async () => {
    const cluster = new FakeCluster();
    const twice = [fakeDriver(cluster, ['marathon-app', 'dcos-package', 'calico-policy']), fakeDriver(cluster, ['marathon-app'])];
    await buildPlan({ bundle, drivers: twice }, ctx()).then(
      () => expect.fail(),
      (e: unknown) => expect(e).to.be.instanceOf(DriverContractError),
    );
    const liar = { kinds: ['marathon-app', 'dcos-package', 'calico-policy'], plan: async () => [{ id: 'x', kind: 'ec2-instance-attribute', action: 'create' as const, resource: 'x', fields: [] }], apply: async () => undefined };
    await buildPlan({ bundle, drivers: [liar] }, ctx()).then(
      () => expect.fail(),
      (e: unknown) => expect((e as Error).message).to.include("kind 'ec2-instance-attribute'"),
    );
  });
});
