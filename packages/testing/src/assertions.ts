/**
 * Connectivity assertions for your own tests: whether one flow is open, or two environments
 * are isolated, evaluated with Felix's semantics on what the stack synthesizes. A failure
 * explains the flow: per direction the policy and rule that decided it, and the construct
 * that emitted the policy.
 *
 * @example
 * const app = new App({ projectDir: false });
 * buildStack(app);
 * const bundle = app.synth({ write: false });
 * expectReachable(bundle, '/tester', '/frontend', 80);
 * expectUnreachable(bundle, 'Internet', '/database', 'tcp/1521');
 * expectIsolated(bundle, 'production', 'development');
 *
 * @module
 */
import { AssertionError } from 'node:assert';
import { App, type Artifact, type Bundle } from '@dcos-cdk/core';
import {
  analyze,
  explain,
  isAnalyzedKind,
  loadBundleModel,
  modelFromArtifacts,
  type DirectionDecision,
  type FlowExplanation,
  type FlowParty,
  type FlowQuery,
  type MatrixCell,
  type NetworkModel,
  type ReachabilityMatrix,
} from '@dcos-cdk/calico';

/**
 * What the assertions analyze: the {@link Bundle} `app.synth()` returned (`{ write: false }`
 * keeps it in memory), an {@link App} (synthesized once, in memory, on first use; do not
 * synthesize it yourself as well), or the path of a bundle folder.
 */
export type AnalysisSubject = Bundle | App | string;

/**
 * A destination port: a TCP port number, `'tcp/80'`, `'udp/53'`, `'icmp'` (echo request),
 * or `{ protocol, port }`.
 */
export type FlowPort = number | string | { readonly protocol: 'tcp' | 'udp' | 'sctp' | 'icmp'; readonly port?: number };

/** Options of {@link expectIsolated}. */
export interface IsolationOptions {
  /** The label whose value names an app's environment. @default 'group' */
  readonly label?: string;
}

const matrices = new WeakMap<object, ReachabilityMatrix>();

/** The reachability matrix of a subject (cached per Bundle and App). */
export function matrixOf(subject: AnalysisSubject): ReachabilityMatrix {
  if (typeof subject === 'string') return analyze(loadBundleModel(subject));
  let m = matrices.get(subject);
  if (!m) {
    const bundle = App.isApp(subject) ? subject.synth({ write: false }) : subject;
    m = analyze(modelOfArtifacts(bundle.artifacts, bundle.manifest.targets.calico));
    matrices.set(subject, m);
  }
  return m;
}

function modelOfArtifacts(artifacts: readonly Artifact[], calico: string | undefined): NetworkModel {
  return modelFromArtifacts(
    artifacts.filter((a) => isAnalyzedKind(a.kind)),
    calico,
  );
}

function queryOf(from: string, to: string, port: FlowPort): FlowQuery {
  if (typeof port === 'number') return { from, to, protocol: 'tcp', port };
  if (typeof port === 'object') return { from, to, protocol: port.protocol, ...(port.port !== undefined ? { port: port.port } : {}) };
  const m = /^(tcp|udp|sctp|icmp)(?:\/(\d+))?$/i.exec(port.trim());
  if (!m) throw new TypeError(`Port '${port}' is not a number, 'tcp/80', 'udp/53' or 'icmp'.`);
  const protocol = m[1]!.toLowerCase() as 'tcp' | 'udp' | 'sctp' | 'icmp';
  return { from, to, protocol, ...(m[2] !== undefined ? { port: Number(m[2]) } : {}) };
}

function party(p: FlowParty): string {
  if (p.kind === 'endpoint') return p.endpoint.id;
  return p.peer.name === p.peer.cidr.text ? p.peer.name : `${p.peer.name} (${p.peer.cidr.text})`;
}

function direction(d: DirectionDecision | undefined, dir: string, who: string): string {
  if (!d) return `  ${dir} of ${who}: not policed (outside the cluster)`;
  const where = d.constructPath ? ` [${d.constructPath}]` : '';
  return `  ${dir} of ${who}: ${d.allowed ? 'allows' : 'denies'}: ${d.reason}${where}`;
}

/** The explanation of a flow, as lines of text. */
export function describeExplanation(x: FlowExplanation): string {
  const p = x.packet;
  const what = p.port !== undefined ? `${p.protocol === 17 ? 'udp' : p.protocol === 132 ? 'sctp' : 'tcp'}/${p.port}` : p.icmpType !== undefined ? 'icmp echo' : `protocol ${p.protocol}`;
  return [`${party(x.source)} -> ${party(x.destination)} ${what}: ${x.allowed ? 'ALLOWED' : 'DENIED'}`, direction(x.egress, 'egress', party(x.source)), direction(x.ingress, 'ingress', party(x.destination))].join('\n');
}

function explainOrFail(subject: AnalysisSubject, q: FlowQuery): FlowExplanation {
  try {
    return explain(matrixOf(subject), q);
  } catch (e) {
    throw new AssertionError({ message: `Cannot evaluate ${q.from} -> ${q.to}: ${(e as Error).message}` });
  }
}

function portText(q: FlowQuery): string {
  return q.port !== undefined ? `${q.protocol ?? 'tcp'}/${q.port}` : String(q.protocol ?? 'tcp');
}

/**
 * Asserts that `from` can open a connection to `to` on `port`. `from` and `to` are Marathon
 * app ids (`/frontend`), external peers (`Internet`, a CIDR or an address outside the cluster).
 *
 * @throws AssertionError with the explanation of the flow when it is denied
 */
export function expectReachable(subject: AnalysisSubject, from: string, to: string, port: FlowPort): void {
  const q = queryOf(from, to, port);
  const x = explainOrFail(subject, q);
  if (!x.allowed) throw new AssertionError({ message: `Expected ${from} to reach ${to} on ${portText(q)}, but it cannot:\n${describeExplanation(x)}` });
}

/**
 * Asserts that `from` cannot open a connection to `to` on `port`.
 *
 * @throws AssertionError with the explanation of the flow when it is allowed
 */
export function expectUnreachable(subject: AnalysisSubject, from: string, to: string, port: FlowPort): void {
  const q = queryOf(from, to, port);
  const x = explainOrFail(subject, q);
  if (x.allowed) throw new AssertionError({ message: `Expected ${from} not to reach ${to} on ${portText(q)}, but it can:\n${describeExplanation(x)}` });
}

function cellQuery(c: MatrixCell): FlowQuery {
  const from = party(c.source);
  const to = c.destination.endpoint.id;
  if (c.ports) return { from: c.source.kind === 'peer' ? c.source.peer.cidr.text : from, to, protocol: c.protocol as 'tcp', port: c.ports.from };
  return { from, to, protocol: c.protocol as 'icmp' };
}

/**
 * Asserts that no app of environment `envA` can open any connection (any protocol, any port,
 * ping) to an app of `envB`, and none of `envB` to one of `envA`. Both environments must have
 * apps, so a misspelt name does not pass.
 *
 * @throws AssertionError listing the open flows, each explained
 */
export function expectIsolated(subject: AnalysisSubject, envA: string, envB: string, options: IsolationOptions = {}): void {
  const label = options.label ?? 'group';
  const m = matrixOf(subject);
  const members = (env: string): Array<FlowParty & { kind: 'endpoint' }> => m.destinations().filter((d) => d.endpoint.labels[label] === env);
  const a = members(envA);
  const b = members(envB);
  for (const [env, list] of [[envA, a], [envB, b]] as const) {
    if (list.length === 0) throw new AssertionError({ message: `No app has ${label}=${env}; environments found: ${[...new Set(m.destinations().map((d) => d.endpoint.labels[label]).filter((v) => v !== undefined))].join(', ') || 'none'}.` });
  }
  const open: MatrixCell[] = [];
  for (const [srcs, dsts] of [[a, b], [b, a]] as const) {
    for (const s of srcs) for (const d of dsts) for (const c of m.cellsBetween(s, d)) if (c.allowed) open.push(c);
  }
  if (open.length === 0) return;
  const shown = open.slice(0, 5).map((c) => describeExplanation(explain(m, cellQuery(c))));
  const range = (c: MatrixCell): string => (c.ports ? `${c.protocol}/${c.ports.from === c.ports.to ? c.ports.from : `${c.ports.from}-${c.ports.to}`}` : c.protocol === 'icmp' ? 'ping' : c.protocol);
  const list = open.map((c) => `  ${party(c.source)} -> ${c.destination.endpoint.id} ${range(c)}`).join('\n');
  throw new AssertionError({
    message: `Expected ${label}=${envA} and ${label}=${envB} to be isolated, but ${open.length} flow${open.length === 1 ? ' is' : 's are'} open:\n${list}\n${shown.join('\n')}${open.length > 5 ? `\n(${open.length - 5} more not explained)` : ''}`,
  });
}
