import { expect } from 'chai';
import type { CalicoVersion } from '@dcos-cdk/dcos';
import { CalicoPolicy, CalicoProfile, Rule, Selector, type CalicoPolicyProps, type RuleProps } from '@dcos-cdk/calico';
import { artifact, cluster, synth } from './support.js';

/** The rendered policy `p` of a one-policy stack. */
function rendered(version: CalicoVersion, props: Partial<CalicoPolicyProps>): Record<string, any> {
  const { app, cluster: demo } = cluster(version);
  const policy = new CalicoPolicy(demo, 'p', { selector: 'all()', ...props });
  return artifact(synth(app), policy.artifactId);
}

/** The first ingress rule of `rule` rendered for `version`. */
function ruleOf(version: CalicoVersion, rule: RuleProps): Record<string, any> {
  return rendered(version, { ingress: [rule] }).spec.ingress[0];
}

describe('the rule model: each construct in calicoctl v1 and Calico v3 form', () => {
  it('actions: lower case in v1, capitalized in v3', () => {
    for (const [action, v3] of [['allow', 'Allow'], ['deny', 'Deny'], ['log', 'Log'], ['pass', 'Pass']] as const) {
      expect(ruleOf('v1', { action })).to.deep.equal({ action });
      expect(ruleOf('v3', { action })).to.deep.equal({ action: v3 });
    }
    expect([Rule.log().action, Rule.pass().action, Rule.deny().action]).to.deep.equal(['log', 'pass', 'deny']);
  });

  it('ipVersion, protocol and notProtocol by name and by number', () => {
    const rule: RuleProps = { action: 'deny', ipVersion: 6, protocol: 'udplite', notProtocol: 47 };
    expect(ruleOf('v1', rule)).to.deep.equal({ action: 'deny', ipVersion: 6, protocol: 'udplite', notProtocol: 47 });
    expect(ruleOf('v3', rule)).to.deep.equal({ action: 'Deny', ipVersion: 6, protocol: 'UDPLite', notProtocol: 47 });
    expect(ruleOf('v3', { action: 'allow', protocol: 'icmpv6', notProtocol: 'sctp' })).to.deep.include({ protocol: 'ICMPv6', notProtocol: 'SCTP' });
  });

  it('icmp and notICMP with type and code', () => {
    const rule = Rule.allow({ protocol: 'icmp', icmp: { type: 3, code: 4 }, notICMP: { type: 8 } });
    expect(ruleOf('v1', rule)).to.deep.equal({ action: 'allow', protocol: 'icmp', icmp: { type: 3, code: 4 }, notICMP: { type: 8 } });
    expect(ruleOf('v3', rule)).to.deep.equal({ action: 'Allow', protocol: 'ICMP', icmp: { type: 3, code: 4 }, notICMP: { type: 8 } });
    expect(ruleOf('v1', Rule.allowPing())).to.deep.equal({ action: 'allow', protocol: 'icmp', icmp: { type: 8 } });
  });

  it('selectors and notSelectors in canonical form, whether written as text or built', () => {
    const rule = Rule.allow({ source: { selector: "app == 'web' && group in {'b','a'}", notSelector: Selector.has('quarantine') } });
    const want = { selector: '(app == "web" && group in {"a", "b"})', notSelector: 'has(quarantine)' };
    expect(ruleOf('v1', rule).source).to.deep.equal(want);
    expect(ruleOf('v3', rule).source).to.deep.equal(want);
  });

  it('nets and notNets: v1 `net`/`notNet`, v3 lists; a bare address is a /32, host bits of a CIDR are kept', () => {
    const rule = Rule.allow({ source: { nets: ['10.0.0.1'], notNets: ['10.0.0.0/30'] }, destination: { nets: ['192.168.1.7/24'] } });
    expect(ruleOf('v1', rule)).to.deep.equal({ action: 'allow', source: { net: '10.0.0.1/32', notNet: '10.0.0.0/30' }, destination: { net: '192.168.1.7/24' } });
    expect(ruleOf('v3', rule)).to.deep.equal({ action: 'Allow', source: { nets: ['10.0.0.1/32'], notNets: ['10.0.0.0/30'] }, destination: { nets: ['192.168.1.7/24'] } });
    expect(ruleOf('v3', Rule.allow({ destination: { nets: ['fd00::1', '2001:db8::/32'] } })).destination).to.deep.equal({ nets: ['fd00::1/128', '2001:db8::/32'] });
  });

  it('ports and notPorts: numbers, ranges as "min:max", a one-port range as the port; named ports in v3', () => {
    const rule = Rule.allow({ protocol: 'tcp', source: { notPorts: [{ from: 1, to: 1023 }] }, destination: { ports: [80, { from: 8080, to: 8080 }, { from: 9000, to: 9100 }] } });
    const want = { source: { notPorts: ['1:1023'] }, destination: { ports: [80, 8080, '9000:9100'] } };
    expect(ruleOf('v1', rule)).to.deep.include(want);
    expect(ruleOf('v3', rule)).to.deep.include(want);
    expect(ruleOf('v3', Rule.allow({ protocol: 'tcp', destination: { ports: ['http', 443] } })).destination).to.deep.equal({ ports: ['http', 443] });
  });

  it('tags: v1 `tag`/`notTag`; v3 has no tags, so they become the has() selectors they always meant', () => {
    const rule = Rule.allow({ source: { tag: 'calico', selector: 'app == "web"', notTag: 'quarantine' }, destination: { notTag: 'db', notSelector: 'x == "y"' } });
    expect(ruleOf('v1', rule)).to.deep.equal({
      action: 'allow',
      source: { tag: 'calico', selector: 'app == "web"', notTag: 'quarantine' },
      destination: { notTag: 'db', notSelector: 'x == "y"' },
    });
    expect(ruleOf('v3', rule)).to.deep.equal({
      action: 'Allow',
      source: { selector: '(app == "web" && has(calico))', notSelector: 'has(quarantine)' },
      destination: { notSelector: '(x == "y" || has(db))' },
    });
  });

  it('namespaceSelector (v3 only)', () => {
    expect(ruleOf('v3', Rule.allow({ source: { namespaceSelector: 'all()', selector: 'app == "web"' } })).source).to.deep.equal({ selector: 'app == "web"', namespaceSelector: 'all()' });
  });

  it('a policy: v1 `policy` with no types; v3 `GlobalNetworkPolicy` with explicit types, so both govern both directions', () => {
    const props: Partial<CalicoPolicyProps> = { name: 'web', order: 10, selector: "role == 'web'", ingress: [Rule.allow()] };
    expect(rendered('v1', props)).to.deep.equal({ apiVersion: 'v1', kind: 'policy', metadata: { name: 'web' }, spec: { order: 10, selector: 'role == "web"', ingress: [{ action: 'allow' }], egress: [] } });
    expect(rendered('v3', props)).to.deep.equal({
      apiVersion: 'projectcalico.org/v3',
      kind: 'GlobalNetworkPolicy',
      metadata: { name: 'web' },
      spec: { order: 10, selector: 'role == "web"', types: ['Ingress', 'Egress'], ingress: [{ action: 'Allow' }] },
    });
    expect(rendered('v3', { types: ['egress'] }).spec.types).to.deep.equal(['Egress']);
  });

  it("scope 'namespace': a v3 NetworkPolicy in namespace default; v1, which has no namespaces, writes a policy", () => {
    expect(rendered('v3', { scope: 'namespace' })).to.deep.include({ kind: 'NetworkPolicy', metadata: { name: 'p', namespace: 'default' } });
    expect(rendered('v3', { scope: 'namespace', namespace: 'ops' }).metadata).to.deep.equal({ name: 'p', namespace: 'ops' });
    expect(rendered('v1', { scope: 'namespace' })).to.deep.include({ kind: 'policy', metadata: { name: 'p' } });
  });

  it('doNotTrack in both versions; v3 adds the applyOnForward it requires; preDNAT (v3) governs ingress only', () => {
    expect(rendered('v1', { doNotTrack: true }).spec).to.deep.include({ doNotTrack: true });
    expect(rendered('v3', { doNotTrack: true }).spec).to.deep.include({ doNotTrack: true, applyOnForward: true });
    expect(rendered('v3', { preDNAT: true }).spec).to.deep.include({ preDNAT: true, applyOnForward: true, types: ['Ingress'] });
  });

  it('a profile: v1 tags and labels; v3 labelsToApply with each tag a label of value "" (a label of the same key wins)', () => {
    for (const version of ['v1', 'v3'] as const) {
      const { app, cluster: demo } = cluster(version);
      new CalicoProfile(demo, 'p', { name: 'web', tags: ['web', 'team'], labels: { team: 'blue', tier: 'front' }, ingress: [Rule.allow({ source: { tag: 'web' } })], egress: [Rule.allow()] });
      const p = artifact(synth(app), 'calico-profile:web');
      if (version === 'v1') {
        expect(p).to.deep.equal({
          apiVersion: 'v1',
          kind: 'profile',
          metadata: { name: 'web', tags: ['web', 'team'], labels: { team: 'blue', tier: 'front' } },
          spec: { ingress: [{ action: 'allow', source: { tag: 'web' } }], egress: [{ action: 'allow' }] },
        });
      } else {
        expect(p).to.deep.equal({
          apiVersion: 'projectcalico.org/v3',
          kind: 'Profile',
          metadata: { name: 'web' },
          spec: { labelsToApply: { team: 'blue', tier: 'front', web: '' }, ingress: [{ action: 'Allow', source: { selector: 'has(web)' } }], egress: [{ action: 'Allow' }] },
        });
      }
    }
  });

  it('calicoctl v1.3 output never holds types, preDNAT, nets or annotations', () => {
    const { app, cluster: demo } = cluster('v1');
    new CalicoPolicy(demo, 'p', {
      selector: 'all()',
      types: ['ingress', 'egress'],
      ingress: [Rule.allow({ protocol: 'tcp', source: { nets: ['10.0.0.0/8'] }, destination: { notNets: ['10.1.0.0/16'], ports: [80] } })],
      egress: [Rule.deny({ destination: { nets: ['0.0.0.0/0'] } })],
    });
    const text = synth(app).artifacts.find((a) => a.id === 'calico-policy:p')!.content;
    expect(text).to.not.match(/\b(types|preDNAT|nets|notNets|annotations|applyOnForward):/);
  });
});
