/*
 * Make-before-break order of network policy changes: for old and new bundles of the example,
 * every intermediate state of the applied calico-* changes allows no flow that neither the old
 * nor the new configuration allows. Checked independently of the ordering code: each state's
 * full reachability matrix (analyze) is compared flow by flow with the old and new matrices.
 * A case where the engine's default (manifest) order does open a flow shows the check can fail.
 * Then a real deploy against etcd (v2) snapshots the datastore after every apply and checks each
 * snapshot the same way.
 */
import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { App, orderChanges, readBundle, runDeploy, type ArtifactDriver, type DesiredArtifact, type LoadedBundle, type PlannedChange } from '@dcos-cdk/core';
import { analyze, CalicoPolicy, matrixToJson, modelFromTexts, readCalicoDatastore, SelectorInterner, type InputText, type RuleProps } from '@dcos-cdk/calico';
import { CalicoDatastoreDriver } from '@dcos-cdk/calico/deploy';
import { etcdUnavailableReason, startEtcd, type EtcdServer } from '@dcos-cdk/testing';
import { buildStack } from '../../../examples/ip-per-container/lib/stack.js';
import { datastoreReader } from '../src/analysis/approval.js';
import { applyChange, isOrderedKind, makeBeforeBreakHookWith, makeBeforeBreakOrder, mergeOrder, registerOrderContext, stateOf, type CalicoState } from '../src/analysis/safe-order.js';

const exampleDir = join(dirname(fileURLToPath(import.meta.url)), '../../../examples/ip-per-container');

/** A policy added to the example, in this order (the manifest order). */
interface ExtraPolicy {
  readonly name: string;
  readonly order: number;
  readonly selector: string;
  readonly ingress: readonly RuleProps[];
}

const DB = '(app == "database" && group == "production")';
const TESTER = '(app == "tester" && group == "production")';
const FRONTEND = '(app == "frontend" && group == "production")';

/** The example plus extra policies. */
function bundleWith(policies: readonly ExtraPolicy[]): LoadedBundle {
  const outdir = mkdtempSync(join(tmpdir(), 'safe-order-'));
  try {
    const app = new App({ projectDir: exampleDir, outdir });
    const cluster = buildStack(app);
    for (const p of policies) new CalicoPolicy(cluster, `Extra-${p.name}`, { name: p.name, order: p.order, selector: p.selector, ingress: p.ingress });
    app.synth();
    return readBundle(outdir);
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

function calicoDocs(bundle: LoadedBundle): InputText[] {
  return bundle.manifest.artifacts.filter((a) => isOrderedKind(a.kind)).map((a) => ({ file: a.file.replace(/\.json$/i, '.yaml'), text: bundle.contents.get(a.id) ?? '' }));
}

function apps(bundle: LoadedBundle): InputText[] {
  return bundle.manifest.artifacts.filter((a) => a.kind === 'marathon-app').map((a) => ({ file: a.file, text: bundle.contents.get(a.id) ?? '' }));
}

function desired(bundle: LoadedBundle, id: string): DesiredArtifact {
  const a = bundle.manifest.artifacts.find((x) => x.id === id)!;
  return { id, kind: a.kind, file: a.file, content: bundle.contents.get(id) ?? '', constructPath: a.constructPath, dependsOn: a.dependsOn };
}

/** The calico-* changes from old to new, in the engine's default order (what the driver plans, without etcd). */
function plannedChanges(before: LoadedBundle, after: LoadedBundle): PlannedChange[] {
  const changes: PlannedChange[] = [];
  const old = new Map(before.manifest.artifacts.filter((a) => isOrderedKind(a.kind)).map((a) => [a.id, before.contents.get(a.id)]));
  for (const a of after.manifest.artifacts.filter((x) => isOrderedKind(x.kind))) {
    const prev = old.get(a.id);
    if (prev === after.contents.get(a.id)) continue;
    changes.push({ id: a.id, kind: a.kind, action: prev === undefined ? 'create' : 'update', resource: a.id, fields: [], desired: desired(after, a.id) });
  }
  for (const [id] of old) if (!after.manifest.artifacts.some((a) => a.id === id)) changes.push({ id, kind: id.split(':')[0]!, action: 'delete', resource: id, fields: [] });
  return orderChanges(changes, after);
}

/** Allowed flows of a state, from the full matrix (independent of the diff the ordering uses). */
function allowedFlows(appTexts: readonly InputText[], docs: readonly InputText[]): Set<string> {
  const model = modelFromTexts([...appTexts, ...docs], { interner: new SelectorInterner() });
  return new Set(matrixToJson(analyze(model)).flows.filter((f) => f.allowed).map((f) => `${f.from} → ${f.to} ${f.protocol}/${f.port ?? '-'}`));
}

/** For every prefix of `order`, the flows the intermediate state allows outside old ∪ new. */
function violations(appTexts: readonly InputText[], live: readonly InputText[], order: readonly PlannedChange[]): string[][] {
  const old = allowedFlows(appTexts, live);
  const next = allowedFlows(appTexts, [...order.reduce<CalicoState>(applyChange, stateOf(live)).values()]);
  const out: string[][] = [];
  let state: CalicoState = stateOf(live);
  for (const c of order) {
    state = applyChange(state, c);
    out.push([...allowedFlows(appTexts, [...state.values()])].filter((f) => !old.has(f) && !next.has(f)));
  }
  return out;
}

interface Case {
  readonly title: string;
  readonly before: readonly ExtraPolicy[];
  readonly after: readonly ExtraPolicy[];
  /** True when the default order opens a flow (the case the ordering exists for). */
  readonly naiveOpens: boolean;
}

const denyTester: RuleProps = { action: 'deny', protocol: 'tcp', source: { selector: TESTER } };
const allowTcp: RuleProps = { action: 'allow', protocol: 'tcp' };

const CASES: readonly Case[] = [
  {
    title: 'a deny moves out of a policy into a new, earlier one (the update comes first in the manifest)',
    before: [{ name: 'db-open', order: 100, selector: DB, ingress: [denyTester, allowTcp] }],
    after: [
      { name: 'db-open', order: 100, selector: DB, ingress: [allowTcp] },
      { name: 'db-guard', order: 50, selector: DB, ingress: [denyTester] },
    ],
    naiveOpens: true,
  },
  {
    title: 'the order of a deny/allow pair changes while the allow narrows',
    before: [
      { name: 'db-deny', order: 100, selector: DB, ingress: [denyTester] },
      { name: 'db-allow', order: 200, selector: DB, ingress: [allowTcp] },
    ],
    after: [
      { name: 'db-deny', order: 300, selector: DB, ingress: [denyTester] },
      { name: 'db-allow', order: 200, selector: DB, ingress: [{ action: 'allow', protocol: 'tcp', source: { selector: FRONTEND } }] },
    ],
    naiveOpens: true,
  },
  {
    title: 'a policy is renamed',
    before: [{ name: 'db-old-name', order: 100, selector: DB, ingress: [denyTester, allowTcp] }],
    after: [{ name: 'db-new-name', order: 100, selector: DB, ingress: [denyTester, allowTcp] }],
    naiveOpens: false,
  },
  {
    title: 'a policy is split in two',
    before: [{ name: 'db-both', order: 100, selector: DB, ingress: [{ action: 'allow', protocol: 'tcp', source: { selector: TESTER }, destination: { ports: [81] } }, { action: 'allow', protocol: 'tcp', source: { selector: FRONTEND }, destination: { ports: [1521] } }] }],
    after: [
      { name: 'db-from-tester', order: 100, selector: DB, ingress: [{ action: 'allow', protocol: 'tcp', source: { selector: TESTER }, destination: { ports: [81] } }] },
      { name: 'db-from-frontend', order: 100, selector: DB, ingress: [{ action: 'allow', protocol: 'tcp', source: { selector: FRONTEND }, destination: { ports: [1521] } }] },
    ],
    naiveOpens: false,
  },
  {
    title: 'a flow moves from one policy to another (allowFrom changes) and a guard is dropped',
    before: [
      { name: 'fe-guard', order: 10, selector: FRONTEND, ingress: [denyTester] },
      { name: 'db-from-tester', order: 100, selector: DB, ingress: [{ action: 'allow', protocol: 'tcp', source: { selector: TESTER }, destination: { ports: [1521] } }] },
    ],
    after: [{ name: 'fe-from-tester', order: 100, selector: FRONTEND, ingress: [{ action: 'allow', protocol: 'tcp', source: { selector: TESTER }, destination: { ports: [8080] } }] }],
    naiveOpens: false,
  },
];

describe('make-before-break order of calico changes', function () {
  this.timeout(60000);

  for (const c of CASES) {
    describe(c.title, () => {
      const before = bundleWith(c.before);
      const after = bundleWith(c.after);
      const live = calicoDocs(before);
      const appTexts = apps(after);
      const naive = plannedChanges(before, after);

      it(`the default order ${c.naiveOpens ? 'opens a flow neither configuration allows' : 'is already safe'}`, () => {
        expect(naive.length).to.be.greaterThan(1);
        const bad = violations(appTexts, live, naive).flat();
        if (c.naiveOpens) expect(bad, 'default order').to.not.be.empty;
        else expect(bad).to.deep.equal([]);
      });

      it('the make-before-break order allows nothing outside old ∪ new in any intermediate state', () => {
        const r = makeBeforeBreakOrder({ live, apps: appTexts, changes: naive, apiVersion: 'v1' });
        expect(r.verified).to.equal(true);
        expect(r.warnings).to.deep.equal([]);
        expect([...r.changes].sort((a, b) => a.id.localeCompare(b.id))).to.deep.equal([...naive].sort((a, b) => a.id.localeCompare(b.id)));
        violations(appTexts, live, r.changes).forEach((bad, i) => expect(bad, `after ${r.changes.slice(0, i + 1).map((x) => `${x.action} ${x.id}`).join(', ')}`).to.deep.equal([]));
        if (!c.naiveOpens) expect(r.changes).to.deep.equal(naive);
      });
    });
  }

  it('warns and keeps the default order when no safe order exists', () => {
    // Two policies swap which source each denies: whichever is updated first, the state in
    // between lets one of the denied sources through (old and new both deny both).
    const denyFrontend: RuleProps = { action: 'deny', protocol: 'tcp', source: { selector: FRONTEND } };
    const before = bundleWith([
      { name: 'p1', order: 100, selector: DB, ingress: [denyTester, allowTcp] },
      { name: 'p2', order: 50, selector: DB, ingress: [denyFrontend] },
    ]);
    const after = bundleWith([
      { name: 'p1', order: 100, selector: DB, ingress: [denyFrontend, allowTcp] },
      { name: 'p2', order: 50, selector: DB, ingress: [denyTester] },
    ]);
    const naive = plannedChanges(before, after);
    const live = calicoDocs(before);
    const r = makeBeforeBreakOrder({ live, apps: apps(after), changes: naive, apiVersion: 'v1' });
    expect(r.verified).to.equal(false);
    expect(r.changes).to.deep.equal(naive);
    expect(r.warnings).to.have.length(1);
    expect(r.warnings[0]).to.match(/^No make-before-break order exists .*update calico-policy:p1.*neither the old nor the new configuration allows, e\.g\. \/tester → \/database tcp/);
  });

  it('mergeOrder keeps calico changes in their places unless a dependent would come first', () => {
    const mk = (id: string, dependsOn: string[] = []): PlannedChange => ({ id, kind: id.split(':')[0]!, action: 'create', resource: id, fields: [], desired: { id, kind: id.split(':')[0]!, file: '', content: '', constructPath: '', dependsOn } });
    const a = mk('calico-policy:a');
    const b = mk('calico-policy:b');
    const app = mk('marathon-app:/x', ['calico-policy:a']);
    const pkg = mk('dcos-package:p');
    expect(mergeOrder([pkg, a, b, app], [b, a]).map((c) => c.id)).to.deep.equal(['dcos-package:p', 'calico-policy:b', 'calico-policy:a', 'marathon-app:/x']);
    expect(mergeOrder([pkg, a, app, b], [b, a]).map((c) => c.id)).to.deep.equal(['dcos-package:p', 'calico-policy:b', 'calico-policy:a', 'marathon-app:/x']);
  });

  describe('a deploy against etcd (v2), snapshotting the datastore after every apply', () => {
    let etcd: EtcdServer | undefined;
    before(async function () {
      const why = etcdUnavailableReason();
      if (why) {
        console.warn(`    skipped: ${why}`);
        this.skip();
      }
      etcd = await startEtcd();
    });
    after(async () => {
      await etcd?.stop();
    });

    const SKIP = ['marathon-app', 'dcos-package', 'ec2-instance-attribute', 'mesos-dns-config', 'cni-network'];

    async function deploy(bundle: LoadedBundle, snapshots: InputText[][], withHook: boolean): Promise<readonly PlannedChange[]> {
      const endpoints = [etcd!.clientUrl];
      const inner = new CalicoDatastoreDriver({ calicoVersion: 'v1', etcd: { endpoints } });
      const read = async (): Promise<InputText[]> => (await readCalicoDatastore({ calicoVersion: 'v1', etcd: { endpoints } })).map((d) => ({ file: d.source, text: d.yaml }));
      const driver: ArtifactDriver = {
        kinds: inner.kinds,
        plan: (d, ctx) => inner.plan(d, ctx),
        apply: async (change, ctx) => {
          await inner.apply(change, ctx);
          snapshots.push(await read());
        },
      };
      registerOrderContext(bundle, { stack: bundle.manifest.stack, drivers: [driver], skipKinds: SKIP, readCalico: datastoreReader('v1', { endpoints }) });
      const r = await runDeploy({ bundle, drivers: [driver], skipKinds: SKIP, requireApproval: 'never', ...(withHook ? { orderChanges: makeBeforeBreakHookWith() } : {}) });
      expect(r.status, r.failure?.error.message).to.equal('applied');
      return r.applied;
    }

    for (const withHook of [false, true]) {
      it(`${withHook ? 'with' : 'without'} the make-before-break hook, the deny-moves case ${withHook ? 'never opens' : 'opens'} a flow outside old ∪ new`, async () => {
        const c = CASES[0]!;
        const before = bundleWith(c.before);
        const after = bundleWith(c.after);
        const first: InputText[][] = [];
        await deploy(before, first, false);
        const live = first.at(-1)!;
        const snapshots: InputText[][] = [];
        const applied = await deploy(after, snapshots, withHook);
        expect(applied.length).to.equal(2);
        expect(snapshots.length).to.equal(2);
        const appTexts = apps(after);
        const old = allowedFlows(appTexts, live);
        const next = allowedFlows(appTexts, snapshots.at(-1)!);
        const bad = snapshots.flatMap((s) => [...allowedFlows(appTexts, s)].filter((f) => !old.has(f) && !next.has(f)));
        if (withHook) expect(bad).to.deep.equal([]);
        else expect(bad).to.not.be.empty;
        // Both bundles of the pair deploy into the same etcd: wipe for the next run.
        await fetch(`${etcd!.clientUrl}/v2/keys/calico?recursive=true&dir=true`, { method: 'DELETE' });
        await fetch(`${etcd!.clientUrl}/v2/keys/dcos-cdk?recursive=true&dir=true`, { method: 'DELETE' });
      });
    }
  });
});
