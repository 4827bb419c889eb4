/**
 * The contract between the deploy engine and the drivers, one driver per
 * artifact kind (Marathon, Cosmos, Calico, EC2, node settings). The engine
 * reads the bundle, asks each driver for a plan against the live cluster,
 * orders the changes and asks the drivers to apply them one at a time.
 */

/** An artifact of the bundle, as a driver receives it. */
export interface DesiredArtifact {
  /** Bundle id, e.g. `marathon-app:/frontend`. */
  readonly id: string;
  /** Artifact kind, e.g. `marathon-app`. */
  readonly kind: string;
  /** File path in the bundle. */
  readonly file: string;
  /** The file's content. */
  readonly content: string;
  /** Path of the construct that emitted it. */
  readonly constructPath: string;
  /** Ids it must be applied after. */
  readonly dependsOn: readonly string[];
}

/** What a change does to one live resource. */
export type ChangeAction = 'create' | 'update' | 'delete' | 'noop';

/** One field that differs between the live resource and the bundle. */
export interface FieldChange {
  /** Dotted path, e.g. `container.docker.image` or `spec.ingress[0].destination.ports`. */
  readonly path: string;
  /** Live value (absent when the field is new). */
  readonly before?: unknown;
  /** Desired value (absent when the field is removed). */
  readonly after?: unknown;
}

/** A change a driver plans, with enough detail to show a readable diff. */
export interface PlannedChange {
  /** The artifact id; for deletes of resources the bundle no longer has, the id the resource had. */
  readonly id: string;
  /** Artifact kind. */
  readonly kind: string;
  /** What happens. */
  readonly action: ChangeAction;
  /** Human name of the live resource, e.g. `Marathon app /frontend2`. */
  readonly resource: string;
  /** Field-level differences (empty for noop). */
  readonly fields: readonly FieldChange[];
  /** The desired artifact (absent for deletes). */
  readonly desired?: DesiredArtifact;
}

/** Counts of requests against the cluster, for `--json` summaries and the no-op guarantee. */
export interface RequestCounters {
  reads: number;
  writes: number;
}

/** What every driver call gets from the engine. */
export interface DriverContext {
  /** Name of the stack: drivers mark what they create with it and only change what carries it. */
  readonly stack: string;
  /** Reports progress of anything that takes more than a second. */
  readonly progress: (message: string) => void;
  /** Override locks held by others (Marathon `force=true`). */
  readonly force: boolean;
  /** Request counters the driver must increment. */
  readonly counters: RequestCounters;
  /** Aborts long waits. */
  readonly signal?: AbortSignal;
}

/**
 * A driver for one or more artifact kinds. `plan` never writes; `apply`
 * performs exactly one planned change and returns when it took effect.
 * Both must be safe to call again after any failure (idempotent), and must
 * never touch a resource the stack does not own.
 */
export interface ArtifactDriver {
  /** Artifact kinds this driver handles. */
  readonly kinds: readonly string[];
  /**
   * Compares the desired artifacts of its kinds with the live cluster,
   * including resources the stack owns that the bundle no longer has
   * (planned as deletes).
   */
  plan(desired: readonly DesiredArtifact[], ctx: DriverContext): Promise<readonly PlannedChange[]>;
  /** Applies one change from `plan`. */
  apply(change: PlannedChange, ctx: DriverContext): Promise<void>;
}
