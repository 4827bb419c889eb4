/** Test helpers: the same model for the engine and for the naive reference evaluator. */
import { expect } from 'chai';
import { buildNetworkModel, type ModelSpec } from '../../src/analysis/build-model.js';
import { defaultProfileSpec } from '../../src/analysis/defaults.js';
import { analyze, type FlowParty, type ReachabilityMatrix } from '../../src/analysis/engine.js';
import { explain } from '../../src/analysis/explain.js';
import type { NetworkModel } from '../../src/analysis/model.js';
import { evaluateFlow, type NaiveModel, type NaivePolicy, type NaiveProfile, type Packet, type Party } from '../../../../test/support/naive-felix.js';

/** An address inside each test CIDR that is not a container address and not inside a more specific test CIDR. */
export const PEER_REPRESENTATIVES: Readonly<Record<string, string>> = {
  '0.0.0.0/0': '8.8.8.8',
  '10.0.0.0/8': '10.1.2.3',
  '10.20.0.0/16': '10.20.1.1',
  '192.168.0.0/16': '192.168.77.77',
  '192.168.0.0/30': '192.168.0.1',
  '172.16.0.0/12': '172.16.5.5',
};

/** Both models of one spec. */
export interface TwinModels {
  readonly spec: ModelSpec;
  readonly model: NetworkModel;
  readonly naive: NaiveModel;
  readonly matrix: ReachabilityMatrix;
}

/** Builds the engine's model, the naive model and the matrix from one spec. */
export function twins(spec: ModelSpec): TwinModels {
  const model = buildNetworkModel(spec);
  const profiles: NaiveProfile[] = (spec.profiles ?? []).map((p) => ({
    name: p.name,
    tags: [...(p.tags ?? [])],
    labels: { ...(p.labels ?? {}) },
    ingress: (p.ingress ?? []) as NaiveProfile['ingress'],
    egress: (p.egress ?? []) as NaiveProfile['egress'],
  }));
  for (const p of model.profiles.filter((x) => x.builtIn)) {
    const d = defaultProfileSpec(p.name, model.apiVersion);
    profiles.push({ name: d.name, tags: [...(d.tags ?? [])], labels: { ...(d.labels ?? {}) }, ingress: d.ingress as NaiveProfile['ingress'], egress: d.egress as NaiveProfile['egress'] });
  }
  const naive: NaiveModel = {
    endpoints: model.endpoints.map((e) => ({ id: e.id, ip: e.address, labels: e.labels, profiles: [...e.profiles] })),
    policies: (spec.policies ?? []).map((p) => ({ ...p, selector: p.selector ?? '', types: p.types ? [...p.types] : undefined, ingress: p.ingress ?? [], egress: p.egress ?? [] }) as NaivePolicy),
    profiles,
  };
  return { spec, model, naive, matrix: analyze(model) };
}

/** The naive evaluator's view of a party. */
export function naiveParty(t: TwinModels, p: FlowParty): Party {
  if (p.kind === 'endpoint') return { endpoint: t.naive.endpoints[p.index]! };
  const ip = PEER_REPRESENTATIVES[p.peer.cidr.text];
  if (!ip) throw new Error(`no representative address for ${p.peer.cidr.text}`);
  return { ip };
}

/** A source party by endpoint id or peer CIDR. */
export function party(m: ReachabilityMatrix, key: string): FlowParty {
  const s = m.sources().find((p) => (p.kind === 'endpoint' ? p.endpoint.id === key : p.peer.cidr.text === key || p.peer.name === key));
  if (!s) throw new Error(`no party ${key}`);
  return s;
}

/** Engine and naive evaluator agree on one flow: the matrix cell, the explanation and both directions' reasons. */
export function expectSameFlow(t: TwinModels, from: FlowParty, to: FlowParty & { kind: 'endpoint' }, pkt: Packet): void {
  const expected = evaluateFlow(t.naive, naiveParty(t, from), naiveParty(t, to), pkt);
  const label = `${from.kind === 'endpoint' ? from.endpoint.id : from.peer.cidr.text} -> ${to.endpoint.id} ${pkt.protocol}/${pkt.port ?? pkt.icmpType}`;
  const cells = t.matrix.cellsBetween(from, to);
  const cell = cells.find((c) => c.protocol === pkt.protocol && (pkt.protocol === 'icmp' ? c.icmpType === pkt.icmpType : c.ports!.from <= pkt.port! && pkt.port! <= c.ports!.to));
  const fromText = from.kind === 'endpoint' ? from.endpoint.id : from.peer.cidr.text;
  const ex = explain(t.matrix, { from: fromText, to: to.endpoint.id, protocol: pkt.protocol, port: pkt.port, icmpType: pkt.icmpType, icmpCode: pkt.icmpCode });
  const sig = (d: { allowed: boolean; egress?: { allowed: boolean; reason: string }; ingress?: { allowed: boolean; reason: string } }): string =>
    `${d.allowed}|${d.egress ? `${d.egress.allowed}:${d.egress.reason}` : '-'}|${d.ingress ? `${d.ingress.allowed}:${d.ingress.reason}` : '-'}`;
  const want = sig(expected);
  // Plain string comparison in the hot path; chai only formats a mismatch.
  const check = (what: string, got: string): void => {
    if (got !== want) expect(got, `${what} ${label}`).to.equal(want);
  };
  check('explain', sig(ex));
  if (pkt.protocol !== 'icmp' || (pkt.icmpType === 8 && (pkt.icmpCode ?? 0) === 0)) {
    if (!cell) expect.fail(`no matrix cell for ${label}`);
    check('matrix', sig(cell));
  }
  const direct = t.matrix.decide(from, to, { version: 4, protocol: { tcp: 6, udp: 17, icmp: 1 }[pkt.protocol], port: pkt.port, icmpType: pkt.icmpType, icmpCode: pkt.icmpCode ?? 0 });
  check('decide', sig(direct));
}
