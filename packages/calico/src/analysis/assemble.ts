/**
 * Puts what the readers collected together into a {@link NetworkModel}: which container
 * networks are Calico's, endpoint ids, and what to do with duplicate names.
 *
 * @module
 */

import { SelectorInterner } from '../selector/index.js';
import { buildNetworkModel, ModelError, type EndpointSpec, type PeerSpec, type PolicySpec } from './build-model.js';
import type { CalicoApiVersion, NetworkModel } from './model.js';
import type { ReadState } from './read-calico.js';
import type { RawEndpoint } from './read-marathon.js';

/** Options shared by the loaders. */
export interface LoadOptions {
  /** External peers to name, e.g. `[{ name: 'LAN', cidr: '10.20.0.0/16' }]`. The Internet (0.0.0.0/0) is always one. */
  readonly peers?: readonly PeerSpec[];
  /** The Calico API when the input has no Calico resource. @default the bundle's target, else 'v1' */
  readonly apiVersion?: CalicoApiVersion;
  /** Container networks that are Calico networks. @default 'calico', every network with a profile in the input and every `cni-network` of a bundle */
  readonly calicoNetworks?: readonly string[];
  /**
   * Two policies with one name cannot both exist in Calico (`calicoctl create` refuses the
   * second, `apply` replaces the first). `keep` analyzes both as written, to show what each
   * file meant (the finding `analysis/duplicate-policy-name` is an error either way); `last`
   * keeps the one read last, as `calicoctl apply` in file order would.
   * @default 'keep'
   */
  readonly duplicatePolicies?: 'keep' | 'last';
  /** IP pools, when the input has none. @default ['192.168.0.0/16'] */
  readonly pools?: readonly string[];
  /** Interner for selectors; share one between models you will diff. */
  readonly interner?: SelectorInterner;
}

/** Builds the model from collected input. */
export function assembleModel(state: ReadState, raws: readonly RawEndpoint[], options: LoadOptions, fallbackApi?: CalicoApiVersion): NetworkModel {
  const apiVersion = state.apiVersion?.version ?? options.apiVersion ?? fallbackApi ?? 'v1';
  const calico = new Set(options.calicoNetworks ?? ['calico', ...state.profiles.map((p) => p.spec.name), ...state.networks]);
  const diagnostics = [...state.diagnostics];
  const onCalico = raws.filter((r) => {
    if (calico.has(r.spec.network!)) return true;
    diagnostics.push({
      severity: 'warning',
      rule: 'analysis/input',
      message: `${r.where}: app ${r.spec.appId} joins container network '${r.spec.network}', which is not a Calico network of this input; it is left out of the analysis.`,
      constructPath: r.spec.constructPath,
      fix: "Pass the network in 'calicoNetworks' if it is a Calico network.",
    });
    return false;
  });
  const networksPerApp = new Map<string, number>();
  for (const r of onCalico) networksPerApp.set(r.spec.appId!, (networksPerApp.get(r.spec.appId!) ?? 0) + 1);
  const byId = new Map<string, { spec: EndpointSpec; where: string }>();
  for (const r of onCalico) {
    const id = networksPerApp.get(r.spec.appId!)! > 1 ? `${r.spec.appId!}@${r.spec.network!}` : r.spec.appId!;
    const earlier = byId.get(id);
    if (earlier) {
      diagnostics.push({
        severity: 'error',
        rule: 'analysis/duplicate-app-id',
        message: `${earlier.where} and ${r.where} both define app ${r.spec.appId}; Marathon keeps one app per id. The analysis uses the one read last.`,
        constructPath: r.spec.constructPath,
        fix: 'Give every app its own id.',
      });
    }
    byId.set(id, { spec: { ...r.spec, id }, where: r.where });
  }

  const byName = new Map<string, Array<{ spec: PolicySpec; where: string }>>();
  for (const p of state.policies) (byName.get(p.spec.name) ?? byName.set(p.spec.name, []).get(p.spec.name)!).push(p);
  let policies = state.policies;
  for (const [name, list] of byName) {
    if (list.length < 2) continue;
    diagnostics.push({
      severity: 'error',
      rule: 'analysis/duplicate-policy-name',
      message: `${list.map((p) => p.where).join(' and ')} all define policy ${name}, but Calico holds one policy per name: 'calicoctl create' refuses all but the first and 'calicoctl apply' keeps only the last. ${options.duplicatePolicies === 'last' ? 'The analysis keeps the last.' : 'The analysis keeps each, as written.'}`,
      constructPath: list[list.length - 1]!.spec.constructPath,
      fix: 'Give each policy its own name.',
    });
    if (options.duplicatePolicies === 'last') policies = policies.filter((p) => p.spec.name !== name || p === list[list.length - 1]);
  }
  const profiles = new Map<string, { spec: (typeof state.profiles)[number]['spec']; where: string }>();
  for (const p of state.profiles) {
    const earlier = profiles.get(p.spec.name);
    if (earlier) {
      diagnostics.push({
        severity: 'error',
        rule: 'analysis/duplicate-profile-name',
        message: `${earlier.where} and ${p.where} both define profile ${p.spec.name}; Calico holds one. The analysis keeps the last.`,
        constructPath: p.spec.constructPath,
        fix: 'Keep one definition of the profile.',
      });
    }
    profiles.set(p.spec.name, p);
  }
  try {
    return buildNetworkModel(
      {
        apiVersion,
        endpoints: [...byId.values()].map((e) => e.spec),
        policies: policies.map((p) => p.spec),
        profiles: [...profiles.values()].map((p) => p.spec),
        peers: options.peers,
        pools: state.pools.length > 0 ? state.pools : options.pools,
        diagnostics,
      },
      { interner: options.interner ?? state.interner },
    );
  } catch (e) {
    if (e instanceof ModelError) throw new Error(`${e.path.join('.')}: ${e.message}`);
    throw e;
  }
}

/** A fresh interner, or the caller's. */
export function internerOf(options: LoadOptions): SelectorInterner {
  return options.interner ?? new SelectorInterner();
}
