import { expect } from 'chai';
import { createHmac, randomBytes } from 'node:crypto';
import { MarathonEmulator } from '../../../testing/src/emulator/index.js';
import { KnownHosts, discoverAgents, discoverMasters, hostKeyAlgorithmsFor, pollUntil, rollOut, unifiedDiff } from '../../src/deploy/node-settings.js';
import { findKey, removeKey, setKey } from '../../src/deploy/json-edit.js';
import { jsonFieldChanges } from '../../src/deploy/text-diff.js';

const ED = 'AAAAC3NzaC1lZDI1NTE5AAAAIBmhJh2oJk7Pdg6xYfUWY8XBVqyMikfEd5QO3b+h1jvU';
const ED2 = 'AAAAC3NzaC1lZDI1NTE5AAAAIGgG7J3vRjHvZHmZ2d3+ck7bN3fOq+0R1bKJ5m2GdMvi';
const key = (b64: string): Buffer => Buffer.from(b64, 'base64');

describe('node settings: known_hosts', () => {
  it('matches plain names, [host]:port, wildcards and negations like OpenSSH', () => {
    const kh = KnownHosts.parse([
      '# comment',
      `10.0.0.1,master-1 ssh-ed25519 ${ED}`,
      `[10.0.0.2]:2222 ssh-ed25519 ${ED}`,
      `10.0.1.*,!10.0.1.9 ssh-ed25519 ${ED}`,
      `@cert-authority *.example.com ssh-ed25519 ${ED2}`,
      'garbage line',
    ].join('\n'));
    expect(kh.verify('10.0.0.1', 22, key(ED))).to.deep.include({ ok: true, origin: 'known_hosts:2' });
    expect(kh.verify('MASTER-1', 22, key(ED)).ok).to.equal(true);
    expect(kh.verify('10.0.0.1', 2222, key(ED))).to.deep.equal({ ok: false, reason: 'unknown' });
    expect(kh.verify('10.0.0.2', 2222, key(ED)).ok).to.equal(true);
    expect(kh.verify('10.0.0.2', 22, key(ED)).ok).to.equal(false);
    expect(kh.verify('10.0.1.3', 22, key(ED)).ok).to.equal(true);
    expect(kh.verify('10.0.1.9', 22, key(ED))).to.deep.equal({ ok: false, reason: 'unknown' });
    expect(kh.verify('10.0.0.1', 22, key(ED2))).to.deep.equal({ ok: false, reason: 'changed', origin: 'known_hosts:2' });
    expect(kh.verify('host.example.com', 22, key(ED2))).to.deep.equal({ ok: false, reason: 'unknown' });
  });

  it('matches hashed entries |1|salt|hash, for [host]:port too', () => {
    const hashed = (name: string): string => {
      const salt = randomBytes(20);
      return `|1|${salt.toString('base64')}|${createHmac('sha1', salt).update(name).digest('base64')}`;
    };
    const kh = KnownHosts.parse(`${hashed('10.0.0.1')} ssh-ed25519 ${ED}\n${hashed('[10.0.0.2]:2222')} ssh-ed25519 ${ED}\n`);
    expect(kh.verify('10.0.0.1', 22, key(ED)).ok).to.equal(true);
    expect(kh.verify('10.0.0.2', 2222, key(ED)).ok).to.equal(true);
    expect(kh.verify('10.0.0.3', 22, key(ED)).ok).to.equal(false);
  });

  it('refuses @revoked keys and offers only the algorithms of known key types', () => {
    const kh = KnownHosts.parse(`@revoked * ssh-ed25519 ${ED2}\n10.0.0.1 ssh-ed25519 ${ED2}\n10.0.0.1 ssh-ed25519 ${ED}\n`);
    expect(kh.verify('10.0.0.1', 22, key(ED2))).to.deep.equal({ ok: false, reason: 'revoked', origin: 'known_hosts:1' });
    expect(kh.verify('10.0.0.1', 22, key(ED)).ok).to.equal(true);
    expect(hostKeyAlgorithmsFor(kh.keyTypes('10.0.0.1', 22))).to.deep.equal(['ssh-ed25519']);
    expect(hostKeyAlgorithmsFor(['ssh-rsa', 'ssh-ed25519'])).to.deep.equal(['rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa', 'ssh-ed25519']);
  });
});

describe('node settings: editing top-level JSON keys in place', () => {
  const dcos = '{\n  "zk": "zk://127.0.0.1:2181/mesos",\n  "IPSources": ["host", "netinfo"],\n  "SetTruncateBit": true\n}\n';

  it('replaces only the value, keeping every other byte', () => {
    expect(setKey(dcos, 'IPSources', ['netinfo', 'host'])).to.equal(dcos.replace('["host", "netinfo"]', '["netinfo", "host"]'));
  });

  it('matches keys case-insensitively, keeps their spelling and sets every duplicate', () => {
    const text = '{"ipsources": ["host"], "x": {"IPSources": 1}, "IPSOURCES": ["mesos"]}';
    expect(findKey(text, 'IPSources')).to.deep.equal([{ key: 'ipsources', value: ['host'] }, { key: 'IPSOURCES', value: ['mesos'] }]);
    expect(setKey(text, 'IPSources', ['netinfo'])).to.equal('{"ipsources": ["netinfo"], "x": {"IPSources": 1}, "IPSOURCES": ["netinfo"]}');
  });

  it('appends a missing key after the last member, in the file\'s style; handles {} too', () => {
    expect(setKey('{\n  "a": 1,\n  "b": "}"\n}\n', 'IPSources', ['netinfo', 'host'])).to.equal('{\n  "a": 1,\n  "b": "}",\n  "IPSources": ["netinfo", "host"]\n}\n');
    expect(setKey('{\n  "a": 1\n}', 'k', true)).to.equal('{\n  "a": 1,\n  "k": true\n}');
    expect(setKey('{}', 'k', [1])).to.equal('{"k": [1]}');
  });

  it('re-indents a value that spanned several lines', () => {
    expect(setKey('{\n  "IPSources": [\n    "host"\n  ]\n}', 'IPSources', ['netinfo', 'host'])).to.equal('{\n  "IPSources": [\n    "netinfo",\n    "host"\n  ]\n}');
  });

  it('removes a key wherever it is', () => {
    expect(removeKey(dcos, 'ipsources')).to.equal('{\n  "zk": "zk://127.0.0.1:2181/mesos",\n  "SetTruncateBit": true\n}\n');
    expect(removeKey('{"a": 1, "b": 2}', 'b')).to.equal('{"a": 1}');
    expect(removeKey('{\n  "a": 1\n}', 'a')).to.equal('{\n}');
  });
});

describe('node settings: diffs', () => {
  it('writes unified diffs with context, /dev/null for missing files, nothing when equal', () => {
    const before = 'a\nb\nc\nd\ne\nf\ng\nh\n';
    expect(unifiedDiff('n:/f', before, before.replace('d', 'D'))).to.equal('--- n:/f\n+++ n:/f\n@@ -1,7 +1,7 @@\n a\n b\n c\n-d\n+D\n e\n f\n g\n');
    expect(unifiedDiff('n:/f', undefined, 'x\n')).to.equal('--- /dev/null\n+++ n:/f\n@@ -0,0 +1,1 @@\n+x\n');
    expect(unifiedDiff('n:/f', 'x\n', undefined)).to.equal('--- n:/f\n+++ /dev/null\n@@ -1,1 +0,0 @@\n-x\n');
    expect(unifiedDiff('n:/f', 'x\n', 'x\n')).to.equal('');
  });

  it('lists JSON field changes with dotted paths', () => {
    expect(jsonFieldChanges('h:/f', { a: 1, ipam: { type: 'x' }, gone: true }, { a: 1, ipam: { type: 'calico-ipam' }, mtu: 1420 })).to.deep.equal([
      { path: 'h:/f#ipam.type', before: 'x', after: 'calico-ipam' },
      { path: 'h:/f#mtu', after: 1420 },
      { path: 'h:/f#gone', before: true },
    ]);
  });
});

describe('node settings: rolling', () => {
  it('keeps at most maxUnavailable steps running and starts no new one after a failure', async () => {
    let running = 0;
    let most = 0;
    const started: number[] = [];
    const err = await rollOut([1, 2, 3, 4, 5, 6], 2, async (n) => {
      started.push(n);
      running++;
      most = Math.max(most, running);
      await new Promise((r) => setTimeout(r, 10));
      running--;
      if (n === 3) throw new Error('boom on 3');
    }).then(() => undefined, (e: Error) => e);
    expect(most).to.equal(2);
    expect(err?.message).to.equal('boom on 3');
    expect(started).to.deep.equal([1, 2, 3, 4]);
  });

  it('gives up waiting with what it waited for and the last error', async () => {
    const msg = await pollUntil('the moon', async () => {
      throw new Error('not yet');
    }, { timeoutMs: 30, intervalMs: 5 }).then(() => '', (e: Error) => e.message);
    expect(msg).to.equal('timed out after 0 s waiting for the moon (last error: not yet)');
  });
});

describe('node settings: discovery through the Admin Router (Marathon emulator)', function () {
  this.timeout(10000);
  let emu: MarathonEmulator;
  before(async () => {
    emu = await MarathonEmulator.start({
      token: 'tok',
      masters: [{ hostname: '10.0.0.2' }, { hostname: '10.0.0.1' }],
      agents: [{ hostname: '10.0.1.2' }, { hostname: '10.0.5.1', public: true }, { hostname: '10.0.1.1' }],
    });
  });
  after(() => emu.stop());

  it('finds masters from node health and agents, private then public, from Mesos state', async () => {
    const connection = { baseUrl: `${emu.url}/`, token: 'tok' };
    expect(await discoverMasters({ connection })).to.deep.equal([
      { hostname: '10.0.0.1', role: 'master' },
      { hostname: '10.0.0.2', role: 'master' },
    ]);
    expect(await discoverAgents({ connection })).to.deep.equal([
      { hostname: '10.0.1.1', role: 'agent' },
      { hostname: '10.0.1.2', role: 'agent' },
      { hostname: '10.0.5.1', role: 'public-agent' },
    ]);
  });

  it('takes explicit nodes without asking, and says what to do when the token is refused', async () => {
    expect(await discoverAgents({ nodes: { publicAgents: ['p'] } })).to.deep.equal([{ hostname: 'p', role: 'public-agent' }]);
    const msg = await discoverMasters({ connection: { baseUrl: emu.url, token: 'wrong' } }).then(() => '', (e: Error) => e.message);
    expect(msg).to.match(/^The Admin Router refused GET \/system\/health\/v1\/nodes \(40[13]\)\. Log in again \('dcos auth login'\)/);
    const none = await discoverAgents({}).then(() => '', (e: Error) => e.message);
    expect(none).to.include('pass --agents/--public-agents');
  });
});
