import type { JsonValue } from '@dcos-cdk/core';
import { Selector } from '../selector/index.js';
import type { Protocol } from '../model/rule.js';
import type { ResolvedEntity, ResolvedRule } from '../model/resolve.js';
import { portV1 } from './rule-v1.js';

const ACTION_V3 = { allow: 'Allow', deny: 'Deny', log: 'Log', pass: 'Pass' } as const;
const PROTOCOL_V3: Readonly<Record<string, string>> = { tcp: 'TCP', udp: 'UDP', icmp: 'ICMP', icmpv6: 'ICMPv6', sctp: 'SCTP', udplite: 'UDPLite' };

/**
 * A rule in Calico v3 (`projectcalico.org/v3`) shape. Tags, which v3 does
 * not have, become the selector `has(tag)` they always meant.
 */
export function ruleV3(r: ResolvedRule): JsonValue {
  return {
    action: ACTION_V3[r.action],
    ipVersion: r.ipVersion,
    protocol: protocolV3(r.protocol),
    icmp: r.icmp && { type: r.icmp.type, code: r.icmp.code },
    notProtocol: protocolV3(r.notProtocol),
    notICMP: r.notICMP && { type: r.notICMP.type, code: r.notICMP.code },
    source: entityV3(r.source),
    destination: entityV3(r.destination),
  };
}

function protocolV3(p: Protocol | undefined): JsonValue | undefined {
  if (p === undefined) return undefined;
  return typeof p === 'number' ? p : PROTOCOL_V3[p];
}

function entityV3(e: ResolvedEntity): JsonValue | undefined {
  let selector = e.selector;
  if (e.tag !== undefined) selector = selector ? selector.and(Selector.has(e.tag)) : Selector.has(e.tag);
  let notSelector = e.notSelector;
  if (e.notTag !== undefined) notSelector = notSelector ? notSelector.or(Selector.has(e.notTag)) : Selector.has(e.notTag);
  const out = {
    nets: e.nets.length ? e.nets : undefined,
    selector: selector?.toString(),
    namespaceSelector: e.namespaceSelector?.toString(),
    ports: e.ports.length ? e.ports.map(portV1) : undefined,
    notNets: e.notNets.length ? e.notNets : undefined,
    notSelector: notSelector?.toString(),
    notPorts: e.notPorts.length ? e.notPorts.map(portV1) : undefined,
  };
  return Object.values(out).some((v) => v !== undefined) ? out : undefined;
}
