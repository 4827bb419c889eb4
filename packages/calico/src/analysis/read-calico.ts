/**
 * Reads calicoctl resources (v1 `policy`/`profile`/`ipPool` and their lists; v3
 * `GlobalNetworkPolicy`, `NetworkPolicy`, `Profile`, `IPPool`, their lists and `List`) into
 * model specs, with errors that name `file:line:column`.
 *
 * @module
 */

import type { SelectorInterner } from '../selector/index.js';
import { resolveRule } from '../model/resolve.js';
import type { EntityRule, Port, RuleProps } from '../model/rule.js';
import { buildNetworkModel, ModelError, type EntitySpec, type EndpointSpec, type PolicySpec, type ProfileSpec, type RuleSpec } from './build-model.js';
import type { AnalysisFinding, CalicoApiVersion, Direction } from './model.js';
import { checkFields, docPathOf, isObj, readRules, str, type NoteFn } from './read-rules.js';
import type { DocPath, SourceDoc } from './source-file.js';

/** What the readers have collected so far. */
export interface ReadState {
  /** Interner for selectors. */
  readonly interner: SelectorInterner;
  /** The API version seen first, and where. */
  apiVersion?: { readonly version: CalicoApiVersion; readonly where: string };
  /** Policies read, with where each was. */
  readonly policies: Array<{ readonly spec: PolicySpec; readonly where: string }>;
  /** Profiles read. */
  readonly profiles: Array<{ readonly spec: ProfileSpec; readonly where: string }>;
  /** Endpoints read. */
  readonly endpoints: EndpointSpec[];
  /** IP pools. */
  readonly pools: string[];
  /** Problems that do not stop the analysis. */
  readonly diagnostics: AnalysisFinding[];
  /** Networks known to be Calico networks. */
  readonly networks: Set<string>;
}

/** A fresh state. */
export function newReadState(interner: SelectorInterner): ReadState {
  return { interner, policies: [], profiles: [], endpoints: [], pools: [], diagnostics: [], networks: new Set() };
}

const V1_KINDS = ['policy', 'profile', 'ipPool'];
const V3_KINDS = ['GlobalNetworkPolicy', 'NetworkPolicy', 'Profile', 'IPPool'];
const HOST_ONLY = 'applies to host endpoints only (doNotTrack/preDNAT), so it never polices a container';

/** Where a path of a document is, as `file:line:column`. */
export function whereOf(doc: SourceDoc, path: DocPath): string {
  const { line, column } = doc.locate(path);
  return `${doc.file}:${line}:${column}`;
}

/** Reads one calicoctl document (a resource or a list of them). */
export function readCalicoDoc(doc: SourceDoc, state: ReadState, constructPath?: string): void {
  readResource(doc, [], doc.value, state, constructPath, undefined);
}

function readResource(doc: SourceDoc, path: DocPath, v: unknown, state: ReadState, constructPath: string | undefined, inherited: { apiVersion: unknown; kind?: string } | undefined): void {
  if (!isObj(v)) throw doc.error(path, 'expected a calicoctl resource (a map with apiVersion, kind, metadata and spec).');
  const apiText = v.apiVersion ?? inherited?.apiVersion;
  const kind = (v.kind ?? inherited?.kind) as unknown;
  let version: CalicoApiVersion;
  if (apiText === 'v1') version = 'v1';
  else if (apiText === 'projectcalico.org/v3') version = 'v3';
  else throw doc.error([...path, 'apiVersion'], `apiVersion '${String(apiText)}' is not a Calico API the analysis reads (v1 or projectcalico.org/v3).`);
  if (typeof kind !== 'string') throw doc.error(path, "the resource has no 'kind'.");
  const listOf = version === 'v1' ? V1_KINDS.find((k) => kind === `${k}List`) : V3_KINDS.find((k) => kind === `${k}List`);
  if (kind === 'List' || listOf) {
    const items = v.items ?? [];
    if (!Array.isArray(items)) throw doc.error([...path, 'items'], "a list's 'items' must be a list.");
    items.forEach((item, i) => readResource(doc, [...path, 'items', i], item, state, constructPath, { apiVersion: apiText, kind: listOf }));
    return;
  }
  const known = version === 'v1' ? V1_KINDS : V3_KINDS;
  if (!known.includes(kind)) {
    const hint = (version === 'v1' ? V3_KINDS : V1_KINDS).includes(kind) ? ` (that kind belongs to ${version === 'v1' ? 'projectcalico.org/v3' : 'v1'})` : '';
    throw doc.error([...path, 'kind'], `kind '${kind}' is not a ${version === 'v1' ? 'calicoctl v1' : 'Calico v3'} resource the analysis reads${hint}; expected one of ${known.join(', ')}, or a list of them.`);
  }
  const where = whereOf(doc, path);
  if (!state.apiVersion) state.apiVersion = { version, where };
  else if (state.apiVersion.version !== version) {
    throw doc.error([...path, 'apiVersion'], `this resource is Calico ${version} but ${state.apiVersion.where} is ${state.apiVersion.version}; one cluster runs one Calico API.`);
  }
  const meta = isObj(v.metadata) ? v.metadata : {};
  const spec = isObj(v.spec) ? v.spec : {};
  const name = str(doc, [...path, 'metadata'], meta, 'name');
  const note: NoteFn = (p, message, fix) => state.diagnostics.push({ severity: 'warning', rule: 'analysis/input', message: `${whereOf(doc, p)}: ${message}`, constructPath, fix });
  if (kind === 'ipPool' || kind === 'IPPool') {
    const cidr = kind === 'ipPool' ? str(doc, [...path, 'metadata'], meta, 'cidr') : str(doc, [...path, 'spec'], spec, 'cidr');
    if (!cidr) throw doc.error(path, 'an IP pool needs a cidr.');
    if (spec.disabled !== true) state.pools.push(cidr);
    return;
  }
  if (!name) throw doc.error([...path, 'metadata'], 'the resource has no metadata.name.');
  const specPath = [...path, 'spec'];
  if (kind === 'profile' || kind === 'Profile') {
    checkFields(doc, specPath, spec, version === 'v1' ? ['ingress', 'egress'] : ['ingress', 'egress', 'labelsToApply'], `a ${kind} spec`);
    const labels = (version === 'v1' ? meta.labels : spec.labelsToApply) ?? {};
    const labelsPath = version === 'v1' ? [...path, 'metadata', 'labels'] : [...specPath, 'labelsToApply'];
    const tags = version === 'v1' ? (meta.tags ?? []) : [];
    if (!isObj(labels) || Object.values(labels).some((x) => typeof x !== 'string')) throw doc.error(labelsPath, 'labels must map keys to strings.');
    if (!Array.isArray(tags) || tags.some((t) => typeof t !== 'string')) throw doc.error([...path, 'metadata', 'tags'], 'tags must be a list of strings.');
    const profile: ProfileSpec = {
      name,
      tags: tags as string[],
      labels: labels as Record<string, string>,
      ingress: readRules(doc, specPath, spec, 'ingress', version, note),
      egress: readRules(doc, specPath, spec, 'egress', version, note),
      constructPath,
      location: { file: doc.file, ...doc.locate(path) },
    };
    validate(doc, specPath, state, version, { endpoints: [], profiles: [profile] });
    checkRules(state, version, `profile ${name}`, (p) => whereOf(doc, [...specPath, ...p]), profile, constructPath);
    if (!discardedByFelix(state, version, `profile ${name}`, where, profile, constructPath)) state.profiles.push({ spec: profile, where });
    return;
  }
  const policyFields = version === 'v1'
    ? ['order', 'selector', 'ingress', 'egress', 'types', 'doNotTrack', 'preDNAT', 'applyOnForward']
    : ['order', 'selector', 'ingress', 'egress', 'types', 'doNotTrack', 'preDNAT', 'applyOnForward', 'namespaceSelector', 'serviceAccountSelector', 'tier', 'performanceHints'];
  checkFields(doc, specPath, spec, policyFields, `a ${kind} spec`);
  if (spec.doNotTrack === true || spec.preDNAT === true) {
    note(path, `policy ${name} ${HOST_ONLY}.`, 'Leave doNotTrack and preDNAT off for container policies.');
    return;
  }
  let fullName = name;
  if (kind === 'NetworkPolicy') {
    const ns = str(doc, [...path, 'metadata'], meta, 'namespace') ?? 'default';
    if (ns !== 'default') {
      note([...path, 'metadata'], `NetworkPolicy ${ns}/${name} is in namespace '${ns}', where DC/OS has no endpoints (only 'default' is supported), so it selects nothing.`, "Use namespace 'default' or a GlobalNetworkPolicy.");
      return;
    }
    fullName = `${ns}/${name}`;
  }
  const order = spec.order;
  if (order !== undefined && order !== null && typeof order !== 'number') throw doc.error([...specPath, 'order'], 'order must be a number.');
  const ingress = readRules(doc, specPath, spec, 'ingress', version, note);
  const egress = readRules(doc, specPath, spec, 'egress', version, note);
  const policy: PolicySpec = {
    name: fullName,
    order: (order ?? undefined) as number | undefined,
    selector: str(doc, specPath, spec, 'selector') ?? '',
    types: readTypes(doc, specPath, spec, version, ingress.length > 0, egress.length > 0),
    ingress,
    egress,
    constructPath,
    location: { file: doc.file, ...doc.locate(path) },
  };
  validate(doc, specPath, state, version, { endpoints: [], policies: [policy] });
  checkRules(state, version, `policy ${fullName}`, (p) => whereOf(doc, [...specPath, ...p]), policy, constructPath);
  if (!discardedByFelix(state, version, `policy ${fullName}`, where, policy, constructPath)) state.policies.push({ spec: policy, where });
}

/**
 * Felix 2.3 (the calicoctl v1 era) validates what it reads and treats an invalid policy or
 * profile as deleted (calico.md §4): its backend model requires an ICMP type of at least 1, so
 * a rule with ICMP type 0 — which calicoctl v1 accepts — removes the whole resource. The model
 * leaves such a resource out, with an error.
 */
function discardedByFelix(state: ReadState, version: CalicoApiVersion, owner: string, where: string, o: { ingress?: readonly RuleSpec[]; egress?: readonly RuleSpec[] }, constructPath: string | undefined): boolean {
  if (version !== 'v1') return false;
  const bad = [...(o.ingress ?? []), ...(o.egress ?? [])].some((r) => r.icmp?.type === 0 || r.notICMP?.type === 0);
  if (bad) {
    state.diagnostics.push({
      severity: 'error',
      rule: 'analysis/discarded-by-felix',
      message: `${where}: ${owner} has a rule with ICMP type 0; calicoctl v1 accepts it but Felix 2.3 rejects the whole resource as invalid and acts as if it did not exist. The analysis leaves it out.`,
      constructPath,
      fix: 'Drop the ICMP type 0 match (echo replies pass through connection tracking once the request is allowed).',
    });
  }
  return bad;
}

/**
 * `types` as given, or (v3 only) as calicoctl defaults them when absent: no egress rules →
 * ingress; egress rules but no ingress rules → egress; both → both. A v1 policy without types
 * governs both directions.
 */
function readTypes(doc: SourceDoc, specPath: DocPath, spec: Record<string, unknown>, version: CalicoApiVersion, hasIngress: boolean, hasEgress: boolean): Direction[] | undefined {
  const t = spec.types;
  if (t === undefined || t === null || (Array.isArray(t) && t.length === 0)) {
    if (version === 'v1') return undefined;
    if (!hasEgress) return ['ingress'];
    return hasIngress ? ['ingress', 'egress'] : ['egress'];
  }
  if (!Array.isArray(t)) throw doc.error([...specPath, 'types'], 'types must be a list.');
  const names = version === 'v1' ? ['ingress', 'egress'] : ['Ingress', 'Egress'];
  const out: Direction[] = [];
  t.forEach((x, i) => {
    if (typeof x !== 'string' || !names.includes(x)) throw doc.error([...specPath, 'types', i], `a type is ${names.join(' or ')}.`);
    const d = x.toLowerCase() as Direction;
    if (out.includes(d)) throw doc.error([...specPath, 'types', i], `type ${x} is listed twice.`);
    out.push(d);
  });
  return out;
}

/** Builds a one-resource model to check selectors, nets and ports, mapping errors to positions. */
function validate(doc: SourceDoc, specPath: DocPath, state: ReadState, version: CalicoApiVersion, spec: Parameters<typeof buildNetworkModel>[0]): void {
  try {
    buildNetworkModel({ ...spec, apiVersion: version }, { interner: state.interner });
  } catch (e) {
    if (!(e instanceof ModelError)) throw e;
    const [, , key, ...rest] = e.path;
    const base = key === 'selector' ? [...specPath, 'selector'] : [...specPath, String(key)];
    throw doc.error(docPathOf(doc.value, base, rest), e.message);
  }
}

function portProp(p: number | string): Port {
  if (typeof p === 'string' && /^\d+:\d+$/.test(p)) {
    const [from, to] = p.split(':').map(Number) as [number, number];
    return { from, to };
  }
  return typeof p === 'string' && /^\d+$/.test(p) ? Number(p) : p;
}

function entityProps(e: EntitySpec | undefined): EntityRule | undefined {
  if (!e) return undefined;
  return { ...e, ports: e.ports?.map(portProp), notPorts: e.notPorts?.map(portProp) };
}

/** Runs the library's own rule checks (icmp without protocol, ports without protocol, ...) as warnings. */
function checkRules(state: ReadState, version: CalicoApiVersion, owner: string, where: (path: DocPath) => string, o: { ingress?: readonly RuleSpec[]; egress?: readonly RuleSpec[] }, constructPath: string | undefined): void {
  for (const dir of ['ingress', 'egress'] as const) {
    (o[dir] ?? []).forEach((r, i) => {
      const proto = (p: string | number | undefined): RuleProps['protocol'] => (typeof p === 'string' ? (/^\d+$/.test(p) ? Number(p) : (p.toLowerCase() as RuleProps['protocol'])) : p);
      const props: RuleProps = {
        action: r.action.toLowerCase() as RuleProps['action'],
        ipVersion: r.ipVersion as 4 | 6 | undefined,
        protocol: proto(r.protocol),
        notProtocol: proto(r.notProtocol),
        icmp: r.icmp && { type: r.icmp.type ?? -1, code: r.icmp.code },
        notICMP: r.notICMP && { type: r.notICMP.type ?? -1, code: r.notICMP.code },
        source: entityProps(r.source),
        destination: entityProps(r.destination),
      };
      for (const p of resolveRule(props, version).problems) {
        state.diagnostics.push({ severity: 'warning', rule: 'analysis/rule-check', message: `${where([dir, i])}: ${owner} ${dir} rule ${i}: ${p.message}`, constructPath, fix: p.fix });
      }
    });
  }
}
