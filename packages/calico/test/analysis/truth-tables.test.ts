/**
 * Truth tables in the style of Kubernetes' network-policy e2e tests: two groups (x, y) of two
 * apps (a, b) plus external peers; for each scenario the expected reachability grid for a
 * packet ('.' reachable, 'X' not; rows are sources, columns destinations) and the deciding
 * rule of selected cells. Every cell is also checked against the naive evaluator.
 */
import { expect } from 'chai';
import type { ModelSpec, PolicySpec, ProfileSpec } from '../../src/analysis/build-model.js';
import { explain } from '../../src/analysis/explain.js';
import type { Packet } from '../../../../test/support/naive-felix.js';
import { expectSameFlow, twins, type TwinModels } from './helpers.js';

const APPS = ['/x/a', '/x/b', '/y/a', '/y/b'];

function world(policies: PolicySpec[], profiles?: ProfileSpec[], apiVersion: 'v1' | 'v3' = 'v1'): TwinModels {
  const spec: ModelSpec = {
    apiVersion,
    endpoints: APPS.map((id, i) => ({
      id,
      labels: { group: id[1]!, app: id[3]! },
      ports: [{ port: 80, protocol: 'tcp' }, { port: 81, protocol: 'tcp' }],
      address: `192.168.0.${i + 2}`,
      profiles: id === '/y/b' && profiles?.some((p) => p.name === 'extra') ? ['calico', 'extra'] : ['calico'],
    })),
    policies,
    profiles,
    peers: [{ name: 'LAN', cidr: '10.20.0.0/16' }],
  };
  return twins(spec);
}

/** The grid for one packet: a header of destinations, one row per source (endpoints, then LAN and Internet). */
function grid(t: TwinModels, pkt: Packet): string {
  const dsts = t.matrix.destinations();
  const rows = t.matrix.sources().map((from) => {
    const name = from.kind === 'endpoint' ? from.endpoint.id : from.peer.name;
    const cells = dsts.map((to) => {
      expectSameFlow(t, from, to, pkt);
      return t.matrix.decide(from, to, { version: 4, protocol: { tcp: 6, udp: 17, icmp: 1 }[pkt.protocol], port: pkt.port, icmpType: pkt.icmpType, icmpCode: 0 }).allowed ? '.' : 'X';
    });
    return `${name.padEnd(8)} ${cells.join('    ')}`;
  });
  return [`${''.padEnd(8)} ${dsts.map((d) => d.endpoint.id).join(' ')}`, ...rows].join('\n');
}

function table(...rows: string[]): string {
  return [`${''.padEnd(8)} ${APPS.join(' ')}`, ...rows.map((r) => {
    const [name, ...cells] = r.trim().split(/\s+/);
    return `${name!.padEnd(8)} ${cells.join('    ')}`;
  })].join('\n');
}

function why(t: TwinModels, from: string, to: string, pkt: Packet): string {
  return explain(t.matrix, { from, to, protocol: pkt.protocol, port: pkt.port, icmpType: pkt.icmpType }).reason;
}

const TCP80: Packet = { protocol: 'tcp', port: 80 };
const TCP81: Packet = { protocol: 'tcp', port: 81 };
const PING: Packet = { protocol: 'icmp', icmpType: 8 };

describe('truth tables', () => {
  it('default profile only: containers reach each other, outside addresses reach nothing', () => {
    const t = world([]);
    expect(grid(t, TCP80)).to.equal(table('/x/a . . . .', '/x/b . . . .', '/y/a . . . .', '/y/b . . . .', 'LAN X X X X', 'Internet X X X X'));
    expect(why(t, '/x/a', '/y/b', TCP80)).to.equal('egress: profile calico rule 0 (allow); ingress: profile calico rule 0 (allow)');
    expect(why(t, 'Internet', '/y/b', TCP80)).to.equal('ingress: profile default');
  });

  it('a defaultIngress deny profile: nothing gets in', () => {
    const t = world([], [{ name: 'calico', tags: ['calico'], ingress: [], egress: [{ action: 'allow' }] }]);
    expect(grid(t, TCP80)).to.equal(table('/x/a X X X X', '/x/b X X X X', '/y/a X X X X', '/y/b X X X X', 'LAN X X X X', 'Internet X X X X'));
    expect(why(t, '/x/a', '/x/b', TCP80)).to.equal('ingress: profile default');
  });

  it('a v1 policy with no egress rules blocks every new flow out of what it selects', () => {
    const t = world([{ name: 'x-in', selector: 'group == "x"', ingress: [{ action: 'allow' }], egress: [] }]);
    expect(grid(t, TCP80)).to.equal(table('/x/a X X X X', '/x/b X X X X', '/y/a . . . .', '/y/b . . . .', 'LAN . . X X', 'Internet . . X X'));
    expect(why(t, '/x/a', '/y/a', TCP80)).to.equal('egress: no policy allowed it');
    expect(why(t, '/y/a', '/x/a', TCP80)).to.equal('egress: profile calico rule 0 (allow); ingress: policy x-in rule 0 (allow)');
  });

  it('pass skips the remaining policies and lets the profiles decide', () => {
    const t = world([
      { name: 'a-pass', order: 1, selector: 'all()', ingress: [{ action: 'pass', source: { selector: 'group == "x"' } }] },
      { name: 'b-deny', order: 2, selector: 'all()', ingress: [{ action: 'deny' }], egress: [{ action: 'allow' }] },
    ]);
    expect(grid(t, TCP80)).to.equal(table('/x/a . . . .', '/x/b . . . .', '/y/a X X X X', '/y/b X X X X', 'LAN X X X X', 'Internet X X X X'));
    expect(why(t, '/x/a', '/y/a', TCP80)).to.equal('egress: policy b-deny rule 0 (allow); ingress: profile calico rule 0 (allow)');
    expect(why(t, '/y/a', '/x/a', TCP80)).to.equal('ingress: policy b-deny rule 0 (deny)');
  });

  it('log continues to the next rule', () => {
    const t = world([{ name: 'logged', selector: 'group == "y"', ingress: [{ action: 'log' }, { action: 'allow', protocol: 'tcp', destination: { ports: [80] } }], egress: [{ action: 'allow' }] }]);
    expect(grid(t, TCP80)).to.equal(table('/x/a . . . .', '/x/b . . . .', '/y/a . . . .', '/y/b . . . .', 'LAN X X . .', 'Internet X X . .'));
    expect(grid(t, TCP81)).to.equal(table('/x/a . . X X', '/x/b . . X X', '/y/a . . X X', '/y/b . . X X', 'LAN X X X X', 'Internet X X X X'));
    expect(why(t, 'LAN', '/y/a', TCP80)).to.equal('ingress: policy logged rule 1 (allow)');
    expect(explain(t.matrix, { from: 'LAN', to: '/y/a', protocol: 'tcp', port: 80 }).trace.ingress.map((s) => `${s.name}#${s.ruleIndex} ${s.action}`)).to.deep.equal(['logged#0 log', 'logged#1 allow']);
    expect(why(t, 'LAN', '/y/a', TCP81)).to.equal('ingress: no policy allowed it');
  });

  it('a deny of lower order wins over an allow', () => {
    const t = world([
      { name: 'allow-all', order: 100, selector: 'all()', ingress: [{ action: 'allow' }], egress: [{ action: 'allow' }] },
      { name: 'deny-y', order: 10, selector: 'all()', ingress: [{ action: 'deny', source: { selector: 'group == "y"' } }] },
    ]);
    expect(grid(t, TCP80)).to.equal(table('/x/a . . . .', '/x/b . . . .', '/y/a X X X X', '/y/b X X X X', 'LAN . . . .', 'Internet . . . .'));
    expect(why(t, '/y/a', '/x/a', TCP80)).to.equal('ingress: policy deny-y rule 0 (deny)');
    expect(why(t, '/x/a', '/y/a', TCP80)).to.equal('egress: policy allow-all rule 0 (allow); ingress: policy allow-all rule 0 (allow)');
  });

  it('policies of the same order run by name, byte-wise (upper case first)', () => {
    const deny: PolicySpec = { name: 'b-deny', order: 5, selector: 'all()', ingress: [{ action: 'deny', source: { selector: 'group == "y"' } }] };
    const allowFirst = world([deny, { name: 'a-allow', order: 5, selector: 'all()', ingress: [{ action: 'allow' }], egress: [{ action: 'allow' }] }]);
    expect(grid(allowFirst, TCP80)).to.equal(table('/x/a . . . .', '/x/b . . . .', '/y/a . . . .', '/y/b . . . .', 'LAN . . . .', 'Internet . . . .'));
    const denyFirst = world([deny, { name: 'c-allow', order: 5, selector: 'all()', ingress: [{ action: 'allow' }], egress: [{ action: 'allow' }] }]);
    expect(grid(denyFirst, TCP80)).to.equal(table('/x/a . . . .', '/x/b . . . .', '/y/a X X X X', '/y/b X X X X', 'LAN . . . .', 'Internet . . . .'));
    const upper = world([deny, { name: 'Z-allow', order: 5, selector: 'all()', ingress: [{ action: 'allow' }], egress: [{ action: 'allow' }] }]);
    expect(why(upper, '/y/a', '/x/a', TCP80)).to.equal('egress: policy Z-allow rule 0 (allow); ingress: policy Z-allow rule 0 (allow)');
  });

  it('v3 types: an ingress-only policy leaves egress to the profiles; without types it blocks egress', () => {
    const policy: PolicySpec = { name: 'x-ingress', selector: 'group == "x"', ingress: [{ action: 'allow', source: { selector: 'group == "x"' } }] };
    const profile: ProfileSpec = { name: 'calico', labels: { calico: '' }, ingress: [{ action: 'allow', source: { selector: 'has(calico)' } }], egress: [{ action: 'allow' }] };
    const typed = world([{ ...policy, types: ['ingress'] }], [profile], 'v3');
    expect(grid(typed, TCP80)).to.equal(table('/x/a . . . .', '/x/b . . . .', '/y/a X X . .', '/y/b X X . .', 'LAN X X X X', 'Internet X X X X'));
    expect(why(typed, '/x/a', '/y/a', TCP80)).to.equal('egress: profile calico rule 0 (allow); ingress: profile calico rule 0 (allow)');
    const untyped = world([policy], [profile], 'v3');
    expect(grid(untyped, TCP80)).to.equal(table('/x/a X X X X', '/x/b X X X X', '/y/a X X . .', '/y/b X X . .', 'LAN X X X X', 'Internet X X X X'));
    expect(why(untyped, '/x/a', '/x/b', TCP80)).to.equal('egress: no policy allowed it');
  });

  it('tags are has(): profile tags and labels count as endpoint labels', () => {
    const profiles: ProfileSpec[] = [
      { name: 'calico', tags: ['calico'], ingress: [], egress: [{ action: 'allow' }] },
      { name: 'extra', tags: ['trusted'], labels: { zone: 'dmz' }, ingress: [], egress: [] },
    ];
    const t = world([{ name: 'trusted-in', selector: 'all()', ingress: [{ action: 'allow', source: { tag: 'trusted' } }, { action: 'allow', source: { selector: 'zone == "dmz" && has(trusted)' }, protocol: 'udp' }], egress: [{ action: 'allow' }] }], profiles);
    expect(grid(t, TCP80)).to.equal(table('/x/a X X X X', '/x/b X X X X', '/y/a X X X X', '/y/b . . . .', 'LAN X X X X', 'Internet X X X X'));
    expect(why(t, '/y/b', '/x/a', { protocol: 'udp', port: 53 })).to.equal('egress: policy trusted-in rule 0 (allow); ingress: policy trusted-in rule 0 (allow)');
  });

  it('notSelector also matches addresses outside Calico; selector never does', () => {
    const t = world([{ name: 'not-x', selector: 'all()', ingress: [{ action: 'allow', source: { notSelector: 'group == "x"' } }], egress: [{ action: 'allow' }] }]);
    expect(grid(t, TCP80)).to.equal(table('/x/a X X X X', '/x/b X X X X', '/y/a . . . .', '/y/b . . . .', 'LAN . . . .', 'Internet . . . .'));
    const sel = world([{ name: 'only-y', selector: 'all()', ingress: [{ action: 'allow', source: { selector: 'group != "x"' } }], egress: [{ action: 'allow' }] }]);
    expect(grid(sel, TCP80)).to.equal(table('/x/a X X X X', '/x/b X X X X', '/y/a . . . .', '/y/b . . . .', 'LAN X X X X', 'Internet X X X X'));
  });

  it('nets match containers by address: 0.0.0.0/0 without notSelector lets every container in', () => {
    const t = world([{ name: 'world', selector: 'group == "y"', ingress: [{ action: 'allow', source: { nets: ['0.0.0.0/0'] } }], egress: [{ action: 'allow' }] }]);
    expect(grid(t, TCP80)).to.equal(table('/x/a . . . .', '/x/b . . . .', '/y/a . . . .', '/y/b . . . .', 'LAN X X . .', 'Internet X X . .'));
    const lan = world([{ name: 'lan', selector: 'group == "y"', ingress: [{ action: 'allow', source: { nets: ['10.20.0.0/16'] } }], egress: [{ action: 'allow' }] }]);
    expect(grid(lan, TCP80)).to.equal(table('/x/a . . X X', '/x/b . . X X', '/y/a . . X X', '/y/b . . X X', 'LAN X X . .', 'Internet X X X X'));
  });

  it('port ranges and notPorts split the port space into intervals', () => {
    const t = world([{ name: 'web', selector: 'group == "y"', ingress: [{ action: 'allow', protocol: 'tcp', destination: { ports: ['80:90'], notPorts: [85] } }], egress: [{ action: 'allow' }] }]);
    for (const [port, open] of [[79, false], [80, true], [84, true], [85, false], [86, true], [90, true], [91, false]] as const) {
      expect(grid(t, { protocol: 'tcp', port }), `port ${port}`).to.equal(
        open ? table('/x/a . . . .', '/x/b . . . .', '/y/a . . . .', '/y/b . . . .', 'LAN X X . .', 'Internet X X . .') : table('/x/a . . X X', '/x/b . . X X', '/y/a . . X X', '/y/b . . X X', 'LAN X X X X', 'Internet X X X X'),
      );
    }
    const lan = t.matrix.sources().find((s) => s.kind === 'peer' && s.peer.name === 'LAN')!;
    const cells = t.matrix.cellsBetween(lan, t.matrix.destinations()[2]!).filter((c) => c.protocol === 'tcp');
    expect(cells.map((c) => `${c.ports!.from}-${c.ports!.to}:${c.allowed ? '.' : 'X'}`)).to.deep.equal(['1-79:X', '80-84:.', '85-85:X', '86-90:.', '91-65535:X']);
    expect(why(t, 'LAN', '/y/a', { protocol: 'udp', port: 80 })).to.equal('ingress: no policy allowed it');
  });

  it('ICMP: type and code, protocol numbers and names alike', () => {
    const t = world([
      { name: 'ping', selector: 'group == "y"', ingress: [{ action: 'allow', protocol: 1, icmp: { type: 8, code: 0 }, source: { selector: 'group == "x"' } }, { action: 'allow', protocol: 'tcp', destination: { ports: [80] } }], egress: [{ action: 'allow' }] },
    ]);
    expect(grid(t, PING)).to.equal(table('/x/a . . . .', '/x/b . . . .', '/y/a . . X X', '/y/b . . X X', 'LAN X X X X', 'Internet X X X X'));
    expect(why(t, '/x/a', '/y/a', PING)).to.equal('egress: profile calico rule 0 (allow); ingress: policy ping rule 0 (allow)');
    expect(why(t, '/x/a', '/y/a', { protocol: 'icmp', icmpType: 0 })).to.equal('ingress: no policy allowed it');
    expect(explain(t.matrix, { from: '/x/a', to: '/y/a', protocol: 'icmp', icmpType: 8, icmpCode: 1 }).allowed).to.equal(false);
    expect(grid(t, TCP80)).to.equal(table('/x/a . . . .', '/x/b . . . .', '/y/a . . . .', '/y/b . . . .', 'LAN X X . .', 'Internet X X . .'));
  });
});
