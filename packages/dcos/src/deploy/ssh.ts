/**
 * SSH sessions to cluster nodes with `ssh2`: keys from the ssh-agent or a
 * file, host keys checked against OpenSSH known_hosts, and hops through a
 * master like `dcos node ssh --master-proxy`.
 */
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { Duplex } from 'node:stream';
import ssh2 from 'ssh2';
import type { Client as SshClient, ClientChannel, ConnectConfig, ServerHostKeyAlgorithm } from 'ssh2';
import { KnownHosts, hostKeyAlgorithmsFor, keyFingerprint, keyTypeOf, knownHostsName, type HostKeyVerdict } from './known-hosts.js';
import { NodeSettingsError, type ClusterNode } from './node-errors.js';

const { Client, utils } = ssh2;

/** A host to hop through, like `dcos node ssh --master-proxy`. */
export interface SshProxy {
  /** Address of the proxy (usually the host of `core.dcos_url`, a master). */
  readonly host: string;
  /** @default the port of {@link SshOptions.port} */
  readonly port?: number;
  /** @default the user of {@link SshOptions.user} */
  readonly user?: string;
}

/** Where a node's sshd listens. */
export interface SshAddress {
  /** Host or IP to connect to. */
  readonly host: string;
  /** sshd port. */
  readonly port: number;
}

/** How to reach the nodes over SSH. */
export interface SshOptions {
  /** Login user; pass the dcos CLI's `core.ssh_user` here. @default 'core' (the dcos CLI's default) */
  readonly user?: string;
  /** sshd port of the nodes. @default 22 */
  readonly port?: number;
  /** Private key (OpenSSH or PEM text). @default none */
  readonly privateKey?: string | Buffer;
  /** File holding the private key (`--ssh-key`). @default none */
  readonly privateKeyFile?: string;
  /** Passphrase of an encrypted private key. @default none */
  readonly passphrase?: string;
  /**
   * ssh-agent socket; `''` disables the agent.
   * @default process.env.SSH_AUTH_SOCK
   */
  readonly agent?: string;
  /** known_hosts files to check host keys against. @default ~/.ssh/known_hosts and /etc/ssh/ssh_known_hosts */
  readonly knownHostsFiles?: readonly string[];
  /** Accept any host key (`--ssh-insecure-host-keys`). @default false */
  readonly insecureHostKeys?: boolean;
  /** Hop through this host to reach every node (`--master-proxy`). @default direct connections */
  readonly proxy?: SshProxy;
  /** Where a node's sshd listens, when not at its hostname and {@link SshOptions.port}. @default `{ host: hostname, port }` */
  readonly address?: (node: ClusterNode) => SshAddress;
  /** Handshake timeout. @default 20000 */
  readonly readyTimeoutMs?: number;
  /**
   * Keep a node's session open this long after its last use, so that plan
   * and apply reuse it ({@link SshConnector.close} ends them at once).
   * @default 0: every `withSession` opens and closes its own session
   */
  readonly idleMs?: number;
}

/** Output of a remote command. */
export interface CommandResult {
  /** Exit status; -1 when the command ended without one (signal, lost connection). */
  readonly code: number;
  /** Standard output (UTF-8). */
  readonly stdout: string;
  /** Standard error (UTF-8). */
  readonly stderr: string;
}

/** A shell on one node: what the drivers need from a connection. */
export interface RemoteShell {
  /** The node this shell runs on. */
  readonly node: ClusterNode;
  /** The login user. */
  readonly user: string;
  /** Runs `command` (through the login shell), feeding `stdin` when given. */
  exec(command: string, stdin?: string): Promise<CommandResult>;
  /** Opens a TCP connection from the node to `host:port` (ssh `direct-tcpip`). */
  openTcp(host: string, port: number): Promise<Duplex>;
}

/** An open SSH session; close it when done. */
export interface SshSession extends RemoteShell {
  /** False once the connection closed. */
  isOpen(): boolean;
  close(): void;
}

interface PoolEntry {
  readonly session: Promise<SshSession>;
  users: number;
  timer?: NodeJS.Timeout;
}

interface Credentials {
  readonly privateKey?: string | Buffer;
  readonly passphrase?: string;
  readonly agent?: string;
  readonly describe: string;
}

const DEFAULT_KEY_FILES = ['id_ed25519', 'id_ecdsa', 'id_rsa'];

/** Opens SSH sessions to nodes with one set of options. */
export class SshConnector {
  /** Login user. */
  public readonly user: string;
  private credentials?: Credentials;
  private knownHosts?: KnownHosts;
  private readonly pool = new Map<string, PoolEntry>();

  constructor(private readonly options: SshOptions = {}) {
    this.user = options.user ?? 'core';
  }

  /** Connects to a node (through the proxy when one is set). */
  public async connect(node: ClusterNode): Promise<SshSession> {
    const target = this.options.address?.(node) ?? { host: node.hostname, port: this.options.port ?? 22 };
    const proxy = this.options.proxy;
    if (!proxy) {
      const client = await this.open(node, target, this.user);
      return session(node, this.user, client, []);
    }
    const proxyNode: ClusterNode = { hostname: proxy.host, role: 'master' };
    const proxyAddr = { host: proxy.host, port: proxy.port ?? this.options.port ?? 22 };
    const hop = await this.open(proxyNode, proxyAddr, proxy.user ?? this.user, undefined, ' (the SSH proxy)');
    try {
      const sock = await forwardOut(hop, target.host, target.port).catch((e: unknown) => {
        throw new NodeSettingsError(
          { node },
          `The proxy ${proxy.host} could not connect to ${target.host}:${target.port} (${(e as Error).message}).`,
          'Check that sshd runs on the node and that the proxy reaches it.',
          { cause: e },
        );
      });
      const client = await this.open(node, target, this.user, sock);
      return session(node, this.user, client, [hop]);
    } catch (e) {
      hop.end();
      throw e;
    }
  }

  /** Runs `fn` with a session to `node`: a new one, or a kept one when {@link SshOptions.idleMs} is set. */
  public async withSession<T>(node: ClusterNode, fn: (shell: RemoteShell) => Promise<T>): Promise<T> {
    const idleMs = this.options.idleMs ?? 0;
    if (idleMs <= 0) {
      const s = await this.connect(node);
      try {
        return await fn(s);
      } finally {
        s.close();
      }
    }
    const entry = await this.pooled(node);
    try {
      return await fn(await entry.session);
    } finally {
      entry.users--;
      if (entry.users === 0) {
        entry.timer = setTimeout(() => {
          if (this.pool.get(node.hostname) === entry) this.pool.delete(node.hostname);
          void entry.session.then((s) => s.close());
        }, idleMs);
        entry.timer.unref();
      }
    }
  }

  /** Closes the sessions kept open. */
  public close(): void {
    for (const entry of this.pool.values()) {
      clearTimeout(entry.timer);
      void entry.session.then((s) => s.close(), () => undefined);
    }
    this.pool.clear();
  }

  private async pooled(node: ClusterNode): Promise<PoolEntry> {
    const kept = this.pool.get(node.hostname);
    if (kept) {
      const open = await kept.session.then((s) => s.isOpen(), () => false);
      if (open && this.pool.get(node.hostname) === kept) {
        clearTimeout(kept.timer);
        kept.users++;
        return kept;
      }
      if (this.pool.get(node.hostname) === kept) this.pool.delete(node.hostname);
    }
    const entry: PoolEntry = { session: this.connect(node), users: 1 };
    this.pool.set(node.hostname, entry);
    try {
      await entry.session;
    } catch (e) {
      if (this.pool.get(node.hostname) === entry) this.pool.delete(node.hostname);
      throw e;
    }
    return entry;
  }

  private creds(): Credentials {
    if (this.credentials) return this.credentials;
    const o = this.options;
    const agent = o.agent ?? process.env.SSH_AUTH_SOCK ?? '';
    let privateKey = o.privateKey;
    let describe = '';
    if (privateKey === undefined && o.privateKeyFile) {
      try {
        privateKey = readFileSync(o.privateKeyFile);
      } catch (e) {
        throw new NodeSettingsError({ file: o.privateKeyFile }, `Cannot read the SSH key (${(e as Error).message}).`, 'Check the path given to --ssh-key.', { cause: e });
      }
      describe = `key ${o.privateKeyFile}`;
    } else if (privateKey !== undefined) {
      describe = 'the given key';
    }
    if (privateKey === undefined && !agent) {
      for (const name of DEFAULT_KEY_FILES) {
        const file = join(homedir(), '.ssh', name);
        try {
          const text = readFileSync(file);
          if (!(utils.parseKey(text) instanceof Error)) {
            privateKey = text;
            describe = `key ${file}`;
            break;
          }
        } catch {
          // not there: try the next one
        }
      }
    }
    if (privateKey === undefined && !agent) {
      throw new NodeSettingsError({}, 'No SSH credentials: no ssh-agent (SSH_AUTH_SOCK is unset), no key given and none in ~/.ssh.', "Start ssh-agent and 'ssh-add' the cluster's key, or pass --ssh-key <file>.");
    }
    describe = [describe, agent ? 'the ssh-agent' : ''].filter(Boolean).join(' and ');
    this.credentials = { ...(privateKey !== undefined ? { privateKey } : {}), ...(o.passphrase ? { passphrase: o.passphrase } : {}), ...(agent ? { agent } : {}), describe };
    return this.credentials;
  }

  private hosts(): KnownHosts {
    this.knownHosts ??= KnownHosts.load(this.options.knownHostsFiles ?? [join(homedir(), '.ssh', 'known_hosts'), '/etc/ssh/ssh_known_hosts']);
    return this.knownHosts;
  }

  private open(node: ClusterNode, addr: SshAddress, user: string, sock?: Duplex, role = ''): Promise<SshClient> {
    const creds = this.creds();
    const insecure = this.options.insecureHostKeys === true;
    const known = insecure ? undefined : this.hosts();
    const algorithms = known ? hostKeyAlgorithmsFor(known.keyTypes(addr.host, addr.port)) : [];
    let verdict: (HostKeyVerdict & { key: Buffer }) | undefined;
    const config: ConnectConfig = {
      ...(sock ? { sock } : { host: addr.host, port: addr.port }),
      username: user,
      readyTimeout: this.options.readyTimeoutMs ?? 20_000,
      ...(creds.privateKey !== undefined ? { privateKey: creds.privateKey } : {}),
      ...(creds.passphrase ? { passphrase: creds.passphrase } : {}),
      ...(creds.agent ? { agent: creds.agent } : {}),
      ...(algorithms.length ? { algorithms: { serverHostKey: algorithms as ServerHostKeyAlgorithm[] } } : {}),
      hostVerifier: (key: Buffer): boolean => {
        if (!known) return true;
        verdict = { ...known.verify(addr.host, addr.port, key), key };
        return verdict.ok;
      },
    };
    const where = `${addr.host}:${addr.port}${role}`;
    return new Promise((resolve, reject) => {
      const client = new Client();
      client.once('ready', () => resolve(client));
      // Kept after 'ready' too: an error of an idle connection must not crash the process.
      client.on('error', (err: Error & { code?: string; level?: string }) => {
        client.end();
        if (verdict && !verdict.ok) return reject(hostKeyError(node, addr, verdict, role));
        reject(connectError(node, where, user, creds.describe, err));
      });
      client.connect(config);
    });
  }
}

function hostKeyError(node: ClusterNode, addr: SshAddress, v: HostKeyVerdict & { ok: false; key: Buffer }, role: string): NodeSettingsError {
  const name = knownHostsName(addr.host, addr.port);
  const key = `${keyTypeOf(v.key)} key ${keyFingerprint(v.key)}`;
  const scan = `ssh-keyscan ${addr.port === 22 ? '' : `-p ${addr.port} `}${addr.host} >> ~/.ssh/known_hosts`;
  if (v.reason === 'unknown') {
    return new NodeSettingsError({ node }, `Host key of ${name}${role} is not in known_hosts (it presented ${key}).`, `Check that fingerprint, then add the key ('${scan}'), or pass --ssh-insecure-host-keys.`);
  }
  if (v.reason === 'revoked') {
    return new NodeSettingsError({ node }, `Host key of ${name}${role} (${key}) is marked @revoked at ${v.origin ?? 'known_hosts'}.`, 'Refusing to connect; replace the node key and update known_hosts.');
  }
  return new NodeSettingsError(
    { node },
    `Host key of ${name}${role} has CHANGED: it presented ${key}, which does not match ${v.origin ?? 'known_hosts'}. Someone could be intercepting the connection.`,
    `If the node was reinstalled, remove the old key ('ssh-keygen -R "${name}"') and add the new one; otherwise investigate.`,
  );
}

function connectError(node: ClusterNode, where: string, user: string, creds: string, err: Error & { code?: string; level?: string }): NodeSettingsError {
  const cause = { cause: err };
  if (err.level === 'client-authentication') {
    return new NodeSettingsError({ node }, `SSH authentication as '${user}' at ${where} failed (tried ${creds}).`, "Add the cluster's key to the ssh-agent ('ssh-add <key>') or pass --ssh-key, and check the user (--ssh-user, core.ssh_user).", cause);
  }
  if (err.code === 'ECONNREFUSED') {
    return new NodeSettingsError({ node }, `SSH connection to ${where} refused.`, 'Check that sshd runs on the node and that the port is reachable from here, or hop through a master with --master-proxy.', cause);
  }
  if (err.code === 'ENOTFOUND' || err.code === 'EAI_AGAIN') {
    return new NodeSettingsError({ node }, `Cannot resolve ${where}.`, 'Check the node address, or hop through a master with --master-proxy.', cause);
  }
  if (err.level === 'client-timeout' || err.code === 'ETIMEDOUT') {
    return new NodeSettingsError({ node }, `SSH connection to ${where} timed out.`, 'Check security groups and routes to port 22, or hop through a master with --master-proxy.', cause);
  }
  return new NodeSettingsError({ node }, `SSH connection to ${where} failed: ${err.message}.`, 'Check the node and its sshd, then deploy again.', cause);
}

function forwardOut(client: SshClient, host: string, port: number): Promise<ClientChannel> {
  return new Promise((resolve, reject) => {
    client.forwardOut('127.0.0.1', 0, host, port, (err, stream) => (err ? reject(err) : resolve(stream)));
  });
}

function session(node: ClusterNode, user: string, client: SshClient, hops: SshClient[]): SshSession {
  let closed = false;
  const pending = new Set<(e: Error) => void>();
  client.on('close', () => {
    closed = true;
    for (const fail of pending) fail(new NodeSettingsError({ node }, 'The SSH connection closed unexpectedly.', 'Check the node, then deploy again.'));
    pending.clear();
  });
  return {
    node,
    user,
    exec: (command, stdin) =>
      new Promise<CommandResult>((resolve, reject) => {
        if (closed) return reject(new NodeSettingsError({ node }, 'The SSH connection is closed.', 'Deploy again.'));
        pending.add(reject);
        client.exec(command, (err, stream) => {
          if (err) {
            pending.delete(reject);
            return reject(new NodeSettingsError({ node }, `Cannot run a command over SSH (${err.message}).`, 'Check MaxSessions of the node sshd, then deploy again.', { cause: err }));
          }
          const out: Buffer[] = [];
          const errOut: Buffer[] = [];
          stream.on('data', (c: Buffer) => out.push(c));
          stream.stderr.on('data', (c: Buffer) => errOut.push(c));
          stream.on('close', (code: number | null | undefined) => {
            pending.delete(reject);
            resolve({ code: typeof code === 'number' ? code : -1, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(errOut).toString('utf8') });
          });
          stream.end(stdin ?? '');
        });
      }),
    openTcp: (host, port) => forwardOut(client, host, port),
    isOpen: () => !closed,
    close: () => {
      client.end();
      for (const h of hops) h.end();
    },
  };
}
