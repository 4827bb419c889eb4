/**
 * Driver of `mesos-dns-config` artifacts: sets the keys the stack owns
 * (`IPSources`) in every master's Mesos-DNS file, keeping every other byte,
 * and restarts `dcos-mesos-dns` one master at a time, waiting until Mesos-DNS
 * answers again. The stack's claim and the values it replaced are recorded
 * next to the file (`<file>.dcos-cdk.owner.json`), so removing the setting
 * from the stack puts the original values back.
 */
import type { ArtifactDriver, DesiredArtifact, DriverContext, FieldChange, PlannedChange } from '@dcos-cdk/core';
import { findKey, parseJsonObject, removeKey, setKey } from './json-edit.js';
import { NodeAccess, changeThenRestart, type NodeSettingsOptions } from './node-access.js';
import { NodeSettingsError, type ClusterNode } from './node-errors.js';
import { ownerRecordRemoval, ownerRecordWrite, parseOwnerRecord, summarize, type NodeFileChange, type ReadOwnerRecord } from './node-plan.js';
import { RemoteFile, type RemoteFileState } from './remote-file.js';
import { restartService, rollOut, waitForMesosDns, waitForUnitActive } from './rolling-restart.js';
import type { RemoteShell } from './ssh.js';
import { jsonEqual } from './text-diff.js';

/** Content of a `mesos-dns-config` artifact. */
export interface MesosDnsConfigContent {
  /** Always `masters`. */
  readonly nodes: 'masters';
  /** The Mesos-DNS file on the masters. */
  readonly file: string;
  /** Keys to set; everything else in the file is kept. */
  readonly set: Readonly<Record<string, unknown>>;
  /** systemd unit to restart when the file changes. */
  readonly restart: string;
}

/** Where DC/OS keeps the Mesos-DNS configuration (open and Enterprise). */
export const MESOS_DNS_FILES: readonly string[] = ['/opt/mesosphere/etc/mesos-dns.json', '/opt/mesosphere/etc/mesos-dns-enterprise.json'];

const KIND = 'mesos-dns-config';
const ARTIFACT_ID = 'mesos-dns-config:masters';

/** What the stack records about the keys it owns in one file: their values before its first change. */
interface Originals {
  readonly [key: string]: { readonly present: boolean; readonly value?: unknown };
}

/** The ownership record next to a Mesos-DNS file. */
function ownerPathOf(file: string): string {
  return `${file}.dcos-cdk.owner.json`;
}

/** Parses and checks the content of a `mesos-dns-config` artifact. */
export function parseMesosDnsConfig(artifact: DesiredArtifact): MesosDnsConfigContent {
  let c: Partial<MesosDnsConfigContent>;
  try {
    c = JSON.parse(artifact.content) as Partial<MesosDnsConfigContent>;
  } catch {
    c = {};
  }
  if (c.nodes !== 'masters' || typeof c.file !== 'string' || !c.file.startsWith('/') || typeof c.restart !== 'string' || typeof c.set !== 'object' || c.set === null) {
    throw new NodeSettingsError({}, `Artifact ${artifact.id} (${artifact.file}) is not a mesos-dns-config { nodes: 'masters', file, set, restart }.`, 'Synthesize the bundle again with this version of dcos-cdk.');
  }
  return c as MesosDnsConfigContent;
}

/** What one master needs. */
interface MasterAssessment extends NodeFileChange {
  readonly originals: Originals;
  readonly ownerChange: boolean;
  readonly ownerSha?: string;
  readonly current: RemoteFileState;
}

/** Driver for `mesos-dns-config`. */
export class MesosDnsDriver implements ArtifactDriver {
  /** Artifact kinds handled. */
  public readonly kinds = [KIND] as const;
  private readonly access: NodeAccess;

  constructor(options: NodeSettingsOptions) {
    this.access = new NodeAccess(options);
  }

  /** Reads every master's file; one change for the artifact, or a delete when the stack owns keys it no longer sets. */
  public async plan(desired: readonly DesiredArtifact[], ctx: DriverContext): Promise<readonly PlannedChange[]> {
    const artifact = desired.find((a) => a.kind === KIND);
    const config = artifact ? parseMesosDnsConfig(artifact) : undefined;
    if (!artifact && this.access.options.pruneUndeclared === false) return [];
    const masters = await this.access.masters(ctx);
    const per = await this.access.onEach(masters, (shell) => this.assessAll(shell, ctx, config));
    const nodes = per.flat();
    if (config && artifact) {
      return [summarize({ id: artifact.id, kind: KIND, desired: artifact, resource: `Mesos-DNS ${config.file} on ${masters.length} master(s)`, nodes, deleting: false })];
    }
    if (nodes.length === 0) return [];
    return [summarize({ id: ARTIFACT_ID, kind: KIND, resource: `Mesos-DNS settings of stack ${ctx.stack} on ${masters.length} master(s)`, nodes, deleting: true })];
  }

  /** Closes the SSH sessions kept open between plan and apply (they also close after 2 s idle). */
  public close(): void {
    this.access.connector.close();
  }

  /** Changes the masters one at a time, each restarted and answering before the next. */
  public async apply(change: PlannedChange, ctx: DriverContext): Promise<void> {
    const config = change.desired ? parseMesosDnsConfig(change.desired) : undefined;
    const masters = await this.access.masters(ctx);
    await rollOut(
      masters,
      1,
      (node) =>
        this.access.connector.withSession(node, async (shell) => {
          for (const a of await this.assessAll(shell, ctx, config)) await this.applyMaster(shell, ctx, a, config?.restart);
        }),
      ctx.signal,
    );
  }

  /** Assessments of the files of one master: the configured one, or (when deleting) every file the stack owns keys of. */
  private async assessAll(shell: RemoteShell, ctx: DriverContext, config: MesosDnsConfigContent | undefined): Promise<MasterAssessment[]> {
    const paths = config ? [config.file] : MESOS_DNS_FILES;
    const files = paths.flatMap((p) => [this.access.file(shell, ctx, ownerPathOf(p)), this.access.file(shell, ctx, p)]);
    const states = await RemoteFile.readAll(files);
    const out: MasterAssessment[] = [];
    paths.forEach((path, i) => {
      const owner = parseOwnerRecord<Originals>(states[2 * i] ?? { pendingRestart: false }, shell.node, files[2 * i]?.path ?? path);
      if (!config && owner?.record.stack !== ctx.stack) return;
      const a = this.assess(shell.node, ctx, files[2 * i + 1] as RemoteFile, path, config, owner, states[2 * i + 1] ?? { pendingRestart: false });
      if (a) out.push(a);
    });
    return out;
  }

  private assess(
    node: ClusterNode,
    ctx: DriverContext,
    file: RemoteFile,
    path: string,
    config: MesosDnsConfigContent | undefined,
    owner: ReadOwnerRecord<Originals> | undefined,
    state: RemoteFileState,
  ): MasterAssessment | undefined {
    if (state.content === undefined) {
      if (!config) return undefined;
      throw new NodeSettingsError({ node, file: file.path }, 'Mesos-DNS configuration not found.', "Is this a DC/OS master? For DC/OS Enterprise set the cluster's variant to 'enterprise'; check --node-root.");
    }
    const parsed = parseJsonObject(state.content);
    if ('error' in parsed) {
      throw new NodeSettingsError({ node, file: file.path }, `Not valid JSON (${parsed.error}); nothing was changed.`, `Fix the file on the node (a previous version may be at ${file.backupPath}), then deploy again.`);
    }
    if (config && owner && owner.record.stack !== ctx.stack && !ctx.force) {
      throw new NodeSettingsError({ node, file: file.path }, `The Mesos-DNS keys ${Object.keys(owner.record.owns).join(', ')} belong to stack '${owner.record.stack}'.`, `Remove them from that stack, or deploy with --force to take them over.`);
    }
    const previous: Originals = owner?.record.owns ?? {};
    const restore = (text: string, key: string): string => {
      const o = previous[key];
      if (!o) return text;
      return o.present ? setKey(text, key, o.value) : removeKey(text, key);
    };
    let text = state.content;
    const fields: FieldChange[] = [];
    const originals: Record<string, { present: boolean; value?: unknown }> = {};
    const wanted = config?.set ?? {};
    for (const [key, value] of Object.entries(wanted)) {
      const found = findKey(text, key);
      originals[key] = previous[key] ?? (found[0] ? { present: true, value: found[0].value } : { present: false });
      if (found.length > 0 && found.every((f) => jsonEqual(f.value, value))) continue;
      for (const f of found.length ? found : [{ key, value: undefined }]) fields.push({ path: `${path}#${f.key}`, ...(f.value !== undefined ? { before: f.value } : {}), after: value });
      text = setKey(text, key, value);
    }
    for (const key of Object.keys(previous).filter((k) => !Object.hasOwn(wanted, k))) {
      const before = findKey(text, key);
      const after = restore(text, key);
      if (after === text) continue;
      const restored = previous[key];
      fields.push({ path: `${path}#${before[0]?.key ?? key}`, ...(before[0] ? { before: before[0].value } : {}), ...(restored?.present ? { after: restored.value } : {}) });
      text = after;
    }
    const ownerChange = config ? owner?.record.stack !== ctx.stack || !jsonEqual(owner.record.owns, originals) : true;
    if (ownerChange && config) fields.push({ path: `${path}.dcos-cdk.owner.json`, ...(owner ? { before: `owned by stack ${owner.record.stack}` } : {}), after: `keys ${Object.keys(originals).join(', ')} owned by stack ${ctx.stack}` });
    if (state.pendingRestart && text === state.content) fields.push({ path: config?.restart ?? 'dcos-mesos-dns', before: 'restart pending (interrupted deploy)', after: 'restarted' });
    return {
      node,
      file: path,
      before: state.content,
      after: text,
      restart: text !== state.content || state.pendingRestart,
      originals,
      ownerChange,
      fields,
      ...(owner ? { ownerSha: owner.sha256 } : {}),
      current: state,
    };
  }

  /** Changes one file of one master; `unit` is undefined when the stack lets go of the file. */
  private async applyMaster(shell: RemoteShell, ctx: DriverContext, a: MasterAssessment, unit: string | undefined): Promise<void> {
    const node = shell.node;
    const deleting = unit === undefined;
    const ownerFile = this.access.file(shell, ctx, ownerPathOf(a.file));
    const service = unit ?? 'dcos-mesos-dns';
    await changeThenRestart(
      {
        file: this.access.file(shell, ctx, a.file),
        current: a.current,
        next: a.after,
        unit: service,
        stack: ctx.stack,
        progress: ctx.progress,
        before: !deleting && a.ownerChange ? [ownerRecordWrite(ownerFile, { stack: ctx.stack, owns: a.originals }, a.ownerSha ?? null)] : [],
        after: deleting ? [ownerRecordRemoval(ownerFile, a.ownerSha ?? null)] : [],
        restart: async () => {
          await restartService(shell, this.access.sudo, service, ctx.counters);
          ctx.progress(`${node.hostname}: waiting for Mesos-DNS`);
          await waitForMesosDnsOf(shell, a.after ?? '', service, this.access, ctx);
        },
      },
      node,
    );
  }
}

/** Waits for Mesos-DNS with the HTTP address its file configures (`httpon`, `httpport` 8123, `listener`), or `systemctl is-active` when HTTP is off. */
async function waitForMesosDnsOf(shell: RemoteShell, text: string, unit: string, access: NodeAccess, ctx: DriverContext): Promise<void> {
  const opts = access.wait(ctx, access.options.mesosDnsTimeoutMs ?? 120_000);
  const get = (k: string): unknown => findKey(text, k)[0]?.value;
  if (get('httpon') === false) return waitForUnitActive(shell, access.sudo, unit, opts);
  const port = typeof get('httpport') === 'number' ? (get('httpport') as number) : 8123;
  const listener = get('listener');
  const host = typeof listener === 'string' && listener !== '' && listener !== '0.0.0.0' && listener !== '::' ? listener : '127.0.0.1';
  await waitForMesosDns(shell, { host, port }, { ...opts, sudo: access.sudo });
}
