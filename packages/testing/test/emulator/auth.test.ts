import { expect } from 'chai';
import { generateKeyPairSync, sign } from 'node:crypto';
import { MarathonEmulator } from '../../src/emulator/index.js';
import { M, client } from './helpers.js';

function serviceLoginToken(uid: string, privateKey: string, expSeconds: number): string {
  const header = Buffer.from(JSON.stringify({ alg: 'RS256', typ: 'JWT' })).toString('base64url');
  const payload = Buffer.from(JSON.stringify({ uid, exp: Math.floor(Date.now() / 1000) + expSeconds })).toString('base64url');
  const signature = sign('RSA-SHA256', Buffer.from(`${header}.${payload}`), privateKey).toString('base64url');
  return `${header}.${payload}.${signature}`;
}

describe('emulator: auth', () => {
  const keys = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  });
  let emu: MarathonEmulator;
  let req: ReturnType<typeof client>;

  before(async () => {
    emu = await MarathonEmulator.start({
      token: 'secret',
      accounts: [{ uid: 'alice', password: 'pw' }, { uid: 'deployer', publicKey: keys.publicKey }],
    });
    req = client(emu);
  });
  after(() => emu.stop());

  it('missing token: 401 with WWW-Authenticate acsjwt and an HTML body', async () => {
    const r = await req('GET', `${M}/v2/apps`);
    expect(r.status).to.equal(401);
    expect(r.headers.get('www-authenticate')).to.equal('acsjwt');
    expect(r.headers.get('content-type')).to.equal('text/html; charset=UTF-8');
    expect(r.text).to.include('Unauthorized');
  });

  it('wrong token: 403 (default) with an HTML body', async () => {
    const r = await req('GET', `${M}/v2/apps`, undefined, { Authorization: 'token=nope' });
    expect(r.status).to.equal(403);
    expect(r.text).to.include('Access Denied');
  });

  it('accepts token=, Bearer and the dcos-acs-auth-cookie cookie, on every service', async () => {
    expect((await req('GET', `${M}/v2/apps`, undefined, { Authorization: 'token=secret' })).status).to.equal(200);
    expect((await req('GET', '/v2/apps', undefined, { Authorization: 'Bearer secret' })).status).to.equal(200);
    expect((await req('GET', '/mesos/master/state', undefined, { Cookie: 'a=b; dcos-acs-auth-cookie=secret' })).status).to.equal(200);
    expect((await req('POST', '/package/list', {})).status).to.equal(401);
  });

  it('logs in with uid + password and accepts the returned token', async () => {
    const r = await req('POST', '/acs/api/v1/auth/login', { uid: 'alice', password: 'pw' });
    expect(r.status).to.equal(200);
    expect(r.body.token).to.be.a('string').and.match(/^[\w-]+\.[\w-]+\.[\w-]+$/);
    const payload = JSON.parse(Buffer.from(r.body.token.split('.')[1], 'base64url').toString('utf8'));
    expect(payload.uid).to.equal('alice');
    expect((await req('GET', `${M}/v2/apps`, undefined, { Authorization: `token=${r.body.token}` })).status).to.equal(200);
  });

  it('logs in a service account with an RS256 login token; rejects bad credentials with 401', async () => {
    const ok = await req('POST', '/acs/api/v1/auth/login', { uid: 'deployer', token: serviceLoginToken('deployer', keys.privateKey, 30) });
    expect(ok.status).to.equal(200);
    expect(ok.body.token).to.be.a('string');
    const expired = await req('POST', '/acs/api/v1/auth/login', { uid: 'deployer', token: serviceLoginToken('deployer', keys.privateKey, -30) });
    expect(expired.status).to.equal(401);
    const bad = await req('POST', '/acs/api/v1/auth/login', { uid: 'alice', password: 'wrong' });
    expect(bad.status).to.equal(401);
    expect(bad.headers.get('www-authenticate')).to.equal('acsjwt');
    expect(bad.body).to.deep.equal({ title: 'Unauthorized', description: 'The login credentials are invalid.', code: 'ERR_INVALID_CREDENTIALS' });
    const garbage = await req('POST', '/acs/api/v1/auth/login', '{');
    expect(garbage.status).to.equal(400);
    expect(garbage.body.code).to.equal('ERR_INVALID_DATA');
  });

  it('serves the login providers without a token', async () => {
    const r = await req('GET', '/acs/api/v1/auth/providers');
    expect(r.status).to.equal(200);
    expect(r.body['dcos-users']['config']['start_flow_url']).to.equal('/acs/api/v1/auth/login');
  });

  it('can answer 401 for unknown tokens like the real Admin Router', async () => {
    const strict = await MarathonEmulator.start({ token: 't', invalidTokenStatus: 401 });
    try {
      const r = await client(strict)('GET', `${M}/v2/apps`, undefined, { Authorization: 'token=x' });
      expect(r.status).to.equal(401);
      expect(r.headers.get('www-authenticate')).to.equal('acsjwt');
    } finally {
      await strict.stop();
    }
  });
});
