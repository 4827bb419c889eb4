import { expect } from 'chai';
import type { AppValidationIssue, AppValidationOptions, MarathonEmulator, MarathonVersion } from '../../src/emulator/index.js';
import { M, client, startEmulator } from './helpers.js';

const CALICO_UCR = {
  id: '/net/ucr',
  cmd: 'serve',
  ipAddress: { networkName: 'calico', labels: { zone: 'a' }, discovery: { ports: [{ number: 80, name: 'http', protocol: 'tcp' }] } },
};

const CALICO_DOCKER = {
  id: '/net/docker',
  container: { type: 'DOCKER', docker: { image: 'nginx', network: 'USER', portMappings: [{ containerPort: 80, name: 'http' }] } },
  ipAddress: { networkName: 'calico' },
};

/** Validator for the tests: string cpus is a read error, negative instances a validation error. */
function testValidator(calls: Array<{ app: unknown; version: MarathonVersion; options: AppValidationOptions }>) {
  return (app: unknown, version: MarathonVersion, options: AppValidationOptions): AppValidationIssue[] => {
    calls.push({ app, version, options });
    const a = app as { cpus?: unknown; instances?: unknown };
    const out: AppValidationIssue[] = [];
    if (typeof a.cpus === 'string') out.push({ path: '/cpus', message: 'error.expected.jsnumber', fix: 'use a number', stage: 'read' });
    if (typeof a.instances === 'number' && a.instances < 0) {
      out.push({ path: '/instances', message: 'got -1, expected 0 or more', fix: 'use >= 0', stage: 'validate' });
    }
    return out;
  };
}

describe('emulator: Marathon 1.4 vs 1.5', () => {
  describe('1.5', () => {
    let emu: MarathonEmulator;
    let req: ReturnType<typeof client>;
    const calls: Array<{ app: unknown; version: MarathonVersion; options: AppValidationOptions }> = [];

    before(async () => {
      emu = await startEmulator({ validateApp: testValidator(calls) });
      req = client(emu);
    });
    after(() => emu.stop());
    beforeEach(() => {
      emu.reset();
      calls.length = 0;
    });

    it('translates 1.4 ipAddress + discovery ports (UCR) into networks + container.portMappings', async () => {
      const r = await req('POST', `${M}/v2/apps`, CALICO_UCR);
      expect(r.status).to.equal(201);
      expect(r.body).to.not.have.property('ipAddress');
      expect(r.body.networks).to.deep.equal([{ mode: 'container', name: 'calico', labels: { zone: 'a' } }]);
      expect(r.body.container).to.deep.equal({
        type: 'MESOS',
        volumes: [],
        portMappings: [{ containerPort: 80, name: 'http', protocol: 'tcp', servicePort: 10000 }],
      });
      expect(r.body.portDefinitions).to.deep.equal([]);
      expect(calls[0]!.app).to.deep.equal(CALICO_UCR);
      expect(calls[0]!.options).to.deep.equal({ partial: false, appId: '/net/ucr', operation: 'create', baseGroup: '/', defaultNetworkName: 'dcos' });
    });

    it('translates docker USER network + docker.portMappings', async () => {
      const r = await req('POST', `${M}/v2/apps`, CALICO_DOCKER);
      expect(r.body.networks).to.deep.equal([{ mode: 'container', name: 'calico' }]);
      expect(r.body.container.docker).to.deep.equal({ image: 'nginx', forcePullImage: false, privileged: false, parameters: [] });
      expect(r.body.container.portMappings).to.deep.equal([{ containerPort: 80, name: 'http', protocol: 'tcp', servicePort: 10000 }]);
    });

    it('translates BRIDGE (hostPort defaults to 0) and HOST', async () => {
      const bridge = await req('POST', `${M}/v2/apps`, {
        id: '/b',
        container: { docker: { image: 'x', network: 'BRIDGE', portMappings: [{ containerPort: 8080 }] } },
      });
      expect(bridge.body.networks).to.deep.equal([{ mode: 'container/bridge' }]);
      expect(bridge.body.container.type).to.equal('DOCKER');
      expect(bridge.body.container.portMappings[0]).to.include({ containerPort: 8080, hostPort: 0 });
      const host = await req('POST', `${M}/v2/apps`, { id: '/h', container: { docker: { image: 'x', network: 'HOST' } } });
      expect(host.body.networks).to.deep.equal([{ mode: 'host' }]);
    });

    it("'read' issues answer 422 Invalid JSON, 'validate' issues 422 Object is not valid", async () => {
      const read = await req('POST', `${M}/v2/apps`, { id: '/x', cmd: 'run x', cpus: 'one', instances: -1 });
      expect(read.status).to.equal(422);
      expect(read.body).to.deep.equal({ message: 'Invalid JSON', details: [{ path: '/cpus', errors: ['error.expected.jsnumber'] }] });
      const invalid = await req('POST', `${M}/v2/apps`, { id: '/x', cmd: 'run x', instances: -1 });
      expect(invalid.status).to.equal(422);
      expect(invalid.body).to.deep.equal({
        message: 'Object is not valid',
        details: [{ path: '/instances', errors: ['got -1, expected 0 or more'] }],
      });
    });

    it('passes partial updates as partial and prefixes group app paths', async () => {
      await req('POST', `${M}/v2/apps`, { id: '/x', cmd: 'run x' });
      await req('PUT', `${M}/v2/apps/x?force=true`, { instances: 2 });
      expect(calls[1]!.options).to.deep.equal({ partial: true, appId: '/x', operation: 'update', baseGroup: '/', defaultNetworkName: 'dcos' });
      expect(calls[1]!.app).to.include({ id: '/x', cmd: 'run x', instances: 2 }).and.not.have.any.keys('version', 'versionInfo');
      const g = await req('POST', `${M}/v2/groups`, { id: '/g', apps: [{ id: 'ok', cmd: 'run x' }, { id: 'bad', cmd: 'run x', instances: -1 }] });
      expect(g.status).to.equal(422);
      expect(g.body.details).to.deep.equal([{ path: '/apps(1)/instances', errors: ['got -1, expected 0 or more'] }]);
      expect(calls.at(-1)!.options).to.deep.equal({ partial: false, appId: '/g/bad', operation: 'group', baseGroup: '/g', defaultNetworkName: 'dcos' });
    });

    it('an injected validator cannot store apps without a usable id (id rules of @dcos-cdk/marathon)', async () => {
      const missing = await req('POST', `${M}/v2/apps`, { cmd: 'run x' });
      expect(missing.status).to.equal(422);
      expect(missing.body).to.deep.equal({ message: 'Invalid JSON', details: [{ path: '/id', errors: ['error.path.missing'] }] });
      const root = await req('POST', `${M}/v2/apps`, { id: '/', cmd: 'run x' });
      expect(root.body).to.deep.equal({ message: 'Object is not valid', details: [{ path: '/id', errors: ['Path must contain at least one path element'] }] });
      const outside = await req('POST', `${M}/v2/groups`, { id: '/g', apps: [{ id: '/h/a', cmd: 'run x' }] });
      expect(outside.body.details).to.deep.equal([{ path: '/apps(0)/id', errors: ['Identifier is not child of /g. Hint: use relative paths.'] }]);
      expect(emu.state.apps()).to.deep.equal([]);
    });

    it('/v2/info reports 1.5.15', async () => {
      const r = await req('GET', `${M}/v2/info`);
      expect(r.body).to.include({ name: 'marathon', version: '1.5.15' });
    });
  });

  describe('1.4', () => {
    let emu: MarathonEmulator;
    let req: ReturnType<typeof client>;

    before(async () => {
      emu = await startEmulator({ marathonVersion: '1.4', validateApp: testValidator([]) });
      req = client(emu);
    });
    after(() => emu.stop());

    it('keeps the 1.4 shape (ipAddress, docker.network, docker.portMappings)', async () => {
      const r = await req('POST', `${M}/v2/apps`, CALICO_DOCKER);
      expect(r.status).to.equal(201);
      expect(r.body.ipAddress).to.deep.equal({ networkName: 'calico' });
      expect(r.body).to.not.have.property('networks');
      expect(r.body.container.docker.network).to.equal('USER');
      expect(r.body.container.docker.portMappings).to.deep.equal([{ containerPort: 80, name: 'http', protocol: 'tcp', servicePort: 10000 }]);
      expect(r.body.portDefinitions).to.deep.equal([]);
      const plain = await req('POST', `${M}/v2/apps`, { id: '/plain', cmd: 'run x' });
      expect(plain.body.portDefinitions).to.deep.equal([{ port: 10001, protocol: 'tcp', labels: {} }]);
    });

    it("'read' issues answer 400 Invalid JSON; 'validate' issues stay 422", async () => {
      const read = await req('POST', `${M}/v2/apps`, { id: '/x', cmd: 'run x', cpus: 'one' });
      expect(read.status).to.equal(400);
      expect(read.body).to.deep.equal({ message: 'Invalid JSON', details: [{ path: '/cpus', errors: ['error.expected.jsnumber'] }] });
      const invalid = await req('POST', `${M}/v2/apps`, { id: '/x', cmd: 'run x', instances: -1 });
      expect(invalid.status).to.equal(422);
      expect(invalid.body.message).to.equal('Object is not valid');
    });

    it('the default validator applies the 1.4 rules (segment errors are validation errors)', async () => {
      const plain = await startEmulator({ marathonVersion: '1.4' });
      try {
        const bad = await client(plain)('POST', `${M}/v2/apps`, { id: '/Bad_Name', cmd: 'run x' });
        expect(bad.status).to.equal(422);
        expect(bad.body.message).to.equal('Object is not valid');
        expect(bad.body.details[0].path).to.equal('/id');
        expect(bad.body.details[0].errors[0]).to.match(/^must fully match regular expression '/);
        const typed = await client(plain)('POST', `${M}/v2/apps`, { id: '/x', cmd: 'run x', cpus: 'one' });
        expect(typed.status).to.equal(400);
        expect(typed.body.message).to.equal('Invalid JSON');
        expect((await client(plain)('POST', `${M}/v2/apps`, { id: '/ok', cmd: 'run x' })).status).to.equal(201);
      } finally {
        await plain.stop();
      }
    });

    it('/v2/info reports 1.4.13', async () => {
      expect((await req('GET', `${M}/v2/info`)).body.version).to.equal('1.4.13');
    });
  });
});
