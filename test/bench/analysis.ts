/**
 * Benchmark of the connectivity analysis (not a mocha test). Run:
 *
 *     node --import tsx --conditions=dcos-cdk-source test/bench/analysis.ts [a|b|c|d ...]
 *
 * Models are generated in memory, shaped like the policies dcos-cdk synthesizes: per
 * environment a base policy (ping and egress inside the environment, egress outside the
 * cluster), per app class an ingress policy (a few peers of the environment on the app's
 * ports, sometimes a LAN CIDR) and an egress-only policy (a database CIDR, a deny on SMTP).
 *
 * (a) 2,000 apps, ~4,000 policies: full analysis          target ≤ 200 ms
 * (b) 100,000 endpoints in 10,000 classes, ~20,000 policies target ≤ 1.5 s, ≤ 400 MB
 * (c) explain one flow on (b)                               target ≤ 1 ms
 * (d) diff of two (b)-sized models                           target ≤ 500 ms
 */
import os from 'node:os';
import v8 from 'node:v8';
import vm from 'node:vm';
import { SelectorInterner } from '../../packages/calico/src/selector/index.js';
import { buildNetworkModel, type EndpointSpec, type ModelSpec, type PolicySpec, type RuleSpec } from '../../packages/calico/src/analysis/build-model.js';
import { analyze } from '../../packages/calico/src/analysis/engine.js';
import { explain } from '../../packages/calico/src/analysis/explain.js';
import { findings } from '../../packages/calico/src/analysis/findings.js';
import { diffModels } from '../../packages/calico/src/analysis/diff.js';
import type { NetworkModel } from '../../packages/calico/src/analysis/model.js';

v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as () => void;

/** Deterministic PRNG (mulberry32). */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const PORTS = [80, 443, 8080, 8443, 5432, 6379, 9000, 9090, 3306, 27017, 5672, 11211];

interface Shape {
  readonly envs: number;
  readonly appsPerEnv: number;
  readonly replicas: number;
  readonly seed: number;
}

/** Plain-data model of the given shape; `variant` applies the "after" changes of (d). */
function generate(shape: Shape, variant: 'before' | 'after' = 'before'): ModelSpec {
  const r = rng(shape.seed);
  const endpoints: EndpointSpec[] = [];
  const policies: PolicySpec[] = [];
  let n = 0;
  const address = (): string => {
    const v = 0x0a800000 + ++n;
    return `${v >>> 24}.${(v >>> 16) & 255}.${(v >>> 8) & 255}.${v & 255}`;
  };
  for (let e = 0; e < shape.envs; e++) {
    const env = `env${e}`;
    const inEnv = `group == "${env}"`;
    const extraEnv = variant === 'after' && e === 1 ? [{ action: 'allow', destination: { selector: 'group == "env2"' } }] : [];
    policies.push({
      name: `${env}-environment`,
      order: 1000,
      selector: inEnv,
      ingress: [{ action: 'allow', protocol: 'icmp', icmp: { type: 8 }, source: { selector: inEnv } }],
      egress: [{ action: 'allow', destination: { selector: inEnv } }, ...extraEnv, { action: 'allow', destination: { notSelector: 'has(calico)' } }],
    });
    const appPorts: number[][] = [];
    for (let a = 0; a < shape.appsPerEnv; a++) appPorts.push([PORTS[Math.floor(r() * PORTS.length)]!, ...(r() < 0.3 ? [PORTS[Math.floor(r() * PORTS.length)]!] : [])]);
    for (let a = 0; a < shape.appsPerEnv; a++) {
      const app = `app${a}`;
      const self = `(app == "${app}" && group == "${env}")`;
      const relabel = variant === 'after' && e === 3 && a < 3;
      for (let k = 0; k < shape.replicas; k++) {
        if (variant === 'after' && e === 4 && a < 5 && k === 0) continue; // removed
        endpoints.push({
          id: `/${env}/${app}-${k}`,
          labels: { app, group: env, tier: relabel ? 'canary' : a % 3 === 0 ? 'web' : 'backend' },
          ports: appPorts[a]!.map((port) => ({ port, protocol: 'tcp' as const })),
          address: address(),
        });
      }
      const ingress: RuleSpec[] = [];
      const peers = 2 + Math.floor(r() * 3);
      for (let p = 0; p < peers; p++) {
        const from = Math.floor(r() * shape.appsPerEnv);
        const ports = variant === 'after' && e === 5 && a < 10 ? [...appPorts[a]!, 22] : appPorts[a]!;
        ingress.push({ action: 'allow', protocol: 'tcp', source: { selector: `(app == "app${from}" && group == "${env}")` }, destination: { ports } });
      }
      if (r() < 0.2) ingress.push({ action: 'allow', protocol: 'tcp', source: { nets: [`172.16.${e % 256}.0/24`], notSelector: 'has(calico)' }, destination: { ports: [appPorts[a]![0]!] } });
      policies.push({ name: `${env}-${app}-ingress`, order: 1000, selector: self, ingress, egress: [] });
      policies.push({
        name: `${env}-${app}-egress`,
        order: 900,
        selector: self,
        types: ['egress'],
        ingress: [],
        egress: [
          { action: 'deny', protocol: 'tcp', destination: { ports: [25], notSelector: 'has(calico)' } },
          { action: 'allow', protocol: 'tcp', destination: { nets: [`192.168.${e % 256}.0/24`], ports: [5432] } },
        ],
      });
    }
    if (variant === 'after' && e === 4) {
      for (let k = 0; k < 5; k++) endpoints.push({ id: `/${env}/new-${k}`, labels: { app: 'app0', group: env, tier: 'web' }, address: address() });
    }
  }
  return { apiVersion: 'v1', endpoints, policies, profiles: [{ name: 'calico', tags: ['calico'], ingress: [], egress: [{ action: 'allow' }] }], peers: [{ name: 'LAN', cidr: '172.16.0.0/12' }], pools: ['10.128.0.0/9'] };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

function time<T>(f: () => T): [number, T] {
  const t = performance.now();
  const v = f();
  return [performance.now() - t, v];
}

/**
 * Runs `f` `runs` times after two warm-up runs (JIT-compiled), each after a full GC so that no
 * run pays for the garbage of the one before, and prints the median wall time, the minimum,
 * and the median CPU time of the process (user + system, GC threads included), which is less
 * sensitive to other processes competing for the cores.
 */
function bench(label: string, runs: number, f: () => unknown, target: number): number {
  f();
  f();
  const ts: number[] = [];
  const cpu: number[] = [];
  for (let i = 0; i < runs; i++) {
    gc();
    const c = process.cpuUsage();
    ts.push(time(f)[0]);
    const d = process.cpuUsage(c);
    cpu.push((d.user + d.system) / 1000);
  }
  const m = median(ts);
  console.log(`${label.padEnd(40)} median ${m.toFixed(1).padStart(8)} ms (min ${Math.min(...ts).toFixed(1)}, cpu median ${median(cpu).toFixed(1)} ms)  runs ${ts.map((t) => t.toFixed(0)).join(' ')}  target ${target} ms ${m <= target ? 'OK' : 'MISSED'}`);
  return m;
}

console.log(`node ${process.version}, ${os.cpus().length} cpus, load average ${os.loadavg().map((x) => x.toFixed(2)).join(' ')}`);
const which = new Set(process.argv.slice(2).length ? process.argv.slice(2) : ['a', 'b', 'c', 'd']);
const interner = new SelectorInterner();

if (which.has('a')) {
  const model = buildNetworkModel(generate({ envs: 20, appsPerEnv: 100, replicas: 1, seed: 1 }), { interner });
  const m = analyze(model, { interner });
  console.log(`(a) ${model.endpoints.length} endpoints, ${m.stats.classes} classes, ${model.policies.length} policies, ${m.stats.programs} programs, ${model.peers.length} peers`);
  bench('(a) analyze', 7, () => analyze(model, { interner }), 200);
  bench('(a) analyze + findings', 5, () => findings(analyze(model, { interner }), { isolatedEnvironments: ['env0'] }), 400);
}

let big: NetworkModel | undefined;
const bigShape: Shape = { envs: 100, appsPerEnv: 100, replicas: 10, seed: 2 };
if (which.has('b') || which.has('c') || which.has('d')) big = buildNetworkModel(generate(bigShape), { interner });

if (which.has('b')) {
  const model = big!;
  gc();
  const heap0 = process.memoryUsage();
  const [t, m] = time(() => analyze(model, { interner }));
  gc();
  const heap1 = process.memoryUsage();
  console.log(`(b) ${model.endpoints.length} endpoints, ${m.stats.classes} classes, ${model.policies.length} policies, ${m.stats.programs} programs, ${model.peers.length} peers; first run ${t.toFixed(0)} ms`);
  console.log(`(b) memory retained by the matrix: heap +${((heap1.heapUsed - heap0.heapUsed) / 2 ** 20).toFixed(1)} MB, rss +${((heap1.rss - heap0.rss) / 2 ** 20).toFixed(1)} MB (rss now ${(heap1.rss / 2 ** 20).toFixed(0)} MB)`);
  bench('(b) analyze', 5, () => analyze(model, { interner }), 1500);
  let f: ReturnType<typeof findings> = [];
  bench('(b) findings (on a matrix)', 3, () => (f = findings(m, { isolatedEnvironments: ['env0'] })), 1500);
  const counts = new Map<string, number>();
  for (const x of f) counts.set(x.rule, (counts.get(x.rule) ?? 0) + 1);
  console.log(`(b) findings: ${[...counts].map(([k, v]) => `${k} ${v}`).join(', ')}`);
  const peak = process.memoryUsage();
  console.log(`(b) peak rss ${(peak.rss / 2 ** 20).toFixed(0)} MB`);
}

if (which.has('c')) {
  const model = big!;
  const m = analyze(model, { interner });
  const r = rng(9);
  const ids = model.endpoints.map((e) => e.id);
  explain(m, { from: ids[0]!, to: ids[1]!, protocol: 'tcp', port: 80 }); // builds the id index once
  const ts: number[] = [];
  for (let i = 0; i < 2000; i++) {
    const from = r() < 0.1 ? '172.16.3.9' : ids[Math.floor(r() * ids.length)]!;
    const to = ids[Math.floor(r() * ids.length)]!;
    const port = PORTS[Math.floor(r() * PORTS.length)]!;
    ts.push(time(() => explain(m, { from, to, protocol: 'tcp', port }))[0]);
  }
  const m50 = median(ts);
  const p99 = [...ts].sort((a, b) => a - b)[Math.floor(ts.length * 0.99)]!;
  console.log(`${'(c) explain one flow'.padEnd(52)} median ${m50.toFixed(3).padStart(8)} ms  p99 ${p99.toFixed(3)} ms  target 1 ms ${m50 <= 1 ? 'OK' : 'MISSED'}`);
}

if (which.has('d')) {
  const before = big!;
  const after = buildNetworkModel(generate(bigShape, 'after'), { interner });
  let d = diffModels(before, after, { interner });
  console.log(`(d) opened ${d.opened.length}, closed ${d.closed.length} (after: ${after.endpoints.length} endpoints)`);
  bench('(d) diff before/after', 5, () => (d = diffModels(before, after, { interner })), 500);
}
