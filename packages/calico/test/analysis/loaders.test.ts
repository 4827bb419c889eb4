/** Reading plain Marathon and calicoctl files: shapes, defaults and errors with positions. */
import { expect } from 'chai';
import { modelFromTexts } from '../../src/analysis/load-files.js';
import { AnalysisLoadError } from '../../src/analysis/source-file.js';

const app14 = (id: string, labels: Record<string, string>, ports: unknown[] = []): unknown => ({ id, instances: 2, ipAddress: { networkName: 'calico', labels, discovery: { ports } } });

function loadError(texts: Array<{ file: string; text: string }>): string {
  try {
    modelFromTexts(texts);
  } catch (e) {
    expect(e).to.be.instanceOf(AnalysisLoadError);
    return (e as Error).message;
  }
  throw new Error('expected a load error');
}

describe('analysis loaders', () => {
  describe('Marathon', () => {
    it('reads a group with nested groups and relative ids, 1.4 and 1.5 networking', () => {
      const group = {
        id: '/prod',
        apps: [app14('web', { app: 'web' }, [{ number: 80, name: 'http', protocol: 'tcp' }])],
        groups: [
          {
            id: 'db',
            apps: [
              {
                id: 'pg',
                container: { type: 'MESOS', portMappings: [{ containerPort: 5432, name: 'pg', protocol: 'udp,tcp' }] },
                networks: [{ mode: 'container', name: 'calico', labels: { app: 'pg' } }],
              },
              { id: '/abs', networks: [{ mode: 'host' }] },
            ],
          },
        ],
      };
      const m = modelFromTexts([{ file: 'group.json', text: JSON.stringify(group) }]);
      expect(m.endpoints.map((e) => [e.id, e.instances, e.network, e.labels, e.ports.map((p) => `${p.protocol}/${p.port}`)])).to.deep.equal([
        ['/prod/web', 2, 'calico', { app: 'web' }, ['tcp/80']],
        ['/prod/db/pg', 1, 'calico', { app: 'pg' }, ['udp/5432', 'tcp/5432']],
      ]);
      expect(m.endpoints.map((e) => e.address)).to.deep.equal(['192.168.0.2', '192.168.0.3']);
      expect(m.profiles).to.have.length(1);
      expect(m.profiles[0]).to.include({ name: 'calico', builtIn: true });
      expect(m.profiles[0]!.tags).to.deep.equal(['calico']);
    });

    it('reads an array of apps, leaves out apps on networks that are not Calico, and names an app on two Calico networks per network', () => {
      const apps = [
        app14('a', { x: '1' }),
        { id: 'overlay', networks: [{ mode: 'container', name: 'dcos', labels: {} }] },
        { id: 'both', networks: [{ mode: 'container', name: 'calico' }, { mode: 'container', name: 'calico2' }] },
      ];
      const m = modelFromTexts([{ file: 'apps.json', text: JSON.stringify(apps) }], { calicoNetworks: ['calico', 'calico2'] });
      expect(m.endpoints.map((e) => e.id)).to.deep.equal(['/a', '/both@calico', '/both@calico2']);
      expect(m.profiles.map((p) => p.name)).to.deep.equal(['calico', 'calico2']);
      const m2 = modelFromTexts([{ file: 'apps.json', text: JSON.stringify(apps) }]);
      expect(m2.diagnostics.map((d) => d.message)).to.include("apps.json:1:108: app /overlay joins container network 'dcos', which is not a Calico network of this input; it is left out of the analysis.");
    });

    it('points at malformed JSON and at bad values', () => {
      expect(loadError([{ file: 'bad.json', text: '{\n  "id": "x",\n  "instances": 1,\n}' }])).to.match(/^bad\.json:4:1: not valid JSON/);
      expect(loadError([{ file: 'bad.json', text: '{\n  "id": "x",\n  "ipAddress": { "networkName": "calico", "labels": { "a": 1 } }\n}' }])).to.equal("bad.json:3:60: label 'a' must be a string.");
    });
  });

  describe('calicoctl', () => {
    const policyV1 = (name: string, extra = ''): string => `apiVersion: v1\nkind: policy\nmetadata:\n  name: ${name}\nspec:\n  selector: all()\n  ingress:\n  - action: allow\n${extra}`;

    it('reads single resources, multi-document files and v1 lists', () => {
      const list = `apiVersion: v1\nkind: policyList\nitems:\n- metadata: {name: l1}\n  spec: {order: 5, selector: "a == 'b'"}\n- apiVersion: v1\n  kind: policy\n  metadata: {name: l2}\n  spec: {}\n`;
      const m = modelFromTexts([
        { file: 'one.yaml', text: policyV1('one') },
        { file: 'multi.yaml', text: `${policyV1('two')}---\n${policyV1('three')}---\n` },
        { file: 'list.yaml', text: list },
        { file: 'pool.yaml', text: 'apiVersion: v1\nkind: ipPool\nmetadata: {cidr: 10.1.0.0/16}\n' },
        { file: 'app.json', text: JSON.stringify(app14('a', {})) },
      ]);
      expect(m.policies.map((p) => [p.name, p.order, p.selector.toString(), p.types])).to.deep.equal([
        ['one', undefined, 'all()', undefined],
        ['two', undefined, 'all()', undefined],
        ['three', undefined, 'all()', undefined],
        ['l1', 5, 'a == "b"', undefined],
        ['l2', undefined, 'all()', undefined],
      ]);
      expect(m.pools.map((p) => p.text)).to.deep.equal(['10.1.0.0/16']);
      expect(m.endpoints[0]!.address).to.equal('10.1.0.2');
    });

    it('reads v3 resources, defaulting types as calicoctl does and scoping NetworkPolicy names', () => {
      const gnp = (name: string, spec: string): string => `apiVersion: projectcalico.org/v3\nkind: GlobalNetworkPolicy\nmetadata:\n  name: ${name}\nspec:\n${spec}`;
      const list = `apiVersion: projectcalico.org/v3\nkind: List\nitems:\n- apiVersion: projectcalico.org/v3\n  kind: NetworkPolicy\n  metadata: {name: np}\n  spec: {selector: all(), ingress: [{action: Allow}]}\n- apiVersion: projectcalico.org/v3\n  kind: Profile\n  metadata: {name: calico}\n  spec: {labelsToApply: {calico: ''}, egress: [{action: Allow}]}\n`;
      const m = modelFromTexts([
        { file: 'in.yaml', text: gnp('in-only', '  ingress:\n  - action: Allow\n    protocol: TCP\n') },
        { file: 'out.yaml', text: gnp('out-only', '  egress:\n  - action: Deny\n') },
        { file: 'both.yaml', text: gnp('both', '  ingress: [{action: Allow}]\n  egress: [{action: Allow}]\n') },
        { file: 'none.yaml', text: gnp('none', '  selector: all()\n') },
        { file: 'explicit.yaml', text: gnp('explicit', '  types: [Egress]\n  ingress: [{action: Allow}]\n') },
        { file: 'list.yaml', text: list },
      ]);
      expect(m.apiVersion).to.equal('v3');
      expect(m.policies.map((p) => [p.name, p.types])).to.deep.equal([
        ['in-only', ['ingress']],
        ['out-only', ['egress']],
        ['both', ['ingress', 'egress']],
        ['none', ['ingress']],
        ['explicit', ['egress']],
        ['default/np', ['ingress']],
      ]);
      expect(m.policies[0]!.ingress[0]!.protocol).to.equal(6);
      expect(m.profiles.map((p) => [p.name, p.labels, p.builtIn])).to.deep.equal([['calico', { calico: '' }, false]]);
    });

    it('skips host-endpoint-only policies and namespaces DC/OS does not use, with a warning', () => {
      const m = modelFromTexts([{ file: 'dnt.yaml', text: policyV1('dnt').replace('spec:\n', 'spec:\n  doNotTrack: true\n') }]);
      expect(m.policies).to.deep.equal([]);
      expect(m.diagnostics.map((d) => d.message)).to.deep.equal(['dnt.yaml:1:1: policy dnt applies to host endpoints only (doNotTrack/preDNAT), so it never polices a container.']);
      const ns = modelFromTexts([{ file: 'ns.yaml', text: 'apiVersion: projectcalico.org/v3\nkind: NetworkPolicy\nmetadata: {name: x, namespace: kube-system}\nspec: {}\n' }]);
      expect(ns.policies).to.deep.equal([]);
      expect(ns.diagnostics[0]!.message).to.match(/^ns\.yaml:3:11: NetworkPolicy kube-system\/x is in namespace 'kube-system'/);
    });

    it('leaves out a v1 policy Felix 2.3 would discard (ICMP type 0), with an error', () => {
      const m = modelFromTexts([{ file: 'reply.yaml', text: policyV1('reply', '    protocol: icmp\n    icmp: {type: 0}\n') }, { file: 'ok.yaml', text: policyV1('ok') }]);
      expect(m.policies.map((p) => p.name)).to.deep.equal(['ok']);
      expect(m.diagnostics.filter((d) => d.rule === 'analysis/discarded-by-felix').map((d) => [d.severity, d.message.split(':')[0]])).to.deep.equal([['error', 'reply.yaml']]);
    });

    it('refuses unknown kinds, unknown fields, the other API spelling, mixed APIs and bad YAML, naming file:line:column', () => {
      expect(loadError([{ file: 'k.yaml', text: 'apiVersion: v1\nkind: workloadEndpoint\nmetadata: {name: x}\n' }])).to.equal(
        "k.yaml:2:7: kind 'workloadEndpoint' is not a calicoctl v1 resource the analysis reads; expected one of policy, profile, ipPool, or a list of them.",
      );
      expect(loadError([{ file: 'k.yaml', text: 'apiVersion: v1\nkind: Profile\nmetadata: {name: x}\n' }])).to.match(/^k\.yaml:2:7: kind 'Profile' .*\(that kind belongs to projectcalico\.org\/v3\)/);
      expect(loadError([{ file: 'k.yaml', text: 'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\n' }])).to.match(/^k\.yaml:1:13: apiVersion 'networking\.k8s\.io\/v1' is not a Calico API/);
      expect(loadError([{ file: 'f.yaml', text: policyV1('p', '    protcol: tcp\n') }])).to.match(/^f\.yaml:9:5: unknown field 'protcol' in a calicoctl v1 rule/);
      expect(loadError([{ file: 'a.yaml', text: policyV1('p').replace('action: allow', 'action: Allow') }])).to.equal("a.yaml:8:13: action 'Allow' is spelled 'allow' in calicoctl v1 resources.");
      expect(loadError([{ file: 'a.yaml', text: policyV1('p', '    protocol: TCP\n') }])).to.match(/^a\.yaml:9:15: protocol 'TCP' is the Calico v3 spelling; this calicoctl v1 resource needs 'tcp'/);
      expect(loadError([{ file: 's.yaml', text: policyV1('p', '    source:\n      selector: "app == "\n') }])).to.match(/^s\.yaml:10:17: /);
      expect(loadError([{ file: 'p.yaml', text: policyV1('p', '    protocol: tcp\n    destination:\n      ports: [80, "90:70"]\n') }])).to.match(/^p\.yaml:11:19: port 90:70 is not a port or range/);
      expect(
        loadError([
          { file: 'one.yaml', text: policyV1('p') },
          { file: 'two.yaml', text: 'apiVersion: projectcalico.org/v3\nkind: Profile\nmetadata: {name: x}\nspec: {}\n' },
        ]),
      ).to.equal('two.yaml:1:13: this resource is Calico v3 but one.yaml:1:1 is v1; one cluster runs one Calico API.');
      expect(loadError([{ file: 'y.yaml', text: 'apiVersion: v1\nkind: policy\n  bad: indent\n' }])).to.match(/^y\.yaml:2:7: not valid YAML: /);
      expect(loadError([{ file: 'x.yaml', text: 'just: a map\n' }])).to.equal('x.yaml:1:1: neither a Marathon app, app list or group, nor a calicoctl resource (apiVersion + kind).');
    });
  });
});
