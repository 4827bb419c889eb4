import type { CalicoVersion } from '@dcos-cdk/dcos';
import { Selector } from '../selector/index.js';
import { parseCidr } from './cidr.js';
import type { ProblemSink } from './problems.js';
import type { EntityRule, Port } from './rule.js';

/** An entity rule with selectors parsed and CIDRs normalized. */
export interface ResolvedEntity {
  readonly selector?: Selector;
  readonly notSelector?: Selector;
  /** Calico v3 only. */
  readonly namespaceSelector?: Selector;
  readonly nets: readonly string[];
  readonly notNets: readonly string[];
  readonly ports: readonly Port[];
  readonly notPorts: readonly Port[];
  readonly tag?: string;
  readonly notTag?: string;
}

/** v1 tags and profile tags (libcalico-go `nameRegex`). */
export const TAG = /^[a-zA-Z0-9_.-]{1,128}$/;
const NAMED_PORT = /^[a-zA-Z0-9_.-]{1,128}$/;

/** Where a selector sits, which decides whether `global()` may appear. */
export type SelectorPlace = 'policy' | 'rule' | 'namespaceSelector';

/** The IP version of a CIDR or address, if it parses. */
export function cidrVersion(net: string): 4 | 6 | undefined {
  return parseCidr(net)?.version;
}

/** Checks one side of a rule; `side` is `source` or `destination`. @internal */
export function resolveEntity(side: string, e: EntityRule, version: CalicoVersion, sink: ProblemSink): ResolvedEntity {
  const selector = resolveSelector(`${side}.selector`, e.selector, version, sink, 'rule');
  const notSelector = resolveSelector(`${side}.notSelector`, e.notSelector, version, sink, 'rule');
  let namespaceSelector: Selector | undefined;
  if (e.namespaceSelector !== undefined) {
    if (version === 'v1') {
      sink.invalid(`${side}.namespaceSelector`, 'namespaceSelector needs Calico v3; calicoctl v1 has no namespaces.', 'Remove namespaceSelector, or target Calico v3.');
    } else {
      namespaceSelector = resolveSelector(`${side}.namespaceSelector`, e.namespaceSelector, version, sink, 'namespaceSelector');
    }
  }
  const nets = resolveNets(`${side}.nets`, e.nets ?? [], version, sink);
  const notNets = resolveNets(`${side}.notNets`, e.notNets ?? [], version, sink);
  for (const field of ['tag', 'notTag'] as const) {
    const tag = e[field];
    if (tag !== undefined && (typeof tag !== 'string' || !TAG.test(tag))) {
      sink.invalid(`${side}.${field}`, `tag '${String(tag)}' is not valid.`, 'Tags are 1-128 letters, digits, _, . or -.');
    }
  }
  const ports = resolvePorts(`${side}.ports`, e.ports ?? [], version, sink);
  const notPorts = resolvePorts(`${side}.notPorts`, e.notPorts ?? [], version, sink);
  return { selector, notSelector, namespaceSelector, nets, notNets, ports, notPorts, tag: e.tag, notTag: e.notTag };
}

/**
 * Parses a selector for the target version (a string), or checks that a
 * built selector is readable by it. `global()` is accepted only on its own
 * in a v3 namespaceSelector, as the v3 validator does. @internal
 */
export function resolveSelector(path: string, s: Selector | string | undefined, version: CalicoVersion, sink: ProblemSink, place: SelectorPlace): Selector | undefined {
  if (s === undefined) return undefined;
  let sel: Selector;
  if (Selector.isSelector(s)) {
    sel = s;
    if (version === 'v1' && sel.requiresVersion() !== 'v1') {
      sink.invalid(path, `selector ${sel.toString()} needs Calico ${sel.requiresVersion()}, but the cluster runs calicoctl v1.`, 'Use only ==, !=, in, not in, has() and all() for calicoctl v1, and avoid label keys starting with `in` or `notin`.', 'calico/selector-syntax');
      return undefined;
    }
  } else {
    try {
      sel = Selector.parse(s, { calicoVersion: version });
    } catch (e) {
      sink.invalid(path, (e as Error).message, 'Fix the selector syntax (see the Calico guide), e.g. app == "frontend" && group == "development".', 'calico/selector-syntax');
      return undefined;
    }
  }
  if (sel.requiresVersion() === 'v3.15') {
    if (place !== 'namespaceSelector' || sel.root.kind !== 'global') {
      sink.invalid(path, "global() is accepted only on its own, in a rule's namespaceSelector.", 'Use namespaceSelector: global() to match endpoints outside every namespace, or all() to match every endpoint.', 'calico/selector-syntax');
      return undefined;
    }
    sink.mistake(path, 'global() needs Calico v3.15; DC/OS 2.1 and 2.2 ship Calico v3.14, whose calicoctl rejects it.', 'Leave namespaceSelector out on DC/OS; it has only the default namespace.', 'calico/selector-syntax');
  }
  return sel;
}

function resolveNets(path: string, nets: readonly string[], version: CalicoVersion, sink: ProblemSink): string[] {
  if (version === 'v1' && nets.length > 1) {
    sink.invalid(path, `calicoctl v1.3 takes one network per rule side (net/notNet), got ${nets.length}.`, 'Write one rule per network, or target Calico v3.');
  }
  const out: string[] = [];
  nets.forEach((n, i) => {
    const c = typeof n === 'string' ? parseCidr(n) : undefined;
    if (!c) {
      sink.invalid(`${path}[${i}]`, `'${String(n)}' is not an IP address or CIDR.`, "Use a CIDR such as '10.0.0.0/8' or an address such as '10.0.0.1'.");
      return;
    }
    out.push(c.masked ? c.text : n);
  });
  return out;
}

function resolvePorts(path: string, ports: readonly Port[], version: CalicoVersion, sink: ProblemSink): Port[] {
  ports.forEach((p, i) => checkPort(`${path}[${i}]`, p, version, sink));
  // A one-port range is the port itself, as calicoctl prints it.
  return ports.map((p) => (typeof p === 'object' && p.from === p.to ? p.from : p));
}

function checkPort(path: string, p: Port, version: CalicoVersion, sink: ProblemSink): void {
  if (typeof p === 'string') {
    if (version === 'v1') sink.invalid(path, `named port '${p}' needs Calico v3; calicoctl v1 takes numbers and ranges only.`, 'Use the port number.');
    else if (!NAMED_PORT.test(p)) sink.invalid(path, `named port '${p}' is not valid.`, 'Port names are 1-128 letters, digits, _, . or -.');
    return;
  }
  const [from, to] = typeof p === 'number' ? [p, p] : [p.from, p.to];
  for (const n of new Set([from, to])) {
    if (!Number.isInteger(n) || n < 1 || n > 65535) sink.invalid(path, `port ${n} is outside 1-65535.`, 'Use a port from 1 to 65535.');
  }
  if (from > to) sink.invalid(path, `port range ${from}:${to} starts after it ends.`, `Write it as ${to}:${from}.`);
}
