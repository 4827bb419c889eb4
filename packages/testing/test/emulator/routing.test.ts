import { expect } from 'chai';
import type { MarathonEmulator } from '../../src/emulator/index.js';
import { M, client, startEmulator, waitFor } from './helpers.js';

describe('emulator: routing, info and Mesos state', () => {
  let emu: MarathonEmulator;
  let req: ReturnType<typeof client>;

  before(async () => {
    emu = await startEmulator({
      agents: [{ hostname: '10.0.1.10' }, { hostname: '10.0.1.11', attributes: { rack: 'r1' } }, { hostname: '10.0.5.10', public: true }],
      masters: [{ hostname: '10.0.0.10' }, { hostname: '10.0.0.11' }],
    });
    req = client(emu);
  });
  after(() => emu.stop());

  it('redirects the bare prefixes with 307 (keeping the query)', async () => {
    const r = await req('GET', '/marathon?x=1');
    expect(r.status).to.equal(307);
    expect(r.headers.get('location')).to.equal('/marathon/?x=1');
    const s = await req('GET', '/service/marathon');
    expect(s.status).to.equal(307);
    expect(s.headers.get('location')).to.equal('/service/marathon/');
  });

  it('serves Marathon under /service/marathon, /marathon and bare /v2', async () => {
    await req('POST', `${M}/v2/apps`, { id: '/x', cmd: 'run x' });
    for (const prefix of [M, '/marathon', '']) {
      const r = await req('GET', `${prefix}/v2/apps/x`);
      expect(r.status, prefix).to.equal(200);
      expect(r.body.app.id).to.equal('/x');
    }
    const ping = await req('GET', `${M}/ping`);
    expect(ping.status).to.equal(200);
    expect(ping.text).to.equal('pong');
  });

  it('unknown routes are 404 "URI not found", wrong methods 405', async () => {
    const r = await req('GET', `${M}/v2/nothing`);
    expect(r.status).to.equal(404);
    expect(r.body).to.deep.equal({ message: 'URI not found: /v2/nothing' });
    const m = await req('POST', `${M}/v2/deployments`, {});
    expect(m.status).to.equal(405);
  });

  it('/v2/info reports the version and DC/OS networking config', async () => {
    const r = await req('GET', `${M}/v2/info`);
    expect(r.status).to.equal(200);
    expect(r.body.marathon_config).to.include({ default_network_name: 'dcos', local_port_min: 10000, local_port_max: 20000 });
  });

  it('/mesos/master/state and /mesos/master/slaves list the configured agents', async () => {
    const state = await req('GET', '/mesos/master/state');
    expect(state.status).to.equal(200);
    expect(state.body.hostname).to.equal('10.0.0.10');
    const slaves = state.body.slaves;
    expect(slaves.map((s: { hostname: string }) => s.hostname)).to.deep.equal(['10.0.1.10', '10.0.1.11', '10.0.5.10']);
    expect(slaves[1].attributes).to.deep.equal({ rack: 'r1' });
    expect(slaves[2].attributes).to.deep.equal({ public_ip: 'true' });
    expect(slaves[2].reserved_resources).to.have.property('slave_public');
    expect(slaves[0]).to.include({ active: true });
    expect(slaves[0].id).to.be.a('string');
    expect((await req('GET', '/mesos/state')).body.slaves).to.have.length(3);
    const list = await req('GET', '/mesos/master/slaves');
    expect(list.body.slaves).to.have.length(3);
  });

  it('/system/health/v1/nodes lists masters and agents with DC/OS roles', async () => {
    const r = await req('GET', '/system/health/v1/nodes');
    expect(r.body.nodes.map((n: { host_ip: string; role: string }) => `${n.host_ip}:${n.role}`)).to.deep.equal([
      '10.0.0.10:master',
      '10.0.0.11:master',
      '10.0.1.10:agent',
      '10.0.1.11:agent',
      '10.0.5.10:agent_public',
    ]);
  });

  it('places tasks on the configured agents', async () => {
    await req('POST', `${M}/v2/apps`, { id: '/spread', cmd: 'run x', instances: 3 });
    await waitFor(() => emu.state.deployments().length === 0);
    const tasks = (await req('GET', `${M}/v2/apps/spread`)).body.app.tasks;
    expect(tasks.map((t: { host: string }) => t.host)).to.deep.equal(['10.0.1.10', '10.0.1.11', '10.0.5.10']);
  });
});
