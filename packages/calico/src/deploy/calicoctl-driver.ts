import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { toYaml, type ArtifactDriver, type DesiredArtifact, type DriverContext, type FieldChange, type JsonValue, type PlannedChange } from '@dcos-cdk/core';
import type { CalicoVersion } from '@dcos-cdk/dcos';
import { v1Resource } from './backend-v1.js';
import { ARTIFACT_ANNOTATION, annotationOf, comparable, ownerOf, v3Resource } from './backend-v3.js';
import { CalicoctlRunner, type CalicoctlCommand } from './calicoctl.js';
import { CalicoConcurrentModificationError, CalicoOwnershipError } from './errors.js';
import type { EtcdConnection, RequestScope } from './http.js';
import { diffJson, jsonEqual, type Json } from './json-diff.js';
import { V1OwnershipLedger, type OwnershipRecord } from './ownership-v1.js';
import { CALICO_KINDS, kindLabel, type CalicoArtifactKind, type DatastoreResource, type JsonObject } from './resource.js';
import type { KeyWrite } from './store.js';

/** Options of {@link CalicoctlDriver}. */
export interface CalicoctlDriverOptions extends CalicoctlCommand {
  /** Calico API of the cluster, from the bundle manifest's `targets.calico`. */
  readonly calicoVersion: CalicoVersion;
  /**
   * v1 only, and then required: the etcd that calicoctl uses, where the
   * ownership records live (calicoctl v1 resources have no annotations).
   * Shared with {@link CalicoDatastoreDriver}, so either driver can take over.
   */
  readonly ownershipEtcd?: EtcdConnection;
  /** Take over unowned existing resources: `true`, or artifact ids / Calico names. @default false */
  readonly adopt?: boolean | readonly string[];
}

/** What {@link CalicoctlDriver.apply} runs for a change. */
export interface CalicoctlStep {
  readonly format: 1;
  /** calicoctl subcommand. */
  readonly verb: 'create' | 'replace' | 'apply' | 'delete';
  /** Content of the file passed with `-f`. */
  readonly file: string;
  /** v1 ownership record written first. */
  readonly claim?: KeyWrite;
  /** v1 ownership record removed last. */
  readonly release?: KeyWrite;
}

/** A change planned by {@link CalicoctlDriver}. */
export interface CalicoctlPlannedChange extends PlannedChange {
  readonly calicoctl: CalicoctlStep;
}

interface LiveResource {
  readonly id: string;
  readonly raw: JsonObject;
  /** What is compared: v1 backend entries, or the v3 resource without server fields. */
  readonly compared: readonly Json[];
  readonly entryNames: readonly string[];
}

const V1_KINDS: Readonly<Record<CalicoArtifactKind, string>> = { 'calico-policy': 'policy', 'calico-profile': 'profile', 'calico-ippool': 'ipPool' };
const V3_LISTS: readonly (readonly [string, readonly string[]])[] = [
  ['globalnetworkpolicy', []],
  ['networkpolicy', ['--all-namespaces']],
  ['profile', []],
  ['ippool', []],
];

/**
 * Deploys Calico artifacts by running the operator's `calicoctl`:
 * `calicoctl create -f`/`replace -f` for v1, `calicoctl apply -f` for v3,
 * `calicoctl delete -f` for removals; reads with `calicoctl get -o json`.
 * Differences are computed exactly as {@link CalicoDatastoreDriver} does.
 *
 * Ownership: v3 resources carry the annotations `dcos-cdk.io/stack` and
 * `dcos-cdk.io/artifact` in the applied file; v1 resources are recorded in
 * etcd v2 under `/dcos-cdk/owners/<stack>/…` ({@link CalicoctlDriverOptions.ownershipEtcd}).
 * Concurrent edits are detected by v3 `resourceVersion` (in the applied
 * file) and by v1 `create` failing on an existing resource; a v1 `replace`
 * cannot detect them.
 */
export class CalicoctlDriver implements ArtifactDriver {
  /** The artifact kinds this driver deploys. */
  public readonly kinds: readonly string[] = CALICO_KINDS;
  private readonly runner: CalicoctlRunner;
  private readonly ledger?: V1OwnershipLedger;

  constructor(private readonly options: CalicoctlDriverOptions) {
    if (options.calicoVersion === 'v1' && !options.ownershipEtcd) {
      throw new Error('The calicoctl driver needs ownershipEtcd for a calicoctl v1 cluster: v1 resources have no annotations, so ownership is recorded in etcd (the one calicoctl uses, ETCD_ENDPOINTS).');
    }
    this.runner = new CalicoctlRunner(options);
    this.ledger = options.ownershipEtcd ? new V1OwnershipLedger(options.ownershipEtcd) : undefined;
  }

  /** Compares the bundle's Calico resources with what calicoctl reports, including owned resources the bundle dropped. */
  public async plan(desired: readonly DesiredArtifact[], ctx: DriverContext): Promise<readonly CalicoctlPlannedChange[]> {
    const v1 = this.options.calicoVersion === 'v1';
    const scope: RequestScope = { counters: ctx.counters, signal: ctx.signal, progress: ctx.progress };
    const artifacts = desired.filter((a) => this.kinds.includes(a.kind));
    const resources = artifacts.map((a) => (v1 ? v1Resource(a, a.kind as CalicoArtifactKind) : v3Resource(a, a.kind as CalicoArtifactKind, ctx.stack, { prefixPolicyNames: false })));
    const records = v1 ? await this.ledger!.records(ctx.stack, scope) : new Map<string, { record: OwnershipRecord; key: string; version: string }>();
    const live = v1 ? await this.liveV1(resources, records, ctx) : await this.liveV3(ctx);
    const changes: CalicoctlPlannedChange[] = [];
    const conflicts: string[] = [];
    for (const [i, r] of resources.entries()) {
      const id = resourceId(r, v1);
      const now = live.get(id);
      const owned = v1 ? records.has(id) : now !== undefined && ownerOf(now.raw) === ctx.stack;
      let claim: KeyWrite | undefined;
      if (!owned) {
        const other = v1 ? await this.ledger!.holder(id, ctx.stack, scope) : now && ownerOf(now.raw) ? { owner: 'other' as const, stack: ownerOf(now.raw)! } : { owner: 'none' as const };
        if (other.owner === 'other') {
          conflicts.push(`${r.label} (${r.artifactId}) is owned by stack '${other.stack}'`);
          continue;
        }
        if (now && !this.adopts(r)) {
          conflicts.push(`${r.label} (${r.artifactId}) exists and no stack owns it`);
          continue;
        }
        if (v1) claim = this.ledger!.claim(ctx.stack, id, { artifact: r.artifactId, kind: r.kind, resource: r.label, keys: r.entries.map((e) => e.key), ...(r.dir ? { dir: r.dir } : {}) });
      }
      const wanted = r.entries.map((e) => (v1 ? e.value : comparable(e.value)));
      const names = r.entries.map((e) => e.key.slice(e.key.lastIndexOf('/') + 1));
      const fields: FieldChange[] = [];
      wanted.forEach((w, j) => {
        if (!jsonEqual(now?.compared[j], w)) fields.push(...diffJson(now?.compared[j], w, wanted.length > 1 ? names[j] : ''));
      });
      if (claim && now) fields.push({ path: '(owner)', after: 'this stack (adopted)' });
      const action = !now ? 'create' : fields.length === 0 ? 'noop' : 'update';
      const verb = v1 ? (now ? 'replace' : 'create') : 'apply';
      changes.push({ id: artifacts[i]!.id, kind: r.kind, action, resource: r.label, fields, desired: artifacts[i], calicoctl: { format: 1, verb, file: v1 ? artifacts[i]!.content : this.v3File(r, now), claim } });
    }
    if (conflicts.length) {
      throw new CalicoOwnershipError(conflicts, 'To take over resources that no stack owns, deploy with --adopt (or --adopt <artifact id>). A resource owned by another stack must first be removed from that stack.');
    }
    const wantedIds = new Set(resources.map((r) => resourceId(r, v1)));
    for (const [id, now] of live) {
      if (wantedIds.has(id)) continue;
      const record = records.get(id);
      if (v1 ? !record : ownerOf(now.raw) !== ctx.stack) continue;
      const kind = record?.record.kind ?? kindOfV3(String(now.raw.kind));
      const fields = now.compared.flatMap((c, j) => diffJson(c, undefined, now.entryNames.length > 1 ? now.entryNames[j] : ''));
      const meta = now.raw.metadata as JsonObject;
      const file = toYaml({ apiVersion: now.raw.apiVersion as string, kind: now.raw.kind as string, metadata: pick(meta, ['name', 'namespace', 'cidr', 'resourceVersion']) } as JsonValue);
      const release = record ? { key: record.key, expect: record.version } : undefined;
      const artifactId = record?.record.artifact ?? annotationOf(now.raw, ARTIFACT_ANNOTATION) ?? `${kind}:${String(meta.name)}`;
      changes.push({ id: artifactId, kind, action: 'delete', resource: record?.record.resource ?? `${kindLabel(kind)} ${String(meta.name)}`, fields, calicoctl: { format: 1, verb: 'delete', file, release } });
    }
    // v1 records whose resource is already gone: only the record is left to remove.
    for (const [id, record] of records) {
      if (wantedIds.has(id) || live.has(id)) continue;
      changes.push({ id: record.record.artifact, kind: record.record.kind, action: 'delete', resource: record.record.resource, fields: [], calicoctl: { format: 1, verb: 'delete', file: '', release: { key: record.key, expect: record.version } } });
    }
    return changes;
  }

  /** Runs calicoctl for one planned change. */
  public async apply(change: PlannedChange, ctx: DriverContext): Promise<void> {
    if (change.action === 'noop') return;
    const step = (change as Partial<CalicoctlPlannedChange>).calicoctl;
    if (step?.format !== 1) throw new CalicoConcurrentModificationError(change.resource, 'the change was not planned by the calicoctl driver; plan again');
    const scope: RequestScope = { counters: ctx.counters, signal: ctx.signal, progress: ctx.progress };
    if (step.claim) await this.ledger!.write(step.claim, scope);
    if (step.file !== '') {
      const dir = mkdtempSync(join(tmpdir(), 'dcos-cdk-calicoctl-'));
      try {
        const file = join(dir, 'resource.yaml');
        writeFileSync(file, step.file, { mode: 0o600 });
        await this.runner.run([step.verb, '-f', file], ctx.counters, ctx.signal);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    }
    if (step.release) await this.ledger!.write(step.release, scope);
  }

  private async liveV1(resources: readonly DatastoreResource[], records: ReadonlyMap<string, { record: OwnershipRecord }>, ctx: DriverContext): Promise<Map<string, LiveResource>> {
    const kinds = new Set<CalicoArtifactKind>([...resources.map((r) => r.kind), ...[...records.values()].map((r) => r.record.kind)]);
    const out = new Map<string, LiveResource>();
    for (const kind of CALICO_KINDS) {
      if (!kinds.has(kind)) continue;
      for (const item of await this.runner.list(V1_KINDS[kind], [], ctx.counters, ctx.signal)) {
        const r = v1Resource({ id: `live ${V1_KINDS[kind]}`, kind, file: '(calicoctl get)', content: JSON.stringify(item), constructPath: '', dependsOn: [] }, kind);
        out.set(resourceId(r, true), { id: resourceId(r, true), raw: item as JsonObject, compared: r.entries.map((e) => e.value), entryNames: r.entries.map((e) => e.key.slice(e.key.lastIndexOf('/') + 1)) });
      }
    }
    return out;
  }

  private async liveV3(ctx: DriverContext): Promise<Map<string, LiveResource>> {
    const out = new Map<string, LiveResource>();
    for (const [kind, extra] of V3_LISTS) {
      for (const item of await this.runner.list(kind, extra, ctx.counters, ctx.signal)) {
        const o = item as JsonObject;
        const meta = (o.metadata ?? {}) as JsonObject;
        const id = `${String(o.kind)}/${meta.namespace ? `${String(meta.namespace)}/` : ''}${String(meta.name)}`;
        out.set(id, { id, raw: o, compared: [comparable(o)], entryNames: [''] });
      }
    }
    return out;
  }

  private v3File(r: DatastoreResource, now: LiveResource | undefined): string {
    const value = r.entries[0]!.value as JsonObject;
    const meta = { ...(value.metadata as JsonObject) };
    const version = now && (now.raw.metadata as JsonObject).resourceVersion;
    if (typeof version === 'string') meta.resourceVersion = version;
    return toYaml({ apiVersion: value.apiVersion!, kind: value.kind!, metadata: meta, spec: value.spec! } as JsonValue);
  }

  private adopts(r: DatastoreResource): boolean {
    const a = this.options.adopt;
    return a === true || (Array.isArray(a) && (a.includes(r.artifactId) || a.includes(r.name)));
  }
}

function resourceId(r: DatastoreResource, v1: boolean): string {
  if (v1) return r.dir ?? r.entries[0]!.key;
  const value = r.entries[0]!.value as JsonObject;
  const meta = value.metadata as JsonObject;
  return `${String(value.kind)}/${meta.namespace ? `${String(meta.namespace)}/` : ''}${String(meta.name)}`;
}

function kindOfV3(kind: string): CalicoArtifactKind {
  return kind === 'Profile' ? 'calico-profile' : kind === 'IPPool' ? 'calico-ippool' : 'calico-policy';
}

function pick(o: JsonObject, keys: readonly string[]): JsonObject {
  const out: JsonObject = {};
  for (const k of keys) if (o[k] !== undefined) out[k] = o[k]!;
  return out;
}
