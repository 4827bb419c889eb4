/**
 * Reads calicoctl rules (v1 and v3 shapes) into {@link RuleSpec}s, refusing what calicoctl
 * refuses: unknown fields (it decodes strictly) and actions or protocol names in the other
 * API's case.
 *
 * @module
 */

import type { CalicoApiVersion } from './model.js';
import type { EntitySpec, RuleSpec } from './build-model.js';
import type { DocPath, SourceDoc } from './source-file.js';

/** Warnings found while reading, with the path they concern. */
export type NoteFn = (path: DocPath, message: string, fix: string) => void;

type Obj = Record<string, unknown>;

const RULE_FIELDS: Record<CalicoApiVersion, readonly string[]> = {
  v1: ['action', 'ipVersion', 'protocol', 'notProtocol', 'icmp', 'notICMP', 'source', 'destination'],
  v3: ['action', 'ipVersion', 'protocol', 'notProtocol', 'icmp', 'notICMP', 'source', 'destination', 'http', 'metadata'],
};
const ENTITY_FIELDS: Record<CalicoApiVersion, readonly string[]> = {
  v1: ['tag', 'notTag', 'net', 'notNet', 'nets', 'notNets', 'selector', 'notSelector', 'ports', 'notPorts'],
  v3: ['nets', 'notNets', 'selector', 'notSelector', 'namespaceSelector', 'ports', 'notPorts', 'serviceAccounts', 'services'],
};
const ACTIONS: Record<CalicoApiVersion, readonly string[]> = { v1: ['allow', 'deny', 'log', 'pass'], v3: ['Allow', 'Deny', 'Log', 'Pass'] };
const PROTOCOL_NAMES: Record<CalicoApiVersion, readonly string[]> = {
  v1: ['tcp', 'udp', 'icmp', 'icmpv6', 'sctp', 'udplite'],
  v3: ['TCP', 'UDP', 'ICMP', 'ICMPv6', 'SCTP', 'UDPLite'],
};

/** Whether `x` is a plain object. */
export function isObj(x: unknown): x is Obj {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

/** Throws at the first key of `o` not in `known`. */
export function checkFields(doc: SourceDoc, path: DocPath, o: Obj, known: readonly string[], what: string): void {
  for (const k of Object.keys(o)) {
    if (!known.includes(k)) throw doc.error([...path, k], `unknown field '${k}' in ${what}; calicoctl decodes strictly and would reject the file (known: ${known.join(', ')}).`, true);
  }
}

/** Reads an optional string field. */
export function str(doc: SourceDoc, path: DocPath, o: Obj, key: string): string | undefined {
  const v = o[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string') throw doc.error([...path, key], `'${key}' must be a string.`);
  return v;
}

function list(doc: SourceDoc, path: DocPath, o: Obj, key: string): unknown[] | undefined {
  const v = o[key];
  if (v === undefined || v === null) return undefined;
  if (!Array.isArray(v)) throw doc.error([...path, key], `'${key}' must be a list.`);
  return v;
}

function protocol(doc: SourceDoc, path: DocPath, v: unknown, version: CalicoApiVersion): string | number | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'number') return v;
  if (typeof v !== 'string') throw doc.error(path, 'a protocol is a name or a number from 1 to 255.');
  if (/^\d+$/.test(v) || PROTOCOL_NAMES[version].includes(v)) return v;
  const other = version === 'v1' ? 'v3' : 'v1';
  if (PROTOCOL_NAMES[other].includes(v)) {
    throw doc.error(path, `protocol '${v}' is the ${other === 'v1' ? 'calicoctl v1' : 'Calico v3'} spelling; this ${version === 'v1' ? 'calicoctl v1' : 'Calico v3'} resource needs '${PROTOCOL_NAMES[version][PROTOCOL_NAMES[other].indexOf(v)]}'.`);
  }
  throw doc.error(path, `protocol '${v}' is not one of ${PROTOCOL_NAMES[version].join(', ')} or a number from 1 to 255.`);
}

function icmp(doc: SourceDoc, path: DocPath, v: unknown): { type?: number; code?: number } | undefined {
  if (v === undefined || v === null) return undefined;
  if (!isObj(v)) throw doc.error(path, "'icmp' must be a map with 'type' and optionally 'code'.");
  checkFields(doc, path, v, ['type', 'code'], 'icmp');
  for (const k of ['type', 'code'] as const) {
    if (v[k] !== undefined && (typeof v[k] !== 'number' || !Number.isInteger(v[k]))) throw doc.error([...path, k], `ICMP ${k} must be an integer.`);
  }
  if (v.code !== undefined && v.type === undefined) throw doc.error(path, 'an ICMP code needs a type.');
  return { type: v.type as number | undefined, code: v.code as number | undefined };
}

function ports(doc: SourceDoc, path: DocPath, o: Obj, key: string): Array<number | string> | undefined {
  const l = list(doc, path, o, key);
  return l?.map((p, i) => {
    if (typeof p !== 'number' && typeof p !== 'string') throw doc.error([...path, key, i], 'a port is a number, "from:to" or a port name.');
    return p;
  });
}

function entity(doc: SourceDoc, path: DocPath, v: unknown, version: CalicoApiVersion, note: NoteFn): EntitySpec | undefined {
  if (v === undefined || v === null) return undefined;
  if (!isObj(v)) throw doc.error(path, 'a rule side (source/destination) must be a map.');
  checkFields(doc, path, v, ENTITY_FIELDS[version], version === 'v1' ? 'a calicoctl v1 rule side' : 'a Calico v3 rule side');
  const nets = (single: string, many: string): string[] | undefined => {
    const one = str(doc, path, v, single);
    const several = list(doc, path, v, many)?.map((n, i) => {
      if (typeof n !== 'string') throw doc.error([...path, many, i], 'a network is a CIDR string.');
      return n;
    });
    if (one !== undefined && several !== undefined) throw doc.error([...path, single], `use either '${single}' or '${many}', not both.`);
    return one !== undefined ? [one] : several;
  };
  let selector = str(doc, path, v, 'selector');
  if (v.namespaceSelector !== undefined) {
    note([...path, 'namespaceSelector'], 'namespaceSelector is ignored: DC/OS endpoints all live in the default namespace, which has no labels to select on.', 'Drop namespaceSelector; select endpoints with selector.');
  }
  if (v.serviceAccounts !== undefined || v.services !== undefined) {
    note(path, 'serviceAccounts/services match Kubernetes pods only; on DC/OS this rule side matches no endpoint.', 'Select endpoints by labels instead.');
    selector = selector ? `(${selector}) && projectcalico.org/serviceaccount in {}` : 'projectcalico.org/serviceaccount in {}';
  }
  return {
    selector,
    notSelector: str(doc, path, v, 'notSelector'),
    tag: version === 'v1' ? str(doc, path, v, 'tag') : undefined,
    notTag: version === 'v1' ? str(doc, path, v, 'notTag') : undefined,
    nets: nets('net', 'nets'),
    notNets: nets('notNet', 'notNets'),
    ports: ports(doc, path, v, 'ports'),
    notPorts: ports(doc, path, v, 'notPorts'),
  };
}

/** Reads one rule. */
export function readRule(doc: SourceDoc, path: DocPath, v: unknown, version: CalicoApiVersion, note: NoteFn): RuleSpec {
  if (!isObj(v)) throw doc.error(path, 'a rule must be a map with at least an action.');
  checkFields(doc, path, v, RULE_FIELDS[version], version === 'v1' ? 'a calicoctl v1 rule' : 'a Calico v3 rule');
  const action = str(doc, path, v, 'action');
  if (action === undefined) throw doc.error(path, `a rule needs an action (${ACTIONS[version].join(', ')}).`);
  if (!ACTIONS[version].includes(action)) {
    const i = ACTIONS[version === 'v1' ? 'v3' : 'v1'].indexOf(action);
    throw doc.error([...path, 'action'], i >= 0 ? `action '${action}' is spelled '${ACTIONS[version][i]}' in ${version === 'v1' ? 'calicoctl v1' : 'Calico v3'} resources.` : `action '${action}' is not one of ${ACTIONS[version].join(', ')}.`);
  }
  if (v.http !== undefined) note([...path, 'http'], 'http match criteria need the application layer policy (Istio); Felix alone ignores them.', 'Remove the http criteria.');
  const ipVersion = v.ipVersion;
  if (ipVersion !== undefined && ipVersion !== 4 && ipVersion !== 6) throw doc.error([...path, 'ipVersion'], 'ipVersion is 4 or 6.');
  return {
    action,
    ipVersion: ipVersion as 4 | 6 | undefined,
    protocol: protocol(doc, [...path, 'protocol'], v.protocol, version),
    notProtocol: protocol(doc, [...path, 'notProtocol'], v.notProtocol, version),
    icmp: icmp(doc, [...path, 'icmp'], v.icmp),
    notICMP: icmp(doc, [...path, 'notICMP'], v.notICMP),
    source: entity(doc, [...path, 'source'], v.source, version, note),
    destination: entity(doc, [...path, 'destination'], v.destination, version, note),
  };
}

/** Reads a list of rules (absent: none). */
export function readRules(doc: SourceDoc, path: DocPath, o: Obj, key: string, version: CalicoApiVersion, note: NoteFn): RuleSpec[] {
  return (list(doc, path, o, key) ?? []).map((r, i) => readRule(doc, [...path, key, i], r, version, note));
}

/**
 * Maps a path inside a spec built from a rule list (`['ingress', 0, 'source', 'nets', 0]`)
 * to the path in the document, where a v1 rule may have written `net` instead of `nets`.
 */
export function docPathOf(value: unknown, base: DocPath, rest: DocPath): DocPath {
  const out: Array<string | number> = [...base];
  let cur: unknown = walk(value, base);
  for (let i = 0; i < rest.length; i++) {
    const k = rest[i]!;
    if (isObj(cur) && (k === 'nets' || k === 'notNets') && cur[k] === undefined) {
      const single = k === 'nets' ? 'net' : 'notNet';
      out.push(single);
      return out;
    }
    out.push(k);
    cur = isObj(cur) || Array.isArray(cur) ? (cur as Record<string | number, unknown>)[k] : undefined;
  }
  return out;
}

function walk(v: unknown, path: DocPath): unknown {
  let cur = v;
  for (const k of path) cur = isObj(cur) || Array.isArray(cur) ? (cur as Record<string | number, unknown>)[k] : undefined;
  return cur;
}
