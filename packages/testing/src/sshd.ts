/**
 * A real OpenSSH server for tests of the node-settings drivers: `sshd -D -e`
 * on a free loopback port with generated host and client keys, and a fake
 * `systemctl` (plus a pass-through `sudo`) first on the session's PATH that
 * records restarts into a log file and can be told to fail.
 *
 * Needs `/usr/sbin/sshd` and `ssh-keygen` (Debian `openssh-server`). Works as
 * root (then `PermitRootLogin yes`; `/run/sshd` is created when missing) and
 * as any other user (sshd runs unprivileged and accepts only that user).
 *
 * @module
 */
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, mkdirSync, readFileSync, writeFileSync, existsSync, rmSync, chmodSync, appendFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';

/** A generated SSH key pair (OpenSSH formats). */
export interface SshKeyPair {
  /** Private key, OpenSSH PEM-like format. */
  readonly privateKey: string;
  /** Public key line, `ssh-ed25519 AAAA… comment`. */
  readonly publicKey: string;
}

/** One call of the fake `systemctl`, as recorded in the log. */
export interface SystemctlCall {
  /** Node name the sshd was started with. */
  readonly node: string;
  /** Sub-command, e.g. `restart`. */
  readonly command: string;
  /** Unit, e.g. `dcos-mesos-dns`. */
  readonly unit: string;
  /** False when the fake was told to fail this call. */
  readonly ok: boolean;
}

/** Options of {@link startSshd}. */
export interface SshdOptions {
  /** Name the fake `systemctl` writes into the log (`DCOS_CDK_FAKE_NODE`). @default 'node' */
  readonly nodeName?: string;
  /** Client key to authorize; share one between several sshd processes. @default a new ed25519 key */
  readonly clientKey?: SshKeyPair;
  /** Log file of the fake `systemctl`; share one between several sshd processes. @default `<dir>/systemctl.log` */
  readonly systemctlLog?: string;
  /** Extra environment given to every session (sshd `SetEnv`). @default {} */
  readonly env?: Readonly<Record<string, string>>;
  /** sshd `AllowTcpForwarding` (what `direct-tcpip`, e.g. a master proxy, needs). @default true */
  readonly allowTcpForwarding?: boolean;
}

/** A running sshd. */
export interface SshdHandle {
  /** Always `127.0.0.1`. */
  readonly host: string;
  /** The port sshd listens on. */
  readonly port: number;
  /** User that may log in: the user running the tests. */
  readonly user: string;
  /** Private key of the authorized client key. */
  readonly privateKey: string;
  /** The authorized client key pair. */
  readonly clientKey: SshKeyPair;
  /** A known_hosts line for this server: `[127.0.0.1]:<port> ssh-ed25519 AAAA…`. */
  readonly hostKeyLine: string;
  /** The host's public key line (`ssh-ed25519 AAAA…`). */
  readonly hostPublicKey: string;
  /** Temporary folder of this server (config, keys, fake binaries, `sshd.log`). */
  readonly dir: string;
  /** The fake `systemctl`. */
  readonly systemctl: FakeSystemctl;
  /** Commands run through the fake `sudo` (any node sharing the log), as `<node> sudo <command> <first argument>`, e.g. `10.0.1.1 sudo sh -c`. */
  sudoCalls(): string[];
  /** Stops sshd and removes its folder. */
  stop(): Promise<void>;
}

/** Controls and reads the fake `systemctl` of one sshd. */
export interface FakeSystemctl {
  /** Log file shared by every sshd started with the same `systemctlLog`. */
  readonly logFile: string;
  /** Every recorded call (of every node writing to the same log). */
  calls(): SystemctlCall[];
  /**
   * Makes `systemctl <command> <unit>` fail on this node, `times` times
   * (default: until {@link FakeSystemctl.reset}).
   */
  fail(command: string, unit: string, times?: number): void;
  /** Makes `systemctl is-active <unit>` answer `inactive` on this node. */
  setInactive(unit: string, inactive: boolean): void;
  /** Forgets the failures set on this node. */
  reset(): void;
}

const SSHD = '/usr/sbin/sshd';

const FAKE_SYSTEMCTL = `#!/bin/sh
# Fake systemctl of the dcos-cdk test harness.
log="\${DCOS_CDK_FAKE_LOG:?}"; node="\${DCOS_CDK_FAKE_NODE:-node}"; ctl="\${DCOS_CDK_FAKE_CONTROL:?}"
cmd="$1"; shift; unit=""
for a in "$@"; do case "$a" in -*) ;; *) unit="\${a%.service}";; esac; done
f="$ctl/fail-$cmd-$unit"
if [ -e "$f" ]; then
  n=$(cat "$f")
  if [ "$n" != always ]; then n=$((n - 1)); if [ "$n" -le 0 ]; then rm -f "$f"; else echo "$n" > "$f"; fi; fi
  echo "$node $cmd $unit failed" >> "$log"
  echo "Job for $unit.service failed because the control process exited with error code." >&2
  echo "See \\"systemctl status $unit.service\\" and \\"journalctl -xe\\" for details." >&2
  exit 1
fi
case "$cmd" in
  is-active)
    if [ -e "$ctl/inactive-$unit" ]; then echo "$node $cmd $unit inactive" >> "$log"; echo inactive; exit 3; fi
    echo "$node $cmd $unit ok" >> "$log"; echo active; exit 0;;
  *) echo "$node $cmd $unit ok" >> "$log"; exit 0;;
esac
`;

/** Drops `-n` and other options, then runs the command: a stand-in for `sudo -n`. */
const FAKE_SUDO = `#!/bin/sh
while [ $# -gt 0 ]; do case "$1" in -*) shift;; *) break;; esac; done
echo "\${DCOS_CDK_FAKE_NODE:-node} sudo $1 $2" >> "\${DCOS_CDK_FAKE_LOG:?}.sudo"
exec "$@"
`;

/** Generates an ed25519 key pair with `ssh-keygen`. */
export function generateKeyPair(comment = 'dcos-cdk-test'): SshKeyPair {
  const dir = mkdtempSync(join(tmpdir(), 'dcos-cdk-key-'));
  try {
    const file = join(dir, 'key');
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', comment, '-f', file], { stdio: 'ignore' });
    return { privateKey: readFileSync(file, 'utf8'), publicKey: readFileSync(`${file}.pub`, 'utf8').trim() };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A TCP port nobody listens on right now (for "connection refused" tests, or to start a server). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

/** Starts sshd on a free loopback port; resolves once it listens. */
export async function startSshd(options: SshdOptions = {}): Promise<SshdHandle> {
  const dir = mkdtempSync(join(tmpdir(), 'dcos-cdk-sshd-'));
  const user = userInfo().username;
  const root = process.getuid?.() === 0;
  if (root && !existsSync('/run/sshd')) mkdirSync('/run/sshd', { recursive: true, mode: 0o755 });

  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'host', '-f', join(dir, 'host_key')], { stdio: 'ignore' });
  const hostPublicKey = readFileSync(join(dir, 'host_key.pub'), 'utf8').trim().split(/\s+/).slice(0, 2).join(' ');
  const clientKey = options.clientKey ?? generateKeyPair();
  writeFileSync(join(dir, 'authorized_keys'), `${clientKey.publicKey}\n`);

  const bin = join(dir, 'bin');
  const control = join(dir, 'control');
  mkdirSync(bin);
  mkdirSync(control);
  writeFileSync(join(bin, 'systemctl'), FAKE_SYSTEMCTL);
  writeFileSync(join(bin, 'sudo'), FAKE_SUDO);
  chmodSync(join(bin, 'systemctl'), 0o755);
  chmodSync(join(bin, 'sudo'), 0o755);
  const logFile = options.systemctlLog ?? join(dir, 'systemctl.log');
  appendFileSync(logFile, '');

  const env: Record<string, string> = {
    PATH: `${bin}:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin`,
    DCOS_CDK_FAKE_LOG: logFile,
    DCOS_CDK_FAKE_NODE: options.nodeName ?? 'node',
    DCOS_CDK_FAKE_CONTROL: control,
    // bash sources ~/.bashrc when started by sshd (SSH_CLIENT set) unless SHLVL
    // says it is nested; the test host's dotfiles must not run in every session.
    SHLVL: '1',
    ...options.env,
  };
  for (const [k, v] of Object.entries(env)) {
    if (/[\s"]/.test(v)) throw new Error(`startSshd: env ${k}=${v} contains spaces or quotes, which SetEnv cannot carry.`);
  }

  let lastError: Error | undefined;
  for (let attempt = 0; attempt < 3; attempt++) {
    const port = await freePort();
    const config = [
      `ListenAddress 127.0.0.1:${port}`,
      `HostKey ${join(dir, 'host_key')}`,
      `AuthorizedKeysFile ${join(dir, 'authorized_keys')}`,
      `PidFile ${join(dir, 'sshd.pid')}`,
      root ? 'PermitRootLogin yes' : `AllowUsers ${user}`,
      'UsePAM no',
      'StrictModes no',
      'PasswordAuthentication no',
      'KbdInteractiveAuthentication no',
      `AllowTcpForwarding ${options.allowTcpForwarding === false ? 'no' : 'yes'}`,
      'MaxStartups 100:30:200',
      'MaxSessions 100',
      'LogLevel INFO',
      `SetEnv ${Object.entries(env).map(([k, v]) => `${k}=${v}`).join(' ')}`,
      '',
    ].join('\n');
    const configFile = join(dir, 'sshd_config');
    writeFileSync(configFile, config);
    try {
      const proc = await launch(configFile, port);
      return handle({ dir, user, port, proc, clientKey, hostPublicKey, logFile, control });
    } catch (e) {
      lastError = e as Error;
    }
  }
  rmSync(dir, { recursive: true, force: true });
  throw lastError ?? new Error('sshd did not start');
}

function launch(configFile: string, port: number): Promise<ChildProcess> {
  return new Promise((resolve, reject) => {
    const proc = spawn(SSHD, ['-D', '-e', '-f', configFile], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    const timer = setTimeout(() => {
      proc.kill('SIGKILL');
      reject(new Error(`sshd did not start listening on port ${port} within 5 s: ${stderr}`));
    }, 5000);
    proc.stderr?.setEncoding('utf8');
    proc.stderr?.on('data', (chunk: string) => {
      stderr += chunk;
      if (stderr.includes(`Server listening on 127.0.0.1 port ${port}`)) {
        clearTimeout(timer);
        resolve(proc);
      }
    });
    proc.once('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    proc.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`sshd exited with code ${String(code)}: ${stderr}`));
    });
  });
}

interface HandleParts {
  dir: string;
  user: string;
  port: number;
  proc: ChildProcess;
  clientKey: SshKeyPair;
  hostPublicKey: string;
  logFile: string;
  control: string;
}

function handle(p: HandleParts): SshdHandle {
  // Keep draining stderr (so sshd never blocks on a full pipe) into a log file, for debugging.
  const sshdLog = join(p.dir, 'sshd.log');
  p.proc.stderr?.on('data', (chunk: string) => {
    try {
      appendFileSync(sshdLog, chunk);
    } catch {
      // the folder is gone: the server is stopping
    }
  });
  const systemctl: FakeSystemctl = {
    logFile: p.logFile,
    calls: () =>
      readFileSync(p.logFile, 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((line) => {
          const [node = '', command = '', unit = '', status = ''] = line.split(' ');
          return { node, command, unit, ok: status === 'ok' };
        }),
    fail: (command, unit, times) => writeFileSync(join(p.control, `fail-${command}-${unit}`), times === undefined ? 'always' : String(times)),
    setInactive: (unit, inactive) => {
      const f = join(p.control, `inactive-${unit}`);
      if (inactive) writeFileSync(f, '');
      else rmSync(f, { force: true });
    },
    reset: () => {
      rmSync(p.control, { recursive: true, force: true });
      mkdirSync(p.control);
    },
  };
  return {
    host: '127.0.0.1',
    port: p.port,
    user: p.user,
    privateKey: p.clientKey.privateKey,
    clientKey: p.clientKey,
    hostKeyLine: `[127.0.0.1]:${p.port} ${p.hostPublicKey}`,
    hostPublicKey: p.hostPublicKey,
    dir: p.dir,
    systemctl,
    sudoCalls: () => {
      const f = `${p.logFile}.sudo`;
      return existsSync(f) ? readFileSync(f, 'utf8').split('\n').filter(Boolean) : [];
    },
    stop: () =>
      new Promise<void>((resolve) => {
        const done = (): void => {
          rmSync(p.dir, { recursive: true, force: true });
          resolve();
        };
        if (p.proc.exitCode !== null || p.proc.signalCode !== null) return done();
        p.proc.once('exit', done);
        p.proc.kill('SIGTERM');
      }),
  };
}
