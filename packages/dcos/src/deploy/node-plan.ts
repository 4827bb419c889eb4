/**
 * Planned node-setting changes (one per artifact, covering every node) and
 * the ownership records the stack keeps on the nodes.
 */
import type { DesiredArtifact, FieldChange, PlannedChange } from '@dcos-cdk/core';
import { NodeSettingsError, type ClusterNode } from './node-errors.js';
import type { FileEdit, RemoteFile } from './remote-file.js';
import { unifiedDiff } from './text-diff.js';

/** What a change does to one file on one node. */
export interface NodeFileChange {
  /** The node. */
  readonly node: ClusterNode;
  /** Path of the file on the node (without the node root). */
  readonly file: string;
  /** Content now; absent when the file does not exist. */
  readonly before?: string;
  /** Content after the change; absent when the file is removed. */
  readonly after?: string;
  /** The node's service will be restarted (content changes, or a restart left pending). */
  readonly restart: boolean;
  /** Field changes, with paths relative to the node (`<file>#<key>`). */
  readonly fields: readonly FieldChange[];
}

/** A planned change of node settings: the driver contract's change plus per-node detail. */
export interface NodeSettingsChange extends PlannedChange {
  /** Every node the artifact concerns, changed or not. */
  readonly nodes: readonly NodeFileChange[];
  /** Unified diff of the files, nodes with the same change grouped: `--- 10.0.0.1, 10.0.0.2:/opt/…`. */
  readonly diff: string;
}

/** True when `change` carries node detail (`nodes`, `diff`). */
export function isNodeSettingsChange(change: PlannedChange): change is NodeSettingsChange {
  return Array.isArray((change as Partial<NodeSettingsChange>).nodes) && typeof (change as Partial<NodeSettingsChange>).diff === 'string';
}

/** Inputs of {@link summarize}. */
export interface ChangeSummary {
  /** Artifact id (or the id of what is deleted). */
  readonly id: string;
  /** Artifact kind. */
  readonly kind: string;
  /** Human name of what changes. */
  readonly resource: string;
  /** Every node concerned. */
  readonly nodes: readonly NodeFileChange[];
  /** The stack lets go of this: the action is `delete` (or `noop`). */
  readonly deleting: boolean;
  /** The artifact, unless deleting. */
  readonly desired?: DesiredArtifact;
}

function needsWork(n: NodeFileChange): boolean {
  return n.fields.length > 0 || n.before !== n.after || n.restart;
}

/**
 * One change for the artifact: its action from what the nodes need, fields
 * and diffs of nodes with the same change grouped (`10.0.1.1,10.0.1.2:<path>`).
 */
export function summarize(s: ChangeSummary): NodeSettingsChange {
  const busy = s.nodes.filter(needsWork);
  const action = busy.length === 0 ? 'noop' : s.deleting ? 'delete' : s.nodes.every((n) => n.before === undefined) ? 'create' : 'update';
  const fieldGroups = new Map<string, { hosts: string[]; field: FieldChange }>();
  for (const n of busy) {
    for (const f of n.fields) {
      const key = JSON.stringify([f.path, f.before, f.after]);
      const g = fieldGroups.get(key);
      if (g) g.hosts.push(n.node.hostname);
      else fieldGroups.set(key, { hosts: [n.node.hostname], field: f });
    }
  }
  const fields = [...fieldGroups.values()].map((g) => ({ ...g.field, path: `${g.hosts.join(',')}:${g.field.path}` }));
  const diffGroups = new Map<string, { hosts: string[]; n: NodeFileChange }>();
  for (const n of busy) {
    if (n.before === n.after) continue;
    const key = JSON.stringify([n.file, n.before, n.after]);
    const g = diffGroups.get(key);
    if (g) g.hosts.push(n.node.hostname);
    else diffGroups.set(key, { hosts: [n.node.hostname], n });
  }
  const diff = [...diffGroups.values()].map((g) => unifiedDiff(`${g.hosts.join(', ')}:${g.n.file}`, g.n.before, g.n.after)).join('');
  return {
    id: s.id,
    kind: s.kind,
    action,
    resource: s.resource,
    fields: action === 'noop' ? [] : fields,
    ...(s.desired ? { desired: s.desired } : {}),
    nodes: s.nodes,
    diff,
  };
}

/** What the stack writes on a node to say what it owns there. */
export interface OwnerRecord<T> {
  /** The stack that owns. */
  readonly stack: string;
  /** What it owns (driver-specific). */
  readonly owns: T;
}

/** An ownership record as read from a node, with the hash of its file. */
export interface ReadOwnerRecord<T> {
  /** The record. */
  readonly record: OwnerRecord<T>;
  /** SHA-256 of its file, to refuse writing over a concurrent change. */
  readonly sha256: string;
}

/** Parses an ownership record file read from a node; `undefined` when there is none. */
export function parseOwnerRecord<T>(state: { readonly content?: string; readonly sha256?: string }, node: ClusterNode, path: string): ReadOwnerRecord<T> | undefined {
  if (state.content === undefined || state.sha256 === undefined) return undefined;
  let parsed: Partial<OwnerRecord<T>>;
  try {
    parsed = JSON.parse(state.content) as Partial<OwnerRecord<T>>;
  } catch {
    parsed = {};
  }
  if (typeof parsed.stack !== 'string' || parsed.owns === undefined) {
    throw new NodeSettingsError({ node, file: path }, 'This dcos-cdk ownership record is damaged.', 'Fix it by hand ({ "managedBy": "dcos-cdk", "stack": …, "owns": … }) or delete it if the stack owns nothing here, then deploy again.');
  }
  return { record: { stack: parsed.stack, owns: parsed.owns }, sha256: state.sha256 };
}

/** The edit that writes an ownership record (refused when it changed since `expect` was read; `null`: must not exist). */
export function ownerRecordWrite<T>(file: RemoteFile, record: OwnerRecord<T>, expect: string | null): FileEdit {
  const content = `${JSON.stringify({ managedBy: 'dcos-cdk', stack: record.stack, owns: record.owns }, null, 2)}\n`;
  return { kind: 'write', file, content, expect, backup: false, createFolder: true };
}

/** The edit that removes an ownership record. */
export function ownerRecordRemoval(file: RemoteFile, expect: string | null): FileEdit {
  return { kind: 'remove', file, expect };
}
