import { expect } from 'chai';
import type { MarathonEmulator } from '../../src/emulator/index.js';
import { M, client, startEmulator, waitFor } from './helpers.js';

const LOCK =
  "App is locked by one or more deployments. Override with the option '?force=true'. View details at '/v2/deployments/<DEPLOYMENT_ID>'.";

describe('emulator: deployments and locks', () => {
  let emu: MarathonEmulator;
  let req: ReturnType<typeof client>;

  before(async () => {
    emu = await startEmulator({ deploymentDurationMs: 250 });
    req = client(emu);
  });
  after(() => emu.stop());
  beforeEach(() => emu.reset());

  it('a deployment appears in /v2/deployments with steps and disappears when done', async () => {
    const created = await req('POST', `${M}/v2/apps`, { id: '/web', cmd: 'run x', instances: 2 });
    const id = created.headers.get('marathon-deployment-id');
    const list = await req('GET', `${M}/v2/deployments`);
    expect(list.status).to.equal(200);
    expect(list.body).to.have.length(1);
    expect(list.body[0]).to.deep.include({ id, affectedApps: ['/web'], affectedPods: [], totalSteps: 2, currentStep: 1 });
    expect(list.body[0].version).to.equal(created.body.version);
    expect(list.body[0].steps).to.deep.equal([
      { actions: [{ action: 'StartApplication', app: '/web' }] },
      { actions: [{ action: 'ScaleApplication', app: '/web' }] },
    ]);
    expect(list.body[0].currentActions).to.deep.equal([{ action: 'StartApplication', app: '/web', readinessCheckResults: [] }]);
    await waitFor(async () => (await req('GET', `${M}/v2/deployments`)).body.length === 0);
    expect(emu.state.app('/web')!.tasksRunning).to.equal(2);
  });

  it('changing a locked app without force is 409 with the blocking deployment; force cancels it', async () => {
    const first = (await req('POST', `${M}/v2/apps`, { id: '/web', cmd: 'run x' })).headers.get('marathon-deployment-id');
    const locked = await req('PUT', `${M}/v2/apps/web`, { cmd: 'run y' });
    expect(locked.status).to.equal(409);
    expect(locked.body).to.deep.equal({ message: LOCK, deployments: [{ id: first }] });
    expect(emu.state.app('/web')!.cmd).to.equal('run x');
    const lockedDelete = await req('DELETE', `${M}/v2/apps/web?force=false`);
    expect(lockedDelete.status).to.equal(409);
    const forced = await req('PUT', `${M}/v2/apps/web?force=true`, { cmd: 'run y' });
    expect(forced.status).to.equal(200);
    const ids = emu.state.deployments().map((d) => d.id);
    expect(ids).to.deep.equal([forced.body.deploymentId]);
    expect(emu.state.app('/web')!.cmd).to.equal('run y');
  });

  it('group and multi-app changes are locked the same way', async () => {
    await req('POST', `${M}/v2/groups`, { id: '/g', apps: [{ id: 'a', cmd: 'run a' }] });
    const r = await req('PUT', `${M}/v2/groups/g`, { apps: [{ id: 'a', cmd: 'run b' }] });
    expect(r.status).to.equal(409);
    expect(r.body.message).to.equal(LOCK);
    const multi = await req('PUT', `${M}/v2/apps`, [{ id: '/g/a', cmd: 'run c' }]);
    expect(multi.status).to.equal(409);
    const unrelated = await req('POST', `${M}/v2/apps`, { id: '/other', cmd: 'run o' });
    expect(unrelated.status).to.equal(201);
  });

  it('DELETE /v2/deployments/{id} rolls back with a new deployment', async () => {
    await req('POST', `${M}/v2/apps`, { id: '/web', cmd: 'one' });
    await waitFor(() => emu.state.deployments().length === 0);
    const change = await req('PUT', `${M}/v2/apps/web`, { cmd: 'two' });
    const r = await req('DELETE', `${M}/v2/deployments/${change.body.deploymentId}`);
    expect(r.status).to.equal(200);
    expect(r.body).to.have.keys('version', 'deploymentId');
    expect(r.headers.get('marathon-deployment-id')).to.equal(r.body.deploymentId);
    expect(emu.state.app('/web')!.cmd).to.equal('one');
    expect(emu.state.deployments().map((d) => d.id)).to.deep.equal([r.body.deploymentId]);
  });

  it('rolling back a creation removes the app', async () => {
    const created = await req('POST', `${M}/v2/apps`, { id: '/fresh', cmd: 'run x' });
    const r = await req('DELETE', `${M}/v2/deployments/${created.headers.get('marathon-deployment-id')}`);
    expect(r.status).to.equal(200);
    expect(emu.state.app('/fresh')).to.equal(undefined);
  });

  it('DELETE ?force=true cancels with 202 and no body, keeping the target state', async () => {
    const created = await req('POST', `${M}/v2/apps`, { id: '/web', cmd: 'run x' });
    const r = await req('DELETE', `${M}/v2/deployments/${created.body.deployments[0].id}?force=true`);
    expect(r.status).to.equal(202);
    expect(r.text).to.equal('');
    expect(emu.state.deployments()).to.deep.equal([]);
    expect(emu.state.app('/web')).to.not.equal(undefined);
  });

  it('DELETE of an unknown deployment is 404 "DeploymentPlan <id> does not exist"', async () => {
    const r = await req('DELETE', `${M}/v2/deployments/abc`);
    expect(r.status).to.equal(404);
    expect(r.body).to.deep.equal({ message: 'DeploymentPlan abc does not exist' });
  });
});
