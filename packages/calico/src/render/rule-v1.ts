import type { JsonValue } from '@dcos-cdk/core';
import type { Port } from '../model/rule.js';
import type { ResolvedEntity, ResolvedRule } from '../model/resolve.js';

/** A rule in calicoctl v1 (`apiVersion: v1`) shape, fields in calicoctl's order. */
export function ruleV1(r: ResolvedRule): JsonValue {
  return {
    action: r.action,
    ipVersion: r.ipVersion,
    protocol: r.protocol,
    icmp: r.icmp && icmp(r.icmp.type, r.icmp.code),
    notProtocol: r.notProtocol,
    notICMP: r.notICMP && icmp(r.notICMP.type, r.notICMP.code),
    source: entityV1(r.source),
    destination: entityV1(r.destination),
  };
}

function icmp(type: number | undefined, code: number | undefined): JsonValue {
  return { type, code };
}

function entityV1(e: ResolvedEntity): JsonValue | undefined {
  const out = {
    tag: e.tag,
    net: e.nets[0],
    selector: e.selector?.toString(),
    ports: e.ports.length ? e.ports.map(portV1) : undefined,
    notTag: e.notTag,
    notNet: e.notNets[0],
    notSelector: e.notSelector?.toString(),
    notPorts: e.notPorts.length ? e.notPorts.map(portV1) : undefined,
  };
  return Object.values(out).some((v) => v !== undefined) ? out : undefined;
}

/** A port as calicoctl writes it: a number, or `"from:to"` for a range. */
export function portV1(p: Port): JsonValue {
  if (typeof p === 'number' || typeof p === 'string') return p;
  return p.from === p.to ? p.from : `${p.from}:${p.to}`;
}
