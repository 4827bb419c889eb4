/** Reads a synthesized bundle into the naive evaluator's model (tests only). */
import { parse } from 'yaml';
import { readBundle } from '@dcos-cdk/core';
import type { NaiveEndpoint, NaiveEntity, NaiveModel, NaivePolicy, NaiveProfile, NaiveRule } from './naive-felix.js';

type Obj = Record<string, unknown>;

function entity(e: Obj | undefined): NaiveEntity | undefined {
  if (!e) return undefined;
  return {
    selector: e.selector as string | undefined,
    notSelector: e.notSelector as string | undefined,
    tag: e.tag as string | undefined,
    notTag: e.notTag as string | undefined,
    nets: (e.nets as string[] | undefined) ?? (e.net ? [e.net as string] : undefined),
    notNets: (e.notNets as string[] | undefined) ?? (e.notNet ? [e.notNet as string] : undefined),
    ports: e.ports as Array<number | string> | undefined,
    notPorts: e.notPorts as Array<number | string> | undefined,
  };
}

function rule(r: Obj): NaiveRule {
  return {
    action: String(r.action).toLowerCase() as NaiveRule['action'],
    protocol: typeof r.protocol === 'string' ? r.protocol.toLowerCase() : (r.protocol as number | undefined),
    notProtocol: typeof r.notProtocol === 'string' ? r.notProtocol.toLowerCase() : (r.notProtocol as number | undefined),
    icmp: r.icmp as NaiveRule['icmp'],
    notICMP: r.notICMP as NaiveRule['notICMP'],
    source: entity(r.source as Obj | undefined),
    destination: entity(r.destination as Obj | undefined),
  };
}

/** Adds one parsed calicoctl resource (v1 or v3) to the model. */
export function addCalicoResource(model: NaiveModel, doc: Obj): void {
  const kind = String(doc.kind);
  const meta = (doc.metadata ?? {}) as Obj;
  const spec = (doc.spec ?? {}) as Obj;
  const rules = (x: unknown): NaiveRule[] => ((x as Obj[] | undefined) ?? []).map(rule);
  if (kind === 'policy' || kind === 'GlobalNetworkPolicy' || kind === 'NetworkPolicy') {
    const p: NaivePolicy = {
      name: String(meta.name),
      order: spec.order as number | undefined,
      selector: (spec.selector as string | undefined) ?? '',
      types: (spec.types as string[] | undefined)?.map((t) => t.toLowerCase() as 'ingress' | 'egress'),
      ingress: rules(spec.ingress),
      egress: rules(spec.egress),
    };
    model.policies.push(p);
  } else if (kind === 'profile' || kind === 'Profile') {
    const labelsToApply = (spec.labelsToApply ?? {}) as Record<string, string>;
    const prof: NaiveProfile = {
      name: String(meta.name),
      tags: (meta.tags as string[] | undefined) ?? [],
      labels: { ...((meta.labels as Record<string, string> | undefined) ?? {}), ...labelsToApply },
      ingress: rules(spec.ingress),
      egress: rules(spec.egress),
    };
    model.profiles = model.profiles.filter((p) => p.name !== prof.name);
    model.profiles.push(prof);
  } else if (kind.endsWith('List')) {
    for (const item of (doc.items as Obj[] | undefined) ?? []) addCalicoResource(model, item);
  }
}

/** Adds a Marathon app (1.4 or 1.5 shape) on a Calico network as an endpoint. */
export function addMarathonApp(model: NaiveModel, app: Obj): void {
  const ip = app.ipAddress as Obj | undefined;
  const net = ((app.networks as Obj[] | undefined) ?? []).find((n) => n.mode === 'container');
  const networkName = (ip?.networkName ?? net?.name) as string | undefined;
  if (!networkName) return;
  const labels = ((ip?.labels ?? net?.labels) as Record<string, string> | undefined) ?? {};
  const n = model.endpoints.length + 1;
  const endpoint: NaiveEndpoint = { id: String(app.id).startsWith('/') ? String(app.id) : `/${String(app.id)}`, ip: `192.168.${Math.floor(n / 250)}.${(n % 250) + 1}`, labels, profiles: [networkName] };
  model.endpoints.push(endpoint);
  if (!model.profiles.some((p) => p.name === networkName)) {
    // The CNI plugin's default profile, until the bundle replaces it.
    model.profiles.push({ name: networkName, tags: [networkName], labels: {}, ingress: [{ action: 'allow', source: { tag: networkName } }], egress: [{ action: 'allow' }] });
  }
}

/** The model of a bundle folder. */
export function modelOfBundle(dir: string): NaiveModel {
  const { manifest, contents } = readBundle(dir);
  const model: NaiveModel = { endpoints: [], policies: [], profiles: [] };
  for (const a of manifest.artifacts) {
    const text = contents.get(a.id)!;
    if (a.kind === 'calico-policy' || a.kind === 'calico-profile') addCalicoResource(model, parse(text) as Obj);
  }
  for (const a of manifest.artifacts) {
    if (a.kind === 'marathon-app') addMarathonApp(model, JSON.parse(contents.get(a.id)!) as Obj);
  }
  return model;
}
