import { expect } from 'chai';
import type { CalicoVersion } from '@dcos-cdk/dcos';
import { CalicoPolicy, Rule, Selector, type RuleProps } from '@dcos-cdk/calico';
import { cluster, expectDiagnostic, onlyError, synth } from './support.js';

/** One failing input: a rule that synthesis must reject for `version`, and the error it must give. */
interface Case {
  readonly title: string;
  readonly version: CalicoVersion;
  readonly rule: RuleProps;
  readonly message: string | RegExp;
  readonly fix: string | RegExp;
  readonly diagnosticRule?: string;
}

const tcp = (criteria: Omit<RuleProps, 'action' | 'protocol'>): RuleProps => Rule.allow({ protocol: 'tcp', ...criteria });

const cases: Case[] = [
  // action
  { title: 'an action that is not allow, deny, log or pass', version: 'v1', rule: { action: 'accept' as 'allow' }, message: "ingress[0].action: action 'accept' is not one of allow, deny, log, pass.", fix: 'Rule.allow' },
  // ipVersion
  { title: 'an ipVersion other than 4 or 6', version: 'v3', rule: Rule.allow({ ipVersion: 5 as 4 }), message: 'ingress[0].ipVersion: ipVersion 5 is neither 4 nor 6.', fix: 'Use 4 or 6' },
  // protocol and notProtocol: names and numbers
  { title: 'a protocol name Calico does not know', version: 'v1', rule: Rule.allow({ protocol: 'gre' as 'tcp' }), message: "ingress[0].protocol: protocol 'gre' is not a protocol Calico knows.", fix: 'tcp, udp, icmp, icmpv6, sctp, udplite' },
  { title: 'an upper-case protocol name (the rule model is lower case in both versions)', version: 'v3', rule: Rule.allow({ protocol: 'TCP' as 'tcp' }), message: "ingress[0].protocol: protocol 'TCP' is not a protocol Calico knows.", fix: '(lower case)' },
  { title: 'protocol number 0', version: 'v1', rule: Rule.allow({ protocol: 0 }), message: "ingress[0].protocol: protocol '0' is not a protocol Calico knows.", fix: 'a number from 1 to 255' },
  { title: 'protocol number 256', version: 'v3', rule: Rule.allow({ protocol: 256 }), message: "ingress[0].protocol: protocol '256' is not a protocol Calico knows.", fix: 'a number from 1 to 255' },
  { title: 'a notProtocol Calico does not know', version: 'v1', rule: Rule.allow({ notProtocol: 'ip' as 'tcp' }), message: "ingress[0].notProtocol: notProtocol 'ip' is not a protocol Calico knows.", fix: 'a number from 1 to 255' },
  // icmp and notICMP
  { title: 'an ICMP type above 254', version: 'v1', rule: Rule.allow({ protocol: 'icmp', icmp: { type: 255 } }), message: 'ingress[0].icmp.type: ICMP type 255 is outside 0-254.', fix: '8 is echo request' },
  { title: 'an ICMP code above 255', version: 'v3', rule: Rule.allow({ protocol: 'icmp', icmp: { type: 3, code: 256 } }), message: 'ingress[0].icmp.code: ICMP code 256 is outside 0-255.', fix: 'from 0 to 255' },
  { title: 'an ICMP code without a type', version: 'v1', rule: Rule.allow({ protocol: 'icmp', notICMP: { code: 1 } }), message: 'ingress[0].notICMP.code: an ICMP code needs an ICMP type (a kernel limit Calico enforces).', fix: '{ type: 3, code: 4 }' },
  { title: 'v1: icmp without protocol icmp (calicoctl v1 accepts it; it never matches as meant)', version: 'v1', rule: { action: 'allow', icmp: { type: 8 } }, message: 'ingress[0].icmp: icmp is set but protocol is not set, so the ICMP match never applies as meant.', fix: "protocol: 'icmp'" },
  { title: 'v3: icmp without protocol ICMP (the v3 validator rejects it)', version: 'v3', rule: Rule.allow({ protocol: 'tcp', icmp: { type: 8 } }), message: "ingress[0].icmp: icmp is set but protocol is 'tcp'; Calico v3 requires protocol ICMP or ICMPv6 with icmp.", fix: 'Rule.allowPing()' },
  { title: 'notICMP without an ICMP protocol', version: 'v3', rule: Rule.allow({ notICMP: { type: 8 } }), message: 'ingress[0].notICMP: notICMP is set but protocol is not set, so the ICMP match never applies as meant.', fix: "protocol: 'icmp'" },
  { title: 'v1: ICMP type 0 (calicoctl accepts it, Felix 2.3 drops the whole policy)', version: 'v1', rule: Rule.allow({ protocol: 'icmp', icmp: { type: 0 } }), message: 'ingress[0].icmp.type: ICMP type 0 is accepted by calicoctl v1 but Felix 2.3 then discards the whole policy as invalid.', fix: 'allow type 8' },
  { title: 'v3: protocol icmp with ipVersion 6', version: 'v3', rule: Rule.allow({ protocol: 'icmp', ipVersion: 6 }), message: 'ingress[0].ipVersion: protocol icmp needs ipVersion 4, but ipVersion is 6.', fix: 'Set ipVersion: 4' },
  { title: 'v3: notProtocol icmpv6 with ipVersion 4', version: 'v3', rule: Rule.allow({ notProtocol: 'icmpv6', ipVersion: 4 }), message: 'ingress[0].ipVersion: notProtocol icmpv6 needs ipVersion 6, but ipVersion is 4.', fix: 'Set ipVersion: 6' },
  { title: 'v1: protocol icmpv6 with ipVersion 4 never matches', version: 'v1', rule: Rule.allow({ protocol: 'icmpv6', ipVersion: 4 }), message: 'ingress[0].ipVersion: protocol icmpv6 needs ipVersion 6, but ipVersion is 4. The rule can never match.', fix: 'Set ipVersion: 6' },
  // ports need tcp/udp (v3 also sctp)
  { title: 'ports without a protocol', version: 'v1', rule: Rule.allow({ destination: { ports: [80] } }), message: 'ingress[0].destination.ports: ports need protocol tcp or udp, but protocol is not set.', fix: "protocol: 'tcp'" },
  { title: 'notPorts with protocol icmp', version: 'v3', rule: Rule.allow({ protocol: 'icmp', source: { notPorts: [80] } }), message: "ingress[0].source.notPorts: notPorts need protocol tcp, udp or sctp, but protocol is 'icmp'.", fix: "protocol: 'tcp'" },
  { title: 'v1: ports with sctp (v1.4.1 allows tcp and udp only)', version: 'v1', rule: Rule.allow({ protocol: 'sctp', destination: { ports: [80] } }), message: "ingress[0].destination.ports: ports need protocol tcp or udp, but protocol is 'sctp'.", fix: "protocol: 'tcp'" },
  // ports and ranges
  { title: 'port 0', version: 'v1', rule: tcp({ destination: { ports: [0] } }), message: 'ingress[0].destination.ports[0]: port 0 is outside 1-65535.', fix: 'from 1 to 65535' },
  { title: 'port 65536', version: 'v3', rule: tcp({ destination: { ports: [65536] } }), message: 'ingress[0].destination.ports[0]: port 65536 is outside 1-65535.', fix: 'from 1 to 65535' },
  { title: 'a port range that starts after it ends', version: 'v1', rule: tcp({ destination: { notPorts: [{ from: 90, to: 80 }] } }), message: 'ingress[0].destination.notPorts[0]: port range 90:80 starts after it ends.', fix: 'Write it as 80:90.' },
  { title: 'v1: a named port', version: 'v1', rule: tcp({ destination: { ports: ['http'] } }), message: "ingress[0].destination.ports[0]: named port 'http' needs Calico v3; calicoctl v1 takes numbers and ranges only.", fix: 'Use the port number.' },
  { title: 'v3: a named port with a space', version: 'v3', rule: tcp({ destination: { ports: ['web port'] } }), message: "ingress[0].destination.ports[0]: named port 'web port' is not valid.", fix: '1-128 letters' },
  // selectors
  { title: 'a rule selector that does not parse', version: 'v1', rule: Rule.allow({ source: { notSelector: 'app ==' } }), message: /^ingress\[0\]\.source\.notSelector: Invalid selector/, fix: 'Fix the selector syntax', diagnosticRule: 'calico/selector-syntax' },
  { title: 'v1: a selector operator of Calico v3.6 (contains)', version: 'v1', rule: Rule.allow({ source: { selector: 'app contains "web"' } }), message: /^ingress\[0\]\.source\.selector: Invalid selector/, fix: 'Fix the selector syntax', diagnosticRule: 'calico/selector-syntax' },
  { title: 'v1: a built selector that needs Calico v3.6', version: 'v1', rule: Rule.allow({ source: { selector: Selector.label('app').startsWith('web') } }), message: 'ingress[0].source.selector: selector app starts with "web" needs Calico v3.6, but the cluster runs calicoctl v1.', fix: 'Use only ==, !=', diagnosticRule: 'calico/selector-syntax' },
  { title: 'v3: global() in a rule selector', version: 'v3', rule: Rule.allow({ source: { selector: 'global()' } }), message: "ingress[0].source.selector: global() is accepted only on its own, in a rule's namespaceSelector.", fix: 'namespaceSelector: global()', diagnosticRule: 'calico/selector-syntax' },
  { title: 'v3: global() combined with another term in a namespaceSelector', version: 'v3', rule: Rule.allow({ source: { namespaceSelector: 'global() || has(x)' } }), message: /^ingress\[0\]\.source\.namespaceSelector: global\(\) is accepted only on its own/, fix: 'namespaceSelector: global()', diagnosticRule: 'calico/selector-syntax' },
  { title: 'v3: global() alone in a namespaceSelector needs Calico v3.15, newer than DC/OS ships', version: 'v3', rule: Rule.allow({ source: { namespaceSelector: 'global()' } }), message: 'ingress[0].source.namespaceSelector: global() needs Calico v3.15; DC/OS 2.1 and 2.2 ship Calico v3.14, whose calicoctl rejects it.', fix: 'default namespace', diagnosticRule: 'calico/selector-syntax' },
  { title: 'v1: a namespaceSelector', version: 'v1', rule: Rule.allow({ source: { namespaceSelector: 'all()' } }), message: 'ingress[0].source.namespaceSelector: namespaceSelector needs Calico v3; calicoctl v1 has no namespaces.', fix: 'target Calico v3' },
  // nets and notNets
  { title: 'a net that is not a CIDR', version: 'v1', rule: Rule.allow({ source: { nets: ['<your-lan-CIDR>'] } }), message: "ingress[0].source.nets[0]: '<your-lan-CIDR>' is not an IP address or CIDR.", fix: "'10.0.0.0/8'" },
  { title: 'v1: two nets on one side (calicoctl v1.3 writes one `net`)', version: 'v1', rule: Rule.allow({ source: { nets: ['10.0.0.0/8', '192.168.0.0/16'] } }), message: 'ingress[0].source.nets: calicoctl v1.3 takes one network per rule side (net/notNet), got 2.', fix: 'one rule per network' },
  { title: 'v1: source.net and destination.net of different IP versions', version: 'v1', rule: Rule.allow({ source: { nets: ['10.0.0.0/8'] }, destination: { nets: ['fd00::/64'] } }), message: 'ingress[0].destination.nets: the rule mixes IPv4 and IPv6 networks (at destination.nets).', fix: 'one rule per IP version' },
  { title: 'v1: a net that disagrees with ipVersion', version: 'v1', rule: Rule.allow({ ipVersion: 6, source: { nets: ['10.0.0.0/8'] } }), message: 'ingress[0].source.nets: ipVersion is 6 but source.nets holds IPv4 networks.', fix: 'Make ipVersion agree' },
  { title: 'v1: a notNet of the other IP version (v1.4.1 lets it through; the rule never matches)', version: 'v1', rule: Rule.allow({ source: { nets: ['10.0.0.0/8'], notNets: ['fd00::/64'] } }), message: 'ingress[0].source.notNets: the rule mixes IPv4 and IPv6 networks (at source.notNets). The rule can never match.', fix: 'one rule per IP version' },
  { title: 'v3: nets mixing IPv4 and IPv6 in one list', version: 'v3', rule: Rule.allow({ destination: { notNets: ['10.0.0.0/8', 'fd00::/64'] } }), message: 'ingress[0].destination.notNets: the rule mixes IPv4 and IPv6 networks (at destination.notNets).', fix: 'one rule per IP version' },
  { title: 'v3: a notNet that disagrees with ipVersion', version: 'v3', rule: Rule.allow({ ipVersion: 4, source: { notNets: ['fd00::/64'] } }), message: 'ingress[0].source.notNets: ipVersion is 4 but source.notNets holds IPv6 networks.', fix: 'Make ipVersion agree' },
  // tags
  { title: 'a tag with a space', version: 'v1', rule: Rule.allow({ source: { tag: 'my tag' } }), message: "ingress[0].source.tag: tag 'my tag' is not valid.", fix: '1-128 letters' },
];

describe('rule validation at synth (every libcalico-go rule, for the target version)', () => {
  for (const c of cases) {
    it(`${c.version}: ${c.title}`, () => {
      // GIVEN a policy with the rule
      const { app, cluster: demo } = cluster(c.version);
      new CalicoPolicy(demo, 'p', { selector: 'all()', ingress: [c.rule] });
      // WHEN synthesized THEN it fails on the policy's construct path, naming the field
      expectDiagnostic(onlyError(app), { rule: c.diagnosticRule ?? 'calico/rule', path: 'demo/p', message: c.message, fix: c.fix });
    });
  }

  it('checks egress rules and profiles too, naming the direction and index', () => {
    const { app, cluster: demo } = cluster('v1');
    new CalicoPolicy(demo, 'p', { selector: 'all()', egress: [Rule.allow(), Rule.allow({ destination: { ports: [80] } })] });
    expect(onlyError(app).message).to.match(/^egress\[1\]\.destination\.ports:/);
  });

  it('accepts what each version accepts: sctp ports and named ports on v3, tags on v1, one net per side on v1', () => {
    const v3 = cluster('v3');
    new CalicoPolicy(v3.cluster, 'p', { selector: 'all()', ingress: [Rule.allow({ protocol: 'sctp', destination: { ports: ['diameter', { from: 3868, to: 3869 }] } })] });
    expect(() => synth(v3.app)).to.not.throw();
    const v1 = cluster('v1');
    new CalicoPolicy(v1.cluster, 'p', { selector: 'all()', ingress: [Rule.allow({ ipVersion: 4, protocol: 17, source: { tag: 'calico', nets: ['10.0.0.1'], notNets: ['10.0.0.2'] }, destination: { nets: ['10.1.0.0/16'], ports: [53] } })] });
    expect(() => synth(v1.app)).to.not.throw();
  });
});
