/**
 * Driver of `cni-network` artifacts: the CNI file of an extra network on
 * every agent (private and public), agents restarted a few at a time and
 * waited for until they re-register with the Mesos master.
 *
 * The stack's files are listed in an ownership record per stack,
 * `<cni dir>.dcos-cdk/owner-<stack>.json`; only files listed there are ever
 * replaced without --force or removed. Backups, temporary files and restart
 * markers live in that folder too, never in the CNI folder itself: the Mesos
 * agent loads every file there, and a backup would declare its network twice
 * (Mesos keeps whichever file it lists first, possibly the old one).
 */
import { posix } from 'node:path';
import type { ArtifactDriver, DesiredArtifact, DriverContext, FieldChange, PlannedChange } from '@dcos-cdk/core';
import { NodeAccess, changeThenRestart, type NodeSettingsOptions } from './node-access.js';
import { NodeSettingsError, type ClusterNode } from './node-errors.js';
import { fetchAgentRegistrations } from './nodes.js';
import { isNodeSettingsChange, ownerRecordRemoval, ownerRecordWrite, parseOwnerRecord, summarize, type NodeFileChange } from './node-plan.js';
import { readFolders, type FolderEntry, type RemoteFileState } from './remote-file.js';
import { restartService, rollOut, waitForAgent, waitForUnitActive } from './rolling-restart.js';
import type { RemoteShell } from './ssh.js';
import { jsonFieldChanges } from './text-diff.js';

/** Where DC/OS agents read CNI network files (`MESOS_NETWORK_CNI_CONFIG_DIR`). */
export const CNI_DIR = '/opt/mesosphere/etc/dcos/network/cni';

/** Options of {@link CniNetworkDriver}. */
export interface CniNetworkDriverOptions extends NodeSettingsOptions {
  /** CNI configuration folder of the agents. @default '/opt/mesosphere/etc/dcos/network/cni' */
  readonly cniDir?: string;
}

const KIND = 'cni-network';
const FILE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;
const MARKER_SUFFIX = '.dcos-cdk.pending-restart';

/** Systemd unit of the Mesos agent on a node of this role. */
export function agentUnit(node: ClusterNode): string {
  return node.role === 'public-agent' ? 'dcos-mesos-slave-public' : 'dcos-mesos-slave';
}

function networkOf(fileName: string): string {
  return fileName.replace(/\.(cni|conf|conflist|json)$/, '');
}

function parsedOrText(text: string | undefined): unknown {
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

/** What one read of an agent finds: its CNI files, pending restarts and ownership records. */
interface Snapshot {
  /** Files of the CNI folder by name. */
  readonly files: ReadonlyMap<string, FolderEntry>;
  /** Names of files whose restart is pending. */
  readonly pending: ReadonlySet<string>;
  /** Files this stack owns on the node, and the record's hash. */
  readonly mine: readonly string[];
  readonly mineSha?: string;
  /** Other stacks' files: file name → stack. */
  readonly others: ReadonlyMap<string, string>;
}

interface AgentFile extends NodeFileChange {
  readonly fileName: string;
  readonly current: RemoteFileState;
  readonly owned: boolean;
}

/** Driver for `cni-network`. */
export class CniNetworkDriver implements ArtifactDriver {
  /** Artifact kinds handled. */
  public readonly kinds = [KIND] as const;
  private readonly access: NodeAccess;
  private readonly cniDir: string;
  private readonly stateDir: string;

  constructor(private readonly options: CniNetworkDriverOptions) {
    this.access = new NodeAccess(options);
    this.cniDir = options.cniDir ?? CNI_DIR;
    this.stateDir = `${this.cniDir.replace(/\/+$/, '')}.dcos-cdk`;
  }

  /** One change per artifact, plus a delete per file the stack owns on some agent but no longer declares. */
  public async plan(desired: readonly DesiredArtifact[], ctx: DriverContext): Promise<readonly PlannedChange[]> {
    const wanted = desired.filter((a) => a.kind === KIND).map((a) => ({ artifact: a, fileName: fileNameOf(a) }));
    if (wanted.length === 0 && this.options.pruneUndeclared === false) return [];
    const agents = await this.access.agents(ctx);
    const perAgent = await this.access.onEach(agents, async (shell) => {
      const snap = await this.snapshot(shell, ctx);
      const files = new Map<string, AgentFile>();
      for (const w of wanted) files.set(w.fileName, this.assess(shell, ctx, snap, w.fileName, w.artifact.content));
      for (const f of snap.mine) if (!files.has(f)) files.set(f, this.assess(shell, ctx, snap, f, undefined));
      return files;
    });
    const changes: PlannedChange[] = wanted.map((w) =>
      summarize({
        id: w.artifact.id,
        kind: KIND,
        desired: w.artifact,
        resource: `CNI network ${networkOf(w.fileName)} (${posix.join(this.cniDir, w.fileName)}) on ${agents.length} agent(s)`,
        nodes: perAgent.map((m) => m.get(w.fileName) as AgentFile),
        deleting: false,
      }),
    );
    const orphans = new Set(perAgent.flatMap((m) => [...m.keys()]).filter((f) => !wanted.some((w) => w.fileName === f)));
    for (const f of [...orphans].sort()) {
      const nodes = perAgent.map((m) => m.get(f)).filter((n): n is AgentFile => n !== undefined);
      changes.push(summarize({ id: `${KIND}:${networkOf(f)}`, kind: KIND, resource: `CNI network ${networkOf(f)} (${posix.join(this.cniDir, f)}) on ${nodes.length} agent(s)`, nodes, deleting: true }));
    }
    return changes;
  }

  /** Closes the SSH sessions kept open between plan and apply (they also close after 2 s idle). */
  public close(): void {
    this.access.connector.close();
  }

  /** Writes (or removes) the file on the agents, `maxUnavailable` at a time, each restarted and re-registered before the next. */
  public async apply(change: PlannedChange, ctx: DriverContext): Promise<void> {
    const fileName = change.desired ? fileNameOf(change.desired) : undefined;
    // A delete names its files in the planned nodes (a network may have moved from .cni to .conf).
    const planned = isNodeSettingsChange(change) ? new Set(change.nodes.map((n) => posix.basename(n.file))) : undefined;
    const network = change.id.slice(KIND.length + 1);
    const agents = await this.access.agents(ctx);
    await rollOut(
      agents,
      this.options.maxUnavailable ?? 1,
      (node) =>
        this.access.connector.withSession(node, async (shell) => {
          const first = await this.snapshot(shell, ctx);
          const names = fileName ? [fileName] : first.mine.filter((f) => (planned ? planned.has(f) : networkOf(f) === network));
          for (const [i, name] of names.entries()) {
            const snap = i === 0 ? first : await this.snapshot(shell, ctx);
            await this.applyFile(shell, ctx, snap, name, change.desired?.content);
          }
        }),
      ctx.signal,
    );
  }

  private ownerPath(stack: string): string {
    return posix.join(this.stateDir, `owner-${stack.replace(/[^A-Za-z0-9._-]/g, '_')}.json`);
  }

  /** Reads the CNI folder, the markers and the ownership records of an agent in one command. */
  private async snapshot(shell: RemoteShell, ctx: DriverContext): Promise<Snapshot> {
    const node = shell.node;
    const state = this.access.path(node, this.stateDir);
    const [files = [], markers = [], records = []] = await readFolders(
      shell,
      this.access.sudo,
      [
        { dir: this.access.path(node, this.cniDir), glob: '*' },
        { dir: state, glob: `*${MARKER_SUFFIX}` },
        { dir: state, glob: 'owner-*.json' },
      ],
      ctx.counters,
    );
    const mineName = posix.basename(this.ownerPath(ctx.stack));
    let mine: string[] = [];
    let mineSha: string | undefined;
    const others = new Map<string, string>();
    for (const entry of records) {
      const rec = parseOwnerRecord<unknown>(entry, node, posix.join(state, entry.name));
      if (!rec) continue;
      const owned = Array.isArray(rec.record.owns) ? rec.record.owns.filter((f): f is string => typeof f === 'string') : [];
      if (entry.name === mineName && rec.record.stack === ctx.stack) {
        mine = owned;
        mineSha = rec.sha256;
      } else {
        for (const f of owned) others.set(f, rec.record.stack);
      }
    }
    return {
      files: new Map(files.map((f) => [f.name, f])),
      pending: new Set(markers.map((m) => m.name.slice(0, -MARKER_SUFFIX.length))),
      mine,
      ...(mineSha ? { mineSha } : {}),
      others,
    };
  }

  private assess(shell: RemoteShell, ctx: DriverContext, snap: Snapshot, fileName: string, content: string | undefined): AgentFile {
    const node = shell.node;
    const path = posix.join(this.cniDir, fileName);
    const file = this.access.file(shell, ctx, path, this.stateDir);
    const found = snap.files.get(fileName);
    const current: RemoteFileState = { ...(found ? { content: found.content, sha256: found.sha256 } : {}), pendingRestart: snap.pending.has(fileName) };
    const owned = snap.mine.includes(fileName);
    if (content !== undefined && !owned && current.content !== undefined && current.content !== content && !ctx.force) {
      const other = snap.others.get(fileName);
      throw new NodeSettingsError(
        { node, file: file.path },
        `The file exists with other content and ${other ? `belongs to stack '${other}'` : 'was not written by this stack'}.`,
        `Name the network differently, remove the file, or deploy with --force to take it over (the old file is kept as ${file.backupPath}).`,
      );
    }
    const fields: FieldChange[] = [];
    if (current.content !== content) fields.push(...jsonFieldChanges(path, parsedOrText(current.content), parsedOrText(content)));
    if (content !== undefined && !owned) fields.push({ path: `${path} owner`, ...(snap.others.has(fileName) ? { before: `stack ${snap.others.get(fileName) ?? ''}` } : {}), after: `stack ${ctx.stack}` });
    if (content === undefined) fields.push({ path: `${path} owner`, before: `stack ${ctx.stack}` });
    if (current.pendingRestart && current.content === content) fields.push({ path: agentUnit(node), before: 'restart pending (interrupted deploy)', after: 'restarted' });
    return {
      node,
      file: path,
      fileName,
      ...(current.content !== undefined ? { before: current.content } : {}),
      ...(content !== undefined ? { after: content } : {}),
      restart: current.content !== content || current.pendingRestart,
      fields,
      current,
      owned,
    };
  }

  private async applyFile(shell: RemoteShell, ctx: DriverContext, snap: Snapshot, fileName: string, content: string | undefined): Promise<void> {
    const a = this.assess(shell, ctx, snap, fileName, content);
    const ownerFile = this.access.file(shell, ctx, this.ownerPath(ctx.stack));
    if (content === undefined && !a.owned) return;
    const expect = snap.mineSha ?? null;
    const rest = snap.mine.filter((f) => f !== fileName);
    await changeThenRestart(
      {
        file: this.access.file(shell, ctx, a.file, this.stateDir),
        current: a.current,
        next: content,
        unit: agentUnit(shell.node),
        stack: ctx.stack,
        progress: ctx.progress,
        restart: () => this.restartAgent(shell, ctx),
        // Claim the file before writing it; let go of it only once it is gone.
        before: content !== undefined && !a.owned ? [ownerRecordWrite(ownerFile, { stack: ctx.stack, owns: [...rest, fileName].sort() }, expect)] : [],
        after: content !== undefined ? [] : rest.length === 0 ? [ownerRecordRemoval(ownerFile, expect)] : [ownerRecordWrite(ownerFile, { stack: ctx.stack, owns: rest }, expect)],
      },
      shell.node,
    );
  }

  /** Restarts the agent and waits until it re-registered (or, without an Admin Router, until the unit is active). */
  private async restartAgent(shell: RemoteShell, ctx: DriverContext): Promise<void> {
    const node = shell.node;
    const unit = agentUnit(node);
    const conn = this.options.connection;
    const opts = this.access.wait(ctx, this.options.agentTimeoutMs ?? 300_000);
    const before = conn ? (await fetchAgentRegistrations(conn, { counters: ctx.counters })).find((r) => r.hostname === node.hostname) : undefined;
    await restartService(shell, this.access.sudo, unit, ctx.counters);
    ctx.progress(`${node.hostname}: waiting for the agent to re-register`);
    if (conn) await waitForAgent(conn, node.hostname, before, { ...opts, counters: ctx.counters });
    else await waitForUnitActive(shell, this.access.sudo, unit, opts);
  }
}

/** The file name a `cni-network` artifact is written under (its bundle file's base name). */
export function fileNameOf(artifact: DesiredArtifact): string {
  const name = posix.basename(artifact.file);
  if (!FILE_NAME.test(name)) {
    throw new NodeSettingsError({}, `Artifact ${artifact.id}: '${artifact.file}' does not name a CNI file.`, 'Synthesize the bundle again with this version of dcos-cdk.');
  }
  return name;
}
