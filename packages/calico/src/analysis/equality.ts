/**
 * Structural equality of policies, profiles and rules, so that two models (before and after a
 * change) can share everything computed for the parts that did not change.
 *
 * @module
 */

import type { Selector } from '../selector/index.js';
import type { Cidr } from '../model/cidr.js';
import type { ModelEntity, ModelIcmp, ModelPolicy, ModelProfile, ModelRule, PortInterval } from './model.js';

function sameSelector(a: Selector | undefined, b: Selector | undefined): boolean {
  return a === b || (a !== undefined && b !== undefined && a.toString() === b.toString());
}

function sameList<T>(a: readonly T[] | undefined, b: readonly T[] | undefined, same: (x: T, y: T) => boolean): boolean {
  if (a === b || (a !== undefined && b !== undefined && a.length === 0 && b.length === 0)) return true;
  if (a === undefined || b === undefined || a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (!same(a[i]!, b[i]!)) return false;
  return true;
}

const sameCidr = (a: Cidr, b: Cidr): boolean => a.text === b.text;
const samePort = (a: PortInterval, b: PortInterval): boolean => a.from === b.from && a.to === b.to;
const sameString = (a: string, b: string): boolean => a === b;

function sameIcmp(a: ModelIcmp | undefined, b: ModelIcmp | undefined): boolean {
  return a === b || (a !== undefined && b !== undefined && a.type === b.type && a.code === b.code);
}

function sameEntity(a: ModelEntity, b: ModelEntity): boolean {
  return (
    a === b ||
    (a.nets.length === b.nets.length &&
      a.notNets.length === b.notNets.length &&
      a.notPorts.length === b.notPorts.length &&
      sameSelector(a.selector, b.selector) &&
      sameSelector(a.notSelector, b.notSelector) &&
      a.tag === b.tag &&
      a.notTag === b.notTag &&
      sameList(a.nets, b.nets, sameCidr) &&
      sameList(a.notNets, b.notNets, sameCidr) &&
      sameList(a.ports, b.ports, samePort) &&
      sameList(a.notPorts, b.notPorts, samePort))
  );
}

/** Whether two rules match the same traffic with the same action. */
export function sameRule(a: ModelRule, b: ModelRule): boolean {
  return (
    a === b ||
    (a.action === b.action &&
      a.ipVersion === b.ipVersion &&
      a.protocol === b.protocol &&
      a.notProtocol === b.notProtocol &&
      sameIcmp(a.icmp, b.icmp) &&
      sameIcmp(a.notICMP, b.notICMP) &&
      sameEntity(a.source, b.source) &&
      sameEntity(a.destination, b.destination))
  );
}

/** Whether two policies are the same policy with the same content (and construct). */
export function samePolicy(a: ModelPolicy, b: ModelPolicy): boolean {
  return (
    a === b ||
    (a.name === b.name &&
      a.order === b.order &&
      a.constructPath === b.constructPath &&
      sameSelector(a.selector, b.selector) &&
      sameList(a.types, b.types, sameString) &&
      sameList(a.ingress, b.ingress, sameRule) &&
      sameList(a.egress, b.egress, sameRule))
  );
}

/** Whether two profiles are the same with the same content. */
export function sameProfile(a: ModelProfile, b: ModelProfile): boolean {
  if (a === b) return true;
  const ka = Object.keys(a.labels);
  const kb = Object.keys(b.labels);
  return (
    a.name === b.name &&
    a.constructPath === b.constructPath &&
    ka.length === kb.length &&
    ka.every((k) => a.labels[k] === b.labels[k]) &&
    sameList(a.tags, b.tags, sameString) &&
    sameList(a.ingress, b.ingress, sameRule) &&
    sameList(a.egress, b.egress, sameRule)
  );
}
