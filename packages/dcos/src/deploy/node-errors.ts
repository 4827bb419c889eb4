/** The error every node-settings operation raises: which node, which file, what happened, what to do. */

/** Role of a DC/OS node. */
export type NodeRole = 'master' | 'agent' | 'public-agent';

/** A node of the cluster, as the node-settings drivers address it. */
export interface ClusterNode {
  /** Hostname or IP as Mesos reports it (what SSH connects to). */
  readonly hostname: string;
  /** Master, private agent or public agent. */
  readonly role: NodeRole;
}

/** `master 10.0.0.1`, `agent 10.0.1.1`, `public agent 10.0.5.1`. */
export function nodeLabel(node: ClusterNode): string {
  return `${node.role === 'public-agent' ? 'public agent' : node.role} ${node.hostname}`;
}

/** Where a {@link NodeSettingsError} happened. */
export interface NodeErrorLocation {
  /** The node, when the error concerns one. */
  readonly node?: ClusterNode;
  /** The file on the node, when the error concerns one. */
  readonly file?: string;
}

/**
 * A failure of discovery, SSH, a remote edit or a restart. The message reads
 * `<role> <host>: <file>: <problem> <what to do>`.
 */
export class NodeSettingsError extends Error {
  /** The node concerned, if any. */
  public readonly node?: ClusterNode;
  /** The file concerned, if any. */
  public readonly file?: string;
  /** What went wrong, without the location and the hint. */
  public readonly problem: string;
  /** What the operator should do. */
  public readonly hint: string;

  constructor(where: NodeErrorLocation, problem: string, hint: string, options?: { cause?: unknown }) {
    const prefix = [where.node ? nodeLabel(where.node) : undefined, where.file].filter((p) => p !== undefined).join(': ');
    super(`${prefix ? `${prefix}: ` : ''}${problem}${hint ? ` ${hint}` : ''}`, options);
    this.name = 'NodeSettingsError';
    if (where.node) this.node = where.node;
    if (where.file) this.file = where.file;
    this.problem = problem;
    this.hint = hint;
  }
}

/** The problem of an error, for quoting inside another message: no location, no hint, no final period. */
export function problemOf(e: unknown): string {
  const text = e instanceof NodeSettingsError ? e.problem : e instanceof Error ? e.message : String(e);
  return text.replace(/\.$/, '');
}
