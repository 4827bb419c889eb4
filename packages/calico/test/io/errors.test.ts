import { expect } from 'chai';
import { CalicoRenderError, CalicoYamlError, parseCalicoYaml, readCalicoYaml, renderCalicoResources } from '@dcos-cdk/calico';

/** Every issue as `severity line:column message`. */
function issues(text: string): string[] {
  return readCalicoYaml(text, 'f.yaml').issues.map((i) => `${i.severity} ${i.line}:${i.column} ${i.message}`);
}

const v1 = (spec: string) => `apiVersion: v1\nkind: policy\nmetadata:\n  name: p\nspec:\n${spec}`;
const v3 = (spec: string) => `apiVersion: projectcalico.org/v3\nkind: GlobalNetworkPolicy\nmetadata:\n  name: p\nspec:\n${spec}`;

describe('parseCalicoYaml errors: file:line:column, message and fix', () => {
  it('throws a CalicoYamlError listing every error as file:line:column', () => {
    try {
      parseCalicoYaml(v1('  ingress:\n  - action: accept\n  - action: allow\n    protocol: gre\n'), 'dev/p.yaml');
      expect.fail('should throw');
    } catch (e) {
      expect(e).to.be.instanceOf(CalicoYamlError);
      const err = e as CalicoYamlError;
      expect(err.errors.map((i) => `${i.file}:${i.line}:${i.column} ${i.path}`)).to.deep.equal(['dev/p.yaml:7:13 spec.ingress[0].action', 'dev/p.yaml:9:15 spec.ingress[1].protocol']);
      expect(err.message).to.contain("dev/p.yaml:7:13: error: action 'accept' is not one of allow, deny, log, pass. (at spec.ingress[0].action)\n      fix: Use Rule.allow");
    }
  });

  it('malformed YAML, duplicate keys and an empty file', () => {
    expect(issues('apiVersion: v1\nkind: [policy\n')[0]).to.match(/^error 3:1 malformed YAML: /);
    expect(issues('apiVersion: v1\napiVersion: v1\n')[0]).to.match(/^error 2:1 malformed YAML: Map keys must be unique/);
    expect(issues('')).to.deep.equal(['error 1:1 the file holds no Calico resource.']);
  });

  it('unknown apiVersion and kinds, with the spelling calicoctl wants', () => {
    expect(issues('apiVersion: projectcalico.org/v2\nkind: policy\n')).to.deep.equal(["error 1:13 apiVersion 'projectcalico.org/v2' is neither calicoctl v1 ('v1') nor Calico v3 ('projectcalico.org/v3')."]);
    expect(issues('apiVersion: v1\nkind: Policy\n')).to.deep.equal(["error 2:7 kind 'Policy' is not a v1 kind; did you mean 'policy'?"]);
    expect(issues('apiVersion: v1\nkind: GlobalNetworkPolicy\n')).to.deep.equal(["error 2:7 kind 'GlobalNetworkPolicy' is a v3 kind, but the apiVersion is v1."]);
    expect(issues('apiVersion: projectcalico.org/v3\nkind: HostEndpoint\n')).to.deep.equal(['error 2:7 dcos-cdk does not read HostEndpoint resources.']);
    expect(issues('apiVersion: v1\nkind: route\n')).to.deep.equal(["error 2:7 unknown kind 'route' for apiVersion v1."]);
    expect(issues('kind: policy\n')).to.deep.equal(['error 1:1 the resource has no apiVersion.']);
  });

  it('unknown fields, as calicoctl decodes strictly', () => {
    expect(issues(v1('  selectr: all()\n'))).to.deep.equal(["error 6:3 unknown field 'selectr' in the spec of a policy; calicoctl decodes strictly and rejects it."]);
    expect(issues(v1('  ingress:\n  - action: allow\n    sourc: {}\n'))).to.deep.equal(["error 8:5 unknown field 'sourc' in a v1 rule; calicoctl decodes strictly and rejects it."]);
  });

  it('fields calicoctl v1.3 rejects because they came later: types, preDNAT, nets, annotations', () => {
    expect(issues(v1('  types: [ingress]\n'))[0]).to.equal("error 6:3 field 'types' in the spec of a policy: types arrived in calicoctl v1.6 (libcalico-go v1.7, enforced by Felix 2.6); calicoctl v1.3 rejects it, and a v1.3 policy always governs both directions.");
    expect(issues(v1('  preDNAT: true\n'))[0]).to.equal("error 6:3 field 'preDNAT' in the spec of a policy: preDNAT arrived in calicoctl v1.4 (libcalico-go v1.5); calicoctl v1.3 rejects it.");
    expect(issues(v1('  ingress:\n  - action: allow\n    source:\n      nets: [10.0.0.0/8]\n'))[0]).to.equal("error 9:7 field 'nets' in a v1 rule source or destination: nets arrived in calicoctl v1.4 (libcalico-go v1.5); calicoctl v1.3 rejects it. Write one `net` per rule.");
    expect(issues('apiVersion: v1\nkind: policy\nmetadata:\n  name: p\n  annotations: {a: b}\n')[0]).to.equal("error 5:3 field 'annotations' in the metadata of a policy: metadata.annotations arrived in calicoctl v1.4 (libcalico-go v1.5); calicoctl v1.3 rejects it.");
  });

  it('v1 fields in v3 files, and v3 spelling in v1 files', () => {
    expect(issues(v3('  ingress:\n  - action: Allow\n    source: {tag: calico}\n'))[0]).to.equal("error 8:14 field 'tag' in a v3 rule source or destination: tag is a calicoctl v1 field; Calico v3 has no tags. Write `selector: has(<tag>)`.");
    expect(issues(v3('  ingress:\n  - action: allow\n    protocol: tcp\n'))).to.deep.equal([
      "error 7:13 action 'allow' is calicoctl v1 spelling; Calico v3 capitalizes actions.",
      "error 8:15 protocol 'tcp' is not Calico v3 spelling; case matters in v3.",
    ]);
    expect(issues(v1('  ingress:\n  - action: Allow\n'))).to.deep.equal(["error 7:13 action 'Allow' is Calico v3 spelling; calicoctl v1 writes actions in lower case."]);
    expect(issues('apiVersion: projectcalico.org/v3\nkind: IPPool\nmetadata: {name: p}\nspec:\n  cidr: 10.1.0.0/16\n  ipip: {enabled: true}\n')[0]).to.equal("error 6:3 field 'ipip' in the spec of an IP pool: ipip is a calicoctl v1 field; Calico v3 rejects it. Write `ipipMode: Always` (or CrossSubnet, Never).");
    expect(issues(v1('  ingress:\n  - action: allow\n    protocol: tcp\n    destination: {ports: [http]}\n'))[0]).to.equal('error 9:27 port \'http\' is neither a number nor a range "min:max"; calicoctl v1 has no named ports.');
  });

  it('values of the wrong type, as Go decoding refuses them', () => {
    expect(issues(v1('  order: "10"\n'))).to.deep.equal(['error 6:10 expected a number, got a string (10); calicoctl cannot decode it.']);
    expect(issues(v1('  ingress:\n  - action: allow\n    ipVersion: 4.5\n'))).to.deep.equal(['error 8:16 expected a whole number, got a number (4.5); calicoctl cannot decode it.']);
    expect(issues(v1('  selector: yes\n'))).to.deep.equal(['error 6:13 expected a string, got a boolean (true); calicoctl cannot decode it.']);
    expect(issues(v1('  ingress: {action: allow}\n'))).to.deep.equal(['error 6:12 expected a list (ingress rules), got a mapping; calicoctl cannot decode it.']);
  });

  it('missing required fields', () => {
    expect(issues('apiVersion: v1\nkind: policy\nmetadata: {}\n')).to.deep.equal(['error 3:11 a policy needs metadata.name.']);
    expect(issues(v1('  ingress:\n  - protocol: tcp\n'))).to.deep.equal(['error 7:5 a rule needs an action.']);
    expect(issues('apiVersion: v1\nkind: ipPool\nmetadata: {}\n')).to.deep.equal(['error 3:11 a v1 ipPool needs metadata.cidr.']);
  });

  it('invalid values, checked with the validation rules of the file\'s version, at the offending value', () => {
    expect(issues(v1("  selector: app == 'web' &&\n"))[0]).to.match(/^error 6:13 Invalid selector/);
    expect(issues(v1('  ingress:\n  - action: allow\n    source: {net: 10.0.0.0/8}\n    destination: {net: "fd00::/64"}\n'))).to.deep.equal(['error 9:24 the rule mixes IPv4 and IPv6 networks (at destination.nets).']);
    expect(issues(v3('  ingress:\n  - action: Allow\n    icmp: {type: 8}\n'))).to.deep.equal(["error 8:11 icmp is set but protocol is not set; Calico v3 requires protocol ICMP or ICMPv6 with icmp."]);
    expect(issues('apiVersion: v1\nkind: ipPool\nmetadata: {cidr: 10.1.0.0/27}\n')).to.deep.equal(['error 3:18 pool 10.1.0.0/27 is too small for Calico IPAM (at least /26 for IPv4).']);
    expect(issues('apiVersion: v1\nkind: profile\nmetadata:\n  name: p\n  labels: {tier: "web-"}\n')).to.deep.equal(["error 5:18 label value 'web-' is not at most 63 letters, digits, _, . or - ending in a letter or digit (libcalico-go v1 label rules)."]);
  });

  it('mistakes calicoctl accepts are warnings, and the resource is still read', () => {
    const r = readCalicoYaml(v1('  ingress:\n  - action: allow\n    icmp: {type: 8}\n'), 'pings.yaml');
    expect(r.resources).to.have.length(1);
    expect(r.issues.map((i) => `${i.severity} ${i.line}:${i.column} ${i.path}`)).to.deep.equal(['warning 8:11 spec.ingress[0].icmp']);
    expect(() => parseCalicoYaml(v1('  ingress:\n  - action: allow\n    icmp: {type: 8}\n'), 'pings.yaml')).to.not.throw();
  });

  it('rendering for a version that rejects a resource throws, naming the resource, the field and the fix', () => {
    const pings = parseCalicoYaml(v1('  ingress:\n  - action: allow\n    icmp: {type: 8}\n'), 'pings.yaml').resources;
    expect(() => renderCalicoResources(pings, 'v3')).to.throw(CalicoRenderError, "policy p: ingress[0].icmp: icmp is set but protocol is not set; Calico v3 requires protocol ICMP or ICMPv6 with icmp.");
    const ingressOnly = parseCalicoYaml(v3('  selector: all()\n'), 'g.yaml').resources;
    try {
      renderCalicoResources(ingressOnly, 'v1');
      expect.fail('should throw');
    } catch (e) {
      expect((e as CalicoRenderError).problems.map((p) => [p.resource, p.path, p.rule])).to.deep.equal([['policy p', 'types', 'calico/policy-types']]);
    }
  });
});
