/**
 * Deploy approval from the connectivity analysis: the flows a deploy opens and closes.
 *
 * What "before" is: **the live cluster**. When a deploy changes Calico resources, the check
 * reads every Calico resource from the Calico datastore (the etcd the deploy writes,
 * through the same connection settings), asks the Calico driver which resources the stack
 * owns but the bundle dropped (its plan's deletes), and compares
 *
 * - before: the live Calico resources;
 * - after: the live ones with the bundle's replacing those of the same name and the dropped
 *   ones removed;
 *
 * both over the same apps: the bundle's, plus the live Calico apps of others (`GET /v2/apps`).
 * A flow counts as opened when after allows it and before did not. Apps joining or leaving
 * under unchanged policies open nothing: approval guards changes to network policy.
 *
 * When Calico is not part of the deploy (`--skip-kinds`), nothing is opened. When the live
 * Calico resources cannot be read (a driver other than the datastore driver, or etcd fails),
 * every flow the bundle allows counts as opened (conservative).
 *
 * @module
 */
import { diffModels, isAnalyzedKind, matrixToJson, analyze, modelFromArtifacts, modelFromTexts, parseCidr, readCalicoDatastore, readCalicoYaml, SelectorInterner, type FlowChange, type InputText, type NetworkModel } from '@dcos-cdk/calico';
import { CalicoDatastoreDriver, etcdConnectionFromEnv } from '@dcos-cdk/calico/deploy';
import type { CalicoVersion } from '@dcos-cdk/dcos';
import { STACK_LABEL } from '@dcos-cdk/dcos/deploy';
import type { ArtifactDriver, DriverContext, FlowReport, LoadedBundle } from '@dcos-cdk/core';
import { desiredArtifacts } from '@dcos-cdk/core';
import type { MarathonClient } from '@dcos-cdk/marathon/deploy';

/** What the check may read for one deploy; `buildDeploySetup` registers it for the bundle it loaded. */
export interface ApprovalContext {
  /** Stack name (owner of the apps and resources). */
  readonly stack: string;
  /** The deploy's drivers (the Calico driver's plan gives the dropped resources). */
  readonly drivers: readonly ArtifactDriver[];
  /** Kinds the deploy leaves alone. */
  readonly skipKinds: readonly string[];
  /** Live Calico resources, as calicoctl documents; absent when they cannot be read. */
  readonly readCalico?: () => Promise<readonly InputText[]>;
  /** Live Marathon apps (JSON objects); absent when they cannot be read. */
  readonly readApps?: () => Promise<readonly unknown[]>;
  /** Marathon label marking the apps a stack owns. */
  readonly stackLabel?: string;
}

const contexts = new WeakMap<LoadedBundle, ApprovalContext>();

/** Registers what the approval check of a deploy of `bundle` may read (called by the deploy setup). */
export function registerApprovalContext(bundle: LoadedBundle, context: ApprovalContext): void {
  contexts.set(bundle, context);
}

/** The Calico datastore reader for a connection, as the deploy setup builds it. */
export function datastoreReader(calicoVersion: CalicoVersion, etcd: Parameters<typeof readCalicoDatastore>[0]['etcd']): () => Promise<InputText[]> {
  return async () => (await readCalicoDatastore({ calicoVersion, etcd })).map((d) => ({ file: d.source, text: d.yaml }));
}

/** What {@link approvalContextFor} needs from the deploy setup. */
export interface ApprovalSetup {
  /** The bundle being deployed. */
  readonly bundle: LoadedBundle;
  /** `--etcd-endpoints` and `--skip-kinds`. */
  readonly flags: { readonly etcdEndpoints: readonly string[]; readonly skipKinds: readonly string[] };
  /** Environment variables (`ETCD_ENDPOINTS` and calicoctl's TLS variables). */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Marathon, for the live apps. */
  readonly marathon: MarathonClient;
  /** The deploy's drivers. */
  readonly drivers: readonly ArtifactDriver[];
}

/**
 * The approval context of a deploy: the live Calico resources are read from the etcd the
 * Calico datastore driver writes (`--etcd-endpoints`, else `ETCD_ENDPOINTS`), the live apps
 * from Marathon.
 */
export function approvalContextFor(s: ApprovalSetup): ApprovalContext {
  const stack = s.bundle.manifest.stack;
  const fromEnv = etcdConnectionFromEnv(s.env);
  const endpoints = s.flags.etcdEndpoints.length > 0 ? s.flags.etcdEndpoints : fromEnv?.endpoints;
  const datastore = s.drivers.some((d) => d instanceof CalicoDatastoreDriver) && endpoints !== undefined && endpoints.length > 0;
  const calicoVersion: CalicoVersion = s.bundle.manifest.targets.calico === 'v3' ? 'v3' : 'v1';
  const ctx: DriverContext = { stack, progress: () => undefined, force: false, counters: { reads: 0, writes: 0 } };
  return {
    stack,
    drivers: s.drivers,
    skipKinds: s.flags.skipKinds,
    ...(datastore ? { readCalico: datastoreReader(calicoVersion, { ...fromEnv, endpoints: endpoints! }) } : {}),
    readApps: () => s.marathon.listApps(ctx),
    stackLabel: STACK_LABEL,
  };
}

const CALICO_KINDS = ['calico-policy', 'calico-profile', 'calico-ippool'];
/** Most flows listed per side; the rest are counted. */
const MAX_LISTED = 100;

/** A flow change in one line: `/tester → /frontend tcp/80 (egress: calico-policy:a rule 0 (allow); …)`. */
export function describeFlow(c: Pick<FlowChange, 'from' | 'to' | 'protocol' | 'ports' | 'after'>): string {
  const ports = c.ports ? `/${c.ports.from === c.ports.to ? c.ports.from : c.ports.from === 1 && c.ports.to === 65535 ? 'any' : `${c.ports.from}-${c.ports.to}`}` : c.protocol.startsWith('icmp') ? ' echo' : '';
  const why = c.after.replace(/\bpolicy (\S+) rule/g, 'calico-policy:$1 rule').replace(/\bprofile (\S+) rule/g, 'calico-profile:$1 rule');
  return `${c.from} → ${c.to} ${c.protocol}${ports} (${why})`;
}

function capped(lines: string[]): string[] {
  return lines.length <= MAX_LISTED ? lines : [...lines.slice(0, MAX_LISTED), `… and ${lines.length - MAX_LISTED} more flows`];
}

function analyzedArtifacts(bundle: LoadedBundle): Array<{ id: string; kind: string; file: string; content: string; constructPath: string }> {
  return bundle.manifest.artifacts.filter((a) => isAnalyzedKind(a.kind)).map((a) => ({ id: a.id, kind: a.kind, file: a.file, content: bundle.contents.get(a.id) ?? '', constructPath: a.constructPath }));
}

/** Flows one bundle opens and closes against another (destroy: against an empty one). */
export function diffBundles(before: LoadedBundle, after: LoadedBundle): FlowReport {
  const interner = new SelectorInterner();
  const b = modelFromArtifacts(analyzedArtifacts(before), before.manifest.targets.calico, { interner });
  const a = modelFromArtifacts(analyzedArtifacts(after), after.manifest.targets.calico ?? before.manifest.targets.calico, { interner });
  const d = diffModels(b, a, { interner });
  return { opened: capped(d.opened.map(describeFlow)), closed: capped(d.closed.map(describeFlow)) };
}

/** Every flow a model allows, as opened (the conservative answer). */
function everyFlowOpened(model: NetworkModel, why: string): FlowReport {
  const flows = matrixToJson(analyze(model)).flows.filter((f) => f.allowed);
  const lines = flows.map((f) => describeFlow({ from: f.from, to: f.to, protocol: f.protocol, ...(f.port === null ? {} : { ports: { from: f.port, to: f.port } }), after: f.reason }));
  return { opened: lines.length === 0 ? [] : [`every flow the bundle allows (${why}):`, ...capped(lines)], closed: [] };
}

/** The artifact id a calicoctl document (v1 or v3) has in a bundle, e.g. `calico-policy:<name>`; undefined when unreadable. */
function identityOfText(text: string, file: string): string | undefined {
  const r = readCalicoYaml(text, file).located[0];
  if (!r) return undefined;
  const x = r.resource;
  if (x.kind === 'policy') return `calico-policy:${x.name}`;
  if (x.kind === 'profile') return `calico-profile:${x.name}`;
  return `calico-ippool:${r.version === 'v1' || x.name === undefined ? (parseCidr(x.cidr)?.text ?? x.cidr) : x.name}`;
}

/**
 * The approval check `dcos-cdk deploy` uses (`DEPLOY_HOOKS.approvalCheck`): with `before`,
 * compares the two bundles; without it (a deploy), compares the live cluster with the live
 * cluster after the deploy, as described in the module documentation.
 */
export async function flowApprovalCheck(before: LoadedBundle | undefined, after: LoadedBundle): Promise<FlowReport> {
  if (before) return diffBundles(before, after);
  const ctx = contexts.get(after);
  const bundleArtifacts = analyzedArtifacts(after);
  // Kinds the deploy leaves alone stay as they are live: only the others are replaced or dropped.
  const changing = (kind: string): boolean => CALICO_KINDS.includes(kind) && !(ctx?.skipKinds.includes(kind) ?? false);
  const calicoInBundle = bundleArtifacts.filter((a) => changing(a.kind));
  const calicoDriver = ctx?.drivers.find((d) => d.kinds.includes('calico-policy'));
  if (ctx && (CALICO_KINDS.every((k) => ctx.skipKinds.includes(k)) || !calicoDriver)) return { opened: [], closed: [] };
  const interner = new SelectorInterner();
  const bundleModel = (): NetworkModel => modelFromArtifacts(bundleArtifacts, after.manifest.targets.calico, { interner });
  if (!ctx?.readCalico) return everyFlowOpened(bundleModel(), 'the live Calico resources cannot be read: the Calico driver is not the etcd datastore driver');
  const driverCtx: DriverContext = { stack: ctx.stack, progress: () => undefined, force: false, counters: { reads: 0, writes: 0 } };
  let live: readonly InputText[];
  let dropped: Set<string>;
  let others: InputText[] = [];
  try {
    live = await ctx.readCalico();
    const planned = await calicoDriver!.plan(desiredArtifacts(after).filter((a) => changing(a.kind)), driverCtx);
    dropped = new Set(planned.filter((c) => c.action === 'delete' && changing(c.kind)).map((c) => c.id));
    if (ctx.readApps) {
      const mine = new Set(bundleArtifacts.filter((a) => a.kind === 'marathon-app').map((a) => a.id.replace(/^marathon-app:/, '')));
      others = (await ctx.readApps())
        .filter((app) => {
          const a = app as { id?: unknown; labels?: Record<string, unknown> };
          return typeof a.id === 'string' && !mine.has(a.id) && (ctx.stackLabel === undefined || a.labels?.[ctx.stackLabel] !== ctx.stack);
        })
        .map((app) => ({ file: `marathon:${String((app as { id: string }).id)}.json`, text: JSON.stringify(app) }));
    }
  } catch (e) {
    return everyFlowOpened(bundleModel(), `the live Calico resources could not be read: ${(e as Error).message}`);
  }
  const replaced = new Set(calicoInBundle.map((a) => identityOfText(a.content, a.file) ?? a.id));
  const kept = live.filter((doc) => {
    const id = identityOfText(doc.text, doc.file);
    return id === undefined || (!replaced.has(id) && !dropped.has(id));
  });
  const apps: InputText[] = [...bundleArtifacts.filter((a) => a.kind === 'marathon-app').map((a) => ({ file: a.file, text: a.content })), ...others];
  const bundleCalico: InputText[] = calicoInBundle.map((a) => ({ file: a.file.replace(/\.json$/i, '.yaml'), text: a.content }));
  const options = { interner, apiVersion: after.manifest.targets.calico === 'v3' ? ('v3' as const) : ('v1' as const) };
  const diff = (withApps: readonly InputText[]): ReturnType<typeof diffModels> =>
    diffModels(modelFromTexts([...withApps, ...live], options), modelFromTexts([...withApps, ...kept, ...bundleCalico], options), { interner });
  let d: ReturnType<typeof diffModels>;
  try {
    d = diff(apps);
  } catch {
    try {
      // An app of someone else's that the analysis cannot read must not block the deploy: leave those out.
      d = diff(apps.filter((t) => !t.file.startsWith('marathon:')));
    } catch (e) {
      return everyFlowOpened(bundleModel(), `the live Calico resources could not be analyzed: ${(e as Error).message}`);
    }
  }
  return { opened: capped(d.opened.map(describeFlow)), closed: capped(d.closed.map(describeFlow)) };
}
