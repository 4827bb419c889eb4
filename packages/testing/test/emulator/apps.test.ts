import { expect } from 'chai';
import type { MarathonEmulator } from '../../src/emulator/index.js';
import { ISO_MILLIS, M, client, startEmulator, waitFor } from './helpers.js';

describe('emulator: /v2/apps', () => {
  let emu: MarathonEmulator;
  let req: ReturnType<typeof client>;

  before(async () => {
    emu = await startEmulator();
    req = client(emu);
  });
  after(() => emu.stop());
  beforeEach(() => emu.reset());

  it('POST creates the app: 201, Location, Marathon-Deployment-Id, app + deployments + tasks + zero counts', async () => {
    const r = await req('POST', `${M}/v2/apps/`, { id: 'web', cmd: 'sleep 100' });
    expect(r.status).to.equal(201);
    expect(r.headers.get('location')).to.equal(`${emu.url}${M}/web`);
    const deploymentId = r.headers.get('marathon-deployment-id');
    expect(deploymentId).to.match(/^[0-9a-f-]{36}$/);
    expect(r.body).to.include({ id: '/web', cmd: 'sleep 100', instances: 1, cpus: 1, mem: 128, disk: 0, gpus: 0 });
    expect(r.body).to.include({ tasksStaged: 0, tasksRunning: 0, tasksHealthy: 0, tasksUnhealthy: 0 });
    expect(r.body.deployments).to.deep.equal([{ id: deploymentId }]);
    expect(r.body.tasks).to.deep.equal([]);
    expect(r.body.version).to.match(ISO_MILLIS);
    expect(r.body.versionInfo).to.deep.equal({ lastScalingAt: r.body.version, lastConfigChangeAt: r.body.version });
    expect(r.body.upgradeStrategy).to.deep.equal({ minimumHealthCapacity: 1, maximumOverCapacity: 1 });
    expect(r.body.networks).to.deep.equal([{ mode: 'host' }]);
    expect(r.body.portDefinitions).to.deep.equal([{ port: 10000, protocol: 'tcp', name: 'default' }]);
  });

  it('POST of an existing app answers 409 "already exists"', async () => {
    await req('POST', `${M}/v2/apps`, { id: '/web', cmd: 'run a' });
    const r = await req('POST', `${M}/v2/apps`, { id: '/web', cmd: 'run b' });
    expect(r.status).to.equal(409);
    expect(r.body).to.deep.equal({ message: 'An app with id [/web] already exists.' });
  });

  it('GET /v2/apps/{id} embeds tasks, counts and deployments; tasks appear when the deployment completes', async () => {
    await req('POST', `${M}/v2/apps`, { id: '/svc/api', cmd: 'run x', instances: 2, healthChecks: [{ protocol: 'TCP' }] });
    let r = await req('GET', `${M}/v2/apps/svc/api`);
    expect(r.status).to.equal(200);
    expect(r.body.app.deployments).to.have.length(1);
    expect(r.body.app.tasks).to.deep.equal([]);
    await waitFor(() => emu.state.deployments().length === 0);
    r = await req('GET', `${M}/v2/apps/svc/api`);
    expect(r.body.app).to.include({ tasksRunning: 2, tasksHealthy: 2, tasksStaged: 0, tasksUnhealthy: 0 });
    expect(r.body.app.deployments).to.deep.equal([]);
    expect(r.body.app.tasks).to.have.length(2);
    expect(r.body.app.tasks[0]).to.include({ appId: '/svc/api', state: 'TASK_RUNNING' });
    expect(r.body.app.healthChecks[0]).to.include({ protocol: 'TCP', portIndex: 0, gracePeriodSeconds: 300, intervalSeconds: 60 });
    expect(r.body.app).to.not.have.property('lastTaskFailure');
    emu.state.setLastTaskFailure('/svc/api', { message: 'boom', state: 'TASK_FAILED' });
    r = await req('GET', `${M}/v2/apps/svc/api`);
    expect(r.body.app.lastTaskFailure).to.deep.equal({ message: 'boom', state: 'TASK_FAILED' });
  });

  it('GET of an unknown app answers 404 "does not exist"', async () => {
    const r = await req('GET', `${M}/v2/apps/nope`);
    expect(r.status).to.equal(404);
    expect(r.body).to.deep.equal({ message: "App '/nope' does not exist" });
  });

  it('GET /v2/apps filters by id, cmd and label, always adds counts and deployments, embeds tasks on request', async () => {
    await req('POST', `${M}/v2/apps`, { id: '/a/one', cmd: 'java -jar one', labels: { tier: 'front', env: 'prod' } });
    await req('POST', `${M}/v2/apps`, { id: '/a/two', cmd: 'python two', labels: { tier: 'back' } });
    await req('POST', `${M}/v2/apps`, { id: '/b/three', cmd: 'java three' });
    const ids = async (q: string) => (await req('GET', `${M}/v2/apps${q}`)).body.apps.map((a: { id: string }) => a.id);
    expect(await ids('')).to.deep.equal(['/a/one', '/a/two', '/b/three']);
    expect(await ids('?id=/A/')).to.deep.equal(['/a/one', '/a/two']);
    expect(await ids('?cmd=JAVA')).to.deep.equal(['/a/one', '/b/three']);
    expect(await ids('?label=tier')).to.deep.equal(['/a/one', '/a/two']);
    expect(await ids('?label=tier==back')).to.deep.equal(['/a/two']);
    expect(await ids('?label=tier!=back')).to.deep.equal(['/a/one']);
    expect(await ids('?label=tier%20in%20(front,%20back),env')).to.deep.equal(['/a/one']);
    expect(await ids('?label=tier%20notin%20(front)')).to.deep.equal(['/a/two']);
    const plain = (await req('GET', `${M}/v2/apps`)).body.apps[0];
    expect(plain).to.have.property('tasksRunning');
    expect(plain).to.have.property('deployments');
    expect(plain).to.not.have.property('tasks');
    const embedded = (await req('GET', `${M}/v2/apps?embed=app.tasks&embed=apps.readiness&embed=apps.unknown`)).body.apps[0];
    expect(embedded.tasks).to.be.an('array');
    expect(embedded.readinessCheckResults).to.deep.equal([]);
  });

  it('GET /v2/apps/{group}/* lists the subtree under "*"', async () => {
    await req('POST', `${M}/v2/apps`, { id: '/g/x', cmd: 'run x' });
    await req('POST', `${M}/v2/apps`, { id: '/g/sub/y', cmd: 'run y' });
    await req('POST', `${M}/v2/apps`, { id: '/h', cmd: 'run h' });
    const r = await req('GET', `${M}/v2/apps/g/*`);
    expect(r.status).to.equal(200);
    expect(r.body['*'].map((a: { id: string }) => a.id)).to.deep.equal(['/g/sub/y', '/g/x']);
  });

  it('PUT with partialUpdate (default) merges; scale-only keeps lastConfigChangeAt', async () => {
    const created = (await req('POST', `${M}/v2/apps`, { id: '/web', cmd: 'sleep 1', env: { A: '1' } })).body;
    await waitFor(() => emu.state.deployments().length === 0);
    const r = await req('PUT', `${M}/v2/apps/web`, { instances: 3 });
    expect(r.status).to.equal(200);
    expect(r.headers.get('marathon-deployment-id')).to.equal(r.body.deploymentId);
    expect(r.body.version).to.match(ISO_MILLIS);
    const app = emu.state.app('/web')!;
    expect(app).to.include({ instances: 3, cmd: 'sleep 1' });
    expect(app.env).to.deep.equal({ A: '1' });
    expect(app.version).to.equal(r.body.version);
    expect(app.versionInfo).to.deep.equal({ lastScalingAt: r.body.version, lastConfigChangeAt: created.version });
    expect(emu.state.deployments()[0]!.steps).to.deep.equal([{ actions: [{ action: 'ScaleApplication', app: '/web' }] }]);
  });

  it('PUT with partialUpdate=false replaces; a config change restarts and bumps all versions', async () => {
    await req('POST', `${M}/v2/apps`, { id: '/web', cmd: 'sleep 1', env: { A: '1' } });
    await waitFor(() => emu.state.deployments().length === 0);
    const r = await req('PUT', `${M}/v2/apps/web?partialUpdate=false`, { id: '/web', cmd: 'sleep 2' });
    expect(r.status).to.equal(200);
    const app = emu.state.app('/web')!;
    expect(app.env).to.deep.equal({});
    expect(app.versionInfo).to.deep.equal({ lastScalingAt: r.body.version, lastConfigChangeAt: r.body.version });
    expect(emu.state.deployments()[0]!.steps).to.deep.equal([{ actions: [{ action: 'RestartApplication', app: '/web' }] }]);
  });

  it('PUT of an unchanged app yields an empty deployment that is never listed', async () => {
    const created = (await req('POST', `${M}/v2/apps`, { id: '/web', cmd: 'sleep 1', portDefinitions: [{ port: 0 }] })).body;
    await waitFor(() => emu.state.deployments().length === 0);
    const r = await req('PUT', `${M}/v2/apps/web`, { cmd: 'sleep 1', portDefinitions: [{ port: 0 }] });
    expect(r.status).to.equal(200);
    expect(emu.state.deployments()).to.deep.equal([]);
    expect(emu.state.app('/web')!.version).to.equal(created.version);
    expect(emu.state.app('/web')!.portDefinitions).to.deep.equal(created.portDefinitions);
  });

  it('PUT creates a missing app with 201 + Location; PATCH of a missing app is 404', async () => {
    const r = await req('PUT', `${M}/v2/apps/new`, { cmd: 'run x' });
    expect(r.status).to.equal(201);
    expect(r.headers.get('location')).to.equal(`${emu.url}${M}/new`);
    expect(r.body).to.have.keys('version', 'deploymentId');
    const p = await req('PATCH', `${M}/v2/apps/missing`, { cmd: 'run x' });
    expect(p.status).to.equal(404);
    expect(p.body).to.deep.equal({ message: "App '/missing' does not exist" });
  });

  it('PATCH merges into an existing app', async () => {
    await req('POST', `${M}/v2/apps`, { id: '/web', cmd: 'run a', mem: 64 });
    const r = await req('PATCH', `${M}/v2/apps/web?force=true`, { cpus: 0.5 });
    expect(r.status).to.equal(200);
    expect(emu.state.app('/web')).to.include({ cpus: 0.5, mem: 64, cmd: 'run a' });
    await req('PATCH', `${M}/v2/apps/web?force=true`, { ports: [0, 0], uris: ['https://x/a.tgz'] });
    const app = emu.state.app('/web')!;
    expect(app.portDefinitions).to.deep.equal([
      { port: 10000, protocol: 'tcp' },
      { port: 10001, protocol: 'tcp' },
    ]);
    expect(app.fetch).to.deep.equal([{ uri: 'https://x/a.tgz', extract: true, executable: false, cache: false }]);
    expect(app).to.not.have.property('ports');
    expect(app).to.not.have.property('uris');
  });

  it('PUT {"version"} rolls back; /versions lists versions newest first; /versions/{v} shows one', async () => {
    const v1 = (await req('POST', `${M}/v2/apps`, { id: '/web', cmd: 'one' })).body.version;
    await req('PUT', `${M}/v2/apps/web?force=true`, { cmd: 'two' });
    const versions = (await req('GET', `${M}/v2/apps/web/versions`)).body.versions;
    expect(versions).to.have.length(2);
    expect(versions[1]).to.equal(v1);
    const old = await req('GET', `${M}/v2/apps/web/versions/${v1}`);
    expect(old.body).to.include({ id: '/web', cmd: 'one', version: v1 });
    const rb = await req('PUT', `${M}/v2/apps/web?force=true`, { version: v1 });
    expect(rb.status).to.equal(200);
    expect(emu.state.app('/web')!.cmd).to.equal('one');
    const missing = await req('PUT', `${M}/v2/apps/web?force=true`, { version: '2001-01-01T00:00:00.000Z' });
    expect(missing.status).to.equal(404);
    expect(missing.body).to.deep.equal({ message: "App '/web' does not exist in version 2001-01-01T00:00:00.000Z" });
  });

  it('PUT /v2/apps updates several apps in one deployment', async () => {
    await req('POST', `${M}/v2/apps`, { id: '/a', cmd: 'run a' });
    await waitFor(() => emu.state.deployments().length === 0);
    const r = await req('PUT', `${M}/v2/apps`, [{ id: '/a', instances: 2 }, { id: '/b', cmd: 'run b' }]);
    expect(r.status).to.equal(200);
    expect(r.body).to.have.keys('version', 'deploymentId');
    const deployments = emu.state.deployments();
    expect(deployments).to.have.length(1);
    expect(deployments[0]!.affectedApps).to.deep.equal(['/a', '/b']);
    expect(deployments[0]!.steps).to.deep.equal([
      { actions: [{ action: 'StartApplication', app: '/b' }] },
      { actions: [{ action: 'ScaleApplication', app: '/a' }, { action: 'ScaleApplication', app: '/b' }] },
    ]);
  });

  it('DELETE stops the app (force defaults to true) and answers 404 for unknown apps', async () => {
    await req('POST', `${M}/v2/apps`, { id: '/web', cmd: 'run a' });
    const r = await req('DELETE', `${M}/v2/apps/web`);
    expect(r.status).to.equal(200);
    expect(r.body).to.have.keys('version', 'deploymentId');
    expect(emu.state.app('/web')).to.equal(undefined);
    expect(emu.state.deployments()[0]!.steps).to.deep.equal([{ actions: [{ action: 'StopApplication', app: '/web' }] }]);
    const again = await req('DELETE', `${M}/v2/apps/web`);
    expect(again.status).to.equal(404);
    expect(again.body).to.deep.equal({ message: "App '/web' does not exist" });
  });

  it('POST /v2/apps/{id}/restart restarts with a new config version', async () => {
    const created = (await req('POST', `${M}/v2/apps`, { id: '/web', cmd: 'run a' })).body;
    await waitFor(() => emu.state.deployments().length === 0);
    const r = await req('POST', `${M}/v2/apps/web/restart`);
    expect(r.status).to.equal(200);
    expect(r.headers.get('marathon-deployment-id')).to.equal(r.body.deploymentId);
    expect(emu.state.app('/web')!.version).to.not.equal(created.version);
    expect(emu.state.deployments()[0]!.steps).to.deep.equal([{ actions: [{ action: 'RestartApplication', app: '/web' }] }]);
    expect((await req('POST', `${M}/v2/apps/nope/restart`)).status).to.equal(404);
  });

  it('orders dependent apps into later steps', async () => {
    const r = await req('PUT', `${M}/v2/apps`, [
      { id: '/app', cmd: 'run a', dependencies: ['/db'] },
      { id: '/db', cmd: 'run d' },
    ]);
    expect(r.status).to.equal(200);
    expect(emu.state.deployments()[0]!.steps).to.deep.equal([
      { actions: [{ action: 'StartApplication', app: '/app' }, { action: 'StartApplication', app: '/db' }] },
      { actions: [{ action: 'ScaleApplication', app: '/db' }] },
      { actions: [{ action: 'ScaleApplication', app: '/app' }] },
    ]);
  });

  it('service ports are unique across apps and kept across updates', async () => {
    await req('POST', `${M}/v2/apps`, { id: '/a', cmd: 'run a', portDefinitions: [{ port: 0 }, { port: 0 }] });
    await req('POST', `${M}/v2/apps`, { id: '/b', cmd: 'run b', portDefinitions: [{ port: 0 }] });
    expect(emu.state.app('/a')!.portDefinitions).to.deep.equal([
      { port: 10000, protocol: 'tcp' },
      { port: 10001, protocol: 'tcp' },
    ]);
    expect(emu.state.app('/b')!.portDefinitions).to.deep.equal([{ port: 10002, protocol: 'tcp' }]);
    await req('PUT', `${M}/v2/apps/a?force=true`, { cmd: 'a2', portDefinitions: [{ port: 0 }, { port: 0 }] });
    expect(emu.state.app('/a')!.portDefinitions).to.deep.equal([
      { port: 10000, protocol: 'tcp' },
      { port: 10001, protocol: 'tcp' },
    ]);
  });

  it('default validator: invalid ids are 422, a missing id is a read error, bad JSON is 400 with parser text', async () => {
    const bad = await req('POST', `${M}/v2/apps`, { id: '/Bad_Name', cmd: 'run x' });
    expect(bad.status).to.equal(422);
    expect(bad.body.message).to.equal('Invalid JSON');
    expect(bad.body.details[0].path).to.equal('/id');
    expect(bad.body.details[0].errors[0]).to.equal('error.pattern');
    const reserved = await req('POST', `${M}/v2/apps`, { id: '/web/restart', cmd: 'run x' });
    expect(reserved.status).to.equal(422);
    expect(reserved.body).to.deep.equal({
      message: 'Object is not valid',
      details: [{ path: '/id', errors: ['must not end with any of the following reserved keywords: restart, tasks, versions, ., ..'] }],
    });
    const oneChar = await req('POST', `${M}/v2/apps`, { id: '/one', cmd: 'x' });
    expect(oneChar.status).to.equal(422);
    expect(oneChar.body).to.deep.equal({ message: 'Object is not valid', details: [{ path: '/', errors: ['must not be an empty string'] }] });
    const missing = await req('POST', `${M}/v2/apps`, { cmd: 'run x' });
    expect(missing.status).to.equal(422);
    expect(missing.body).to.deep.equal({ message: 'Invalid JSON', details: [{ path: '/id', errors: ['error.path.missing'] }] });
    const syntax = await req('POST', `${M}/v2/apps`, '{"id": ');
    expect(syntax.status).to.equal(400);
    expect(syntax.body.message).to.equal('Invalid JSON');
    expect(syntax.body.details).to.be.a('string').and.not.equal('');
    expect(emu.state.apps()).to.deep.equal([]);
  });

  it('partial updates are validated as the merged app; PUT without partialUpdate validates the body alone', async () => {
    await req('POST', `${M}/v2/apps`, { id: '/web', cmd: 'run a', portDefinitions: [{ port: 0 }] });
    const both = await req('PATCH', `${M}/v2/apps/web?force=true`, { args: ['run', 'b'] });
    expect(both.status).to.equal(422);
    expect(both.body).to.deep.equal({
      message: 'Object is not valid',
      details: [{ path: '/', errors: ["AppDefinition must either contain one of 'cmd' or 'args', and/or a 'container'."] }],
    });
    const badIndex = await req('PUT', `${M}/v2/apps/web?force=true`, { healthChecks: [{ protocol: 'TCP', portIndex: 1 }] });
    expect(badIndex.status).to.equal(422);
    expect(badIndex.body.details[0].path).to.match(/^\/healthChecks\(0\)/);
    const okIndex = await req('PUT', `${M}/v2/apps/web?force=true`, { healthChecks: [{ protocol: 'TCP', portIndex: 0 }] });
    expect(okIndex.status).to.equal(200);
    const replaced = await req('PUT', `${M}/v2/apps/web?force=true&partialUpdate=false`, { args: ['run', 'b'] });
    expect(replaced.status).to.equal(200);
    expect(emu.state.app('/web')).to.include({ id: '/web' }).and.not.have.property('cmd');
    expect(emu.state.app('/web')!.args).to.deep.equal(['run', 'b']);
  });

  it('the default validator runs with the emulator\'s --default_network_name', async () => {
    const r = await req('POST', `${M}/v2/apps`, { id: '/c', cmd: 'run c', networks: [{ mode: 'container' }] });
    expect(r.status).to.equal(201);
    expect(r.body.networks).to.deep.equal([{ mode: 'container', name: 'dcos' }]);
    const other = await startEmulator({ defaultNetworkName: 'calico' });
    try {
      const named = await client(other)('POST', `${M}/v2/apps`, { id: '/c', cmd: 'run c', networks: [{ mode: 'container' }] });
      expect(named.body.networks).to.deep.equal([{ mode: 'container', name: 'calico' }]);
    } finally {
      await other.stop();
    }
  });

  it('rejects non-JSON content types with 415 and lists tasks at /tasks', async () => {
    const r = await req('POST', `${M}/v2/apps`, '{"id":"/x","cmd":"x"}', { 'Content-Type': 'text/plain' });
    expect(r.status).to.equal(415);
    expect(r.body).to.deep.equal({ message: 'Unsupported Media Type' });
    await req('POST', `${M}/v2/apps`, { id: '/x', cmd: 'run x', instances: 2 });
    await waitFor(() => emu.state.deployments().length === 0);
    const t = await req('GET', `${M}/v2/apps/x/tasks`);
    expect(t.body.tasks).to.have.length(2);
  });
});
