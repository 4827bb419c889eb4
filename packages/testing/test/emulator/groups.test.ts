import { expect } from 'chai';
import type { MarathonEmulator } from '../../src/emulator/index.js';
import { ISO_MILLIS, M, client, startEmulator, waitFor } from './helpers.js';

describe('emulator: /v2/groups', () => {
  let emu: MarathonEmulator;
  let req: ReturnType<typeof client>;

  before(async () => {
    emu = await startEmulator();
    req = client(emu);
  });
  after(() => emu.stop());
  beforeEach(() => emu.reset());

  const appIds = (group: { apps?: Array<{ id: string }> }) => (group.apps ?? []).map((a) => a.id);

  it('GET /v2/groups returns the tree {id, apps, groups, pods, dependencies, version}', async () => {
    await req('POST', `${M}/v2/apps`, { id: '/prod/web', cmd: 'run w' });
    const r = await req('GET', `${M}/v2/groups`);
    expect(r.status).to.equal(200);
    expect(r.body).to.have.keys('id', 'apps', 'groups', 'pods', 'dependencies', 'version');
    expect(r.body.id).to.equal('/');
    expect(r.body.version).to.match(ISO_MILLIS);
    expect(r.body.groups[0]).to.include({ id: '/prod' });
    expect(appIds(r.body.groups[0])).to.deep.equal(['/prod/web']);
    expect(r.body.groups[0].apps[0]).to.not.have.property('tasks');
    const one = await req('GET', `${M}/v2/groups/prod`);
    expect(one.body.id).to.equal('/prod');
    const embedded = await req('GET', `${M}/v2/groups/prod?embed=group.apps&embed=group.apps.counts`);
    expect(embedded.body).to.not.have.property('groups');
    expect(embedded.body.apps[0]).to.have.property('tasksRunning', 0);
  });

  it('GET of an unknown group is 404 "does not exist"', async () => {
    const r = await req('GET', `${M}/v2/groups/nope`);
    expect(r.status).to.equal(404);
    expect(r.body).to.deep.equal({ message: "Group '/nope' does not exist" });
  });

  it('POST creates a group with relative app ids (201 + deployment), second POST is 409', async () => {
    const r = await req('POST', `${M}/v2/groups`, {
      id: '/shop',
      apps: [{ id: 'web', cmd: 'run w', dependencies: ['db'] }, { id: 'db', cmd: 'run d' }],
      groups: [{ id: 'jobs', apps: [{ id: 'cron', cmd: 'run c' }] }],
      dependencies: ['/infra'],
    });
    expect(r.status).to.equal(201);
    expect(r.headers.get('location')).to.equal(`${emu.url}${M}/shop`);
    expect(r.headers.get('marathon-deployment-id')).to.equal(r.body.deploymentId);
    expect(r.body).to.have.keys('version', 'deploymentId');
    const g = (await req('GET', `${M}/v2/groups/shop`)).body;
    expect(appIds(g)).to.deep.equal(['/shop/db', '/shop/web']);
    expect(g.dependencies).to.deep.equal(['/infra']);
    expect(g.groups[0].id).to.equal('/shop/jobs');
    expect(appIds(g.groups[0])).to.deep.equal(['/shop/jobs/cron']);
    expect(emu.state.app('/shop/web')!.dependencies).to.deep.equal(['db']);
    const again = await req('POST', `${M}/v2/groups`, { id: '/shop' });
    expect(again.status).to.equal(409);
    expect(again.body).to.deep.equal({ message: 'Group /shop is already created. Use PUT to change this group.' });
    const root = await req('POST', `${M}/v2/groups`, {});
    expect(root.body).to.deep.equal({ message: 'Group / is already created. Use PUT to change this group.' });
  });

  it('PUT with apps replaces the app set (omitted apps are stopped); absent fields keep values', async () => {
    await req('POST', `${M}/v2/groups`, { id: '/shop', apps: [{ id: 'a', cmd: 'run a' }, { id: 'b', cmd: 'run b' }], dependencies: ['/x'] });
    await waitFor(() => emu.state.deployments().length === 0);
    const r = await req('PUT', `${M}/v2/groups/shop`, { apps: [{ id: 'b', cmd: 'run b' }, { id: '/shop/c', cmd: 'run c' }] });
    expect(r.status).to.equal(200);
    expect(r.body).to.have.keys('version', 'deploymentId');
    const g = (await req('GET', `${M}/v2/groups/shop`)).body;
    expect(appIds(g)).to.deep.equal(['/shop/b', '/shop/c']);
    expect(g.dependencies).to.deep.equal(['/x']);
    expect(g.version).to.equal(r.body.version);
    expect(emu.state.deployments()[0]!.steps).to.deep.equal([
      { actions: [{ action: 'StopApplication', app: '/shop/a' }] },
      { actions: [{ action: 'StartApplication', app: '/shop/c' }] },
      { actions: [{ action: 'ScaleApplication', app: '/shop/c' }] },
    ]);
    await waitFor(() => emu.state.deployments().length === 0);
    await req('PUT', `${M}/v2/groups/shop`, { dependencies: [] });
    const kept = (await req('GET', `${M}/v2/groups/shop`)).body;
    expect(appIds(kept)).to.deep.equal(['/shop/b', '/shop/c']);
    expect(kept.dependencies).to.deep.equal([]);
  });

  it('PUT with groups replaces subgroups; app ids outside the group are 422', async () => {
    await req('POST', `${M}/v2/groups`, { id: '/p', groups: [{ id: 'x', apps: [{ id: 'a', cmd: 'run a' }] }, { id: 'y' }] });
    await req('PUT', `${M}/v2/groups/p?force=true`, { groups: [{ id: 'y', apps: [{ id: 'b', cmd: 'run b' }] }] });
    const g = (await req('GET', `${M}/v2/groups/p`)).body;
    expect(g.groups.map((s: { id: string }) => s.id)).to.deep.equal(['/p/y']);
    expect(emu.state.app('/p/x/a')).to.equal(undefined);
    const bad = await req('PUT', `${M}/v2/groups/p?force=true`, { apps: [{ id: '/other/app', cmd: 'run x' }] });
    expect(bad.status).to.equal(422);
    expect(bad.body).to.deep.equal({
      message: 'Object is not valid',
      details: [{ path: '/apps(0)/id', errors: ['Identifier is not child of /p. Hint: use relative paths.'] }],
    });
    const nested = await req('PUT', `${M}/v2/groups/p?force=true`, { apps: [{ id: 'y/b', cmd: 'run x' }] });
    expect(nested.status).to.equal(422);
    expect(nested.body.details).to.deep.equal([{ path: '/apps(0)/id', errors: ['Identifier is not child of /p. Hint: use relative paths.'] }]);
    const subgroup = await req('PUT', `${M}/v2/groups/p?force=true`, { groups: [{ id: '/other/y' }] });
    expect(subgroup.status).to.equal(422);
    expect(subgroup.body).to.deep.equal({
      message: 'Object is not valid',
      details: [{ path: '/groups(0)/id', errors: ['Identifier is not child of /p. Hint: use relative paths.'] }],
    });
    expect(emu.state.app('/p/y/b')!.cmd).to.equal('run b');
  });

  it('PUT ?dryRun=true returns the steps without applying them', async () => {
    const r = await req('PUT', `${M}/v2/groups/dry?dryRun=true`, { apps: [{ id: 'a', cmd: 'run a' }] });
    expect(r.status).to.equal(200);
    expect(r.body).to.deep.equal({
      steps: [{ actions: [{ action: 'StartApplication', app: '/dry/a' }] }, { actions: [{ action: 'ScaleApplication', app: '/dry/a' }] }],
    });
    expect(emu.state.app('/dry/a')).to.equal(undefined);
    expect(emu.state.deployments()).to.deep.equal([]);
  });

  it('PUT {scaleBy} scales and {version} rolls the group back', async () => {
    await req('POST', `${M}/v2/groups`, { id: '/s', apps: [{ id: 'a', cmd: 'run a', instances: 2 }] });
    const v1 = (await req('GET', `${M}/v2/groups/s`)).body.version;
    await req('PUT', `${M}/v2/groups/s?force=true`, { apps: [{ id: 'a', cmd: 'run a', instances: 2 }, { id: 'b', cmd: 'run b' }] });
    await req('PUT', `${M}/v2/groups/s?force=true`, { scaleBy: 1.5 });
    expect(emu.state.app('/s/a')!.instances).to.equal(3);
    expect(emu.state.app('/s/b')!.instances).to.equal(2);
    const versions = (await req('GET', `${M}/v2/groups/s/versions`)).body;
    expect(versions).to.include(v1);
    const rb = await req('PUT', `${M}/v2/groups/s?force=true`, { version: v1 });
    expect(rb.status).to.equal(200);
    expect(emu.state.app('/s/b')).to.equal(undefined);
    expect(emu.state.app('/s/a')!.instances).to.equal(2);
  });

  it('DELETE removes the group and its apps; unknown group is 404', async () => {
    await req('POST', `${M}/v2/groups`, { id: '/d', apps: [{ id: 'a', cmd: 'run a' }], groups: [{ id: 'sub', apps: [{ id: 'b', cmd: 'run b' }] }] });
    const r = await req('DELETE', `${M}/v2/groups/d?force=true`);
    expect(r.status).to.equal(200);
    expect(r.body).to.have.keys('version', 'deploymentId');
    expect(emu.state.apps()).to.deep.equal([]);
    expect((await req('GET', `${M}/v2/groups/d`)).status).to.equal(404);
    const missing = await req('DELETE', `${M}/v2/groups/d`);
    expect(missing.status).to.equal(404);
    expect(missing.body).to.deep.equal({ message: "Group '/d' does not exist" });
  });
});
