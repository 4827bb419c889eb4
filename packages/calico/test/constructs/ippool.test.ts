import { expect } from 'chai';
import { CalicoIpPool, CalicoNetwork } from '@dcos-cdk/calico';
import { artifact, cluster, synth } from './support.js';

describe('CalicoIpPool and the network it belongs to', () => {
  it('renders a calicoctl v1 ipPool: metadata.cidr, spec.ipip {enabled, mode}, spec.nat-outgoing, spec.disabled', () => {
    const { app, cluster: demo } = cluster('v1');
    const pool = new CalicoIpPool(demo, 'Pool', { cidr: '10.1.0.0/16', ipip: 'cross-subnet', natOutgoing: true });
    const bundle = synth(app);
    expect(pool.artifactId).to.equal('calico-ippool:10.1.0.0/16');
    const a = bundle.manifest.artifacts.find((x) => x.id === pool.artifactId)!;
    expect(a).to.deep.include({ kind: 'calico-ippool', file: 'calico/ippool/10-1-0-0-16.yaml', constructPath: 'demo/Pool' });
    expect(artifact(bundle, pool.artifactId)).to.deep.equal({
      apiVersion: 'v1',
      kind: 'ipPool',
      metadata: { cidr: '10.1.0.0/16' },
      spec: { ipip: { enabled: true, mode: 'cross-subnet' }, 'nat-outgoing': true, disabled: false },
    });
  });

  it('writes IP-in-IP off explicitly in v1 (the client default, though the docs claim on)', () => {
    const { app, cluster: demo } = cluster('v1');
    new CalicoIpPool(demo, 'Pool', { cidr: '10.1.0.0/16' });
    expect(artifact(synth(app), 'calico-ippool:10.1.0.0/16').spec).to.deep.equal({ ipip: { enabled: false }, 'nat-outgoing': false, disabled: false });
  });

  it('renders a Calico v3 IPPool: metadata.name, spec.cidr, ipipMode, natOutgoing, disabled; the id is the name', () => {
    const { app, cluster: demo } = cluster('v3');
    const pool = new CalicoIpPool(demo, 'Pool', { cidr: '10.1.0.0/16', name: 'apps', ipip: 'always' });
    expect(pool.artifactId).to.equal('calico-ippool:apps');
    expect(artifact(synth(app), 'calico-ippool:apps')).to.deep.equal({
      apiVersion: 'projectcalico.org/v3',
      kind: 'IPPool',
      metadata: { name: 'apps' },
      spec: { cidr: '10.1.0.0/16', ipipMode: 'Always', natOutgoing: false, disabled: false },
    });
  });

  it('names an IPv6 pool after its canonical CIDR', () => {
    const { app, cluster: demo } = cluster('v3');
    const pool = new CalicoIpPool(demo, 'Pool', { cidr: 'FD00:0:0:0::/64' });
    expect(pool.resourceName).to.equal('fd00---64');
    expect(artifact(synth(app), 'calico-ippool:fd00---64').spec.cidr).to.equal('fd00::/64');
  });

  for (const version of ['v1', 'v3'] as const) {
    it(`${version}: a network's ipPool is applied after the packages and before its CNI configuration and profile`, () => {
      const { app, cluster: demo } = cluster(version);
      const net = new CalicoNetwork(demo, 'apps', { ipPool: { cidr: '10.2.0.0/16', natOutgoing: true } });
      const bundle = synth(app);
      const ids = bundle.manifest.artifacts.map((a) => a.id);
      const poolId = net.ipPool!.artifactId;
      expect(ids.indexOf(poolId)).to.be.greaterThan(-1);
      expect(ids.indexOf(poolId)).to.be.lessThan(ids.indexOf('cni-network:apps'));
      expect(bundle.manifest.artifacts.find((a) => a.id === 'calico-profile:apps')!.dependsOn).to.include.members([poolId, 'cni-network:apps']);
      if (version === 'v1') expect(bundle.manifest.artifacts.find((a) => a.id === poolId)!.dependsOn).to.deep.equal(['dcos-package:etcd', 'dcos-package:calico']);
    });
  }

  it('writes an extra network\'s CNI configuration in the shape the DC/OS calico package writes (v1), without pool pinning', () => {
    const { app, cluster: demo } = cluster('v1');
    new CalicoNetwork(demo, 'apps', { ipPool: { cidr: '10.2.0.0/16' } });
    const bundle = synth(app);
    const a = bundle.artifacts.find((x) => x.id === 'cni-network:apps')!;
    expect(a.file).to.equal('cni/apps.cni');
    expect(JSON.parse(a.content)).to.deep.equal({ name: 'apps', type: 'calico', etcd_endpoints: 'http://localhost:2379', ipam: { type: 'calico-ipam' } });
  });

  it("pins a v3 extra network's addresses to its pool (calico-ipam ipv4_pools)", () => {
    const { app, cluster: demo } = cluster('v3');
    new CalicoNetwork(demo, 'apps', { ipPool: { cidr: '10.2.0.0/16' } });
    const a = synth(app).artifacts.find((x) => x.id === 'cni-network:apps')!;
    expect(a.file).to.equal('cni/apps.conf');
    expect(JSON.parse(a.content).delegate.ipam).to.deep.equal({ type: 'calico-ipam', ipv4_pools: ['10.2.0.0/16'] });
  });

  it('the default calico network writes no CNI configuration (DC/OS does), even with a pool', () => {
    const { app, cluster: demo } = cluster('v3');
    new CalicoNetwork(demo, 'calico', { ipPool: { cidr: '10.2.0.0/16', name: 'calico-pool' } });
    const bundle = synth(app);
    expect(bundle.artifacts.map((a) => a.kind)).to.not.include('cni-network');
    expect(bundle.artifacts.map((a) => a.id)).to.include('calico-ippool:calico-pool');
  });
});
