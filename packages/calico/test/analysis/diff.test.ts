/** Change analysis: the flows a change opens and closes. */
import { expect } from 'chai';
import fc from 'fast-check';
import { buildNetworkModel, type ModelSpec } from '../../src/analysis/build-model.js';
import { diffModels, type FlowChange } from '../../src/analysis/diff.js';
import { analyze, type ReachabilityMatrix } from '../../src/analysis/engine.js';
import { explain } from '../../src/analysis/explain.js';
import type { NetworkModel } from '../../src/analysis/model.js';
import { SelectorInterner } from '../../src/selector/index.js';
import { spec } from './arbitraries.js';

type Probe = { protocol: 'tcp' | 'udp' | 'icmp'; port?: number };
const PROBES: Probe[] = [...[22, 80, 81, 85, 443, 1500, 40000].map((port): Probe => ({ protocol: 'tcp', port })), { protocol: 'udp', port: 81 }, { protocol: 'icmp' }];

function allowed(m: ReachabilityMatrix, from: string, to: string, p: Probe): boolean {
  const has = (id: string): boolean => m.model.endpoints.some((e) => e.id === id);
  if (!has(to) || (from.startsWith('/') && !has(from))) return false;
  return explain(m, { from, to, ...p }).allowed;
}

function covering(changes: readonly FlowChange[], from: string, to: string, p: Probe): FlowChange[] {
  return changes.filter((c) => c.from === from && c.to === to && c.protocol === p.protocol && (p.port === undefined ? c.ports === undefined : c.ports !== undefined && c.ports.from <= p.port && p.port <= c.ports.to));
}

/** Checks a diff against both matrices evaluated flow by flow. */
function checkDiff(before: NetworkModel, after: NetworkModel, interner?: SelectorInterner): void {
  const d = diffModels(before, after, { interner });
  const mb = analyze(before);
  const ma = analyze(after);
  const ids = [...new Set([...before.endpoints, ...after.endpoints].map((e) => e.id))];
  const peers = [...new Set([...before.peers, ...after.peers].map((p) => p.cidr.text))];
  for (const to of ids) {
    for (const from of [...ids, ...peers]) {
      for (const p of PROBES) {
        const b = allowed(mb, from, to, p);
        const a = allowed(ma, from, to, p);
        const label = `${from} -> ${to} ${p.protocol} ${p.port ?? ''}`;
        expect(covering(d.opened, from, to, p).length, `opened ${label}`).to.equal(!b && a ? 1 : 0);
        expect(covering(d.closed, from, to, p).length, `closed ${label}`).to.equal(b && !a ? 1 : 0);
      }
    }
  }
}

describe('diffModels', function () {
  this.timeout(60_000);

  it('finds exactly the flows a random change opens and closes (200 random model pairs)', () => {
    const pair = fc.tuple(spec, spec, fc.array(fc.boolean(), { minLength: 8, maxLength: 8 })).map(([a, b, mask]): [ModelSpec, ModelSpec] => {
      // The "after" model mixes parts of both: some endpoints relabeled, dropped or added, some policies changed.
      const endpoints = [
        ...a.endpoints.filter((_, i) => !mask[i] || i % 2 === 0).map((e, i) => (mask[4 + (i % 4)] ? { ...e, labels: b.endpoints[i % b.endpoints.length]!.labels } : e)),
        ...(mask[1] ? [{ ...b.endpoints[0]!, id: '/new', address: '192.168.0.9' }] : []),
      ];
      const policies = [...(a.policies ?? []).filter((_, i) => !mask[i + 2]), ...(mask[3] ? (b.policies ?? []).slice(0, 1) : [])];
      return [a, { ...a, endpoints, policies, profiles: mask[0] ? b.profiles : a.profiles }];
    });
    fc.assert(
      fc.property(pair, ([a, b]) => {
        const interner = new SelectorInterner();
        checkDiff(buildNetworkModel(a, { interner }), buildNetworkModel(b, { interner }), interner);
      }),
      { seed: 4242, numRuns: 200 },
    );
  });

  it('reports an opened port, a closed environment flow, a removed app and a relabeled app', () => {
    const base: ModelSpec = {
      endpoints: [
        { id: '/web', labels: { app: 'web', group: 'dev' } },
        { id: '/db', labels: { app: 'db', group: 'dev' } },
        { id: '/old', labels: { app: 'old', group: 'dev' } },
        { id: '/job', labels: { app: 'job', group: 'dev' } },
      ],
      profiles: [{ name: 'calico', tags: ['calico'], egress: [{ action: 'allow' }] }],
      policies: [
        { name: 'db-in', selector: 'app == "db"', ingress: [{ action: 'allow', protocol: 'tcp', source: { selector: 'app == "web"' }, destination: { ports: [5432] } }], egress: [{ action: 'allow' }] },
        { name: 'old-in', selector: 'app == "old"', ingress: [{ action: 'allow', source: { selector: 'group == "dev"' } }], egress: [{ action: 'allow' }] },
      ],
    };
    const after: ModelSpec = {
      ...base,
      endpoints: [base.endpoints[0]!, base.endpoints[1]!, { id: '/job', labels: { app: 'web', group: 'dev' } }],
      policies: [{ ...base.policies![0]!, ingress: [{ action: 'allow', protocol: 'tcp', source: { selector: 'app == "web"' }, destination: { ports: [5432, 6432] } }] }],
    };
    const d = diffModels(buildNetworkModel(base), buildNetworkModel(after));
    const show = (c: FlowChange): string => `${c.change} ${c.from} -> ${c.to} ${c.protocol}${c.ports ? ` ${c.ports.from}-${c.ports.to}` : ''}`;
    expect(d.opened.map(show).sort()).to.deep.equal(['opened /job -> /db tcp 5432-5432', 'opened /job -> /db tcp 6432-6432', 'opened /web -> /db tcp 6432-6432'].sort());
    expect(d.closed.map(show).sort()).to.deep.equal(['closed /db -> /old icmp', 'closed /db -> /old tcp 1-65535', 'closed /db -> /old udp 1-65535', 'closed /job -> /old icmp', 'closed /job -> /old tcp 1-65535', 'closed /job -> /old udp 1-65535', 'closed /old -> /old icmp', 'closed /old -> /old tcp 1-65535', 'closed /old -> /old udp 1-65535', 'closed /web -> /old icmp', 'closed /web -> /old tcp 1-65535', 'closed /web -> /old udp 1-65535'].sort());
    const opened = d.opened.find((c) => c.from === '/web')!;
    expect(opened.before).to.equal('ingress: no policy allowed it');
    expect(opened.after).to.equal('egress: profile calico rule 0 (allow); ingress: policy db-in rule 0 (allow)');
    expect(d.closed.find((c) => c.to === '/old')!.after).to.equal('absent');
  });

  it('reports nothing for identical models', () => {
    const s: ModelSpec = { endpoints: [{ id: '/a', labels: { x: '1' } }, { id: '/b' }], policies: [{ name: 'p', selector: 'x == "1"', ingress: [{ action: 'deny' }] }] };
    expect(diffModels(buildNetworkModel(s), buildNetworkModel(s))).to.deep.equal({ opened: [], closed: [] });
  });
});
