/**
 * What a cluster has when the input does not say: the CNI plugin's default profile and the
 * IP pools calico/node creates (calico.md §6).
 *
 * @module
 */

import type { Cidr } from '../model/cidr.js';
import type { CalicoApiVersion } from './model.js';
import type { ProfileSpec } from './build-model.js';

/** The IPv4 pool calico/node creates when none exists. */
export const DEFAULT_POOL_V4 = '192.168.0.0/16';

/** The IPv6 pool calico/node creates when IPv6 is supported. */
export const DEFAULT_POOL_V6 = 'fd80:24e2:f998:72d6::/64';

/**
 * The profile a network gets when the input has none for it:
 * - calicoctl v1 clusters: what the CNI plugin v1.x creates, named after the network, with
 *   tag `<network>`, egress allow and ingress allowed only from endpoints with that tag;
 * - Calico v3: for the network `calico`, the allow-all profile `dcos-calico-felix` applies
 *   first on DC/OS 2.x (with `labelsToApply: {calico: ""}` as the CNI plugin's would have);
 *   for other networks the CNI plugin v3's profile, `labelsToApply: {<network>: ""}` with
 *   ingress allowed from `has(<network>)`.
 */
export function defaultProfileSpec(network: string, apiVersion: CalicoApiVersion): ProfileSpec {
  if (apiVersion === 'v1') {
    return { name: network, tags: [network], ingress: [{ action: 'allow', source: { tag: network } }], egress: [{ action: 'allow' }] };
  }
  if (network === 'calico') {
    return { name: network, labels: { calico: '' }, ingress: [{ action: 'allow' }], egress: [{ action: 'allow' }] };
  }
  return { name: network, labels: { [network]: '' }, ingress: [{ action: 'allow', source: { selector: `has(${network})` } }], egress: [{ action: 'allow' }] };
}

/**
 * The n-th address (n ≥ 1) handed out in an IPv4 pool, as the test bundle reader does: 250
 * hosts per /24, starting at .1, so no address ends in .0 or .255.
 *
 * @throws Error when the pool is too small
 */
export function nthAddress4(pool: Cidr, n: number): string {
  const offset = Math.floor(n / 250) * 256 + (n % 250) + 1;
  if (offset >= 2 ** (32 - pool.prefix)) throw new Error(`IP pool ${pool.text} has no room for ${n} endpoints; give the model a larger pool.`);
  const v = Number(pool.address) + offset;
  return [24, 16, 8, 0].map((s) => Math.floor(v / 2 ** s) % 256).join('.');
}

/** The n-th address (n ≥ 1) of an IPv6 pool. */
export function nthAddress6(pool: Cidr, n: number): string {
  const v = pool.address + BigInt(n);
  const groups = Array.from({ length: 8 }, (_, i) => ((v >> BigInt(112 - 16 * i)) & 0xffffn).toString(16));
  return groups.join(':');
}
