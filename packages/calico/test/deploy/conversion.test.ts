import { expect } from 'chai';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DesiredArtifact } from '@dcos-cdk/core';
import { CalicoArtifactError, escapeV1Name, etcdConnectionFromEnv, prefixesPolicyNames, v1PolicyKey, v1Resource, v3Resource } from '@dcos-cdk/calico/deploy';

const artifact = (kind: string, content: string): DesiredArtifact => ({ id: `${kind}:x`, kind, file: 'x.yaml', content, constructPath: 'demo/x', dependsOn: [] });

describe('Calico datastore conversion (calico.md §5), without a datastore', () => {
  it('escapes names in v1 keys: % as %25 and / as %2f', () => {
    expect(escapeV1Name('a/b%c')).to.equal('a%2fb%25c');
    expect(v1PolicyKey('team/a')).to.equal('/calico/v1/policy/tier/default/policy/team%2fa');
  });

  it('renames every v1 rule field to its backend key', () => {
    const yaml = `apiVersion: v1
kind: policy
metadata:
  name: all-fields
spec:
  doNotTrack: true
  egress:
  - action: deny
    ipVersion: 4
    protocol: '6'
    notProtocol: udp
    source:
      tag: web
      net: 10.1.2.3
      notTag: db
      notNet: 10.9.9.9/8
      notSelector: has(x)
      ports: ['80:80', '1000:2000']
      notPorts: [22]
    destination:
      notNet: 192.168.7.1/16
      selector: a == "b"
  - action: log
    protocol: icmp
    notICMP: { type: 3, code: 1 }
`;
    const [entry] = v1Resource(artifact('calico-policy', yaml), 'calico-policy').entries;
    expect(entry!.value).to.deep.equal({
      outbound_rules: [
        {
          action: 'deny',
          ip_version: 4,
          protocol: 6,
          '!protocol': 'udp',
          src_tag: 'web',
          src_net: '10.1.2.3/32',
          src_ports: [80, '1000:2000'],
          dst_selector: 'a == "b"',
          '!src_tag': 'db',
          '!src_net': '10.9.9.9/8',
          '!src_selector': 'has(x)',
          '!src_ports': [22],
          '!dst_net': '192.168.0.0/16',
        },
        { action: 'log', protocol: 'icmp', '!icmp_type': 3, '!icmp_code': 1 },
      ],
      selector: '',
      untracked: true,
    });
  });

  it('keys IPv6 pools under v6 and fails clearly on what calicoctl v1 cannot hold', () => {
    const pool = v1Resource(artifact('calico-ippool', 'apiVersion: v1\nkind: ipPool\nmetadata:\n  cidr: fd80:24e2:f998:72d6::/64\n'), 'calico-ippool');
    expect(pool.entries[0]).to.deep.equal({ key: '/calico/v1/ipam/v6/pool/fd80:24e2:f998:72d6::-64', value: { cidr: 'fd80:24e2:f998:72d6::/64', ipip: '', ipip_mode: '', masquerade: false, ipam: true, disabled: false } });
    const named = 'apiVersion: v1\nkind: policy\nmetadata: {name: p}\nspec:\n  ingress:\n  - action: allow\n    protocol: tcp\n    destination: {ports: [http]}\n';
    expect(() => v1Resource(artifact('calico-policy', named), 'calico-policy')).to.throw(CalicoArtifactError, 'spec.ingress[0].destination.ports[0]');
  });

  it('prefixes v3 policy names with default. before Calico v3.29 only', () => {
    expect([prefixesPolicyNames('v3.14'), prefixesPolicyNames('v3.28.2'), prefixesPolicyNames('3.29.0'), prefixesPolicyNames('v3.30')]).to.deep.equal([true, true, false, false]);
    const gnp = 'apiVersion: projectcalico.org/v3\nkind: GlobalNetworkPolicy\nmetadata: {name: p}\nspec:\n  selector: all()\n  egress: [{action: Allow}]\n';
    const r = v3Resource(artifact('calico-policy', gnp), 'calico-policy', 'demo', { prefixPolicyNames: true });
    expect(r.entries[0]!.key).to.equal('/calico/resources/v3/projectcalico.org/globalnetworkpolicies/default.p');
    // types defaulted as the v3 client does: egress rules only → [Egress].
    expect((r.entries[0]!.value as { spec: { types: string[] } }).spec.types).to.deep.equal(['Egress']);
  });

  it('builds the etcd connection from calicoctl environment variables', () => {
    const dir = mkdtempSync(join(tmpdir(), 'etcd-env-'));
    try {
      writeFileSync(join(dir, 'ca.pem'), 'CA');
      expect(etcdConnectionFromEnv({})).to.equal(undefined);
      expect(etcdConnectionFromEnv({ ETCD_ENDPOINTS: 'https://a:2379, https://b:2379', ETCD_CA_CERT_FILE: join(dir, 'ca.pem'), ETCD_USERNAME: 'root', ETCD_PASSWORD: 's3cret' })).to.deep.equal({
        endpoints: ['https://a:2379', 'https://b:2379'],
        tls: { ca: 'CA', cert: undefined, key: undefined },
        username: 'root',
        password: 's3cret',
      });
      expect(() => etcdConnectionFromEnv({ ETCD_ENDPOINTS: 'http://a:2379', ETCD_KEY_FILE: join(dir, 'missing.pem') })).to.throw('ETCD_KEY_FILE');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
