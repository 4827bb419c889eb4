import type { CalicoVersion } from '@dcos-cdk/dcos';
import type { IpPoolModel, PolicyModel, ProfileModel } from '../render/resources.js';
import { V1_NAME, V3_NAME, V3_NETWORK_POLICY_NAME, V3_POLICY_NAME } from '../names.js';
import { parseCidr, overlaps } from './cidr.js';
import { checkLabels, labelKeyProblem } from './labels.js';
import { ProblemSink, type CalicoProblem } from './problems.js';
import { resolveRuleInto, type ResolvedRule } from './resolve.js';
import { resolveSelector, TAG } from './resolve-entity.js';
import type { IpPoolResource, PolicyResource, PolicyType, ProfileResource } from './resources.js';
import type { RuleProps } from './rule.js';

/** What validating a resource gives: the model to render (unless Calico would reject it) and every problem. */
export interface Validated<M> {
  /** Present when nothing is `invalid`; mistakes still leave a model. */
  readonly model?: M;
  readonly problems: readonly CalicoProblem[];
}

const NAMESPACE = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DIRECTIONS: readonly PolicyType[] = ['ingress', 'egress'];
const IPIP_MODES = ['always', 'cross-subnet', 'never'];
const LINK_LOCAL = [parseCidr('169.254.0.0/16')!, parseCidr('fe80::/10')!];

/**
 * Checks a policy with every rule libcalico-go applies to it for the target
 * version (names, selectors, types, preDNAT/doNotTrack/applyOnForward, each
 * rule), plus the mistakes Calico accepts silently.
 */
export function validatePolicy(p: PolicyResource, version: CalicoVersion): Validated<PolicyModel> {
  const sink = new ProblemSink();
  checkPolicyName(p, version, sink);
  if (p.order !== undefined && (typeof p.order !== 'number' || !Number.isFinite(p.order))) {
    sink.invalid('order', `order ${String(p.order)} is not a finite number.`, 'Use a number, or leave order out.', 'calico/policy-order');
  }
  const selector = resolveSelector('selector', p.selector, version, sink, 'policy');
  checkTypes(p, version, sink);
  checkPolicyFlags(p, version, sink);
  const ingress = resolveRules(p.ingress, 'ingress', version, sink);
  const egress = resolveRules(p.egress, 'egress', version, sink);
  if (sink.hasInvalid || !selector) return { problems: sink.list };
  const flagged = (p.doNotTrack || p.preDNAT) === true;
  const model: PolicyModel = {
    name: p.name,
    scope: p.scope,
    namespace: p.scope === 'namespace' ? (p.namespace ?? 'default') : undefined,
    order: p.order,
    selector,
    types: p.types,
    ingress,
    egress,
    doNotTrack: p.doNotTrack,
    preDNAT: version === 'v3' ? p.preDNAT : undefined,
    // v3 demands applyOnForward with doNotTrack or preDNAT; a v1 untracked policy already applied to forwarded traffic.
    applyOnForward: version === 'v3' ? (p.applyOnForward ?? (flagged ? true : undefined)) : undefined,
  };
  return { model, problems: sink.list };
}

function checkPolicyName(p: PolicyResource, version: CalicoVersion, sink: ProblemSink): void {
  const rule = 'calico/policy-name';
  if (typeof p.name !== 'string' || p.name.length === 0) {
    sink.invalid('name', 'a policy needs a name.', 'Give the policy a name.', rule);
    return;
  }
  if (version === 'v1') {
    if (!V1_NAME.test(p.name)) sink.invalid('name', `policy name '${p.name}' is not valid for calicoctl v1.`, 'Use 1-128 letters, digits, _, ., / or -.', rule);
    return;
  }
  const re = p.scope === 'namespace' ? V3_NETWORK_POLICY_NAME : V3_POLICY_NAME;
  if (!re.test(p.name) || p.name.length > 253) {
    sink.invalid('name', `policy name '${p.name}' is not valid for Calico v3.`, 'Use at most 253 lower-case letters, digits and inner dashes (a DNS label; no dots).', rule);
  }
  if (p.scope === 'namespace' && p.namespace !== undefined && (!NAMESPACE.test(p.namespace) || p.namespace.length > 63)) {
    sink.invalid('namespace', `namespace '${p.namespace}' is not a valid namespace name.`, 'Use at most 63 lower-case letters, digits and inner dashes; DC/OS supports only "default".', 'calico/policy-namespace');
  }
  if (p.scope !== 'namespace' && p.namespace !== undefined) {
    sink.mistake('namespace', `namespace '${p.namespace}' is set on a global policy, which has no namespace.`, "Set scope: 'namespace', or leave namespace out.", 'calico/policy-namespace');
  }
}

function checkTypes(p: PolicyResource, version: CalicoVersion, sink: ProblemSink): void {
  const types = p.types;
  if (types === undefined) return;
  const rule = 'calico/policy-types';
  types.forEach((t, i) => {
    if (!DIRECTIONS.includes(t)) sink.invalid(`types[${i}]`, `type '${String(t)}' is neither ingress nor egress.`, "Use 'ingress' and/or 'egress'.", rule);
  });
  if (new Set(types).size !== types.length) sink.invalid('types', 'types lists a direction twice.', 'List each direction once.', rule);
  if (version === 'v1') {
    if (!(types.includes('ingress') && types.includes('egress'))) {
      sink.invalid('types', 'calicoctl v1.3 has no policy types: a v1 policy always governs both directions.', 'Leave `types` out for calicoctl v1, or target Calico v3.', rule);
    }
    return;
  }
  for (const d of DIRECTIONS) {
    if (p[d].length > 0 && !types.includes(d)) {
      sink.mistake('types', `the policy has ${d} rules but its types leave out ${d}, so Calico never applies them.`, `Add '${d}' to types, or remove the ${d} rules.`, rule);
    }
  }
}

function checkPolicyFlags(p: PolicyResource, version: CalicoVersion, sink: ProblemSink): void {
  const rule = 'calico/policy-flags';
  if (version === 'v1') {
    if (p.preDNAT) sink.invalid('preDNAT', 'calicoctl v1.3 has no preDNAT (it arrived in calicoctl v1.4).', 'Leave preDNAT out for calicoctl v1.3, or target Calico v3.', rule);
    if (p.applyOnForward) sink.invalid('applyOnForward', 'calicoctl v1.3 has no applyOnForward.', 'Leave applyOnForward out for calicoctl v1.3, or target Calico v3.', rule);
    return;
  }
  if (p.scope === 'namespace') {
    for (const f of ['doNotTrack', 'preDNAT', 'applyOnForward'] as const) {
      if (p[f] !== undefined) sink.invalid(f, `a NetworkPolicy has no ${f}; only a GlobalNetworkPolicy does.`, `Use scope: 'global' for ${f}.`, rule);
    }
    return;
  }
  if (p.doNotTrack && p.preDNAT) sink.invalid('preDNAT', 'preDNAT and doNotTrack cannot both be true.', 'Choose one of them.', rule);
  if (p.preDNAT && p.egress.length > 0) sink.invalid('egress', 'a preDNAT policy may have no egress rules.', 'Move the egress rules to another policy.', rule);
  if (p.preDNAT && p.types?.includes('egress')) sink.invalid('types', "a preDNAT policy may not govern 'egress'.", "Set types to ['ingress'].", rule);
  if (p.applyOnForward === false && (p.doNotTrack || p.preDNAT)) {
    sink.invalid('applyOnForward', 'applyOnForward must be true when preDNAT or doNotTrack is.', 'Set applyOnForward: true, or leave it out (it then defaults to true).', rule);
  }
}

function resolveRules(rules: readonly RuleProps[], direction: string, version: CalicoVersion, sink: ProblemSink): ResolvedRule[] {
  return rules.map((r, i) => resolveRuleInto(r, version, sink.at(`${direction}[${i}]`)));
}

/** Checks a profile: name, tags and labels for the target version, and every rule. */
export function validateProfile(p: ProfileResource, version: CalicoVersion): Validated<ProfileModel> {
  const sink = new ProblemSink();
  const nameOk = version === 'v1' ? V1_NAME.test(p.name) : V3_NAME.test(p.name) && p.name.length <= 253;
  if (!nameOk) {
    sink.invalid(
      'name',
      `profile name '${p.name}' is not valid for Calico ${version}.`,
      version === 'v1' ? 'Use 1-128 letters, digits, _, ., / or -.' : 'Use at most 253 lower-case letters, digits, dots and inner dashes (a DNS subdomain).',
      'calico/profile-name',
    );
  }
  p.tags.forEach((t, i) => {
    // In v3 a tag becomes a label key with value "", so it must be a valid v3 key too.
    const problem = !TAG.test(t) ? `tag '${t}' is not 1-128 letters, digits, _, . or -.` : version === 'v3' ? labelKeyProblem(t, 'v3') : undefined;
    if (problem) sink.invalid(`tags[${i}]`, version === 'v3' && TAG.test(t) ? `tag '${t}' becomes a v3 label key, but ${problem}.` : problem, 'Use a short tag of letters, digits, -, _ and . that starts and ends with a letter or digit.', 'calico/profile-tag');
  });
  checkLabels(p.labels, version, sink);
  const ingress = resolveRules(p.ingress, 'ingress', version, sink);
  const egress = resolveRules(p.egress, 'egress', version, sink);
  if (sink.hasInvalid) return { problems: sink.list };
  return { model: { name: p.name, tags: p.tags, labels: p.labels, ingress, egress }, problems: sink.list };
}

/**
 * Checks an IP pool with libcalico-go's rules: a strictly masked CIDR, at
 * least /26 (IPv4) or /122 (IPv6) when enabled, no overlap with the
 * link-local ranges, no IP-in-IP on IPv6, and (v3) a name.
 */
export function validateIpPool(p: IpPoolResource, version: CalicoVersion): Validated<IpPoolModel> {
  const sink = new ProblemSink([], '', 'calico/ippool');
  if (version === 'v3' || p.name !== undefined) {
    if (p.name === undefined || p.name === '') sink.invalid('name', 'a Calico v3 IPPool needs a name.', 'Give the pool a name, e.g. "default-ipv4-ippool".');
    else if (!V3_NAME.test(p.name) || p.name.length > 253) sink.invalid('name', `pool name '${p.name}' is not valid.`, 'Use lower-case letters, digits, dots and inner dashes (a DNS subdomain).');
  }
  const c = typeof p.cidr === 'string' && p.cidr.includes('/') ? parseCidr(p.cidr) : undefined;
  if (!c) {
    sink.invalid('cidr', `'${String(p.cidr)}' is not a CIDR.`, "Give the pool's network with its prefix length, e.g. '10.1.0.0/16'.");
  } else {
    if (!c.masked) sink.invalid('cidr', `pool CIDR ${p.cidr} is not strictly masked (host bits are set).`, `Write it as ${c.text}.`);
    const min = c.version === 4 ? 26 : 122;
    if (!p.disabled && c.prefix > min) {
      sink.invalid('cidr', `pool ${p.cidr} is too small for Calico IPAM (at least /${min} for IPv${c.version}).`, `Use a prefix of /${min} or shorter, or disable the pool.`);
    }
    for (const ll of LINK_LOCAL) {
      if (overlaps(c, ll)) sink.invalid('cidr', `pool ${p.cidr} overlaps the link-local range ${ll.text}.`, 'Choose a network outside the link-local range.');
    }
    if (c.version === 6 && (p.ipipMode === 'always' || p.ipipMode === 'cross-subnet')) {
      sink.invalid('ipipMode', 'IP-in-IP is not supported on an IPv6 pool.', "Leave ipip out (or 'never') for IPv6 pools.");
    }
  }
  if (p.ipipMode !== undefined && !IPIP_MODES.includes(p.ipipMode)) {
    sink.invalid('ipipMode', `IP-in-IP mode '${String(p.ipipMode)}' is not one of always, cross-subnet, never.`, "Use 'always', 'cross-subnet' or 'never'.");
  }
  if (sink.hasInvalid || !c) return { problems: sink.list };
  const model: IpPoolModel = { name: p.name, cidr: c.text, ipipMode: p.ipipMode, natOutgoing: p.natOutgoing, disabled: p.disabled };
  return { model, problems: sink.list };
}
