/* `dcos-cdk sandbox`: emulator (and etcd when on PATH) on loopback until Ctrl-C. */
import { expect } from 'chai';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deployCommands } from '../../packages/cli/src/commands/index-deploy.js';
import { run, SKIP, synthExample } from './helpers.js';

async function waitForLine(lines: string[], timeoutMs: number): Promise<string> {
  const end = Date.now() + timeoutMs;
  while (lines.length === 0) {
    if (Date.now() > end) throw new Error('sandbox printed nothing');
    await new Promise((r) => setTimeout(r, 20));
  }
  return lines[0]!;
}

describe('dcos-cdk sandbox', function () {
  this.timeout(20000);

  it('runs the emulator and etcd (v2) until stopped, and deploy works against it', async () => {
    const out: string[] = [];
    const err: string[] = [];
    const controller = new AbortController();
    const env = { PATH: process.env.PATH };
    const done = deployCommands.sandbox.run(['--json', '--auth', '--deployment-ms', '5'], (l) => out.push(l), (l) => err.push(l), {
      env,
      cwd: mkdtempSync(join(tmpdir(), 'sandbox-cwd-')),
      signal: controller.signal,
    });
    const info = JSON.parse(await waitForLine(out, 15000)) as { emulatorUrl: string; etcdUrl?: string; env: Record<string, string>; marathonVersion: string };
    try {
      expect(info.emulatorUrl).to.match(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(info.marathonVersion).to.equal('1.5');
      expect(info.env.DCOS_URL).to.equal(info.emulatorUrl);
      expect(info.env.DCOS_ACS_TOKEN).to.be.a('string');
      expect((await fetch(`${info.emulatorUrl}/service/marathon/v2/apps`)).status).to.equal(401);
      if (info.etcdUrl) {
        const put = await fetch(`${info.etcdUrl}/v2/keys/dcos-cdk-test`, { method: 'PUT', body: 'value=1', headers: { 'Content-Type': 'application/x-www-form-urlencoded' } });
        expect(put.status).to.be.oneOf([200, 201]);
      }
      const r = await run('deploy', [synthExample(), ...SKIP, '--json'], info.env);
      expect(r.code, r.all).to.equal(0);
      expect(r.json().applied.create).to.equal(8);
    } finally {
      controller.abort();
    }
    expect(await done).to.equal(0);
    await fetch(`${info.emulatorUrl}/ping`).then(
      () => expect.fail('emulator still up'),
      () => undefined,
    );
    if (info.etcdUrl) {
      await fetch(`${info.etcdUrl}/version`).then(
        () => expect.fail('etcd still up'),
        () => undefined,
      );
    }
  });

  it('prints how to use it, and rejects bad options', async () => {
    const help = await run('sandbox', ['--help'], {});
    expect(help.code).to.equal(0);
    expect(help.all).to.include('Usage: dcos-cdk sandbox');
    const bad = await run('sandbox', ['--marathon-version', '2.0'], {});
    expect(bad.code).to.equal(2);
    const controller = new AbortController();
    const out: string[] = [];
    const p = deployCommands.sandbox.run(['--no-etcd', '--marathon-version', '1.4'], (l) => out.push(l), () => undefined, { env: {}, cwd: mkdtempSync(join(tmpdir(), 'sb-')), signal: controller.signal });
    await waitForLine(out, 5000);
    await new Promise((r) => setTimeout(r, 20));
    controller.abort();
    expect(await p).to.equal(0);
    const text = out.join('\n');
    expect(text).to.include('Marathon 1.4 + Cosmos emulator').and.include('export DCOS_URL=http://127.0.0.1:').and.include('--no-etcd').and.include('Stopping');
  });
});
