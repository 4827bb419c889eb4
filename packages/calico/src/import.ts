/**
 * The inverse of the renderers, for `dcos-cdk import`: a Calico resource of
 * the rule model (as `readCalicoYaml` returns it) becomes the props of the
 * construct that synthesizes it again, selectors as {@link Selector}s.
 *
 * @module
 */
import type { CalicoVersion } from '@dcos-cdk/dcos';
import type { CalicoIpPoolProps } from './ippool.js';
import type { CalicoResource, IpPoolResource, PolicyResource, ProfileResource } from './model/resources.js';
import type { EntityRule, RuleProps } from './model/rule.js';
import type { CalicoPolicyProps } from './policy.js';
import type { CalicoProfileProps } from './profile.js';
import { Selector } from './selector/index.js';

/** Props of a policy, with its name always set. */
export type ImportedPolicyProps = CalicoPolicyProps & { readonly name: string };

/** The construct a Calico resource becomes, and its props. */
export type ImportedCalicoResource =
  | { readonly kind: 'policy'; readonly props: ImportedPolicyProps }
  | { readonly kind: 'profile'; readonly props: CalicoProfileProps }
  | { readonly kind: 'ipPool'; readonly props: CalicoIpPoolProps };

/** Options of {@link fromCalicoResource}. */
export interface FromCalicoResourceOptions {
  /** The Calico version the resource was read in (selectors are parsed with its grammar). @default 'v3' */
  readonly version?: CalicoVersion;
  /** Emit the resource even with mistakes Calico accepts (`mistakes: 'warning'`). @default false */
  readonly keepMistakes?: boolean;
}

function selector(s: Selector | string | undefined, version: CalicoVersion): Selector | undefined {
  if (s === undefined) return undefined;
  return Selector.isSelector(s) ? s : Selector.parse(s, { calicoVersion: version });
}

function entity(e: EntityRule | undefined, version: CalicoVersion): EntityRule | undefined {
  if (e === undefined) return undefined;
  const out: { -readonly [K in keyof EntityRule]: EntityRule[K] } = { ...e };
  for (const key of ['selector', 'notSelector', 'namespaceSelector'] as const) {
    const parsed = selector(e[key], version);
    if (parsed !== undefined) out[key] = parsed;
  }
  return out;
}

function rules(list: readonly RuleProps[], version: CalicoVersion): RuleProps[] {
  return list.map((r) => {
    const out: { -readonly [K in keyof RuleProps]: RuleProps[K] } = { ...r };
    const source = entity(r.source, version);
    const destination = entity(r.destination, version);
    if (source !== undefined) out.source = source;
    if (destination !== undefined) out.destination = destination;
    return out;
  });
}

function definedOnly<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}

function policyProps(p: PolicyResource, o: FromCalicoResourceOptions, version: CalicoVersion): ImportedPolicyProps {
  return definedOnly<ImportedPolicyProps>({
    name: p.name,
    selector: selector(p.selector, version) ?? Selector.all(),
    order: p.order,
    types: p.types && [...p.types],
    ingress: p.ingress.length > 0 ? rules(p.ingress, version) : undefined,
    egress: p.egress.length > 0 ? rules(p.egress, version) : undefined,
    scope: p.scope === 'namespace' ? 'namespace' : undefined,
    namespace: p.scope === 'namespace' ? p.namespace : undefined,
    doNotTrack: p.doNotTrack,
    preDNAT: p.preDNAT,
    applyOnForward: p.applyOnForward,
    mistakes: o.keepMistakes ? 'warning' : undefined,
  });
}

function profileProps(p: ProfileResource, o: FromCalicoResourceOptions, version: CalicoVersion): CalicoProfileProps {
  return definedOnly<CalicoProfileProps>({
    name: p.name,
    tags: p.tags.length > 0 ? [...p.tags] : undefined,
    labels: Object.keys(p.labels).length > 0 ? { ...p.labels } : undefined,
    // Empty rule lists are written out: a profile without ingress rules denies, which is the point of writing one.
    ingress: rules(p.ingress, version),
    egress: rules(p.egress, version),
    mistakes: o.keepMistakes ? 'warning' : undefined,
  });
}

function ipPoolProps(p: IpPoolResource): CalicoIpPoolProps {
  return definedOnly<CalicoIpPoolProps>({
    cidr: p.cidr,
    name: p.name,
    ipip: p.ipipMode === undefined || p.ipipMode === 'never' ? undefined : p.ipipMode,
    natOutgoing: p.natOutgoing === true ? true : undefined,
    disabled: p.disabled === true ? true : undefined,
  });
}

/**
 * The construct props that synthesize `resource` again: a `CalicoPolicy`,
 * `CalicoProfile` or `CalicoIpPool`, selectors parsed (with the grammar of
 * `options.version`), rules as written, nothing rewritten. Synthesizing the
 * result for the same Calico version gives a resource with the same
 * canonical form.
 *
 * @throws SelectorParseError when a selector does not parse (resources from
 * `readCalicoYaml` always do)
 */
export function fromCalicoResource(resource: CalicoResource, options: FromCalicoResourceOptions = {}): ImportedCalicoResource {
  const version = options.version ?? 'v3';
  switch (resource.kind) {
    case 'policy':
      return { kind: 'policy', props: policyProps(resource, options, version) };
    case 'profile':
      return { kind: 'profile', props: profileProps(resource, options, version) };
    default:
      return { kind: 'ipPool', props: ipPoolProps(resource) };
  }
}
