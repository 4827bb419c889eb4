import { expect } from 'chai';
import type { Construct } from 'constructs';
import type { CalicoVersion } from '@dcos-cdk/dcos';
import { CalicoIpPool, CalicoPolicy, CalicoProfile, Rule, type CalicoIpPoolProps, type CalicoPolicyProps, type CalicoProfileProps } from '@dcos-cdk/calico';
import { cluster, errorsOf, expectDiagnostic, onlyError } from './support.js';

interface Case {
  readonly title: string;
  readonly version: CalicoVersion;
  readonly build: (scope: Construct) => void;
  readonly rule: string;
  readonly path?: string;
  readonly message: string | RegExp;
  readonly fix: string | RegExp;
}

const policy = (props: Partial<CalicoPolicyProps>) => (scope: Construct) => new CalicoPolicy(scope, 'p', { selector: 'all()', ...props });
const profile = (props: Partial<CalicoProfileProps>) => (scope: Construct) => new CalicoProfile(scope, 'p', { name: 'calico', ...props });
const pool = (props: Partial<CalicoIpPoolProps>) => (scope: Construct) => new CalicoIpPool(scope, 'p', { cidr: '10.1.0.0/16', ...props });

const cases: Case[] = [
  // policy names
  { title: 'a v1 policy name with a space', version: 'v1', build: policy({ name: 'allow dev' }), rule: 'calico/policy-name', message: "name: policy name 'allow dev' is not valid for calicoctl v1.", fix: '1-128 letters' },
  { title: 'a v1 policy name longer than 128 characters', version: 'v1', build: policy({ name: 'a'.repeat(129) }), rule: 'calico/policy-name', message: /^name: policy name 'a{129}' is not valid for calicoctl v1\.$/, fix: '1-128 letters' },
  { title: 'a v3 policy name with upper case or a dot', version: 'v3', build: policy({ name: 'Allow.dev' }), rule: 'calico/policy-name', message: "name: policy name 'Allow.dev' is not valid for Calico v3.", fix: 'a DNS label' },
  { title: 'a v3 policy name longer than 253 characters', version: 'v3', build: policy({ name: 'a'.repeat(254) }), rule: 'calico/policy-name', message: /is not valid for Calico v3\.$/, fix: 'at most 253' },
  // namespaces
  { title: 'a NetworkPolicy namespace that is not a DNS label', version: 'v3', build: policy({ scope: 'namespace', namespace: 'My_NS' }), rule: 'calico/policy-namespace', message: "namespace: namespace 'My_NS' is not a valid namespace name.", fix: 'DC/OS supports only "default"' },
  { title: 'a namespace on a global policy', version: 'v3', build: policy({ namespace: 'default' }), rule: 'calico/policy-namespace', message: "namespace: namespace 'default' is set on a global policy, which has no namespace.", fix: "scope: 'namespace'" },
  // selector and order
  { title: 'v3: global() as the policy selector', version: 'v3', build: policy({ selector: 'global()' }), rule: 'calico/selector-syntax', message: "selector: global() is accepted only on its own, in a rule's namespaceSelector.", fix: 'all()' },
  { title: 'an order that is not a finite number', version: 'v1', build: policy({ order: Number.POSITIVE_INFINITY }), rule: 'calico/policy-order', message: 'order: order Infinity is not a finite number.', fix: 'leave order out' },
  // types
  { title: 'v1: types of one direction (calicoctl v1.3 has no types)', version: 'v1', build: policy({ types: ['ingress'] }), rule: 'calico/policy-types', message: 'types: calicoctl v1.3 has no policy types: a v1 policy always governs both directions.', fix: 'Leave `types` out' },
  { title: 'a direction listed twice in types', version: 'v3', build: policy({ types: ['ingress', 'ingress'] }), rule: 'calico/policy-types', message: 'types: types lists a direction twice.', fix: 'each direction once' },
  { title: 'a type that is no direction', version: 'v3', build: policy({ types: ['forward' as 'ingress'] }), rule: 'calico/policy-types', message: "types[0]: type 'forward' is neither ingress nor egress.", fix: "'ingress' and/or 'egress'" },
  { title: 'v3: egress rules in a policy whose types leave out egress (never applied)', version: 'v3', build: policy({ types: ['ingress'], egress: [Rule.allow()] }), rule: 'calico/policy-types', message: 'types: the policy has egress rules but its types leave out egress, so Calico never applies them.', fix: "Add 'egress'" },
  // preDNAT, doNotTrack, applyOnForward
  { title: 'v1: preDNAT (calicoctl v1.4+)', version: 'v1', build: policy({ preDNAT: true }), rule: 'calico/policy-flags', message: 'preDNAT: calicoctl v1.3 has no preDNAT (it arrived in calicoctl v1.4).', fix: 'target Calico v3' },
  { title: 'v1: applyOnForward', version: 'v1', build: policy({ applyOnForward: true }), rule: 'calico/policy-flags', message: 'applyOnForward: calicoctl v1.3 has no applyOnForward.', fix: 'target Calico v3' },
  { title: 'v3: doNotTrack on a NetworkPolicy', version: 'v3', build: policy({ scope: 'namespace', doNotTrack: true }), rule: 'calico/policy-flags', message: 'doNotTrack: a NetworkPolicy has no doNotTrack; only a GlobalNetworkPolicy does.', fix: "scope: 'global'" },
  { title: 'v3: preDNAT and doNotTrack together', version: 'v3', build: policy({ preDNAT: true, doNotTrack: true }), rule: 'calico/policy-flags', message: 'preDNAT: preDNAT and doNotTrack cannot both be true.', fix: 'Choose one' },
  { title: 'v3: a preDNAT policy with egress rules', version: 'v3', build: policy({ preDNAT: true, egress: [Rule.allow()] }), rule: 'calico/policy-flags', message: 'egress: a preDNAT policy may have no egress rules.', fix: 'another policy' },
  { title: "v3: a preDNAT policy governing 'egress'", version: 'v3', build: policy({ preDNAT: true, types: ['ingress', 'egress'] }), rule: 'calico/policy-flags', message: "types: a preDNAT policy may not govern 'egress'.", fix: "['ingress']" },
  { title: 'v3: applyOnForward false with doNotTrack', version: 'v3', build: policy({ doNotTrack: true, applyOnForward: false }), rule: 'calico/policy-flags', message: 'applyOnForward: applyOnForward must be true when preDNAT or doNotTrack is.', fix: 'applyOnForward: true' },
  // profiles
  { title: 'a v1 profile name with a space', version: 'v1', build: profile({ name: 'my profile' }), rule: 'calico/profile-name', message: "name: profile name 'my profile' is not valid for Calico v1.", fix: '1-128 letters' },
  { title: 'a v3 profile name with upper case', version: 'v3', build: profile({ name: 'Calico' }), rule: 'calico/profile-name', message: "name: profile name 'Calico' is not valid for Calico v3.", fix: 'DNS subdomain' },
  { title: 'a profile tag with a slash', version: 'v1', build: profile({ tags: ['a/b'] }), rule: 'calico/profile-tag', message: "tags[0]: tag 'a/b' is not 1-128 letters, digits, _, . or -.", fix: 'short tag' },
  { title: 'v3: a tag that is no valid label key (it becomes one)', version: 'v3', build: profile({ tags: ['calico_'] }), rule: 'calico/profile-tag', message: /^tags\[0\]: tag 'calico_' becomes a v3 label key, but label key name 'calico_' must start and end with a letter or digit/, fix: 'short tag' },
  // labels (v1: libcalico-go patterns; v3: Kubernetes rules)
  { title: 'v1: a label key with a space', version: 'v1', build: profile({ labels: { 'team name': 'a' } }), rule: 'calico/label', message: 'labels["team name"]: label key \'team name\' is not 1-512 letters, digits, _, ., / or - (libcalico-go v1 label rules).', fix: 'up to 512' },
  { title: 'v1: a label value ending in a dash', version: 'v1', build: profile({ labels: { team: 'web-' } }), rule: 'calico/label', message: "labels[\"team\"]: label value 'web-' is not at most 63 letters, digits, _, . or - ending in a letter or digit (libcalico-go v1 label rules).", fix: 'up to 63' },
  { title: 'v1: a label value of 64 characters', version: 'v1', build: profile({ labels: { team: 'a'.repeat(64) } }), rule: 'calico/label', message: /label value 'a{64}' is not at most 63/, fix: 'up to 63' },
  { title: 'v3: a label key with two slashes', version: 'v3', build: profile({ labels: { 'a/b/c': 'x' } }), rule: 'calico/label', message: "labels[\"a/b/c\"]: label key 'a/b/c' has more than one '/' (Kubernetes label rules, which Calico v3 uses).", fix: 'example.com/app' },
  { title: 'v3: a label key prefix in upper case', version: 'v3', build: profile({ labels: { 'Example.com/app': 'x' } }), rule: 'calico/label', message: /label key prefix 'Example\.com' is not a lower-case DNS subdomain/, fix: 'example.com/app' },
  { title: 'v3: a label key name of 64 characters', version: 'v3', build: profile({ labels: { ['k'.repeat(64)]: 'x' } }), rule: 'calico/label', message: /label key name 'k{64}' is longer than 63 characters/, fix: 'example.com/app' },
  { title: 'v3: a label value starting with a dot (v1 allows it)', version: 'v3', build: profile({ labels: { team: '.web' } }), rule: 'calico/label', message: /label value '\.web' must be empty, or start and end with a letter or digit/, fix: 'example.com/app' },
  // IP pools
  { title: 'a pool CIDR that is not a CIDR', version: 'v1', build: pool({ cidr: '10.1.0.0' }), rule: 'calico/ippool', message: "cidr: '10.1.0.0' is not a CIDR.", fix: "'10.1.0.0/16'" },
  { title: 'a pool CIDR with host bits set', version: 'v3', build: pool({ cidr: '10.1.2.0/16', name: 'p' }), rule: 'calico/ippool', message: 'cidr: pool CIDR 10.1.2.0/16 is not strictly masked (host bits are set).', fix: 'Write it as 10.1.0.0/16.' },
  { title: 'an enabled IPv4 pool smaller than /26', version: 'v1', build: pool({ cidr: '10.1.0.0/27' }), rule: 'calico/ippool', message: 'cidr: pool 10.1.0.0/27 is too small for Calico IPAM (at least /26 for IPv4).', fix: 'disable the pool' },
  { title: 'an enabled IPv6 pool smaller than /122', version: 'v3', build: pool({ cidr: 'fd00::/123' }), rule: 'calico/ippool', message: 'cidr: pool fd00::/123 is too small for Calico IPAM (at least /122 for IPv6).', fix: '/122 or shorter' },
  { title: 'a pool inside 169.254.0.0/16', version: 'v1', build: pool({ cidr: '169.254.1.0/24' }), rule: 'calico/ippool', message: 'cidr: pool 169.254.1.0/24 overlaps the link-local range 169.254.0.0/16.', fix: 'outside the link-local range' },
  { title: 'a pool overlapping fe80::/10', version: 'v3', build: pool({ cidr: 'fe80::/64' }), rule: 'calico/ippool', message: 'cidr: pool fe80::/64 overlaps the link-local range fe80::/10.', fix: 'outside the link-local range' },
  { title: 'IP-in-IP on an IPv6 pool', version: 'v1', build: pool({ cidr: 'fd00::/64', ipip: 'always' }), rule: 'calico/ippool', message: 'ipipMode: IP-in-IP is not supported on an IPv6 pool.', fix: "Leave ipip out" },
  { title: 'an IP-in-IP mode Calico does not know', version: 'v3', build: pool({ ipip: 'sometimes' as 'always' }), rule: 'calico/ippool', message: "ipipMode: IP-in-IP mode 'sometimes' is not one of always, cross-subnet, never.", fix: "'always'" },
  { title: 'a v3 pool name with upper case', version: 'v3', build: pool({ name: 'Pool' }), rule: 'calico/ippool', message: "name: pool name 'Pool' is not valid.", fix: 'DNS subdomain' },
];

describe('resource validation at synth: policies, profiles, labels, IP pools', () => {
  for (const c of cases) {
    it(`${c.version}: ${c.title}`, () => {
      const { app, cluster: demo } = cluster(c.version);
      c.build(demo);
      expectDiagnostic(onlyError(app), { rule: c.rule, path: c.path ?? 'demo/p', message: c.message, fix: c.fix });
    });
  }

  it('a disabled pool may be small: the size rule applies to pools IPAM allocates from', () => {
    const { app, cluster: demo } = cluster('v1');
    new CalicoIpPool(demo, 'p', { cidr: '10.1.0.0/28', disabled: true });
    expect(() => app.synth({ write: false })).to.not.throw();
  });

  it('two pools that overlap, and two pools with one name, are reported on the later one', () => {
    const { app, cluster: demo } = cluster('v3');
    new CalicoIpPool(demo, 'a', { cidr: '10.1.0.0/16' });
    new CalicoIpPool(demo, 'b', { cidr: '10.1.128.0/17' });
    new CalicoIpPool(demo, 'c', { cidr: '10.2.0.0/16', name: '10-1-0-0-16' });
    const errors = errorsOf(app);
    expect(errors.map((e) => [e.constructPath, e.rule])).to.deep.equal([
      ['demo/b', 'calico/ippool'],
      ['demo/c', 'calico/ippool'],
    ]);
    expect(errors[0]!.message).to.equal('IP pool 10.1.128.0/17 overlaps pool 10.1.0.0/16 of demo/a: addresses would be allocated from both (Calico v3 refuses overlapping pools).');
    expect(errors[1]!.message).to.equal("IP pool name '10-1-0-0-16' is already used by demo/a.");
  });

  it('a NetworkPolicy may carry the knp.default. prefix Kubernetes policies have', () => {
    const { app, cluster: demo } = cluster('v3');
    new CalicoPolicy(demo, 'p', { name: 'knp.default.web', scope: 'namespace', selector: 'all()' });
    expect(() => app.synth({ write: false })).to.not.throw();
  });

  it('reports every problem of a resource at once', () => {
    const { app, cluster: demo } = cluster('v1');
    new CalicoPolicy(demo, 'p', { name: 'a b', selector: '(', types: ['egress'], ingress: [{ action: 'allow', icmp: { type: 8 } }] });
    expect(errorsOf(app).map((e) => e.rule).sort()).to.deep.equal(['calico/policy-name', 'calico/policy-types', 'calico/rule', 'calico/selector-syntax']);
  });
});
