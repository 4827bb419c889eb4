import { expect } from 'chai';
import fc from 'fast-check';
import { Selector, SelectorParseError, type SelectorNode } from '../../src/selector/index.js';

/** Keys include ones old tokenizers misread (`in-x`, `notin`, `not`) and operator words. */
const KEYS = ['a', 'b', 'app', 'in-x', 'notin', 'not', 'in_y', 'contains', 'has', 'all', 'k8s.io/name'];
const VALUES = ['', 'x', 'y', 'web', '"', "'", 'a b', 'ü😀', '\uff01', 'x"y', "x'y"];

const key = fc.constantFrom(...KEYS);
const value = fc.constantFrom(...VALUES);

/** Random trees over a small alphabet so that label sets often hit the keys and values. */
const tree: fc.Arbitrary<SelectorNode> = fc.letrec<{ node: SelectorNode }>((tie) => ({
  node: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constant<SelectorNode>({ kind: 'all' }),
    fc.constant<SelectorNode>({ kind: 'global' }),
    key.map((k): SelectorNode => ({ kind: 'has', key: k })),
    fc
      .tuple(fc.constantFrom('eq', 'ne', 'contains', 'startsWith', 'endsWith'), key, value)
      .map(([kind, k, v]): SelectorNode => ({ kind, key: k, value: v })),
    fc
      .tuple(fc.constantFrom('in', 'notIn'), key, fc.array(value, { maxLength: 4 }))
      .map(([kind, k, vs]): SelectorNode => ({ kind, key: k, values: vs })),
    tie('node').map((operand): SelectorNode => ({ kind: 'not', operand })),
    fc
      .tuple(fc.constantFrom('and', 'or'), fc.array(tie('node'), { minLength: 2, maxLength: 4 }))
      .map(([kind, operands]): SelectorNode => ({ kind, operands })),
  ),
})).node;

const labelSet = fc.dictionary(key, value, { maxKeys: 6 });

/** Whether a tree has `!` directly on `!`, which Calico prints as `!!x` and re-parses as `x`. */
function hasDoubleNegation(node: SelectorNode): boolean {
  switch (node.kind) {
    case 'not':
      return node.operand.kind === 'not' || hasDoubleNegation(node.operand);
    case 'and':
    case 'or':
      return node.operands.some(hasDoubleNegation);
    default:
      return false;
  }
}

/** A straightforward evaluator written from the semantics, to check the compiled matcher. */
function reference(node: SelectorNode, labels: Readonly<Record<string, string>>): boolean {
  const get = (k: string): string | undefined => (Object.hasOwn(labels, k) ? labels[k] : undefined);
  switch (node.kind) {
    case 'all':
    case 'global':
      return true;
    case 'has':
      return get(node.key) !== undefined;
    case 'eq':
      return get(node.key) === node.value;
    case 'ne':
      return get(node.key) !== node.value;
    case 'contains':
      return get(node.key)?.includes(node.value) ?? false;
    case 'startsWith':
      return get(node.key)?.startsWith(node.value) ?? false;
    case 'endsWith':
      return get(node.key)?.endsWith(node.value) ?? false;
    case 'in': {
      const v = get(node.key);
      return v !== undefined && node.values.includes(v);
    }
    case 'notIn': {
      const v = get(node.key);
      return v === undefined || !node.values.includes(v);
    }
    case 'not':
      return !reference(node.operand, labels);
    case 'and':
      return node.operands.every((n) => reference(n, labels));
    case 'or':
      return node.operands.some((n) => reference(n, labels));
  }
}

/** Drops trees holding a value with both quote characters, which no selector string can hold. */
function writable(node: SelectorNode): boolean {
  const ok = (v: string): boolean => !(v.includes('"') && v.includes("'"));
  switch (node.kind) {
    case 'eq':
    case 'ne':
    case 'contains':
    case 'startsWith':
    case 'endsWith':
      return ok(node.value);
    case 'in':
    case 'notIn':
      return node.values.every(ok);
    case 'not':
      return writable(node.operand);
    case 'and':
    case 'or':
      return node.operands.every(writable);
    default:
      return true;
  }
}

const TOKENS = [
  '(', ')', '{', '}', ',', '==', '!=', '!', '&&', '||', '=', '&', '|', '"x"', "'y'", '""', '"', "'",
  'has(a)', 'has(', 'has( b )', 'all()', 'all(', 'global()', 'global(', 'in', 'not in', 'notin', 'not',
  'contains', 'starts with', 'startswith', 'ends with', 'endswith', 'starts', 'a', 'b.c/d-e', 'in-x', '%', 'ü',
];
const soup = fc
  .array(fc.tuple(fc.constantFrom(...TOKENS), fc.constantFrom('', ' ', '\t', '  ')), { maxLength: 14 })
  .map((parts) => parts.map(([t, ws]) => t + ws).join(''));

function parseOrError(text: string, options?: { calicoVersion: 'v1' | 'v3' }): Selector | SelectorParseError {
  try {
    return Selector.parse(text, options);
  } catch (e) {
    if (e instanceof SelectorParseError) return e;
    throw e;
  }
}

describe('selector properties', () => {
  it('re-parsing the canonical form gives the same canonical form and selects the same label sets', () => {
    fc.assert(
      fc.property(tree.filter(writable), fc.array(labelSet, { minLength: 1, maxLength: 8 }), (node, labelSets) => {
        const sel = Selector.fromNode(node);
        const again = Selector.parse(sel.toString());
        if (!hasDoubleNegation(node)) {
          expect(again.toString()).to.equal(sel.toString());
          expect(again.uniqueId()).to.equal(sel.uniqueId());
        }
        // Whatever the shape, a second round is stable.
        expect(Selector.parse(again.toString()).toString()).to.equal(again.toString());
        for (const labels of labelSets) {
          const expected = reference(node, labels);
          expect(sel.matches(labels)).to.equal(expected);
          expect(again.matches(labels)).to.equal(expected);
          expect(sel.matches(new Map(Object.entries(labels)))).to.equal(expected);
        }
      }),
      { numRuns: 1500 },
    );
  });

  it('the v1 grammar reads the canonical form exactly when requiresVersion() is v1', () => {
    fc.assert(
      fc.property(tree.filter(writable), (node) => {
        const sel = Selector.fromNode(node);
        const v1 = parseOrError(sel.toString(), { calicoVersion: 'v1' });
        if (sel.requiresVersion() === 'v1') {
          expect(v1).to.be.instanceOf(Selector);
          expect(String(v1)).to.equal(Selector.parse(sel.toString()).toString());
        } else {
          expect(v1).to.be.instanceOf(SelectorParseError);
        }
      }),
      { numRuns: 1000 },
    );
  });

  it('never crashes on random strings: they parse or throw SelectorParseError', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 40 }), fc.constantFrom<'v1' | 'v3'>('v1', 'v3'), (text, calicoVersion) => {
        const r = parseOrError(text, { calicoVersion });
        if (r instanceof SelectorParseError) {
          expect(r.position).to.be.within(0, text.length);
          expect(r.selector).to.equal(text);
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('never crashes on token soups, and whatever parses re-parses stably', () => {
    fc.assert(
      fc.property(soup, fc.constantFrom<'v1' | 'v3'>('v1', 'v3'), (text, calicoVersion) => {
        const r = parseOrError(text, { calicoVersion });
        if (r instanceof SelectorParseError) {
          expect(r.position).to.be.within(0, text.length);
          expect(r.expected).to.be.a('string').and.not.equal('');
          return;
        }
        const once = Selector.parse(r.toString());
        expect(Selector.parse(once.toString()).toString()).to.equal(once.toString());
      }),
      { numRuns: 2000 },
    );
  });
});
