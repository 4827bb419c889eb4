/**
 * Raised when a Calico resource the bundle wants to create or change
 * already exists and the stack does not own it. Nothing was written.
 */
export class CalicoOwnershipError extends Error {
  /** One line per conflicting resource: its datastore key and who owns it. */
  public readonly conflicts: readonly string[];

  constructor(conflicts: readonly string[], adoptHint: string) {
    super(
      `${conflicts.length === 1 ? 'A Calico resource' : `${conflicts.length} Calico resources`} of the bundle already exist${conflicts.length === 1 ? 's' : ''} and ${conflicts.length === 1 ? 'is' : 'are'} not owned by this stack, so deploy will not touch ${conflicts.length === 1 ? 'it' : 'them'}:\n` +
        conflicts.map((c) => `  - ${c}`).join('\n') +
        `\n${adoptHint}`,
    );
    this.name = 'CalicoOwnershipError';
    this.conflicts = conflicts;
  }
}

/** Raised when a resource changed in the datastore after it was planned (compare-and-swap failed). */
export class CalicoConcurrentModificationError extends Error {
  constructor(
    /** Datastore key (or calicoctl resource) that changed. */
    public readonly key: string,
    detail: string,
  ) {
    super(`${key} changed in the datastore after it was planned (${detail}); nothing more was written for it. Run the deploy again to plan against the current state.`);
    this.name = 'CalicoConcurrentModificationError';
  }
}

/** Raised when an artifact's YAML is not a Calico resource this driver can store. */
export class CalicoArtifactError extends Error {
  constructor(
    /** Bundle id of the artifact. */
    public readonly artifactId: string,
    detail: string,
  ) {
    super(`Artifact ${artifactId}: ${detail}`);
    this.name = 'CalicoArtifactError';
  }
}

/** Raised when the datastore cannot be reached or answers with an error. */
export class EtcdError extends Error {
  constructor(
    message: string,
    /** HTTP status, when the server answered. */
    public readonly status?: number,
    /** etcd v2 `errorCode` or v3 gRPC code, when the server gave one. */
    public readonly code?: number,
  ) {
    super(message);
    this.name = 'EtcdError';
  }
}

/** Raised when `calicoctl` fails; carries its output (never credentials: only the command line and its output). */
export class CalicoctlError extends Error {
  constructor(
    /** The arguments calicoctl ran with. */
    public readonly args: readonly string[],
    /** Exit code, or undefined when it could not start. */
    public readonly exitCode: number | undefined,
    /** What it printed on stderr (and stdout). */
    public readonly output: string,
  ) {
    super(`calicoctl ${args.join(' ')} ${exitCode === undefined ? 'could not run' : `failed with exit code ${exitCode}`}: ${output.trim() || 'no output'}`);
    this.name = 'CalicoctlError';
  }
}
