import { expect } from 'chai';
import { countChanges, diffJson, formatChange, formatPlan, isEmptyJson, joinPath, jsonEqual, renderValue } from '../../src/index.js';
import type { PlannedChange } from '../../src/index.js';

describe('deploy/json-diff', () => {
  it('lists leaf differences with dotted and indexed paths', () => {
    const d = diffJson(
      { cpus: 0.1, labels: { a: '1' }, container: { docker: { image: 'nginx:1' } }, ports: [80, 81] },
      { cpus: 0.2, labels: { a: '1', b: '2' }, container: { docker: { image: 'nginx:2' } }, ports: [80] },
    );
    expect(d).to.deep.equal([
      { path: 'container.docker.image', before: 'nginx:1', after: 'nginx:2' },
      { path: 'cpus', before: 0.1, after: 0.2 },
      { path: 'labels.b', after: '2' },
      { path: 'ports[1]', before: 81 },
    ]);
  });

  it('treats key order as irrelevant and equal values as no change', () => {
    expect(diffJson({ a: 1, b: [1, { c: 2 }] }, { b: [1, { c: 2 }], a: 1 })).to.deep.equal([]);
    expect(jsonEqual({ a: 1, b: undefined }, { a: 1 })).to.equal(true);
    expect(jsonEqual([1, 2], [2, 1])).to.equal(false);
  });

  it('lists an object present on one side leaf by leaf, and reports type changes where they happen', () => {
    expect(diffJson({}, { env: { A: '1', B: '2' } })).to.deep.equal([
      { path: 'env.A', after: '1' },
      { path: 'env.B', after: '2' },
    ]);
    expect(diffJson({ a: [1] }, { a: { x: 1 } })).to.deep.equal([{ path: 'a', before: [1], after: { x: 1 } }]);
    expect(diffJson(1, 2)).to.deep.equal([{ path: '(root)', before: 1, after: 2 }]);
  });

  it('asks isDefault about values present on one side only', () => {
    const isDefault = (path: string, v: unknown): boolean => isEmptyJson(v) || (path === 'instances' && v === 1);
    expect(diffJson({ instances: 1, constraints: [], env: {}, cmd: null }, {}, { isDefault })).to.deep.equal([]);
    expect(diffJson({ instances: 2 }, {}, { isDefault })).to.deep.equal([{ path: 'instances', before: 2 }]);
    expect(diffJson({ a: 1, b: 2 }, { a: 2, b: 3 }, { ignorePaths: ['b'] })).to.deep.equal([{ path: 'a', before: 1, after: 2 }]);
  });

  it('quotes keys that are not identifiers', () => {
    expect(joinPath('labels', 'app.kubernetes.io/name')).to.equal('labels["app.kubernetes.io/name"]');
    expect(joinPath('', 'VIP_0')).to.equal('VIP_0');
    expect(joinPath('a', 3)).to.equal('a[3]');
  });
});

describe('deploy/diff-format', () => {
  const change = (action: PlannedChange['action'], fields: PlannedChange['fields'] = []): PlannedChange => ({ id: `x:${action}`, kind: 'x', action, resource: `X ${action}`, fields });

  it('renders creates, updates and deletes with symbols and field lines', () => {
    const lines = formatPlan([
      change('create', [{ path: 'cpus', after: 0.1 }]),
      change('update', [{ path: 'cpus', before: 0.1, after: 0.2 }, { path: 'env.A', before: '1' }]),
      change('delete', [{ path: 'ignored', before: 1 }]),
      change('noop'),
    ]);
    expect(lines).to.deep.equal([
      '+ create  x:create  X create',
      '    + cpus: 0.1',
      '~ update  x:update  X update',
      '    ~ cpus: 0.1 → 0.2',
      '    - env.A: "1"',
      '- delete  x:delete  X delete',
      'Plan: 1 to create, 1 to update, 1 to delete, 1 unchanged.',
    ]);
    expect(formatPlan([change('noop')])).to.deep.equal(['No changes (1 unchanged).']);
    expect(countChanges([change('noop'), change('create')])).to.deep.equal({ create: 1, update: 0, delete: 0, noop: 1 });
  });

  it('cuts long values and long field lists', () => {
    expect(renderValue('x'.repeat(200), 20)).to.have.length(20).and.match(/…$/);
    const many = Array.from({ length: 60 }, (_, i) => ({ path: `f${i}`, after: i }));
    const lines = formatChange(change('create', many), { maxFields: 5 });
    expect(lines).to.have.length(7);
    expect(lines[6]).to.equal('    … and 55 more');
  });
});
