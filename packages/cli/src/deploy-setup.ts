/**
 * What `diff`, `deploy` and `destroy` share: their flags, the cluster
 * connection, and the list of deploy drivers built from the flags.
 *
 * Drivers of other artifact kinds are added to {@link DRIVER_FACTORIES}: a
 * factory names its kinds and the flag that configures it, and returns a
 * driver, or `undefined` when its flags are not given (deploy then fails
 * naming the kinds and that flag, unless they are passed to `--skip-kinds`).
 */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { APPROVAL_LEVELS, kindsWithoutDriver, MissingDriverError, readBundle, readProjectConfig } from '@dcos-cdk/core';
import type { ApprovalCheck, ApprovalLevel, ArtifactDriver, ChangeOrderHook, DeployLock, LoadedBundle } from '@dcos-cdk/core';
import { CniNetworkDriver, CosmosDriver, DcosConnection, MarathonDeployLock, MesosDnsDriver } from '@dcos-cdk/dcos/deploy';
import type { AdminRouterConnection, ConnectionFlags, NodeSettingsOptions } from '@dcos-cdk/dcos/deploy';
import { MarathonClient, MarathonDriver } from '@dcos-cdk/marathon/deploy';
import { CalicoDatastoreDriver, etcdConnectionFromEnv } from '@dcos-cdk/calico/deploy';
import { Ec2InstanceAttributeDriver, ec2RegionsOf } from '@dcos-cdk/aws/deploy';
import { CliError, EXIT } from './errors.js';
import { approvalContextFor, flowApprovalCheck, registerApprovalContext } from './analysis/approval.js';
import { makeBeforeBreakHook, registerOrderContext } from './analysis/safe-order.js';

/** Exit codes of the deploy commands (on top of {@link EXIT}). */
export const DEPLOY_EXIT = {
  ...EXIT,
  /** The cluster refused or failed a change (or planning failed); re-running converges. */
  failed: 4,
  /** Approval was needed and not given. */
  approval: 5,
  /** Another deploy holds the cluster lock. */
  locked: 6,
  /** `diff --fail`: there are differences. */
  changes: 7,
  /** Interrupted (Ctrl-C). */
  interrupted: 130,
} as const;

/** Timing knobs (tests shorten them; not command-line flags). */
export interface DeployTuning {
  /** Poll interval while waiting for deployments and health (default 1 s). */
  readonly pollIntervalMs?: number;
  /** Whole-request timeout (default: dcos.toml `core.timeout`, `DCOS_TIMEOUT`, else 60 s). */
  readonly requestTimeoutMs?: number;
  /** Retries of idempotent requests (default 4). */
  readonly retries?: number;
  /** First retry delay, doubled per retry (default 250 ms). */
  readonly retryBaseMs?: number;
  /** Least time between two progress lines of one wait (default 2 s). */
  readonly progressIntervalMs?: number;
  /** Longest wait for one Marathon deployment (default 10 min). */
  readonly deploymentTimeoutMs?: number;
  /** Longest wait for deployments of others that lock an app (default 10 min). */
  readonly lockWaitTimeoutMs?: number;
  /** Longest wait for an installed package to become healthy (default 10 min). */
  readonly healthTimeoutMs?: number;
}

/** The process environment of a command, injectable for tests. */
export interface DeployIo {
  /** Environment variables (default `process.env`). */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Home folder for `~/.dcos` (default the user's). */
  readonly home?: string;
  /** Working folder (default `process.cwd()`). */
  readonly cwd?: string;
  /** True when a person can answer questions (default: stdin and stdout are terminals). */
  readonly interactive?: boolean;
  /** Asks a question and returns the answer (default: readline on the terminal). */
  readonly prompt?: (question: string) => Promise<string>;
  /** Aborts the command (in addition to Ctrl-C). */
  readonly signal?: AbortSignal;
  /** Timing knobs. */
  readonly tuning?: DeployTuning;
  /** Flow analysis for `--require-approval broadening` (default {@link DEPLOY_HOOKS}.approvalCheck). */
  readonly approvalCheck?: ApprovalCheck;
}

/**
 * Hooks the CLI uses when set. `approvalCheck` is the connectivity
 * analysis's (see `analysis/approval.ts`): the flows a deploy opens,
 * against the live Calico resources; without a check, calico-* changes
 * count as broadening. `orderChanges` puts the calico-* changes in
 * make-before-break order (see `analysis/safe-order.ts`).
 */
export const DEPLOY_HOOKS: { approvalCheck?: ApprovalCheck; orderChanges?: ChangeOrderHook } = { approvalCheck: flowApprovalCheck, orderChanges: makeBeforeBreakHook };

/** Parsed flags of diff/deploy/destroy. */
export interface DeployFlags extends ConnectionFlags {
  /** Bundle folder. */
  readonly bundleDir: string;
  /** `--etcd-endpoints` (for the Calico datastore driver). */
  readonly etcdEndpoints: readonly string[];
  /** `--skip-kinds`. */
  readonly skipKinds: readonly string[];
  /** `--force`: cancel Marathon deployments that hold our apps. */
  readonly force: boolean;
  /** `--require-approval`. */
  readonly requireApproval: ApprovalLevel;
  /** `--yes`. */
  readonly yes: boolean;
  /** `--break-lock`. */
  readonly breakLock: boolean;
  /** `--json`. */
  readonly json: boolean;
  /** `--fail` (diff). */
  readonly fail: boolean;
  /** `--help`. */
  readonly help: boolean;
  /** Node settings over SSH (`--ssh-*`, `--master-proxy`, `--max-unavailable`, `--node-root`). */
  readonly ssh: NodeSshFlags;
}

/** Flags of the node-settings drivers. */
export interface NodeSshFlags {
  /** `--ssh-user` (default `core`, the DC/OS AMI user). */
  readonly user?: string;
  /** `--ssh-key <file>` (default: the ssh-agent). */
  readonly keyFile?: string;
  /** `--ssh-insecure-host-keys`: do not check host keys against known_hosts. */
  readonly insecureHostKeys: boolean;
  /** `--master-proxy`: reach agents through a master, like `dcos node ssh --master-proxy`. */
  readonly masterProxy: boolean;
  /** `--max-unavailable <n>`: agents restarted at once. */
  readonly maxUnavailable?: number;
  /** `--node-root <dir>`: folder standing for `/` on every node (tests, chroots). */
  readonly nodeRoot?: string;
}

/** Help text of the shared flags. */
export const SHARED_FLAGS_USAGE = `Bundle:
  [bundle] | -o, --output <dir>   bundle folder (default: "output" of dcos-cdk.json, else dcos.out)
Cluster (flags, then environment, then the dcos CLI's attached cluster):
      --dcos-url <url>           cluster URL (env DCOS_URL; dcos.toml core.dcos_url)
      --token-env <VAR>          environment variable holding the token (default DCOS_ACS_TOKEN;
                                 else core.dcos_acs_token of the dcos CLI config of that cluster)
      --insecure                 do not verify TLS certificates (env DCOS_SSL_VERIFY=false)
      --ca-file <pem>            trust this CA bundle (env DCOS_SSL_VERIFY=<path>)
      --etcd-endpoints <urls>    Calico datastore (comma-separated), for calico-* artifacts
      --skip-kinds <k,...>       leave these artifact kinds alone
Nodes (mesos-dns-config, cni-network artifacts, over SSH):
      --ssh-user <user>          SSH user on the nodes (default core)
      --ssh-key <file>           private key (default: the ssh-agent, SSH_AUTH_SOCK)
      --ssh-insecure-host-keys   do not check host keys against ~/.ssh/known_hosts
      --master-proxy             reach agents through a master
      --max-unavailable <n>      agents restarted at once (default 1)
      --json                     print a JSON summary on stdout (progress goes to stderr)`;

/** Parses the flags of a deploy command. */
export function parseDeployFlags(argv: readonly string[], command: 'diff' | 'deploy' | 'destroy', cwd: string): DeployFlags {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      options: {
        output: { type: 'string', short: 'o' },
        'dcos-url': { type: 'string' },
        'token-env': { type: 'string' },
        insecure: { type: 'boolean', default: false },
        'ca-file': { type: 'string' },
        'etcd-endpoints': { type: 'string', multiple: true },
        'skip-kinds': { type: 'string', multiple: true },
        force: { type: 'boolean', default: false },
        'require-approval': { type: 'string' },
        yes: { type: 'boolean', short: 'y', default: false },
        'break-lock': { type: 'boolean', default: false },
        json: { type: 'boolean', default: false },
        fail: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
        'ssh-user': { type: 'string' },
        'ssh-key': { type: 'string' },
        'ssh-insecure-host-keys': { type: 'boolean', default: false },
        'master-proxy': { type: 'boolean', default: false },
        'max-unavailable': { type: 'string' },
        'node-root': { type: 'string' },
      },
    });
  } catch (e) {
    throw new CliError(`${(e as Error).message} (see 'dcos-cdk ${command} --help')`, EXIT.usage);
  }
  const v = parsed.values;
  if (parsed.positionals.length > 1) throw new CliError(`${command} takes one bundle folder, got ${parsed.positionals.join(' ')}.`, EXIT.usage);
  const level = v['require-approval'] ?? 'broadening';
  if (!(APPROVAL_LEVELS as readonly string[]).includes(level)) {
    throw new CliError(`--require-approval must be one of ${APPROVAL_LEVELS.join(', ')}, not '${level}'.`, EXIT.usage);
  }
  const list = (values: readonly string[] | undefined): string[] => (values ?? []).flatMap((s) => s.split(',')).map((s) => s.trim()).filter((s) => s !== '');
  if (command === 'diff') {
    for (const f of ['force', 'yes', 'break-lock'] as const) if (v[f]) throw new CliError(`diff does not change anything; --${f} belongs to deploy.`, EXIT.usage);
  }
  let projectOutput: string | undefined;
  try {
    projectOutput = parsed.positionals[0] ?? v.output ? undefined : readProjectConfig(cwd).output;
  } catch (e) {
    throw new CliError((e as Error).message, EXIT.invalid);
  }
  const bundleDir = resolve(cwd, parsed.positionals[0] ?? v.output ?? projectOutput ?? 'dcos.out');
  return {
    bundleDir,
    ...(v['dcos-url'] !== undefined ? { dcosUrl: v['dcos-url'] } : {}),
    ...(v['token-env'] !== undefined ? { tokenEnv: v['token-env'] } : {}),
    insecure: v.insecure ?? false,
    ...(v['ca-file'] !== undefined ? { caFile: resolve(cwd, v['ca-file']) } : {}),
    etcdEndpoints: list(v['etcd-endpoints']),
    skipKinds: list(v['skip-kinds']),
    force: v.force ?? false,
    requireApproval: level as ApprovalLevel,
    yes: v.yes ?? false,
    breakLock: v['break-lock'] ?? false,
    json: v.json ?? false,
    fail: v.fail ?? false,
    help: v.help ?? false,
    ssh: {
      ...(v['ssh-user'] !== undefined ? { user: v['ssh-user'] } : {}),
      ...(v['ssh-key'] !== undefined ? { keyFile: resolve(cwd, v['ssh-key']) } : {}),
      insecureHostKeys: v['ssh-insecure-host-keys'] ?? false,
      masterProxy: v['master-proxy'] ?? false,
      ...(v['max-unavailable'] !== undefined ? { maxUnavailable: positiveInt('--max-unavailable', v['max-unavailable']) } : {}),
      ...(v['node-root'] !== undefined ? { nodeRoot: resolve(cwd, v['node-root']) } : {}),
    },
  };
}

function positiveInt(flag: string, text: string): number {
  if (!/^[1-9]\d*$/.test(text)) throw new CliError(`${flag} must be a whole number of at least 1, not '${text}'.`, EXIT.usage);
  return Number(text);
}

/** What a driver factory gets. */
export interface DriverFactoryContext {
  readonly flags: DeployFlags;
  /** The bundle being deployed (its targets pick formats, e.g. the Calico datastore layout). */
  readonly bundle: LoadedBundle;
  readonly connection: DcosConnection;
  readonly marathon: MarathonClient;
  readonly tuning: DeployTuning;
  readonly env: Readonly<Record<string, string | undefined>>;
}

/** Builds the driver of some artifact kinds from the flags. */
export interface DriverFactory {
  /** Kinds the driver handles. */
  readonly kinds: readonly string[];
  /** How the operator configures it, for "no driver" messages. */
  readonly configuredBy: string;
  /** The driver, or undefined when its settings are missing. */
  create(ctx: DriverFactoryContext): ArtifactDriver | undefined;
}

/**
 * Every known driver. Add the Calico datastore, EC2 and node-settings
 * drivers here (replacing their placeholders) as they become available.
 */
export const DRIVER_FACTORIES: DriverFactory[] = [
  {
    kinds: ['marathon-app'],
    configuredBy: 'the cluster connection (--dcos-url / DCOS_URL / dcos CLI config)',
    create: (c) => new MarathonDriver(c.marathon),
  },
  {
    kinds: ['dcos-package'],
    configuredBy: 'the cluster connection (--dcos-url / DCOS_URL / dcos CLI config)',
    create: (c) =>
      new CosmosDriver(c.connection, c.marathon, c.tuning.healthTimeoutMs !== undefined ? { healthTimeoutMs: c.tuning.healthTimeoutMs } : {}),
  },
  {
    kinds: ['calico-policy', 'calico-profile', 'calico-ippool'],
    configuredBy: "Calico's etcd: --etcd-endpoints, or ETCD_ENDPOINTS (with calicoctl's ETCD_* TLS variables)",
    create: (c) => {
      const fromEnv = etcdConnectionFromEnv(c.env);
      const endpoints = c.flags.etcdEndpoints.length > 0 ? c.flags.etcdEndpoints : fromEnv?.endpoints;
      if (!endpoints || endpoints.length === 0) return undefined;
      const calicoVersion = c.bundle.manifest.targets.calico === 'v3' ? 'v3' : 'v1';
      return new CalicoDatastoreDriver({ calicoVersion, etcd: { ...fromEnv, endpoints } });
    },
  },
  {
    kinds: ['ec2-instance-attribute'],
    configuredBy: 'AWS credentials from the default chain (AWS_PROFILE, AWS_ACCESS_KEY_ID, instance role, ...)',
    create: (c) => new Ec2InstanceAttributeDriver({ regions: ec2RegionsOf(c.bundle.manifest.artifacts.map((a) => ({ ...a, content: c.bundle.contents.get(a.id) ?? '' }))) }),
  },
  {
    kinds: ['mesos-dns-config'],
    configuredBy: 'SSH access to the masters (ssh-agent or --ssh-key, --ssh-user)',
    create: (c) => (needsNodes(c, 'mesos-dns-config') ? new MesosDnsDriver(nodeSettingsOptions(c)) : undefined),
  },
  {
    kinds: ['cni-network'],
    configuredBy: 'SSH access to the agents (ssh-agent or --ssh-key, --ssh-user)',
    create: (c) => (needsNodes(c, 'cni-network') ? new CniNetworkDriver(nodeSettingsOptions(c)) : undefined),
  },
];

/**
 * Node drivers SSH to every node, so they run only when the bundle has
 * their kind or SSH was configured explicitly (then they also remove what
 * the stack left on the nodes).
 */
function needsNodes(c: DriverFactoryContext, kind: string): boolean {
  return c.bundle.manifest.artifacts.some((a) => a.kind === kind) || c.flags.ssh.user !== undefined || c.flags.ssh.keyFile !== undefined;
}

function nodeSettingsOptions(c: DriverFactoryContext): NodeSettingsOptions {
  const f = c.flags.ssh;
  return {
    connection: adminRouterOf(c.connection),
    ssh: {
      ...(f.user !== undefined ? { user: f.user } : {}),
      ...(f.keyFile !== undefined ? { privateKeyFile: f.keyFile } : {}),
      insecureHostKeys: f.insecureHostKeys,
      // Like `dcos node ssh --master-proxy`: hop through the host of the cluster URL, a master.
      ...(f.masterProxy ? { proxy: { host: new URL(c.connection.url).hostname } } : {}),
    },
    ...(f.maxUnavailable !== undefined ? { maxUnavailable: f.maxUnavailable } : {}),
    ...(f.nodeRoot !== undefined ? { root: f.nodeRoot } : {}),
    pruneUndeclared: f.user !== undefined || f.keyFile !== undefined,
  };
}

/** The Admin Router as the node drivers see it: requests go through the connection (TLS, token, counters). */
function adminRouterOf(connection: DcosConnection): AdminRouterConnection {
  return {
    baseUrl: connection.url,
    fetch: async (input, init) => {
      const res = await connection.request({ method: (init?.method ?? 'GET') as 'GET', url: String(input) });
      return new Response(res.text, { status: res.status, headers: { 'content-type': String(res.headers['content-type'] ?? 'application/json') } });
    },
  };
}

/** Everything a deploy command needs. */
export interface DeploySetup {
  readonly flags: DeployFlags;
  readonly bundle: LoadedBundle;
  readonly connection: DcosConnection;
  readonly marathon: MarathonClient;
  readonly drivers: readonly ArtifactDriver[];
  readonly lock: DeployLock;
}

/** Reads the bundle, resolves the connection and builds the drivers; fails on kinds without a driver. */
export function buildDeploySetup(flags: DeployFlags, io: DeployIo = {}): DeploySetup {
  const env = io.env ?? process.env;
  const tuning = io.tuning ?? {};
  const bundle = readBundle(flags.bundleDir);
  const connection = DcosConnection.resolve(
    flags,
    env,
    {
      ...(tuning.requestTimeoutMs !== undefined ? { timeoutMs: tuning.requestTimeoutMs } : {}),
      ...(tuning.retries !== undefined ? { retries: tuning.retries } : {}),
      ...(tuning.retryBaseMs !== undefined ? { retryBaseMs: tuning.retryBaseMs } : {}),
    },
    io.home,
  );
  const marathon = new MarathonClient(connection, {
    ...(tuning.pollIntervalMs !== undefined ? { pollIntervalMs: tuning.pollIntervalMs } : {}),
    ...(tuning.deploymentTimeoutMs !== undefined ? { deploymentTimeoutMs: tuning.deploymentTimeoutMs } : {}),
    ...(tuning.lockWaitTimeoutMs !== undefined ? { lockWaitTimeoutMs: tuning.lockWaitTimeoutMs } : {}),
    ...(tuning.progressIntervalMs !== undefined ? { progressIntervalMs: tuning.progressIntervalMs } : {}),
  });
  const factoryCtx: DriverFactoryContext = { flags, bundle, connection, marathon, tuning, env };
  const drivers: ArtifactDriver[] = [];
  for (const f of DRIVER_FACTORIES) {
    if (f.kinds.every((k) => flags.skipKinds.includes(k))) continue;
    const d = f.create(factoryCtx);
    if (d) drivers.push(d);
  }
  const missing = kindsWithoutDriver(bundle, drivers, flags.skipKinds);
  if (missing.length > 0) throw missingDriverError(missing);
  const analysisContext = approvalContextFor({ bundle, flags, env, marathon, drivers });
  registerApprovalContext(bundle, analysisContext);
  registerOrderContext(bundle, analysisContext);
  return { flags, bundle, connection, marathon, drivers, lock: new MarathonDeployLock(connection) };
}

/** The "no driver" error, naming the flag that configures each kind. */
export function missingDriverError(kinds: readonly string[]): MissingDriverError {
  const lines = kinds.map((k) => {
    const f = DRIVER_FACTORIES.find((x) => x.kinds.includes(k));
    return `  ${k}: configure ${f?.configuredBy ?? 'a driver for it (none is known)'}`;
  });
  return new MissingDriverError(
    kinds,
    [
      `The bundle holds artifact kinds that no configured deploy driver handles:`,
      ...lines,
      `Configure them, or pass --skip-kinds ${kinds.join(',')} to deploy the rest (those artifacts are left as they are).`,
    ].join('\n'),
  );
}
