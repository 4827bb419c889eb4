import { expect } from 'chai';
import { parseCalicoYaml, readCalicoYaml, type CalicoResource } from '@dcos-cdk/calico';

const V1_POLICY = `apiVersion: v1
kind: policy
metadata:
  name: allow-tester
spec:
  order: 10
  selector: group == 'development'
  ingress:
  - action: allow
    protocol: tcp
    source:
      selector: app == 'tester'
      net: 10.0.0.1
    destination:
      ports: [80, "8080", "9000:9100", "443:443"]
  egress:
  - action: allow
`;

const V1_POLICY_MODEL: CalicoResource = {
  kind: 'policy',
  name: 'allow-tester',
  scope: 'global',
  order: 10,
  selector: 'group == "development"',
  ingress: [{ action: 'allow', protocol: 'tcp', source: { selector: 'app == "tester"', nets: ['10.0.0.1/32'] }, destination: { ports: [80, 8080, { from: 9000, to: 9100 }, 443] } }],
  egress: [{ action: 'allow' }],
};

describe('parseCalicoYaml: calicoctl v1 and v3 YAML into the rule model', () => {
  it('reads a v1 policy into canonical form: selectors canonical, a bare net a /32, ports as numbers and ranges', () => {
    const r = parseCalicoYaml(V1_POLICY, 'p.yaml');
    expect(r.resources).to.deep.equal([V1_POLICY_MODEL]);
    expect(r.issues).to.deep.equal([]);
    expect(r.located[0]).to.deep.include({ version: 'v1', file: 'p.yaml', line: 1, column: 1 });
  });

  it('locates each field of a resource by its rule-model path (v1 `net` for nets[0])', () => {
    const [p] = parseCalicoYaml(V1_POLICY, 'p.yaml').located;
    expect(p!.locate('ingress[0]')).to.deep.equal({ line: 9, column: 5 });
    expect(p!.locate('ingress[0].source.nets[0]')).to.deep.equal({ line: 13, column: 12 });
    expect(p!.locate('ingress[0].destination.ports[2]')).to.deep.equal({ line: 15, column: 27 });
    expect(p!.locate('name')).to.deep.equal({ line: 4, column: 9 });
    // Not written out: the nearest parent, the spec.
    expect(p!.locate('types')).to.deep.equal({ line: 6, column: 3 });
  });

  it('reads v3 GlobalNetworkPolicy and NetworkPolicy: actions and protocols into the model, types defaulted as calicoctl does', () => {
    const text = `apiVersion: projectcalico.org/v3
kind: GlobalNetworkPolicy
metadata:
  name: only-egress
spec:
  selector: all()
  egress:
  - action: Deny
    protocol: UDP
    notProtocol: "17"
    destination:
      nets: [10.0.0.0/8, 10.0.0.1]
      ports: [dns]
---
apiVersion: projectcalico.org/v3
kind: NetworkPolicy
metadata:
  name: web
spec:
  selector: app == "web"
  ingress:
  - action: Allow
    protocol: ICMP
    icmp: {type: 8, code: 0}
`;
    expect(parseCalicoYaml(text, 'v3.yaml').resources).to.deep.equal([
      { kind: 'policy', name: 'only-egress', scope: 'global', selector: 'all()', types: ['egress'], ingress: [], egress: [{ action: 'deny', protocol: 'udp', notProtocol: 17, destination: { nets: ['10.0.0.0/8', '10.0.0.1/32'], ports: ['dns'] } }] },
      { kind: 'policy', name: 'web', scope: 'namespace', namespace: 'default', selector: 'app == "web"', types: ['ingress'], ingress: [{ action: 'allow', protocol: 'icmp', icmp: { type: 8, code: 0 } }], egress: [] },
    ]);
  });

  it('reads profiles: v1 tags and labels, v3 labelsToApply', () => {
    const v1 = parseCalicoYaml('apiVersion: v1\nkind: profile\nmetadata:\n  name: calico\n  tags: [calico]\n  labels: {tier: web}\nspec:\n  ingress:\n  - action: allow\n    source: {tag: calico}\n', 'a.yaml');
    expect(v1.resources).to.deep.equal([{ kind: 'profile', name: 'calico', tags: ['calico'], labels: { tier: 'web' }, ingress: [{ action: 'allow', source: { tag: 'calico' } }], egress: [] }]);
    const v3 = parseCalicoYaml("apiVersion: projectcalico.org/v3\nkind: Profile\nmetadata:\n  name: calico\nspec:\n  labelsToApply: {calico: ''}\n  egress: [{action: Allow}]\n", 'b.yaml');
    expect(v3.resources).to.deep.equal([{ kind: 'profile', name: 'calico', tags: [], labels: { calico: '' }, ingress: [], egress: [{ action: 'allow' }] }]);
  });

  it('reads IP pools: v1 metadata.cidr and ipip {enabled, mode}; v3 IPPool', () => {
    const v1 = 'apiVersion: v1\nkind: ipPool\nmetadata: {cidr: 10.1.0.0/16}\nspec:\n  ipip: {enabled: true}\n  nat-outgoing: true\n';
    expect(parseCalicoYaml(v1, 'a').resources).to.deep.equal([{ kind: 'ipPool', cidr: '10.1.0.0/16', ipipMode: 'always', natOutgoing: true }]);
    const off = 'apiVersion: v1\nkind: ipPool\nmetadata: {cidr: 10.1.0.0/16}\nspec:\n  ipip: {mode: cross-subnet}\n';
    expect(parseCalicoYaml(off, 'a').resources).to.deep.equal([{ kind: 'ipPool', cidr: '10.1.0.0/16', ipipMode: 'never' }]);
    const v3 = 'apiVersion: projectcalico.org/v3\nkind: IPPool\nmetadata: {name: apps}\nspec: {cidr: 10.2.0.0/16, ipipMode: CrossSubnet, natOutgoing: false, disabled: true}\n';
    expect(parseCalicoYaml(v3, 'b').resources).to.deep.equal([{ kind: 'ipPool', name: 'apps', cidr: '10.2.0.0/16', ipipMode: 'cross-subnet', natOutgoing: false, disabled: true }]);
  });

  it('reads lists: policyList, profileList and List with items, a YAML sequence of resources, and --- documents', () => {
    const policy = (n: string) => `  - metadata: {name: ${n}}\n    spec: {selector: all()}\n`;
    const names = (text: string) => parseCalicoYaml(text, 'l.yaml').resources.map((r) => (r.kind === 'ipPool' ? r.cidr : r.name));
    expect(names(`apiVersion: v1\nkind: policyList\nitems:\n${policy('a')}${policy('b')}`)).to.deep.equal(['a', 'b']);
    expect(names('apiVersion: v1\nkind: profileList\nitems:\n- metadata: {name: p}\n')).to.deep.equal(['p']);
    expect(names('apiVersion: projectcalico.org/v3\nkind: List\nitems:\n- kind: Profile\n  metadata: {name: p}\n- kind: IPPool\n  metadata: {name: q}\n  spec: {cidr: 10.9.0.0/16}\n')).to.deep.equal(['p', '10.9.0.0/16']);
    expect(names('apiVersion: projectcalico.org/v3\nkind: GlobalNetworkPolicyList\nitems:\n- metadata: {name: a}\n')).to.deep.equal(['a']);
    expect(names('- apiVersion: v1\n  kind: policy\n  metadata: {name: a}\n- apiVersion: v1\n  kind: profile\n  metadata: {name: b}\n')).to.deep.equal(['a', 'b']);
    expect(names('apiVersion: projectcalico.org/v3\nkind: Profile\nmetadata: {name: a}\n---\napiVersion: projectcalico.org/v3\nkind: Profile\nmetadata: {name: b}\n---\n')).to.deep.equal(['a', 'b']);
  });

  it('warns that calicoctl v1.3 reads one document per file, but reads them all', () => {
    const r = readCalicoYaml('apiVersion: v1\nkind: profile\nmetadata: {name: a}\n---\napiVersion: v1\nkind: profile\nmetadata: {name: b}\n', 'm.yaml');
    expect(r.resources).to.have.length(2);
    expect(r.issues.map((i) => [i.severity, i.message])).to.deep.equal([['warning', 'calicoctl v1.3 reads one document per file; `---` separated documents work from calicoctl v1.4.']]);
  });

  it('drops v3 object metadata that has no effect on traffic, with a warning', () => {
    const r = readCalicoYaml('apiVersion: projectcalico.org/v3\nkind: GlobalNetworkPolicy\nmetadata:\n  name: a\n  resourceVersion: "12"\n  creationTimestamp: 2020-01-01T00:00:00Z\nspec: {selector: all()}\n', 'g.yaml');
    expect(r.resources).to.have.length(1);
    expect(r.issues.map((i) => `${i.severity} ${i.line}:${i.column} ${i.message}`)).to.deep.equal([
      'warning 5:20 metadata.resourceVersion is not kept by dcos-cdk; it has no effect on traffic.',
      'warning 6:22 metadata.creationTimestamp is not kept by dcos-cdk; it has no effect on traffic.',
    ]);
  });
});
