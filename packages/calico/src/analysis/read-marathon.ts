/**
 * Reads Marathon app definitions — one app, an array of apps, or a group `{ id, apps, groups }`
 * — into endpoint specs: one endpoint per app and Calico network, with the labels the CNI
 * plugin gives the endpoint and the ports the app declares.
 *
 * @module
 */

import type { EndpointSpec } from './build-model.js';
import type { DeclaredPort } from './model.js';
import { isObj, str } from './read-rules.js';
import type { DocPath, SourceDoc } from './source-file.js';

/** Whether a document looks like Marathon input (an app, an array of apps or a group). */
export function isMarathonDoc(v: unknown): boolean {
  if (Array.isArray(v)) return v.every((x) => isObj(x) && typeof x.id === 'string' && x.kind === undefined);
  return isObj(v) && v.kind === undefined && v.apiVersion === undefined && (typeof v.id === 'string' || Array.isArray(v.apps) || Array.isArray(v.groups));
}

/** An app joined to a container network, before deciding which networks are Calico's. */
export interface RawEndpoint {
  /** The endpoint spec (id still the app id). */
  readonly spec: EndpointSpec;
  /** Where the app was. */
  readonly where: string;
}

/** Resolves a Marathon id against its group: relative ids hang under the group. */
function absoluteId(id: string, group: string): string {
  if (id.startsWith('/')) return normalize(id);
  return normalize(`${group.endsWith('/') ? group : `${group}/`}${id}`);
}

function normalize(id: string): string {
  const parts: string[] = [];
  for (const p of id.split('/')) {
    if (p === '' || p === '.') continue;
    if (p === '..') parts.pop();
    else parts.push(p);
  }
  return `/${parts.join('/')}`;
}

/** Reads a Marathon document, appending one raw endpoint per app and container network. */
export function readMarathonDoc(doc: SourceDoc, out: RawEndpoint[], constructPath?: string): void {
  const v = doc.value;
  if (Array.isArray(v)) v.forEach((app, i) => readApp(doc, [i], app, '/', out, constructPath));
  else if (isObj(v) && (Array.isArray(v.apps) || Array.isArray(v.groups)) && v.cmd === undefined && v.container === undefined) readGroup(doc, [], v, '/', out, constructPath);
  else readApp(doc, [], v, '/', out, constructPath);
}

function readGroup(doc: SourceDoc, path: DocPath, g: Record<string, unknown>, parent: string, out: RawEndpoint[], constructPath: string | undefined): void {
  const id = g.id === undefined ? parent : absoluteId(String(g.id), parent);
  for (const key of ['apps', 'groups'] as const) {
    const list = g[key];
    if (list === undefined) continue;
    if (!Array.isArray(list)) throw doc.error([...path, key], `a group's '${key}' must be a list.`);
    list.forEach((x, i) => {
      if (key === 'apps') readApp(doc, [...path, key, i], x, id, out, constructPath);
      else if (isObj(x)) readGroup(doc, [...path, key, i], x, id, out, constructPath);
      else throw doc.error([...path, key, i], 'a group must be a map.');
    });
  }
}

function labelsAt(doc: SourceDoc, path: DocPath, v: unknown): Record<string, string> {
  if (v === undefined || v === null) return {};
  if (!isObj(v)) throw doc.error(path, 'labels must be a map of strings.');
  for (const [k, x] of Object.entries(v)) if (typeof x !== 'string') throw doc.error([...path, k], `label '${k}' must be a string.`);
  return v as Record<string, string>;
}

function portsAt(doc: SourceDoc, path: DocPath, v: unknown, numberKey: 'number' | 'containerPort'): DeclaredPort[] {
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v)) throw doc.error(path, 'ports must be a list.');
  const out: DeclaredPort[] = [];
  v.forEach((p, i) => {
    if (!isObj(p)) throw doc.error([...path, i], 'a port must be a map.');
    const n = p[numberKey];
    if (n === undefined || n === 0) return;
    if (typeof n !== 'number' || !Number.isInteger(n) || n < 1 || n > 65535) throw doc.error([...path, i, numberKey], `'${numberKey}' must be a port from 1 to 65535.`);
    const protocols = String(p.protocol ?? 'tcp').split(',').map((s) => s.trim());
    for (const protocol of protocols) {
      if (protocol !== 'tcp' && protocol !== 'udp') throw doc.error([...path, i, 'protocol'], `protocol '${protocol}' is not tcp or udp.`);
      out.push({ port: n, protocol, name: typeof p.name === 'string' ? p.name : undefined });
    }
  });
  return out;
}

function readApp(doc: SourceDoc, path: DocPath, app: unknown, group: string, out: RawEndpoint[], constructPath: string | undefined): void {
  if (!isObj(app)) throw doc.error(path, 'a Marathon app must be a map.');
  const rawId = str(doc, path, app, 'id');
  if (!rawId) throw doc.error(path, "the Marathon app has no 'id'.");
  const id = absoluteId(rawId, group);
  const instances = app.instances ?? 1;
  if (typeof instances !== 'number' || !Number.isInteger(instances) || instances < 0) throw doc.error([...path, 'instances'], 'instances must be a whole number.');
  const loc = doc.locate(path);
  const base = { appId: id, instances, constructPath, location: { file: doc.file, line: loc.line, column: loc.column } };
  const where = `${doc.file}:${loc.line}:${loc.column}`;
  if (isObj(app.ipAddress)) {
    // Marathon 1.4: one container network.
    const ip = app.ipAddress;
    const network = str(doc, [...path, 'ipAddress'], ip, 'networkName');
    if (!network) return;
    const discovery = isObj(ip.discovery) ? ip.discovery : {};
    out.push({
      spec: { ...base, id, network, labels: labelsAt(doc, [...path, 'ipAddress', 'labels'], ip.labels), ports: portsAt(doc, [...path, 'ipAddress', 'discovery', 'ports'], discovery.ports, 'number') },
      where,
    });
    return;
  }
  const networks = app.networks;
  if (networks === undefined) return;
  if (!Array.isArray(networks)) throw doc.error([...path, 'networks'], 'networks must be a list.');
  const container = isObj(app.container) ? app.container : {};
  const ports = portsAt(doc, [...path, 'container', 'portMappings'], container.portMappings, 'containerPort');
  networks.forEach((n, i) => {
    if (!isObj(n)) throw doc.error([...path, 'networks', i], 'a network must be a map.');
    if (n.mode !== 'container') return;
    const network = str(doc, [...path, 'networks', i], n, 'name');
    if (!network) return;
    out.push({ spec: { ...base, id, network, labels: labelsAt(doc, [...path, 'networks', i, 'labels'], n.labels), ports }, where });
  });
}
