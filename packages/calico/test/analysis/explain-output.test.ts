/** explain (party resolution, egress to outside, IPv6) and the JSON and table outputs. */
import { expect } from 'chai';
import { buildNetworkModel, type ModelSpec } from '../../src/analysis/build-model.js';
import { analyze } from '../../src/analysis/engine.js';
import { explain } from '../../src/analysis/explain.js';
import { listedPorts, matrixToJson, matrixToTable } from '../../src/analysis/output.js';

const SPEC: ModelSpec = {
  endpoints: [
    { id: '/web', labels: { app: 'web' }, ports: [{ port: 80, protocol: 'tcp', name: 'http' }] },
    { id: '/api', labels: { app: 'api' }, ports: [{ port: 8080, protocol: 'tcp' }, { port: 53, protocol: 'udp' }] },
  ],
  profiles: [{ name: 'calico', tags: ['calico'], ingress: [], egress: [{ action: 'allow' }] }],
  policies: [
    {
      name: 'web',
      selector: 'app == "web"',
      constructPath: 'demo/web',
      ingress: [
        { action: 'allow', protocol: 'tcp', source: { nets: ['10.20.0.0/16'] }, destination: { ports: [80] } },
        { action: 'allow', protocol: 'tcp', source: { nets: ['2001:db8::/32'] }, destination: { ports: [80] } },
        { action: 'allow', icmp: { type: 128 }, source: { nets: ['::/0'] } },
      ],
      egress: [{ action: 'allow', protocol: 'tcp', destination: { nets: ['0.0.0.0/0'], ports: ['8000:8100'] } }],
    },
    { name: 'api', selector: 'app == "api"', ingress: [{ action: 'allow', protocol: 47 }], egress: [] },
  ],
  peers: [{ name: 'LAN', cidr: '10.20.0.0/16' }],
};

describe('explain and outputs', () => {
  const m = analyze(buildNetworkModel(SPEC));

  it('resolves app ids with or without the slash, peer names, CIDRs and bare addresses', () => {
    expect(explain(m, { from: '10.20.3.4', to: 'web', protocol: 'tcp', port: 80 }).source).to.deep.include({ kind: 'peer' });
    expect(explain(m, { from: '10.20.3.4', to: 'web', protocol: 'tcp', port: 80 }).ingress).to.include({ policy: 'web', ruleIndex: 0, constructPath: 'demo/web' });
    expect(explain(m, { from: '10.21.0.1', to: '/web', protocol: 'tcp', port: 80 }).reason).to.equal('ingress: no policy allowed it');
    expect(explain(m, { from: 'Internet', to: '/web', protocol: 'tcp', port: 80 }).allowed).to.equal(false);
    expect(explain(m, { from: '192.168.0.3', to: '/web', protocol: 'tcp', port: 80 }).source).to.deep.include({ kind: 'endpoint', index: 1 });
    expect(() => explain(m, { from: 'nope', to: '/web', port: 80 })).to.throw(/'nope' is neither an endpoint/);
    expect(() => explain(m, { from: 'LAN', to: 'Internet', port: 80 })).to.throw(/At least one side/);
    expect(() => explain(m, { from: 'LAN', to: '/web', protocol: 'tcp' })).to.throw(/needs a destination port/);
  });

  it('explains an endpoint\'s egress to an external address', () => {
    const e = explain(m, { from: '/web', to: '93.184.216.34', protocol: 'tcp', port: 8080 });
    expect(e.ingress).to.equal(undefined);
    expect(e.egress).to.include({ policy: 'web', ruleIndex: 0, action: 'allow' });
    expect(explain(m, { from: '/web', to: 'Internet', protocol: 'tcp', port: 443 }).reason).to.equal('egress: no policy allowed it');
  });

  it('evaluates IPv6 peers with IPv6 rules only (ICMPv6 echo is type 128)', () => {
    expect(m.model.peers.map((p) => p.name)).to.include.members(['Internet (IPv6)', '2001:db8::/32']);
    expect(explain(m, { from: '2001:db8::1', to: '/web', protocol: 'tcp', port: 80 }).ingress).to.include({ ruleIndex: 1 });
    expect(explain(m, { from: '::/0', to: '/web', protocol: 'icmpv6' }).ingress).to.include({ ruleIndex: 2 });
    expect(explain(m, { from: 'LAN', to: '/web', protocol: 'icmp' }).allowed).to.equal(false);
    const v6 = m.sources().find((s) => s.kind === 'peer' && s.peer.cidr.text === '::/0')!;
    const cells = m.cellsBetween(v6, m.destinations()[0]!);
    expect(cells.filter((c) => c.allowed).map((c) => `${c.protocol} ${c.icmpType}`)).to.deep.equal(['icmpv6 128']);
  });

  it('lists declared ports, rule ports and both ends of rule ranges in the JSON', () => {
    expect([...listedPorts(m.model)]).to.deep.equal([
      [6, [80, 8000, 8080, 8100]],
      [17, [53]],
    ]);
    const json = matrixToJson(m);
    const sources = 2 + m.model.peers.length;
    // tcp 80, 8000, 8080, 8100 + udp 53 + echo + protocol 47, per source and destination.
    expect(json.flows).to.have.length(sources * 2 * 7);
    expect(json.flows.filter((f) => f.allowed).map((f) => `${f.from} -> ${f.to} ${f.protocol} ${f.port}`)).to.deep.equal([
      '10.20.0.0/16 -> /web tcp 80',
      '2001:db8::/32 -> /web tcp 80',
      '2001:db8::/32 -> /web icmpv6 null',
      '::/0 -> /web icmpv6 null',
      // /web's egress allows only tcp 8000-8100 out of the cluster; /api's egress nothing.
      '10.20.0.0/16 -> /api 47 null',
      '0.0.0.0/0 -> /api 47 null',
      '2001:db8::/32 -> /api 47 null',
      '::/0 -> /api 47 null',
    ]);
  });

  it('prints a table of sources against destination ports', () => {
    const text = matrixToTable(m, { style: 'words' });
    const lines = text.trimEnd().split('\n');
    expect(lines[0]).to.match(/^source +\/web tcp\/80 +\/web ping +\/api tcp\/8080 +\/api udp\/53 +\/api ping$/);
    expect(lines.find((l) => l.startsWith('LAN (10.20.0.0/16)'))).to.match(/allow +deny +deny +deny +deny$/);
    expect(lines).to.have.length(1 + 2 + m.model.peers.length);
  });
});
