import { expect } from 'chai';
import { existsSync } from 'node:fs';
import { request } from 'node:http';
import { MarathonEmulator, defaultUniverseDir } from '../../src/emulator/index.js';
import { M, client, startEmulator } from './helpers.js';

const mt = (name: string, version: string) => `application/vnd.dcos.package.${name}+json;charset=utf-8;version=${version}`;
const ERROR = mt('error', 'v1');

/** POST without any headers or body (fetch always adds Accept). */
function rawPost(url: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const r = request(url, { method: 'POST' }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    r.on('error', reject);
    r.end();
  });
}

function headers(op: string, accept: string): Record<string, string> {
  return { 'Content-Type': mt(`${op}-request`, 'v1'), Accept: accept };
}

describe('emulator: Cosmos', () => {
  let emu: MarathonEmulator;
  let req: ReturnType<typeof client>;
  const pkg = (op: string, body: unknown, accept = mt(`${op}-response`, op === 'describe' ? 'v3' : op === 'install' ? 'v2' : 'v1')) =>
    req('POST', `/package/${op}`, body, headers(op, accept));

  before(async function () {
    if (!existsSync(defaultUniverseDir())) {
      console.warn(`    skipping: Universe data not found at ${defaultUniverseDir()}`);
      this.skip();
    }
    emu = await startEmulator();
    req = client(emu);
  });
  after(() => emu?.stop());
  beforeEach(() => emu.reset());

  it('describe answers v3 {package} for the newest version, or the requested one; v2 is flat', async () => {
    const r = await pkg('describe', { packageName: 'calico' });
    expect(r.status).to.equal(200);
    expect(r.headers.get('content-type')).to.equal(mt('describe-response', 'v3'));
    expect(r.body.package).to.include({ name: 'calico', version: '0.4.0', packagingVersion: '3.0' });
    expect(r.body.package.config.properties).to.have.property('Framework Settings');
    expect(r.body.package.resource.assets.container.docker['calico-dcos']).to.equal('calico/calico-dcos:v0.4.0');
    expect(Buffer.from(r.body.package.marathon.v2AppMustacheTemplate, 'base64').toString()).to.include('{{Framework Settings.framework-name}}');
    const old = await pkg('describe', { packageName: 'calico', packageVersion: '0.1.0' });
    expect(old.body.package.version).to.equal('0.1.0');
    const flat = await pkg('describe', { packageName: 'etcd' }, mt('describe-response', 'v2'));
    expect(flat.headers.get('content-type')).to.equal(mt('describe-response', 'v2'));
    expect(flat.body).to.include({ name: 'etcd', version: '0.1.0-3.3.12' });
  });

  it('install renders the template, creates the Marathon app (with a deployment) and answers per section 4', async () => {
    const r = await pkg('install', { packageName: 'calico' });
    expect(r.status).to.equal(200);
    expect(r.headers.get('content-type')).to.equal(mt('install-response', 'v2'));
    expect(r.body).to.include({ packageName: 'calico', packageVersion: '0.4.0', appId: '/calico-install-framework' });
    expect(r.body.postInstallNotes).to.match(/^Calico services are now running/);
    const app = (await req('GET', `${M}/v2/apps/calico-install-framework`)).body.app;
    expect(app.labels).to.include({ DCOS_PACKAGE_NAME: 'calico', DCOS_PACKAGE_VERSION: '0.4.0', DCOS_PACKAGE_SOURCE: 'https://universe.mesosphere.com/repo' });
    expect(JSON.parse(Buffer.from(app.labels.DCOS_PACKAGE_OPTIONS, 'base64').toString())).to.deep.equal({});
    expect(JSON.parse(Buffer.from(app.labels.DCOS_PACKAGE_DEFINITION, 'base64').toString()).data.name).to.equal('calico');
    expect(app.networks).to.deep.equal([{ mode: 'host' }]);
    expect(app.portDefinitions).to.deep.equal([{ port: 10000, protocol: 'tcp' }]);
    expect(app.deployments).to.have.length(1);
    expect(emu.state.installedPackages()).to.deep.equal([{ packageName: 'calico', packageVersion: '0.4.0', appId: '/calico-install-framework' }]);
    const v1 = await pkg('install', { packageName: 'etcd', packageVersion: '0.0.3', options: { etcd: { 'framework-name': 'etcd-old' } } }, mt('install-response', 'v1'));
    expect(v1.status).to.equal(200);
    expect(v1.body).to.deep.equal({ packageName: 'etcd', packageVersion: '0.0.3', appId: '/etcd-old' });
  });

  it('installing over an existing app is 409 PackageAlreadyInstalled with the error media type', async () => {
    await pkg('install', { packageName: 'etcd' });
    const r = await pkg('install', { packageName: 'etcd' });
    expect(r.status).to.equal(409);
    expect(r.headers.get('content-type')).to.equal(ERROR);
    expect(r.body).to.deep.equal({ type: 'PackageAlreadyInstalled', message: 'Package is already installed' });
  });

  it('unknown packages and versions are PackageNotFound / VersionNotFound (400)', async () => {
    const r = await pkg('install', { packageName: 'nope' });
    expect(r.status).to.equal(400);
    expect(r.headers.get('content-type')).to.equal(ERROR);
    expect(r.body).to.deep.equal({ type: 'PackageNotFound', message: 'Package [nope] not found', data: { packageName: 'nope' } });
    const v = await pkg('describe', { packageName: 'etcd', packageVersion: '9.9' });
    expect(v.body).to.deep.equal({
      type: 'VersionNotFound',
      message: 'Version [9.9] of package [etcd] not found',
      data: { packageName: 'etcd', packageVersion: '9.9' },
    });
  });

  it('list returns installed packages, filtered by name or app id', async () => {
    await pkg('install', { packageName: 'calico' });
    await pkg('install', { packageName: 'etcd', appId: '/infra/etcd' });
    const all = await pkg('list', {});
    expect(all.status).to.equal(200);
    expect(all.headers.get('content-type')).to.equal(mt('list-response', 'v1'));
    expect(all.body.packages.map((p: { appId: string }) => p.appId)).to.deep.equal(['/calico-install-framework', '/infra/etcd']);
    const etcd = await pkg('list', { packageName: 'etcd' });
    expect(etcd.body.packages).to.have.length(1);
    expect(etcd.body.packages[0].packageInformation.packageDefinition).to.include({ name: 'etcd', version: '0.1.0-3.3.12' });
    expect(etcd.body.packages[0].packageInformation.resourceDefinition).to.have.property('assets');
    expect((await pkg('list', { appId: 'calico-install-framework' })).body.packages).to.have.length(1);
  });

  it('uninstall removes the app; ambiguity, unknown app id and not-installed are errors', async () => {
    await pkg('install', { packageName: 'etcd', appId: '/a/etcd' });
    await pkg('install', { packageName: 'etcd', appId: '/b/etcd' });
    const ambiguous = await pkg('uninstall', { packageName: 'etcd' });
    expect(ambiguous.status).to.equal(400);
    expect(ambiguous.body).to.deep.equal({
      type: 'AmbiguousAppId',
      message: 'Multiple apps named [etcd] are installed: [/a/etcd, /b/etcd]',
      data: { packageName: 'etcd', appIds: ['/a/etcd', '/b/etcd'] },
    });
    const one = await pkg('uninstall', { packageName: 'etcd', appId: '/a/etcd' });
    expect(one.status).to.equal(200);
    expect(one.headers.get('content-type')).to.equal(mt('uninstall-response', 'v1'));
    expect(one.body).to.deep.equal({
      results: [{ packageName: 'etcd', appId: '/a/etcd', packageVersion: '0.1.0-3.3.12', postUninstallNotes: 'DC/OS etcd is being uninstalled.' }],
    });
    expect(emu.state.app('/a/etcd')).to.equal(undefined);
    const wrongId = await pkg('uninstall', { packageName: 'etcd', appId: '/a/etcd' });
    expect(wrongId.body.type).to.equal('UninstallNonExistentAppForPackage');
    expect(wrongId.body.message).to.equal('Package [etcd] with id [/a/etcd] is not installed');
    expect((await pkg('uninstall', { packageName: 'etcd', all: true })).body.results).to.have.length(1);
    const none = await pkg('uninstall', { packageName: 'etcd' });
    expect(none.body).to.deep.equal({ type: 'PackageNotInstalled', message: 'Package [etcd] is not installed', data: { packageName: 'etcd' } });
  });

  it('checks media types: wrong Accept or Content-Type is 400 not_valid; several problems are multiple_errors', async () => {
    const accept = await req('POST', '/package/install', { packageName: 'etcd' }, headers('install', mt('describe-response', 'v3')));
    expect(accept.status).to.equal(400);
    expect(accept.headers.get('content-type')).to.equal(ERROR);
    expect(accept.body).to.deep.equal({
      type: 'not_valid',
      message: `Item header 'Accept' deemed invalid by rule: Media type was [${mt('describe-response', 'v3')}] but should be one of [${mt('install-response', 'v2')}, ${mt('install-response', 'v1')}]`,
    });
    const ct = await req('POST', '/package/install', { packageName: 'etcd' }, { 'Content-Type': 'application/json', Accept: mt('install-response', 'v2') });
    expect(ct.status).to.equal(400);
    expect(ct.body).to.deep.equal({
      type: 'not_valid',
      message: `Item header 'Content-Type' deemed invalid by rule: should match on of ${mt('install-request', 'v1')}`,
    });
    const none = await rawPost(`${emu.url}/package/install`);
    expect(none.status).to.equal(400);
    const body = JSON.parse(none.body) as { type: string; message: string; data: { errors: Array<{ type: string; message: string }> } };
    expect(body.type).to.equal('multiple_errors');
    expect(body.message).to.equal('Multiple errors while processing request');
    expect(body.data.errors).to.deep.equal([
      { type: 'not_present', message: "Item header 'Accept' not present but required" },
      { type: 'not_present', message: "Item header 'Content-Type' not present but required" },
      { type: 'not_parsed', message: "Item 'body' unable to be parsed: exhausted input" },
    ]);
    const q = await req('POST', '/package/install', { packageName: 'etcd' }, headers('install', `${mt('install-response', 'v1')};q=0.5,${mt('install-response', 'v2')};q=0.1`));
    expect(q.headers.get('content-type')).to.equal(mt('install-response', 'v1'));
  });

  it('starts without Universe data and reports PackageNotFound', async () => {
    const empty = await MarathonEmulator.start({ universeDir: '/nonexistent/universe' });
    try {
      const r = await client(empty)('POST', '/package/install', { packageName: 'calico' }, headers('install', mt('install-response', 'v2')));
      expect(r.status).to.equal(400);
      expect(r.body.type).to.equal('PackageNotFound');
    } finally {
      await empty.stop();
    }
  });
});
