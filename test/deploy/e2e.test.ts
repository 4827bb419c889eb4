/*
 * End to end: synthesize the walkthrough example, then diff / deploy / destroy its marathon-app
 * and dcos-package artifacts against the Marathon + Cosmos emulator over real HTTP.
 */
import { expect } from 'chai';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ArtifactDriver, PlannedChange } from '@dcos-cdk/core';
import { DRIVER_FACTORIES } from '../../packages/cli/src/commands/index-deploy.js';
import type { MarathonEmulator } from '../../packages/testing/src/emulator/index.js';
import { run, settled, SKIP, snapshot, startEmulator, synthExample } from './helpers.js';

const TOKEN = 'tok-e2e-9f8e7d6c5b4a';
const APPS = ['/database', '/database2', '/frontend', '/frontend2', '/tester', '/tester2'];

async function call(emu: MarathonEmulator, method: string, path: string, body?: unknown): Promise<any> {
  const res = await fetch(emu.url + path, {
    method,
    headers: { Authorization: `token=${TOKEN}`, 'Content-Type': 'application/json' },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}

describe('deploy end to end (walkthrough example → emulator)', function () {
  this.timeout(20000);
  let bundle14: string;
  let emu: MarathonEmulator;
  let env: Record<string, string>;

  before(() => {
    bundle14 = synthExample();
  });

  beforeEach(async () => {
    emu = await startEmulator({ marathonVersion: '1.4', token: TOKEN });
    env = { DCOS_URL: emu.url, DCOS_ACS_TOKEN: TOKEN };
    // Something the stack does not own, that must survive everything.
    await call(emu, 'POST', '/service/marathon/v2/apps', { id: '/legacy', cmd: 'sleep 1000', cpus: 0.1, mem: 32, labels: { team: 'ops' } });
    await settled(emu);
  });

  afterEach(async () => {
    await emu.stop();
  });

  it('deploys apps and packages, marks them owned, and a second deploy makes zero writes', async () => {
    const legacyBefore = emu.state.app('/legacy')!.version;
    const first = await run('deploy', [bundle14, ...SKIP, '--json'], env);
    expect(first.code, first.all).to.equal(0);
    const summary = first.json();
    expect(summary).to.include({ ok: true, command: 'deploy', stack: 'demo', status: 'applied' });
    expect(summary.applied).to.deep.equal({ create: 8, update: 0, delete: 0 });
    expect(summary.requests.writes).to.be.greaterThan(7);
    expect(summary.requests.reads).to.be.greaterThan(0);

    const apps = emu.state.apps();
    const ids = apps.map((a) => a.id);
    expect(ids).to.include.members([...APPS, '/etcd', '/calico-install-framework', '/legacy']);
    expect(ids).not.to.include('/dcos-cdk-lock');
    for (const a of apps.filter((x) => x.id !== '/legacy')) expect((a.labels as any).DCOS_CDK_STACK, String(a.id)).to.equal('demo');
    expect((emu.state.app('/frontend')!.ipAddress as any).labels).to.deep.equal({ app: 'frontend', group: 'production' });
    expect(emu.state.installedPackages().map((p) => p.packageName).sort()).to.deep.equal(['calico', 'etcd']);

    emu.state.clearRequests();
    const second = await run('deploy', [bundle14, ...SKIP, '--json'], env);
    expect(second.code, second.all).to.equal(0);
    expect(second.json().status).to.equal('unchanged');
    expect(second.json().requests.writes).to.equal(0);
    expect(emu.state.counts().writes).to.equal(0);
    expect(emu.state.requests().every((r) => r.method === 'GET')).to.equal(true);
    expect(emu.state.app('/legacy')!.version).to.equal(legacyBefore);
  });

  it('diff shows creates, then a field-level update after the cluster drifted; deploy repairs it', async () => {
    const d0 = await run('diff', [bundle14, ...SKIP], env);
    expect(d0.code, d0.all).to.equal(0);
    expect(d0.all).to.match(/\+ create\s+marathon-app:\/frontend/).and.match(/\+ create\s+dcos-package:etcd/);
    expect(d0.all).to.match(/Plan: 8 to create, 0 to update, 0 to delete/);
    expect(emu.state.counts().writes).to.equal(1); // only the /legacy POST of beforeEach

    expect((await run('deploy', [bundle14, ...SKIP], env)).code).to.equal(0);
    await call(emu, 'PUT', '/service/marathon/v2/apps/frontend', { cpus: 0.5, env: { DEBUG: '1' } });
    await settled(emu);

    const d1 = await run('diff', [bundle14, ...SKIP, '--fail'], env);
    expect(d1.code).to.equal(7);
    expect(d1.all).to.match(/~ update\s+marathon-app:\/frontend/);
    expect(d1.all).to.include('~ cpus: 0.5 → 0.1');
    expect(d1.all).to.include('- env.DEBUG: "1"');
    expect(d1.all).to.match(/Plan: 0 to create, 1 to update, 0 to delete, 7 unchanged/);

    const fix = await run('deploy', [bundle14, ...SKIP], env);
    expect(fix.code, fix.all).to.equal(0);
    expect(emu.state.app('/frontend')!.cpus).to.equal(0.1);
    expect(emu.state.app('/frontend')!.env).to.deep.equal({});
    const d2 = await run('diff', [bundle14, ...SKIP, '--json'], env);
    expect(d2.json().changes).to.deep.equal([]);
    expect(d2.json().planned).to.deep.include({ noop: 8 });
  });

  it('destroy leaves the emulator as it was before deploy; apps the stack does not own survive', async () => {
    const before = snapshot(emu);
    const legacy = emu.state.app('/legacy')!.version;
    expect((await run('deploy', [bundle14, ...SKIP], env)).code).to.equal(0);
    const noYes = await run('destroy', [bundle14, ...SKIP], env);
    expect(noYes.code).to.equal(5);
    expect(noYes.all).to.include('--yes');
    const d = await run('destroy', [bundle14, ...SKIP, '--yes', '--json'], env);
    expect(d.code, d.all).to.equal(0);
    expect(d.json().applied).to.deep.equal({ create: 0, update: 0, delete: 8 });
    await settled(emu);
    expect(snapshot(emu)).to.deep.equal(before);
    expect(emu.state.app('/legacy')!.version).to.equal(legacy);
    const again = await run('destroy', [bundle14, ...SKIP, '--yes', '--json'], env);
    expect(again.json().status).to.equal('unchanged');
    expect(again.json().requests.writes).to.equal(0);
  });

  it('deletes in reverse order: apps before the packages they run on', async () => {
    expect((await run('deploy', [bundle14, ...SKIP], env)).code).to.equal(0);
    emu.state.clearRequests();
    expect((await run('destroy', [bundle14, ...SKIP, '--yes'], env)).code).to.equal(0);
    const writes = emu.state.requests().filter((r) => r.method !== 'GET' && !r.path.includes('dcos-cdk-lock') && r.query !== 'force=true');
    const order = writes.map((r) => (r.path.startsWith('/package/') ? 'package' : 'app'));
    expect(order.lastIndexOf('app')).to.be.lessThan(order.indexOf('package'));
  });

  it('refuses to touch an app with the same id that the stack does not own', async () => {
    await call(emu, 'POST', '/service/marathon/v2/apps', { id: '/frontend', cmd: 'sleep 1', cpus: 0.1, mem: 32 });
    await settled(emu);
    const version = emu.state.app('/frontend')!.version;
    emu.state.clearRequests();
    const r = await run('deploy', [bundle14, ...SKIP], env);
    expect(r.code).to.equal(4);
    expect(r.all).to.include('Marathon app /frontend already exists').and.include('DCOS_CDK_STACK').and.include('Nothing was changed');
    expect(emu.state.counts().writes).to.equal(0);
    expect(emu.state.app('/frontend')!.version).to.equal(version);
  });

  it('fails clearly when the bundle holds kinds without a configured driver', async () => {
    const r = await run('deploy', [bundle14], env);
    expect(r.code).to.equal(2);
    expect(r.all).to.include('calico-policy').and.include('--etcd-endpoints').and.include('--skip-kinds');
    // EC2 (default credential chain) and node settings (SSH through the ssh-agent) are
    // configured without flags, so only Calico is missing here.
    expect(r.all).to.not.include('ec2-instance-attribute:').and.not.include('mesos-dns-config:');
    expect(emu.state.counts().writes).to.equal(1);
  });

  it('asks for approval of calico changes (broadening until the analysis is wired)', async () => {
    const applied: PlannedChange[] = [];
    const fake: ArtifactDriver = {
      kinds: ['calico-policy', 'calico-profile', 'calico-ippool'],
      plan: async (desired) => desired.map((a) => ({ id: a.id, kind: a.kind, action: 'create' as const, resource: `Calico ${a.id}`, fields: [], desired: a })),
      apply: async (c) => void applied.push(c),
    };
    const index = DRIVER_FACTORIES.findIndex((f) => f.kinds.includes('calico-policy'));
    const original = DRIVER_FACTORIES[index]!;
    DRIVER_FACTORIES[index] = { kinds: original.kinds, configuredBy: 'test', create: () => fake };
    try {
      const skip = ['--skip-kinds', 'ec2-instance-attribute,mesos-dns-config'];
      const noTty = await run('deploy', [bundle14, ...skip], env);
      expect(noTty.code).to.equal(5);
      expect(noTty.all).to.include('--yes').and.include('--require-approval never').and.include('calico-policy:production-environment');
      expect(emu.state.counts().writes).to.equal(1);
      const refused = await run('deploy', [bundle14, ...skip], env, { interactive: true, prompt: async () => 'n' });
      expect(refused.code).to.equal(5);
      expect(applied).to.have.length(0);
      const questions: string[] = [];
      const yes = await run('deploy', [bundle14, ...skip], env, { interactive: true, prompt: async (q) => (questions.push(q), 'y') });
      expect(yes.code, yes.all).to.equal(0);
      expect(questions).to.have.length(1);
      expect(applied.map((c) => c.kind)).to.include('calico-profile').and.include('calico-policy');
      applied.length = 0;
      // With the flow analysis wired, only opened flows need approval.
      const checked: string[] = [];
      const opens = await run('deploy', [bundle14, ...skip], env, { approvalCheck: (_b, after) => (checked.push(after.manifest.stack), { opened: ['production/tester → development/database tcp/81'], closed: [] }) });
      expect(opens.code).to.equal(5);
      expect(opens.all).to.include('opens production/tester → development/database tcp/81');
      expect(checked).to.deep.equal(['demo']);
      const closesOnly = await run('deploy', [bundle14, ...skip], env, { approvalCheck: () => ({ opened: [], closed: ['x → y tcp/80'] }) });
      expect(closesOnly.code, closesOnly.all).to.equal(0);
      applied.length = 0;
      const never = await run('deploy', [bundle14, ...skip, '--require-approval', 'never'], env);
      expect(never.code, never.all).to.equal(0);
      const any = await run('deploy', [bundle14, ...SKIP, '--require-approval', 'any-change'], env);
      expect(any.code, 'no change left: nothing to approve').to.equal(0);
    } finally {
      DRIVER_FACTORIES[index] = original;
    }
  });

  it('reports a lock held by another deploy with holder and age, and --break-lock takes it over', async () => {
    const since = new Date(Date.now() - 5 * 60_000 - 3000).toISOString();
    await call(emu, 'POST', '/service/marathon/v2/apps', {
      id: '/dcos-cdk-lock',
      cmd: 'sleep 1',
      instances: 0,
      cpus: 0.01,
      mem: 32,
      labels: { DCOS_CDK_LOCK: 'true', DCOS_CDK_LOCK_ID: 'x', DCOS_CDK_LOCK_HOLDER: 'bob@ci pid 7', DCOS_CDK_LOCK_STACK: 'other', DCOS_CDK_LOCK_OPERATION: 'deploy', DCOS_CDK_LOCK_ACQUIRED_AT: since },
    });
    await settled(emu);
    const held = await run('deploy', [bundle14, ...SKIP], env);
    expect(held.code).to.equal(6);
    expect(held.all).to.include('bob@ci pid 7').and.include("stack 'other'").and.match(/taken 5m0\ds ago/).and.include('--break-lock');
    const diff = await run('diff', [bundle14, ...SKIP], env);
    expect(diff.code).to.equal(0);
    expect(diff.all).to.include('bob@ci pid 7');
    const broken = await run('deploy', [bundle14, ...SKIP, '--break-lock'], env);
    expect(broken.code, broken.all).to.equal(0);
    expect(broken.all).to.include('Breaking the deploy lock of bob@ci pid 7');
    expect(emu.state.app('/dcos-cdk-lock')).to.equal(undefined);
  });

  it('never prints the token, even when the cluster echoes it back or rejects it', async () => {
    emu.faults.add({ kind: 'status', status: 500, body: { message: `boom Authorization: token=${TOKEN}` }, method: 'GET', path: /^\/v2\/apps$/, times: 50 });
    const failing = await run('deploy', [bundle14, ...SKIP, '--json'], env);
    expect(failing.code).to.equal(4);
    expect(failing.all).to.include('boom').and.include('[token]');
    emu.faults.clear();
    const wrong = await run('diff', [bundle14, ...SKIP], { DCOS_URL: emu.url, DCOS_ACS_TOKEN: `${TOKEN}-old` });
    expect(wrong.code).to.equal(4);
    expect(wrong.all).to.include('HTTP 403').and.include('rejected the token');
    const ok = await run('deploy', [bundle14, ...SKIP], env);
    const destroyed = await run('destroy', [bundle14, ...SKIP, '--yes', '--json'], env);
    for (const r of [failing, wrong, ok, destroyed]) expect(r.all).not.to.include(TOKEN);
    for (const f of readdirSync(bundle14, { recursive: true, withFileTypes: true })) {
      if (f.isFile()) expect(readFileSync(join(f.parentPath, f.name), 'utf8')).not.to.include(TOKEN);
    }
  });

  it('finds the cluster and token in the dcos CLI configuration (DCOS_DIR, attached, DCOS_CLUSTER)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dcos-cdk-dcosdir-'));
    const cluster = (id: string, name: string, url: string, attached: boolean): void => {
      mkdirSync(join(dir, 'clusters', id), { recursive: true });
      writeFileSync(
        join(dir, 'clusters', id, 'dcos.toml'),
        `[core]\ndcos_url = "${url}"\ndcos_acs_token = "${TOKEN}"\nssl_verify = "false"\ntimeout = 5\n\n[cluster]\nname = "${name}"\n`,
      );
      if (attached) writeFileSync(join(dir, 'clusters', id, 'attached'), '');
    };
    cluster('1111-aaaa', 'emulator', emu.url, true);
    cluster('2222-bbbb', 'elsewhere', 'http://127.0.0.1:9', false);
    const viaAttached = await run('deploy', [bundle14, ...SKIP], { DCOS_DIR: dir });
    expect(viaAttached.code, viaAttached.all).to.equal(0);
    expect(viaAttached.all).to.include('dcos CLI configuration').and.include('1111-aaaa');
    const viaName = await run('diff', [bundle14, ...SKIP, '--json'], { DCOS_DIR: dir, DCOS_CLUSTER: 'emulator' });
    expect(viaName.code, viaName.all).to.equal(0);
    expect(viaName.json().planned.noop).to.equal(8);
    const unknown = await run('diff', [bundle14, ...SKIP], { DCOS_DIR: dir, DCOS_CLUSTER: 'nope' });
    expect(unknown.code).to.equal(2);
    expect(unknown.all).to.include('DCOS_CLUSTER=nope');
    for (const r of [viaAttached, viaName, unknown]) expect(r.all).not.to.include(TOKEN);
  });

  it('converges a 1.4-format bundle on a Marathon 1.5 cluster and a 1.5-format bundle too', async () => {
    const emu15 = await startEmulator({ marathonVersion: '1.5' });
    try {
      const env15 = { DCOS_URL: emu15.url };
      expect((await run('deploy', [bundle14, ...SKIP], env15)).code).to.equal(0);
      expect(emu15.state.app('/frontend')!.networks).to.deep.equal([{ mode: 'container', name: 'calico', labels: { app: 'frontend', group: 'production' } }]);
      const again = await run('deploy', [bundle14, ...SKIP, '--json'], env15);
      expect(again.json().status, again.all).to.equal('unchanged');
      const bundle15 = synthExample({ dcosVersion: '1.10' });
      const r15 = await run('deploy', [bundle15, ...SKIP, '--json'], env15);
      expect(r15.code, r15.all).to.equal(0);
      expect(r15.json().status, JSON.stringify(r15.json().changes)).to.equal('unchanged');
    } finally {
      await emu15.stop();
    }
  });
});
