import { expect } from 'chai';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, startSshd, type SshdHandle } from '../../../testing/src/sshd.js';
import { createServer } from 'node:http';
import { SshConnector, waitForMesosDns, type ClusterNode, type SshOptions } from '../../src/deploy/node-settings.js';

const NODE: ClusterNode = { hostname: '10.0.1.1', role: 'agent' };

describe('node settings: SSH sessions against a real sshd', function () {
  this.timeout(20000);
  let a: SshdHandle;
  let b: SshdHandle;
  let dir: string;
  let knownHosts: string;

  before(async () => {
    a = await startSshd({ nodeName: 'node-a' });
    b = await startSshd({ nodeName: 'node-b', clientKey: a.clientKey });
    dir = mkdtempSync(join(tmpdir(), 'dcos-cdk-ssh-'));
    knownHosts = join(dir, 'known_hosts');
    writeFileSync(knownHosts, `${a.hostKeyLine}\n${b.hostKeyLine}\n`);
  });
  after(async () => {
    await Promise.all([a.stop(), b.stop()]);
    rmSync(dir, { recursive: true, force: true });
  });

  function options(server: SshdHandle, extra: Partial<SshOptions> = {}): SshOptions {
    return { user: server.user, privateKey: server.privateKey, agent: '', knownHostsFiles: [knownHosts], address: () => ({ host: '127.0.0.1', port: server.port }), readyTimeoutMs: 5000, ...extra };
  }

  async function error(p: Promise<unknown>): Promise<string> {
    return p.then(() => 'no error', (e: Error) => e.message);
  }

  it('runs commands with stdin, exit status and stderr, in the PATH the harness gives (fake systemctl first)', async () => {
    const out = await new SshConnector(options(a)).withSession(NODE, async (s) => [
      await s.exec('cat; echo " $DCOS_CDK_FAKE_NODE"', 'hello'),
      await s.exec('echo oops >&2; exit 3'),
      await s.exec('command -v systemctl'),
    ]);
    expect(out[0]).to.deep.equal({ code: 0, stdout: 'hello node-a\n', stderr: '' });
    expect(out[1]).to.deep.equal({ code: 3, stdout: '', stderr: 'oops\n' });
    expect(out[2]?.stdout.trim()).to.equal(join(a.dir, 'bin', 'systemctl'));
  });

  it('accepts a hashed known_hosts entry (ssh-keygen -H)', async () => {
    const hashed = join(dir, 'hashed');
    writeFileSync(hashed, `${a.hostKeyLine}\n`);
    execFileSync('ssh-keygen', ['-H', '-f', hashed], { stdio: 'ignore' });
    const s = await new SshConnector(options(a, { knownHostsFiles: [hashed] })).connect(NODE);
    s.close();
  });

  it('refuses an unknown host key, showing its fingerprint and how to add it; --ssh-insecure-host-keys connects anyway', async () => {
    const empty = join(dir, 'empty');
    writeFileSync(empty, '');
    const msg = await error(new SshConnector(options(a, { knownHostsFiles: [empty] })).connect(NODE));
    expect(msg).to.match(new RegExp(`^agent 10\\.0\\.1\\.1: Host key of \\[127\\.0\\.0\\.1\\]:${a.port} is not in known_hosts \\(it presented ssh-ed25519 key SHA256:[A-Za-z0-9+/]{43}\\)\\. Check that fingerprint, then add the key \\('ssh-keyscan -p ${a.port} 127\\.0\\.0\\.1 >> ~/\\.ssh/known_hosts'\\), or pass --ssh-insecure-host-keys\\.$`));
    const s = await new SshConnector(options(a, { knownHostsFiles: [empty], insecureHostKeys: true })).connect(NODE);
    s.close();
  });

  it('refuses a host whose key changed', async () => {
    const wrong = join(dir, 'wrong');
    writeFileSync(wrong, `[127.0.0.1]:${a.port} ${b.hostPublicKey}\n`);
    const msg = await error(new SshConnector(options(a, { knownHostsFiles: [wrong] })).connect(NODE));
    expect(msg).to.match(new RegExp(`^agent 10\\.0\\.1\\.1: Host key of \\[127\\.0\\.0\\.1\\]:${a.port} has CHANGED: .* does not match ${wrong}:1\\. .*ssh-keygen -R`));
  });

  it('reports a refused connection with what to check', async () => {
    const port = await freePort();
    const msg = await error(new SshConnector(options(a, { address: () => ({ host: '127.0.0.1', port }) })).connect(NODE));
    expect(msg).to.equal(`agent 10.0.1.1: SSH connection to 127.0.0.1:${port} refused. Check that sshd runs on the node and that the port is reachable from here, or hop through a master with --master-proxy.`);
  });

  it('reports a failed authentication with the user and the credentials tried', async () => {
    const msg = await error(new SshConnector(options(a, { user: 'nobody-here' })).connect(NODE));
    expect(msg).to.match(/^agent 10\.0\.1\.1: SSH authentication as 'nobody-here' at 127\.0\.0\.1:\d+ failed \(tried the given key\)\. Add the cluster's key to the ssh-agent \('ssh-add <key>'\) or pass --ssh-key/);
  });

  it('hops through a master like `dcos node ssh --master-proxy` (direct-tcpip from the proxy to the node)', async () => {
    const connector = new SshConnector(options(b, { proxy: { host: '127.0.0.1', port: a.port } }));
    const out = await connector.withSession(NODE, (s) => s.exec('echo $DCOS_CDK_FAKE_NODE'));
    expect(out.stdout).to.equal('node-b\n');
    const port = await freePort();
    const refused = new SshConnector(options(b, { proxy: { host: '127.0.0.1', port: a.port }, address: () => ({ host: '127.0.0.1', port }) }));
    expect(await error(refused.connect(NODE))).to.match(new RegExp(`^agent 10\\.0\\.1\\.1: The proxy 127\\.0\\.0\\.1 could not connect to 127\\.0\\.0\\.1:${port} \\(.*\\)\\. Check that sshd runs on the node`));
  });

  it('keeps a session open between uses when idleMs is set (plan and apply share it), and close() ends it', async () => {
    // SSH_CLIENT carries the client's source port: the same value means the same connection.
    const connector = new SshConnector(options(a, { idleMs: 5000 }));
    const client = async (): Promise<string> => (await connector.withSession(NODE, (s) => s.exec('echo $SSH_CLIENT'))).stdout;
    const first = await client();
    expect(await client()).to.equal(first);
    connector.close();
    expect(await client()).not.to.equal(first);
    connector.close();
  });

  it('waits for Mesos-DNS over a forwarded connection, or with curl on the node when sshd forbids forwarding', async () => {
    const server = createServer((req, res) => {
      res.writeHead(req.url === '/v1/version' ? 200 : 404);
      res.end('{"Service":"Mesos-DNS"}');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as { port: number }).port;
    const closed = await startSshd({ nodeName: 'no-forwarding', clientKey: a.clientKey, allowTcpForwarding: false });
    writeFileSync(knownHosts, `${a.hostKeyLine}\n${b.hostKeyLine}\n${closed.hostKeyLine}\n`);
    try {
      for (const server of [a, closed]) {
        await new SshConnector(options(server)).withSession(NODE, (s) => waitForMesosDns(s, { host: '127.0.0.1', port }, { timeoutMs: 3000, intervalMs: 20 }));
      }
      const port2 = await freePort();
      const msg = await error(new SshConnector(options(closed)).withSession(NODE, (s) => waitForMesosDns(s, { host: '127.0.0.1', port: port2 }, { timeoutMs: 100, intervalMs: 20 })));
      expect(msg).to.match(new RegExp(`^timed out after 0 s waiting for Mesos-DNS to answer on 127\\.0\\.0\\.1:${port2} \\(last error: curl http://127\\.0\\.0\\.1:${port2}/v1/version failed`));
    } finally {
      server.close();
      await closed.stop();
    }
  });
});
