/**
 * What the node-settings drivers share: options, node discovery, SSH
 * sessions, the node root, sudo, and the change-then-restart step that keeps
 * a node recoverable.
 */
import { createHash } from 'node:crypto';
import type { DriverContext } from '@dcos-cdk/core';
import { NodeSettingsError, nodeLabel, problemOf, type ClusterNode } from './node-errors.js';
import { discoverAgents, discoverMasters, type AdminRouterConnection, type NodeList } from './nodes.js';
import { RemoteFile, underRoot, type FileEdit, type RemoteFileState } from './remote-file.js';
import { SshConnector, type RemoteShell, type SshOptions } from './ssh.js';

/** Options shared by {@link MesosDnsDriver} and {@link CniNetworkDriver}. */
export interface NodeSettingsOptions {
  /** Admin Router: discovers masters and agents, and watches agents re-register. @default none: `nodes` must list them */
  readonly connection?: AdminRouterConnection;
  /** Explicit nodes, role by role, instead of discovery. @default discovered */
  readonly nodes?: NodeList;
  /** SSH settings (user, key, known_hosts, proxy). @default user `core`, the ssh-agent, ~/.ssh/known_hosts */
  readonly ssh?: SshOptions;
  /** Opens the sessions; replaces `ssh`. @default `new SshConnector({ idleMs: 2000, ...ssh })` */
  readonly connector?: NodeConnector;
  /**
   * Folder that stands for `/` on the nodes (`--node-root`), or one per node.
   * @default '/'
   */
  readonly root?: string | ((node: ClusterNode) => string);
  /** Run file edits and restarts through `sudo -n`. @default true unless the SSH user is root */
  readonly sudo?: boolean;
  /** Agents restarted at once (`--max-unavailable`); masters always go one by one. @default 1 */
  readonly maxUnavailable?: number;
  /** How long a master's Mesos-DNS may take to answer after a restart. @default 120000 */
  readonly mesosDnsTimeoutMs?: number;
  /** How long an agent may take to re-register after a restart. @default 300000 */
  readonly agentTimeoutMs?: number;
  /** Pause between two looks while waiting. @default 2000 */
  readonly pollIntervalMs?: number;
  /** Nodes read at once while planning. @default 8 */
  readonly concurrency?: number;
  /**
   * When the bundle declares no artifact of the driver's kind, still visit
   * the nodes to remove what the stack owns there (needs SSH to every node).
   * Set false for stacks that never used node settings, so that deploying
   * them needs no SSH access.
   * @default true
   */
  readonly pruneUndeclared?: boolean;
}

/** What the drivers need to open sessions: an {@link SshConnector} or a stand-in. */
export type NodeConnector = Pick<SshConnector, 'withSession' | 'user' | 'close'>;

/** SHA-256 (hex) of a text as UTF-8, as `sha256sum` prints it on the node. */
export function sha256Text(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/** Nodes, sessions and paths for the drivers. */
export class NodeAccess {
  /** Opens the SSH sessions. */
  public readonly connector: NodeConnector;
  /** Edits and restarts go through `sudo -n`. */
  public readonly sudo: boolean;

  constructor(public readonly options: NodeSettingsOptions) {
    // Sessions stay open a little after use, so that apply reuses those of plan.
    this.connector = options.connector ?? new SshConnector({ idleMs: 2000, ...options.ssh });
    this.sudo = options.sudo ?? this.connector.user !== 'root';
  }

  /** The masters. */
  public masters(ctx: DriverContext): Promise<ClusterNode[]> {
    return discoverMasters(this.source(ctx));
  }

  /** Private and public agents. */
  public agents(ctx: DriverContext): Promise<ClusterNode[]> {
    return discoverAgents(this.source(ctx));
  }

  /** A path on the node, under the node root. */
  public path(node: ClusterNode, path: string): string {
    const root = typeof this.options.root === 'function' ? this.options.root(node) : (this.options.root ?? '/');
    return underRoot(root, path);
  }

  /** A file on the node. */
  public file(shell: RemoteShell, ctx: DriverContext, path: string, stateDir?: string): RemoteFile {
    return new RemoteFile(shell, this.path(shell.node, path), {
      sudo: this.sudo,
      counters: ctx.counters,
      ...(stateDir ? { stateDir: this.path(shell.node, stateDir) } : {}),
    });
  }

  /**
   * Runs `fn` on every node with a session each, a few nodes at a time;
   * results in node order. Every node is tried; failures are thrown together
   * afterwards, in node order.
   */
  public async onEach<T>(nodes: readonly ClusterNode[], fn: (shell: RemoteShell) => Promise<T>): Promise<T[]> {
    const out = new Array<T>(nodes.length);
    const errors = new Array<unknown>(nodes.length);
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < nodes.length) {
        const i = next++;
        try {
          out[i] = await this.connector.withSession(nodes[i] as ClusterNode, fn);
        } catch (e) {
          errors[i] = e;
        }
      }
    };
    const width = Math.min(Math.max(1, this.options.concurrency ?? 8), nodes.length);
    await Promise.all(Array.from({ length: width }, worker));
    const failed = errors.filter((e) => e !== undefined);
    if (failed.length === 1) throw failed[0];
    if (failed.length > 1) throw new NodeSettingsError({}, `${failed.length} nodes failed:\n${failed.map((e) => `  ${(e as Error).message}`).join('\n')}`, '');
    return out;
  }

  /** Wait settings. */
  public wait(ctx: DriverContext, timeoutMs: number): { timeoutMs: number; intervalMs: number; signal?: AbortSignal } {
    return { timeoutMs, intervalMs: this.options.pollIntervalMs ?? 2000, ...(ctx.signal ? { signal: ctx.signal } : {}) };
  }

  private source(ctx: DriverContext): { connection?: AdminRouterConnection; nodes?: NodeList; counters: DriverContext['counters']; signal?: AbortSignal } {
    return {
      ...(this.options.connection ? { connection: this.options.connection } : {}),
      ...(this.options.nodes ? { nodes: this.options.nodes } : {}),
      counters: ctx.counters,
      ...(ctx.signal ? { signal: ctx.signal } : {}),
    };
  }
}

/** One file change on one node, followed by the restart it needs. */
export interface FileRoll {
  /** The file. */
  readonly file: RemoteFile;
  /** What a fresh read found. */
  readonly current: RemoteFileState;
  /** New content; `undefined` removes the file. */
  readonly next: string | undefined;
  /** Restarts the service and waits until it works again. */
  readonly restart: () => Promise<void>;
  /** Unit restarted, for messages and the marker. */
  readonly unit: string;
  /** Stack name, written into the marker. */
  readonly stack: string;
  /** Progress reporter. */
  readonly progress: (message: string) => void;
  /** Other edits done in the same command as the change (ownership records). @default none */
  readonly before?: readonly FileEdit[];
  /** Other edits done in the same command as the marker's removal, or alone when nothing restarts. @default none */
  readonly after?: readonly FileEdit[];
}

/**
 * Writes (or removes) the file and restarts, so that a crash at any point
 * is finished by the next deploy: the marker is written before the change
 * and removed after the restart worked. When the restart fails, the previous
 * content is put back and the service restarted with it, and the error says
 * so. Does nothing when the content is right and no restart is pending.
 */
export async function changeThenRestart(roll: FileRoll, node: ClusterNode): Promise<boolean> {
  const { file, current, next } = roll;
  const write = next !== current.content;
  const first: FileEdit[] = [...(roll.before ?? [])];
  if (write) {
    const marker = `${roll.unit} (stack ${roll.stack})`;
    roll.progress(`${nodeLabel(node)}: ${next === undefined ? 'removing' : 'writing'} ${file.path}`);
    first.push(next === undefined ? { kind: 'remove', file, expect: current.sha256 ?? null, marker } : { kind: 'write', file, content: next, expect: current.sha256 ?? null, marker });
  }
  await RemoteFile.edit(first);
  if (!write && !current.pendingRestart) {
    await RemoteFile.edit(roll.after ?? []);
    return false;
  }
  roll.progress(`${nodeLabel(node)}: restarting ${roll.unit}`);
  try {
    await roll.restart();
  } catch (e) {
    const cause = problemOf(e);
    if (!write) {
      throw new NodeSettingsError({ node, file: file.path }, `Restarting ${roll.unit} failed: ${cause}.`, `The file was already right; the restart is still pending (${file.markerPath}). Fix the service, then deploy again.`, { cause: e });
    }
    try {
      const written = next === undefined ? null : sha256Text(next);
      roll.progress(`${nodeLabel(node)}: putting the previous ${file.path} back`);
      if (current.content === undefined) await file.remove(written);
      else await file.write(current.content, written, { backup: false });
      await roll.restart();
      await file.clearPendingRestart();
    } catch (e2) {
      throw new NodeSettingsError(
        { node, file: file.path },
        `Restarting ${roll.unit} after the change failed (${cause}), and so did putting the previous file back and restarting (${problemOf(e2)}).`,
        `Repair the node by hand (the previous file is ${file.backupPath}; 'journalctl -u ${roll.unit}'), then deploy again.`,
        { cause: e },
      );
    }
    throw new NodeSettingsError(
      { node, file: file.path },
      `Restarting ${roll.unit} after the change failed (${cause}). The previous file was put back and ${roll.unit} restarted with it; nodes not reached yet were left alone.`,
      `Look at 'journalctl -u ${roll.unit}' on the node, then deploy again.`,
      { cause: e },
    );
  }
  await RemoteFile.edit([{ kind: 'clear-marker', file }, ...(roll.after ?? [])]);
  return true;
}
