/**
 * Public types of the Marathon + Cosmos emulator.
 *
 * @module
 */
import type { AppValidationIssue, MarathonApiVersion } from '@dcos-cdk/marathon';

/** A JSON value as produced by `JSON.parse`. */
export type JsonValue = string | number | boolean | null | JsonValue[] | JsonObject;

/** A JSON object. */
export type JsonObject = { [key: string]: JsonValue };

/** Marathon API generation the emulator imitates. Responses are always in this version's shape. */
export type MarathonVersion = MarathonApiVersion;

/**
 * One problem found in an app definition: the type of the `@dcos-cdk/marathon` validator.
 * `stage: 'read'` answers `Invalid JSON` (400 in 1.4, 422 in 1.5), `'validate'` answers
 * `Object is not valid` (422).
 */
export type { AppValidationIssue };

/** Context handed to an {@link AppValidator}. */
export interface AppValidationOptions {
  /**
   * `true` when the request is a partial update of an existing app (`PUT` with
   * `partialUpdate=true`, `PATCH`). The app handed over is then the update merged onto the
   * stored definition, which is what Marathon validates.
   */
  partial: boolean;
  /** Canonical id the app will be stored under, e.g. `/prod/web`. */
  appId: string;
  /** Which request carries the app. */
  operation: 'create' | 'update' | 'group';
  /** Group the app definition sits in (relative ids resolve against it); `/` for top-level app requests. */
  baseGroup: string;
  /** Marathon `--default_network_name` the emulator runs with. */
  defaultNetworkName: string;
}

/** App validator of the emulator; returns an empty array when the app is acceptable. */
export type AppValidator = (
  app: unknown,
  version: MarathonVersion,
  options: AppValidationOptions,
) => AppValidationIssue[];

/** A Mesos agent the emulator reports in `/mesos/master/state` and `/system/health/v1/nodes`. */
export interface AgentSpec {
  /** Agent IP / hostname. */
  hostname: string;
  /** Public agent (role `slave_public`, attribute `public_ip:true`). */
  public?: boolean;
  /** Mesos agent id; generated when omitted. */
  id?: string;
  /** Extra Mesos attributes. */
  attributes?: Record<string, string | number>;
}

/** A DC/OS master node. */
export interface MasterSpec {
  /** Master IP / hostname. */
  hostname: string;
}

/** An IAM account that may log in through `POST /acs/api/v1/auth/login`. */
export interface LoginAccount {
  /** User or service account id. */
  uid: string;
  /** Password for `{uid, password}` logins. */
  password?: string;
  /**
   * PEM public key for service-account logins `{uid, token}`, where `token` is an RS256 JWT
   * `{uid, exp}` signed with the matching private key.
   */
  publicKey?: string;
}

/** Options of {@link MarathonEmulator.start}. */
export interface MarathonEmulatorOptions {
  /** TCP port; 0 (default) picks a free one. */
  port?: number;
  /** Listen address; default `127.0.0.1`. */
  host?: string;
  /** Marathon generation to imitate; default `'1.5'`. */
  marathonVersion?: MarathonVersion;
  /** When set, every route except login requires `Authorization: token=<t>` (or `Bearer <t>`). */
  token?: string;
  /**
   * Status for a present but unknown token. Default 403 (as requested by the project brief);
   * the real Admin Router answers 401 for invalid tokens and 403 only for valid tokens without permission.
   */
  invalidTokenStatus?: 401 | 403;
  /** Accounts accepted by the login endpoint; default `[{uid: 'bootstrapuser', password: 'deleteme'}]`. */
  accounts?: LoginAccount[];
  /** How long a deployment stays in `/v2/deployments`; default 50 ms. */
  deploymentDurationMs?: number;
  /**
   * App validator; default `marathonValidator` (the `@dcos-cdk/marathon` implementation of
   * Marathon's rules). Inject one for special behaviour in tests.
   */
  validateApp?: AppValidator;
  /** Universe folder (`<Letter>/<name>/<revision>/...`); default `../shared/specs/universe` from the repo root. */
  universeDir?: string;
  /** Time source for versions; default `() => new Date()`. */
  clock?: () => Date;
  /** Delay added to every request, in ms. */
  latencyMs?: number;
  /** Mesos agents; default one private (10.0.1.1) and one public (10.0.5.1) agent. */
  agents?: AgentSpec[];
  /** DC/OS masters; default one master (10.0.0.1). */
  masters?: MasterSpec[];
  /** Marathon `--default_network_name` (DC/OS sets `dcos`); default `'dcos'`. */
  defaultNetworkName?: string;
}

/** Common matching part of a fault. */
export interface FaultMatch {
  /** HTTP method to match (case-insensitive); any when omitted. */
  method?: string;
  /**
   * Path to match: a string is a prefix of either the raw request path or the Marathon-relative
   * path (prefix `/service/marathon` or `/marathon` removed); a RegExp is tested against both.
   */
  path?: string | RegExp;
  /** How many requests the fault applies to; default 1. */
  times?: number;
}

/** A fault injected into matching requests; faults are consumed in the order they were added. */
export type FaultSpec = FaultMatch &
  (
    | { kind: 'latency'; ms: number }
    | { kind: 'status'; status: 500 | 502 | 503; body?: JsonValue }
    | { kind: 'reset' }
    | { kind: 'timeout' }
    | { kind: 'lock'; deploymentId?: string }
  );

/** One served request, as recorded in the request log. */
export interface RequestLogEntry {
  /** HTTP method. */
  method: string;
  /** Raw request path without query. */
  path: string;
  /** Query string without `?` (may be empty). */
  query: string;
  /** Response status; 0 when the connection was reset or never answered. */
  status: number;
  /** Kind of the fault applied to this request, if any. */
  fault?: FaultSpec['kind'];
}

/** Read/write counters of the request log. */
export interface RequestCounts {
  /** GET and HEAD requests. */
  reads: number;
  /** POST, PUT, PATCH and DELETE requests. */
  writes: number;
}

/** A package installed through the emulated Cosmos. */
export interface InstalledPackage {
  /** Universe package name. */
  packageName: string;
  /** Package version. */
  packageVersion: string;
  /** Marathon app id. */
  appId: string;
}
