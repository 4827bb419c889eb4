import { expect } from 'chai';
import type { MarathonEmulator } from '../../src/emulator/index.js';
import { M, client, startEmulator } from './helpers.js';

describe('emulator: faults and request log', () => {
  let emu: MarathonEmulator;
  let req: ReturnType<typeof client>;

  before(async () => {
    emu = await startEmulator();
    req = client(emu);
  });
  after(() => emu.stop());
  beforeEach(() => emu.reset());

  it('latency delays one matching request', async () => {
    emu.faults.add({ kind: 'latency', ms: 120, path: `${M}/v2/apps` });
    let t = Date.now();
    expect((await req('GET', `${M}/v2/apps`)).status).to.equal(200);
    expect(Date.now() - t).to.be.at.least(100);
    t = Date.now();
    await req('GET', `${M}/v2/apps`);
    expect(Date.now() - t).to.be.below(100);
    expect(emu.state.requests()[0]).to.include({ method: 'GET', path: `${M}/v2/apps`, status: 200, fault: 'latency' });
  });

  it('status answers the given status `times` times, with a default or custom body', async () => {
    emu.faults.add({ kind: 'status', status: 503, method: 'GET', times: 2 });
    emu.faults.add({ kind: 'status', status: 502, body: { message: 'Bad gateway' } });
    expect(emu.faults.pending()).to.equal(3);
    const first = await req('GET', '/v2/info');
    expect(first.status).to.equal(503);
    expect(first.body).to.deep.equal({ message: 'Emulated 503' });
    expect((await req('GET', '/v2/info')).status).to.equal(503);
    const third = await req('POST', `${M}/v2/apps`, { id: '/x', cmd: 'run x' });
    expect(third.status).to.equal(502);
    expect(third.body).to.deep.equal({ message: 'Bad gateway' });
    expect(emu.state.app('/x')).to.equal(undefined);
    expect((await req('GET', '/v2/info')).status).to.equal(200);
    expect(emu.faults.pending()).to.equal(0);
  });

  it('faults match by method and by path prefix or RegExp on raw or Marathon-relative paths, in order', async () => {
    emu.faults.add({ kind: 'status', status: 500, method: 'DELETE' });
    emu.faults.add({ kind: 'status', status: 502, path: /\/v2\/groups/ });
    emu.faults.add({ kind: 'status', status: 503, path: '/v2/deployments' });
    expect((await req('GET', `${M}/v2/apps`)).status).to.equal(200);
    expect((await req('GET', `${M}/v2/deployments`)).status).to.equal(503);
    expect((await req('GET', `/marathon/v2/groups`)).status).to.equal(502);
    expect((await req('DELETE', `${M}/v2/apps/none`)).status).to.equal(500);
  });

  it('reset destroys the socket', async () => {
    emu.faults.add({ kind: 'reset' });
    let error: unknown;
    try {
      await req('GET', `${M}/v2/apps`);
    } catch (err) {
      error = err;
    }
    expect(error).to.be.instanceOf(Error);
    expect(emu.state.requests()[0]).to.include({ status: 0, fault: 'reset' });
    expect((await req('GET', `${M}/v2/apps`)).status).to.equal(200);
  });

  it('timeout never answers (the client gives up), and stop() still closes', async () => {
    const other = await startEmulator();
    other.faults.add({ kind: 'timeout' });
    let error: unknown;
    try {
      await fetch(`${other.url}${M}/v2/apps`, { signal: AbortSignal.timeout(80) });
    } catch (err) {
      error = err;
    }
    expect((error as Error).name).to.equal('TimeoutError');
    expect(other.state.requests()[0]).to.include({ status: 0, fault: 'timeout' });
    await other.stop();
  });

  it('lock answers 409 as if a foreign deployment held the app', async () => {
    emu.faults.add({ kind: 'lock', path: '/v2/apps/web', deploymentId: 'foreign-1' });
    emu.faults.add({ kind: 'lock', method: 'PUT' });
    const r = await req('PUT', `${M}/v2/apps/web`, { cmd: 'run x' });
    expect(r.status).to.equal(409);
    expect(r.body).to.deep.equal({
      message:
        "App is locked by one or more deployments. Override with the option '?force=true'. View details at '/v2/deployments/<DEPLOYMENT_ID>'.",
      deployments: [{ id: 'foreign-1' }],
    });
    const generated = await req('PUT', `${M}/v2/apps/web`, { cmd: 'run x' });
    expect(generated.body.deployments[0].id).to.match(/^[0-9a-f-]{36}$/);
    expect((await req('PUT', `${M}/v2/apps/web`, { cmd: 'run x' })).status).to.equal(201);
  });

  it('counts reads and writes and logs method, path, query and status', async () => {
    await req('GET', `${M}/v2/apps?embed=apps.tasks`);
    await req('POST', `${M}/v2/apps`, { id: '/a', cmd: 'run a' });
    await req('DELETE', `${M}/v2/apps/a`);
    await req('GET', `${M}/v2/apps/a`);
    expect(emu.state.counts()).to.deep.equal({ reads: 2, writes: 2 });
    expect(emu.state.requests().map((e) => [e.method, e.path, e.query, e.status])).to.deep.equal([
      ['GET', `${M}/v2/apps`, 'embed=apps.tasks', 200],
      ['POST', `${M}/v2/apps`, '', 201],
      ['DELETE', `${M}/v2/apps/a`, '', 200],
      ['GET', `${M}/v2/apps/a`, '', 404],
    ]);
    emu.state.clearRequests();
    expect(emu.state.requests()).to.deep.equal([]);
    expect(emu.state.counts()).to.deep.equal({ reads: 0, writes: 0 });
  });

  it('latencyMs delays every request', async () => {
    const slow = await startEmulator({ latencyMs: 60 });
    try {
      const t = Date.now();
      await client(slow)('GET', '/ping');
      await client(slow)('GET', '/ping');
      expect(Date.now() - t).to.be.at.least(110);
    } finally {
      await slow.stop();
    }
  });
});
