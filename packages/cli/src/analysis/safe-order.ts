/**
 * Make-before-break order of network policy changes: `dcos-cdk deploy` applies the
 * `calico-*` changes of a plan in an order where no intermediate state lets through a flow
 * that neither the old nor the new configuration allows.
 *
 * How: the old state is the live Calico resources, the new one the live resources with
 * every change applied. The changes are taken greedily: at each step the first pending
 * change (in the engine's default order) whose application keeps the allowed flows within
 * old ∪ new is applied next, which the connectivity analysis decides exactly
 * (`opened(old → state) ∩ closed(state → new)` must be empty). When no pending change
 * qualifies, the default order is kept for the rest and a warning names the flows; when the
 * analysis takes longer than its budget, the rest is left unverified, with a warning.
 *
 * Every state is analyzed over the same apps (the bundle's, plus other stacks' live apps),
 * as the approval check does: app changes are not part of the intermediate states.
 *
 * @module
 */
import { diffModels, modelFromTexts, parseCidr, readCalicoYaml, SelectorInterner, type FlowChange, type InputText, type NetworkModel } from '@dcos-cdk/calico';
import type { ChangeOrder, DeployPlan, LoadedBundle, PlannedChange } from '@dcos-cdk/core';
import { describeFlow, type ApprovalContext } from './approval.js';

/** True for the kinds whose changes are ordered make-before-break (`calico-*`). */
export function isOrderedKind(kind: string): boolean {
  return kind.startsWith('calico-');
}

/** Input of {@link makeBeforeBreakOrder}. */
export interface SafeOrderInput {
  /** The live Calico resources (the old state), as calicoctl documents. */
  readonly live: readonly InputText[];
  /** The apps (Marathon JSON) every state is analyzed over. */
  readonly apps: readonly InputText[];
  /** The `calico-*` changes, in the engine's default order. */
  readonly changes: readonly PlannedChange[];
  /** Calico API of the cluster. */
  readonly apiVersion: 'v1' | 'v3';
  /** Longest time the analysis may take before the rest of the order is left unverified. @default 30000 */
  readonly budgetMs?: number;
}

/** Output of {@link makeBeforeBreakOrder}. */
export interface SafeOrderResult {
  /** The same changes, in make-before-break order. */
  readonly changes: readonly PlannedChange[];
  /** True when every intermediate state was checked and allows nothing outside old ∪ new. */
  readonly verified: boolean;
  /** What the operator should know when not verified. */
  readonly warnings: readonly string[];
  /** Intermediate states analyzed. */
  readonly statesChecked: number;
}

/** The artifact id a calicoctl document has in a bundle (`calico-policy:<name>`, …); undefined when unreadable. */
export function calicoIdentity(text: string, file: string): string | undefined {
  let r;
  try {
    r = readCalicoYaml(text, file).located[0];
  } catch {
    return undefined;
  }
  if (!r) return undefined;
  const x = r.resource;
  if (x.kind === 'policy') return `calico-policy:${x.name}`;
  if (x.kind === 'profile') return `calico-profile:${x.name}`;
  return `calico-ippool:${r.version === 'v1' || x.name === undefined ? (parseCidr(x.cidr)?.text ?? x.cidr) : x.name}`;
}

/** A Calico state: documents by identity (unreadable ones under their file name). */
export type CalicoState = ReadonlyMap<string, InputText>;

/** The state of live documents. */
export function stateOf(docs: readonly InputText[]): Map<string, InputText> {
  return new Map(docs.map((d) => [calicoIdentity(d.text, d.file) ?? `file:${d.file}`, d]));
}

/** The state after applying one change (deletes by id; creates and updates replace the document of the same identity). */
export function applyChange(state: CalicoState, change: PlannedChange): Map<string, InputText> {
  const next = new Map(state);
  if (change.action === 'delete') {
    next.delete(change.id);
  } else if (change.action !== 'noop' && change.desired) {
    const d = change.desired;
    const doc = { file: d.file.replace(/\.json$/i, '.yaml'), text: d.content };
    next.set(calicoIdentity(doc.text, doc.file) ?? change.id, doc);
  }
  return next;
}

/**
 * The flows `state` allows that neither `before` nor `after` allows: those opened going from
 * `before` to `state` and closed going from `state` to `after` (the same packets).
 * All three models must come from one interner.
 */
export function flowsOutside(before: NetworkModel, state: NetworkModel, after: NetworkModel, interner: SelectorInterner): FlowChange[] {
  const opened = diffModels(before, state, { interner }).opened;
  if (opened.length === 0) return [];
  const closed = diffModels(state, after, { interner }).closed;
  if (closed.length === 0) return [];
  const key = (f: FlowChange): string => `${f.from}\u0000${f.to}\u0000${f.protocol}`;
  const byKey = new Map<string, FlowChange[]>();
  for (const c of closed) (byKey.get(key(c)) ?? byKey.set(key(c), []).get(key(c))!).push(c);
  const out: FlowChange[] = [];
  for (const o of opened) {
    for (const c of byKey.get(key(o)) ?? []) {
      if (!o.ports || !c.ports) {
        if (!o.ports && !c.ports) out.push(o);
        continue;
      }
      const from = Math.max(o.ports.from, c.ports.from);
      const to = Math.min(o.ports.to, c.ports.to);
      if (from <= to) out.push({ ...o, ports: { from, to } });
    }
  }
  return out;
}

/** Builds the models of states over one set of apps, with one interner. */
export class StateAnalyzer {
  /** The interner every model shares. */
  readonly interner = new SelectorInterner();

  constructor(
    private readonly apps: readonly InputText[],
    private readonly apiVersion: 'v1' | 'v3',
  ) {}

  /** The model of a state. */
  model(state: CalicoState): NetworkModel {
    return modelFromTexts([...this.apps, ...state.values()], { interner: this.interner, apiVersion: this.apiVersion, duplicatePolicies: 'last' });
  }

  /** Flows the state allows outside old ∪ new. */
  outside(before: NetworkModel, state: CalicoState, after: NetworkModel): FlowChange[] {
    return flowsOutside(before, this.model(state), after, this.interner);
  }
}

/**
 * Orders `calico-*` changes make-before-break (see the module documentation). Pure: reads
 * nothing but its input.
 */
export function makeBeforeBreakOrder(input: SafeOrderInput): SafeOrderResult {
  const started = Date.now();
  const budget = input.budgetMs ?? 30000;
  const changes = input.changes;
  if (changes.length < 2) return { changes: [...changes], verified: true, warnings: [], statesChecked: 0 };
  const analyzer = new StateAnalyzer(input.apps, input.apiVersion);
  let state: CalicoState = stateOf(input.live);
  const before = analyzer.model(state);
  const after = analyzer.model(changes.reduce<CalicoState>(applyChange, state));
  const pending = [...changes];
  const order: PlannedChange[] = [];
  const warnings: string[] = [];
  let verified = true;
  let checked = 0;
  while (pending.length > 0) {
    if (pending.length === 1) {
      order.push(pending.pop()!); // the last state is the new configuration
      break;
    }
    if (Date.now() - started > budget) {
      warnings.push(
        `The make-before-break order of the remaining ${pending.length} network policy change(s) was not verified (the analysis took longer than ${Math.round(budget / 1000)} s); they are applied in the default order.`,
      );
      verified = false;
      order.push(...pending.splice(0));
      break;
    }
    let pick = -1;
    let firstBad: FlowChange[] = [];
    for (const [i, c] of pending.entries()) {
      checked++;
      const bad = analyzer.outside(before, applyChange(state, c), after);
      if (bad.length === 0) {
        pick = i;
        break;
      }
      if (i === 0) firstBad = bad;
    }
    if (pick < 0) {
      verified = false;
      pick = 0;
      warnings.push(
        `No make-before-break order exists for the network policy changes left (${pending.map((c) => `${c.action} ${c.id}`).join(', ')}): applying ${pending[0]!.action} ${pending[0]!.id} next briefly lets through ${firstBad.length} flow(s) that neither the old nor the new configuration allows, e.g. ${firstBad.slice(0, 3).map(describeFlow).join('; ')}. They are applied in the default order.`,
      );
    }
    const [c] = pending.splice(pick, 1);
    order.push(c!);
    state = applyChange(state, c!);
  }
  return { changes: order, verified, warnings, statesChecked: checked };
}

/**
 * Puts reordered `calico-*` changes back into a plan: into the places the calico changes had,
 * or, when that would move a change after a change that depends on it, as one block where
 * the first calico change was.
 */
export function mergeOrder(all: readonly PlannedChange[], calico: readonly PlannedChange[]): PlannedChange[] {
  const slots = all.map((c) => isOrderedKind(c.kind));
  let k = 0;
  const inSlots = all.map((c, i) => (slots[i] ? calico[k++]! : c));
  const position = new Map(inSlots.map((c, i) => [c.id, i]));
  const broken = inSlots.some((c, i) => !isOrderedKind(c.kind) && (c.desired?.dependsOn ?? []).some((d) => (position.get(d) ?? -1) > i && isOrderedKind(inSlots[position.get(d)!]!.kind)));
  if (!broken) return inSlots;
  const first = slots.indexOf(true);
  const rest = all.filter((c) => !isOrderedKind(c.kind));
  return [...rest.slice(0, first), ...calico, ...rest.slice(first)];
}

/** What the deploy hook may read, registered per bundle by the deploy setup. */
const contexts = new WeakMap<LoadedBundle, ApprovalContext>();

/** Registers what {@link makeBeforeBreakHook} may read for a deploy of `bundle` (the approval context). */
export function registerOrderContext(bundle: LoadedBundle, context: ApprovalContext): void {
  contexts.set(bundle, context);
}

/** Options of {@link makeBeforeBreakHook}-like hooks. */
export interface OrderHookOptions {
  /** Analysis budget. @default 30000 */
  readonly budgetMs?: number;
}

/** The apps of the bundle plus other stacks' live apps, as the approval check analyzes them. */
async function appsFor(bundle: LoadedBundle, ctx: ApprovalContext | undefined): Promise<InputText[]> {
  const own = bundle.manifest.artifacts.filter((a) => a.kind === 'marathon-app');
  const apps: InputText[] = own.map((a) => ({ file: a.file, text: bundle.contents.get(a.id) ?? '' }));
  if (!ctx?.readApps) return apps;
  const mine = new Set(own.map((a) => a.id.replace(/^marathon-app:/, '')));
  for (const app of await ctx.readApps()) {
    const a = app as { id?: unknown; labels?: Record<string, unknown> };
    if (typeof a.id !== 'string' || mine.has(a.id) || (ctx.stackLabel !== undefined && a.labels?.[ctx.stackLabel] === ctx.stack)) continue;
    apps.push({ file: `marathon:${a.id}.json`, text: JSON.stringify(app) });
  }
  return apps;
}

/** Builds the deploy's change order hook (see the module documentation). */
export function makeBeforeBreakHookWith(options: OrderHookOptions = {}): (plan: DeployPlan, bundle: LoadedBundle) => Promise<ChangeOrder> {
  return async (plan, bundle) => {
    const calico = plan.changes.filter((c) => isOrderedKind(c.kind));
    if (calico.length < 2) return { changes: plan.changes };
    const ctx = contexts.get(bundle);
    if (!ctx?.readCalico) {
      return { changes: plan.changes, warnings: ['The make-before-break order of the network policy changes was not verified: the live Calico resources cannot be read (the Calico driver is not the etcd datastore driver).'] };
    }
    const apiVersion = bundle.manifest.targets.calico === 'v3' ? 'v3' : 'v1';
    let result: SafeOrderResult;
    try {
      const live = await ctx.readCalico();
      const apps = await appsFor(bundle, ctx);
      const run = (withApps: readonly InputText[]): SafeOrderResult => makeBeforeBreakOrder({ live, apps: withApps, changes: calico, apiVersion, ...(options.budgetMs !== undefined ? { budgetMs: options.budgetMs } : {}) });
      try {
        result = run(apps);
      } catch {
        // An app of someone else's that the analysis cannot read must not block the deploy.
        result = run(apps.filter((t) => !t.file.startsWith('marathon:')));
      }
    } catch (e) {
      return { changes: plan.changes, warnings: [`The make-before-break order of the network policy changes was not verified: ${(e as Error).message}`] };
    }
    return { changes: mergeOrder(plan.changes, result.changes), warnings: result.warnings };
  };
}

/** The change order hook `dcos-cdk deploy` uses (`DEPLOY_HOOKS.orderChanges`). */
export const makeBeforeBreakHook = makeBeforeBreakHookWith();
