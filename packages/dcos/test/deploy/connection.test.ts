import { expect } from 'chai';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:https';
import type { Server } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { DcosApiError, DcosConnection, DcosConnectionConfigError, findDcosCliConfig } from '../../src/deploy/index.js';
import type { MarathonEmulator } from '../../../testing/src/emulator/index.js';
import { connect, emulator, TOKEN } from './helpers.js';

function dcosDir(clusters: Array<{ id: string; toml: string; attached?: boolean }>): string {
  const dir = mkdtempSync(join(tmpdir(), 'dcos-dir-'));
  for (const c of clusters) {
    mkdirSync(join(dir, 'clusters', c.id), { recursive: true });
    writeFileSync(join(dir, 'clusters', c.id, 'dcos.toml'), c.toml);
    if (c.attached) writeFileSync(join(dir, 'clusters', c.id, 'attached'), '');
  }
  return dir;
}
const toml = (url: string, name: string, extra = ''): string => `[core]\ndcos_url = "${url}"\ndcos_acs_token = "tok-${name}"\n${extra}[cluster]\nname = "${name}"\n`;

describe('deploy/connection: settings', () => {
  const empty = mkdtempSync(join(tmpdir(), 'dcos-empty-'));

  it('takes flags over the environment over the dcos CLI configuration', () => {
    const dir = dcosDir([{ id: 'c1', toml: toml('https://a.example', 'a'), attached: true }]);
    const fromConfig = DcosConnection.resolve({}, { DCOS_DIR: dir });
    expect(fromConfig.url).to.equal('https://a.example');
    expect(fromConfig.marathonUrl).to.equal('https://a.example/service/marathon');
    expect(fromConfig.authenticated).to.equal(true);
    expect(fromConfig.source).to.include('dcos.toml').and.include('token from the dcos CLI configuration');
    const fromEnv = DcosConnection.resolve({}, { DCOS_DIR: dir, DCOS_URL: 'https://b.example/', DCOS_ACS_TOKEN: 't-env' });
    expect(fromEnv.url).to.equal('https://b.example');
    expect(fromEnv.source).to.include('DCOS_URL');
    const fromFlag = DcosConnection.resolve({ dcosUrl: 'http://c.example', tokenEnv: 'MY_TOKEN' }, { DCOS_DIR: dir, DCOS_URL: 'https://b.example', MY_TOKEN: 'x' });
    expect(fromFlag.url).to.equal('http://c.example');
    expect(fromFlag.source).to.include('--dcos-url').and.include('$MY_TOKEN');
  });

  it('uses the configured token only for the cluster that configuration points at', () => {
    const dir = dcosDir([{ id: 'c1', toml: toml('https://a.example', 'a'), attached: true }]);
    expect(DcosConnection.resolve({ dcosUrl: 'https://other.example' }, { DCOS_DIR: dir }).authenticated).to.equal(false);
    expect(DcosConnection.resolve({ dcosUrl: 'https://a.example/' }, { DCOS_DIR: dir }).authenticated).to.equal(true);
  });

  it('finds the cluster like the dcos CLI: DCOS_CONFIG, DCOS_CLUSTER, the only one, the attached one', () => {
    const two = dcosDir([
      { id: 'aaaa-1', toml: toml('https://a.example', 'alpha') },
      { id: 'bbbb-2', toml: toml('https://b.example', 'beta'), attached: true },
    ]);
    expect(findDcosCliConfig({ DCOS_DIR: two }).config?.name).to.equal('beta');
    expect(findDcosCliConfig({ DCOS_DIR: two, DCOS_CLUSTER: 'alpha' }).config?.clusterId).to.equal('aaaa-1');
    expect(findDcosCliConfig({ DCOS_DIR: two, DCOS_CLUSTER: 'aaaa-1' }).config?.name).to.equal('alpha');
    expect(findDcosCliConfig({ DCOS_DIR: two, DCOS_CLUSTER: 'gamma' }).problem).to.include('DCOS_CLUSTER=gamma');
    expect(findDcosCliConfig({ DCOS_DIR: two, DCOS_CONFIG: join(two, 'clusters', 'aaaa-1', 'dcos.toml') }).config?.name).to.equal('alpha');
    const none = dcosDir([
      { id: 'a', toml: toml('https://a.example', 'a') },
      { id: 'b', toml: toml('https://b.example', 'b') },
    ]);
    expect(findDcosCliConfig({ DCOS_DIR: none }).problem).to.include('none is attached');
    const single = dcosDir([{ id: 'only', toml: toml('https://only.example', 'only') }]);
    expect(findDcosCliConfig({ DCOS_DIR: single }).config?.dcosUrl).to.equal('https://only.example');
    const legacy = mkdtempSync(join(tmpdir(), 'dcos-legacy-'));
    writeFileSync(join(legacy, 'dcos.toml'), toml('https://legacy.example', 'l'));
    expect(findDcosCliConfig({ DCOS_DIR: legacy }).config?.dcosUrl).to.equal('https://legacy.example');
    const home = mkdtempSync(join(tmpdir(), 'home-'));
    mkdirSync(join(home, '.dcos', 'clusters', 'h'), { recursive: true });
    writeFileSync(join(home, '.dcos', 'clusters', 'h', 'dcos.toml'), toml('https://home.example', 'h'));
    expect(findDcosCliConfig({}, home).config?.dcosUrl).to.equal('https://home.example');
  });

  it('reads TLS settings: --insecure, ssl_verify false or a CA path, DCOS_SSL_VERIFY', () => {
    const ca = join(mkdtempSync(join(tmpdir(), 'ca-')), 'ca.pem');
    writeFileSync(ca, '-----BEGIN CERTIFICATE-----\nx\n-----END CERTIFICATE-----\n');
    const dir = dcosDir([{ id: 'c', toml: toml('https://a.example', 'a', `ssl_verify = "${ca}"\ntimeout = 7\n`), attached: true }]);
    const c = DcosConnection.resolve({}, { DCOS_DIR: dir });
    expect(c.tls.verify).to.equal(true);
    expect(c.tls.ca).to.include('BEGIN CERTIFICATE');
    expect(c.timeoutMs).to.equal(7000);
    expect(DcosConnection.resolve({ insecure: true }, { DCOS_DIR: dir }).tls.verify).to.equal(false);
    expect(DcosConnection.resolve({}, { DCOS_DIR: dir, DCOS_SSL_VERIFY: 'false' }).tls.verify).to.equal(false);
    expect(DcosConnection.resolve({ dcosUrl: 'https://x' }, { DCOS_DIR: empty }).tls).to.deep.equal({ verify: true });
    expect(() => DcosConnection.resolve({ caFile: '/nonexistent/ca.pem', dcosUrl: 'https://x' }, { DCOS_DIR: empty })).to.throw(DcosConnectionConfigError, '--ca-file');
  });

  it('explains what is missing', () => {
    expect(() => DcosConnection.resolve({}, { DCOS_DIR: empty })).to.throw(DcosConnectionConfigError, /--dcos-url.*DCOS_URL.*no cluster is configured/s);
    expect(() => DcosConnection.resolve({ dcosUrl: 'https://x', tokenEnv: 'NOPE' }, { DCOS_DIR: empty })).to.throw(/NOPE is not set/);
    expect(() => DcosConnection.resolve({ dcosUrl: 'ftp://x' }, { DCOS_DIR: empty })).to.throw(/http/);
  });

  it('never shows the token in inspect, JSON or toString', () => {
    const c = new DcosConnection({ url: 'https://a.example', token: 'very-secret-token' });
    for (const text of [inspect(c, { depth: 5, showHidden: true }), JSON.stringify(c), String(c)]) expect(text).not.to.include('very-secret-token');
    expect(c.redact('x very-secret-token y')).to.equal('x [token] y');
  });
});

describe('deploy/connection: requests', () => {
  let emu: MarathonEmulator;
  beforeEach(async () => {
    emu = await emulator();
  });
  afterEach(() => emu.stop());

  it('sends the token, counts reads and writes', async () => {
    const c = connect(emu);
    const counters = { reads: 0, writes: 0 };
    const r = await c.request({ method: 'GET', url: c.marathon('/v2/apps') }, counters);
    expect(r.status).to.equal(200);
    expect(r.body).to.deep.equal({ apps: [] });
    await c.request({ method: 'POST', url: c.marathon('/v2/apps'), body: { id: '/x', cmd: 'sleep 1' } }, counters);
    expect(counters).to.deep.equal({ reads: 1, writes: 1 });
  });

  it('retries idempotent requests on 5xx, resets and timeouts, and counts every attempt', async () => {
    const c = connect(emu);
    emu.faults.add({ kind: 'status', status: 503, method: 'GET', path: '/v2/apps' });
    emu.faults.add({ kind: 'reset', method: 'GET', path: '/v2/apps' });
    emu.faults.add({ kind: 'timeout', method: 'GET', path: '/v2/apps' });
    const counters = { reads: 0, writes: 0 };
    const r = await c.request({ method: 'GET', url: c.marathon('/v2/apps') }, counters);
    expect(r.status).to.equal(200);
    expect(counters.reads).to.equal(4);
  });

  it('does not retry a POST, and marks its failure transient', async () => {
    const c = connect(emu);
    emu.faults.add({ kind: 'reset', method: 'POST', path: '/v2/apps' });
    const e = await c.request({ method: 'POST', url: c.marathon('/v2/apps'), body: { id: '/x', cmd: 'sleep 1' } }).catch((x: unknown) => x);
    expect(e).to.be.instanceOf(DcosApiError);
    expect((e as DcosApiError).transient).to.equal(true);
    expect(emu.state.apps()).to.have.length(0);
  });

  it('gives up after the retries with a message that names the request, never the token', async () => {
    const c = connect(emu);
    emu.faults.add({ kind: 'status', status: 500, body: { message: `internal: token=${TOKEN}` }, method: 'GET', times: 10 });
    const e = (await c.request({ method: 'GET', url: c.marathon('/v2/apps') }).catch((x: unknown) => x)) as DcosApiError;
    expect(e.message).to.include('GET ').and.include('/v2/apps: HTTP 500').and.include('[token]');
    expect(e.message).not.to.include(TOKEN);
    expect(JSON.stringify(e.body)).not.to.include(TOKEN);
  });

  it('explains 401 and 403 without retrying', async () => {
    const none = new DcosConnection({ url: emu.url, retries: 3, retryBaseMs: 2 });
    const e1 = (await none.request({ method: 'GET', url: none.marathon('/v2/apps') }).catch((x: unknown) => x)) as DcosApiError;
    expect(e1.status).to.equal(401);
    expect(e1.message).to.include('needs a token').and.include('DCOS_ACS_TOKEN');
    const wrong = connect(emu, 'wrong-token-value');
    const e2 = (await wrong.request({ method: 'GET', url: wrong.marathon('/v2/apps') }).catch((x: unknown) => x)) as DcosApiError;
    expect(e2.status).to.equal(403);
    expect(e2.transient).to.equal(false);
    expect(e2.message).not.to.include('wrong-token-value');
  });
});

describe('deploy/connection: TLS', function () {
  this.timeout(10000);
  let server: Server;
  let url: string;
  let caFile: string;
  before(async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tls-'));
    caFile = join(dir, 'cert.pem');
    execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', join(dir, 'key.pem'), '-out', caFile, '-days', '1', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1'], { stdio: 'ignore' });
    server = createServer({ key: readFileSync(join(dir, 'key.pem')), cert: readFileSync(caFile) }, (req, res) => {
      res.setHeader('Content-Type', 'application/json');
      res.end(JSON.stringify({ apps: [], auth: req.headers.authorization ?? null }));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `https://127.0.0.1:${(server.address() as { port: number }).port}`;
  });
  after(() => new Promise<void>((r) => server.close(() => r())));

  it('verifies certificates by default and says how to fix a failure', async () => {
    const c = new DcosConnection({ url, token: 't', retries: 0 });
    const e = (await c.request({ method: 'GET', url: c.marathon('/v2/apps') }).catch((x: unknown) => x)) as DcosApiError;
    expect(e).to.be.instanceOf(DcosApiError);
    expect(e.transient).to.equal(false);
    expect(e.message).to.include('--ca-file').and.include('--insecure');
  });

  it('accepts the server with --insecure or with its CA', async () => {
    const insecure = DcosConnection.resolve({ dcosUrl: url, insecure: true }, { DCOS_DIR: '/nonexistent', DCOS_ACS_TOKEN: 'tls-token' });
    const r1 = await insecure.request({ method: 'GET', url: insecure.marathon('/v2/apps') });
    expect(r1.body).to.deep.equal({ apps: [], auth: 'token=tls-token' });
    const withCa = DcosConnection.resolve({ dcosUrl: url, caFile }, { DCOS_DIR: '/nonexistent' });
    expect((await withCa.request({ method: 'GET', url: withCa.marathon('/v2/apps') })).status).to.equal(200);
  });
});
