import { expect } from 'chai';
import { topologicalSort } from '../src/index.js';

describe('topologicalSort', () => {
  it('puts dependencies first and keeps input order among independent nodes', () => {
    const r = topologicalSort([
      { id: 'app', dependsOn: ['policy', 'pkg'] },
      { id: 'policy', dependsOn: ['pkg'] },
      { id: 'pkg', dependsOn: [] },
      { id: 'dns', dependsOn: [] },
    ]);
    expect(r.ok && r.order.map((n) => n.id)).to.deep.equal(['pkg', 'policy', 'app', 'dns']);
  });

  it('reports one cycle with its members', () => {
    const r = topologicalSort([
      { id: 'a', dependsOn: ['b'] },
      { id: 'b', dependsOn: ['c'] },
      { id: 'c', dependsOn: ['a'] },
      { id: 'd', dependsOn: [] },
    ]);
    expect(r.ok).to.equal(false);
    if (!r.ok) expect(r.cycle.map((n) => n.id).sort()).to.deep.equal(['a', 'b', 'c']);
  });

  it('sorts a 100,000-long chain without recursion', () => {
    const nodes = Array.from({ length: 100_000 }, (_, i) => ({ id: `n${i}`, dependsOn: i === 0 ? [] : [`n${i - 1}`] }));
    nodes.reverse();
    const r = topologicalSort(nodes);
    expect(r.ok && r.order[0]!.id).to.equal('n0');
    expect(r.ok && r.order[99_999]!.id).to.equal('n99999');
  });
});
