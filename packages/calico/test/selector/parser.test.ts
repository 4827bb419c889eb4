import { expect } from 'chai';
import { Selector, SelectorParseError, SELECTOR_MAX_DEPTH } from '../../src/selector/index.js';

type Labels = Record<string, string>;

/**
 * libcalico-go parser_test.go `selectorTests`: each selector with label sets it must and must
 * not match, before and after canonicalising.
 */
const MATCH_VECTORS: Array<[string, Labels[], Labels[]]> = [
  ['a == "b"', [{ a: 'b' }, { a: 'b', c: 'd' }], [{}, { a: 'c' }, { c: 'd' }]],
  ['a == "b" && c == "d"', [{ a: 'b', c: 'd' }], [{}, { a: 'b', c: 'e' }, { a: 'c', c: 'd' }, { c: 'd' }, { a: 'b' }]],
  ['a == "b" || c == "d"', [{ a: 'b', c: 'd' }, { a: 'b' }, { c: 'd' }], [{}, { a: 'e', c: 'e' }, { c: 'e' }, { a: 'e' }]],
  [`a in {"'", '"', "c"}`, [{ a: 'c' }, { a: '"' }, { a: "'" }], [{}, { a: 'e' }]],
  [`a not in {"'", '"', "c"}`, [{}, { a: 'e' }], [{ a: 'c' }, { a: '"' }, { a: "'" }]],
  [`a == 'a'`, [{ a: 'a' }], [{ a: 'b' }, {}]],
  ['a == "a"', [{ a: 'a' }], []],
  ['a != "b"', [{ a: 'a' }], []],
  ['a != "a"', [{}], [{ a: 'a' }]],
  [`a != 'a'`, [], [{ a: 'a' }]],
  ['a contains "a"', [{ a: 'a' }, { a: 'bab' }, { a: 'aaa', b: 'c' }], [{}, { a: 'b' }, { b: 'aaa' }]],
  ['a starts with "a"', [{ a: 'a' }, { a: 'abb' }, { a: 'aaa', b: 'c' }], [{}, { a: 'b' }, { a: 'baa' }, { b: 'aaa' }]],
  ['a ends with "a"', [{ a: 'a' }, { a: 'bba' }, { a: 'aaa', b: 'c' }], [{}, { a: 'b' }, { a: 'aab' }, { b: 'aaa' }]],
  ['a in {"a"}', [{ a: 'a' }], [{ a: 'b' }]],
  ['!a in {"a"}', [{ a: 'b' }], []],
  ['a in {"a", "b"}', [{ a: 'a' }, { a: 'b' }], [{ a: 'c' }]],
  ['a not in {"d", "e"}', [{ a: 'a' }], []],
  ['a not in {"a"}', [], [{ a: 'a' }]],
  ['has(a)', [{ a: 'b' }], []],
  ['has(b)', [], [{ a: 'b' }]],
  ['!has(a)', [{ b: 'b' }], [{ a: 'b' }]],
  ['', [{}, { a: 'b' }], []],
  [' ', [{}], []],
  ['all()', [{}], []],
  [' all()', [{}, { a: 'b' }], []],
  ['global()', [{}], []],
  [' global()', [{}, { a: 'b' }], []],
  ['!!has(b)', [], [{ a: 'b' }]],
  ['! has(a)', [], [{ a: 'b' }]],
  ['!!! has(a)', [], [{ a: 'b' }]],
  ['!!!has(a)', [], [{ a: 'b' }]],
  ['!! ! has(a)', [], [{ a: 'b' }]],
  ['! !!has(a)', [], [{ a: 'b' }]],
  [`a == 'a1' && b == 'b1'`, [{ a: 'a1', b: 'b1' }], []],
  [`a == 'a1' && b != 'b1'`, [], [{ a: 'a1', b: 'b1' }]],
  [`a != 'a1' && b == 'b1'`, [], [{ a: 'a1', b: 'b1' }]],
  [`a != 'a1' && b != 'b1'`, [], [{ a: 'a1', b: 'b1' }]],
  [`a != 'a1' && !b == 'b1'`, [], [{ a: 'a1', b: 'b1' }]],
  [`!a == 'a1' && b == 'b1'`, [], [{ a: 'a1', b: 'b1' }]],
  ['has(a) && !has(b)', [{ a: 'a' }], []],
  ['!has(b) && has(a)', [{ a: 'a' }], []],
  ['!(!has(a) || has(b))', [{ a: 'a' }], []],
  ['!(has(b) || !has(a))', [{ a: 'a' }], []],
  [`a == 'a1' || b == 'b1'`, [{ a: 'a1', b: 'b1' }], []],
  [`a == 'a1' || b != 'b1'`, [{ a: 'a1', b: 'b1' }], []],
  [`a != 'a1' || b == 'b1'`, [{ a: 'a1', b: 'b1' }], []],
  [`a != 'a1' || b != 'b1'`, [], [{ a: 'a1', b: 'b1' }]],
  [`! a == 'a1' || ! b == 'b1'`, [], [{ a: 'a1', b: 'b1' }]],
];

/** libcalico-go parser_test.go `badSelectors`, plus grammar corners. */
const BAD_SELECTORS = [
  'b == b',
  'b contains b',
  'b starts with b',
  'b ends with b',
  "'b1' == b",
  'b',
  'a b',
  '!',
  'foo == "bar" &',
  'foo == "bar" |',
  'foo != ||',
  'foo in {"", ||',
  'foo in ""',
  '"FOO',
  `"FOO'`,
  "'FOO",
  '(',
  '(a == "foo"',
  ')',
  '()',
  '%',
  'a == "b" && %',
  'a == "b" || %',
  'a ',
  'has(foo) &&',
  // Beyond upstream's list.
  'a in {"x" "y"}',
  'a in {,}',
  'a in {"x",,}',
  'has(a) has(b)',
  '!!',
  'a == "x" &&& b == "y"',
  'a === "x"',
  'all',
  'has',
  'a not "x"',
  'a == "x")',
  '((a == "x")',
];

/**
 * libcalico-go parser_test.go `canonicalisationTests`: input, canonical form, and unique id
 * where upstream gives one.
 */
const CANONICAL_VECTORS: Array<[string, string, string?]> = [
  ['', 'all()', 's:5y5I3VdRZfDU01O--xXAPx2yxCQQqMf0M6IWug'],
  [' all() ', 'all()', 's:5y5I3VdRZfDU01O--xXAPx2yxCQQqMf0M6IWug'],
  [' (all() )', 'all()', 's:5y5I3VdRZfDU01O--xXAPx2yxCQQqMf0M6IWug'],
  ['! (has( b)||! has(a ))', '!(has(b) || !has(a))', 's:Iss0uCleLYv1GSv_pNm7hAO58kE9jAx1NKyG3Q'],
  ['! (a == "b"&&! c != "d")', '!(a == "b" && !c != "d")', 's:lh3haoY1ikTRkd4UZu0nWSaIBknYLPJLX16d-w'],
  [`a == "'"`, `a == "'"`],
  [`a == '"'`, `a == '"'`],
  [`a contains '"'`, `a contains '"'`],
  [`a contains "'"`, `a contains "'"`],
  [`a startswith '"'`, `a starts with '"'`],
  [`a endswith "'"`, `a ends with "'"`],
  [`a!='"'`, `a != '"'`],
  ['a in {"d"}', 'a in {"d"}'],
  ['a in {"a", "b"}', 'a in {"a", "b"}'],
  ['a in {"d", "a", "b"}', 'a in {"a", "b", "d"}'],
  ['a in {"z", "x", "y", "a"}', 'a in {"a", "x", "y", "z"}'],
  ['a in {"z", "z", "x", "y", "x", "a"}', 'a in {"a", "x", "y", "z"}'],
  // Visitor tests in parser_test.go show these shapes (without the visitor's key prefix).
  ["k == 'v' && x == 'y'", '(k == "v" && x == "y")'],
  ["k == 'v' || has(x)", '(k == "v" || has(x))'],
  ["!(k == 'v')", '!k == "v"'],
  ["k not in {'v'}", 'k not in {"v"}'],
  [
    "!(!(k == 'v' && has(t) || all()) && (a in {'b', 'c'}))",
    '!(!((k == "v" && has(t)) || all()) && a in {"b", "c"})',
  ],
];

describe('selector parser', () => {
  describe('upstream match vectors', () => {
    for (const [text, yes, no] of MATCH_VECTORS) {
      it(`${JSON.stringify(text)} selects exactly the expected label sets, also after canonicalising`, () => {
        const sel = Selector.parse(text);
        const again = Selector.parse(sel.toString());
        for (const labels of yes) {
          expect(sel.matches(labels), `${text} on ${JSON.stringify(labels)}`).to.equal(true);
          expect(again.matches(labels)).to.equal(true);
          expect(sel.matches(new Map(Object.entries(labels)))).to.equal(true);
        }
        for (const labels of no) {
          expect(sel.matches(labels), `${text} on ${JSON.stringify(labels)}`).to.equal(false);
          expect(again.matches(labels)).to.equal(false);
          expect(sel.matches(new Map(Object.entries(labels)))).to.equal(false);
        }
        expect(sel.uniqueId()).to.equal(sel.uniqueId());
      });
    }
  });

  describe('upstream bad selectors', () => {
    for (const text of BAD_SELECTORS) {
      it(`rejects ${JSON.stringify(text)} with a SelectorParseError`, () => {
        expect(() => Selector.parse(text)).to.throw(SelectorParseError);
      });
    }
  });

  describe('upstream canonical forms and unique ids', () => {
    for (const [input, canonical, uid] of CANONICAL_VECTORS) {
      it(`prints ${JSON.stringify(input)} as ${canonical}, which round-trips`, () => {
        const sel = Selector.parse(input);
        expect(sel.toString()).to.equal(canonical);
        const again = Selector.parse(canonical);
        expect(again.toString()).to.equal(canonical);
        expect(again.uniqueId()).to.equal(sel.uniqueId());
        if (uid !== undefined) expect(sel.uniqueId()).to.equal(uid);
      });
    }
  });

  describe('tree shape (as Calico builds it)', () => {
    it('makes one n-ary node of a chain of && or ||', () => {
      expect(Selector.parse('a == "1" && b == "2" && c == "3"').toString()).to.equal('(a == "1" && b == "2" && c == "3")');
      expect(Selector.parse('has(a) || has(b) || has(c)').toString()).to.equal('(has(a) || has(b) || has(c))');
    });

    it('keeps a parenthesised group as its own node instead of flattening it', () => {
      expect(Selector.parse('(a == "1" && b == "2") && c == "3"').toString()).to.equal('((a == "1" && b == "2") && c == "3")');
      expect(Selector.parse('a == "1" && (b == "2" && c == "3")').toString()).to.equal('(a == "1" && (b == "2" && c == "3"))');
    });

    it('binds && tighter than ||', () => {
      const sel = Selector.parse('has(a) || has(b) && has(c) || has(d)');
      expect(sel.toString()).to.equal('(has(a) || (has(b) && has(c)) || has(d))');
      expect(sel.root.kind).to.equal('or');
    });

    it('applies ! only to the term that follows it', () => {
      expect(Selector.parse('!a == "x" && b == "y"').toString()).to.equal('(!a == "x" && b == "y")');
      expect(Selector.parse('!(a == "x" && b == "y")').toString()).to.equal('!(a == "x" && b == "y")');
    });

    it('collapses a run of ! by parity, but keeps a ! in front of a negated group', () => {
      expect(Selector.parse('!!has(a)').toString()).to.equal('has(a)');
      expect(Selector.parse('!!!has(a)').toString()).to.equal('!has(a)');
      // Calico prints !(!x) as !!x, which re-parses as x: its String() is not idempotent here.
      expect(Selector.parse('!(!has(a))').toString()).to.equal('!!has(a)');
      expect(Selector.parse('!(!has(a))').matches({ a: '' })).to.equal(true);
    });

    it('drops parentheses around a single term', () => {
      expect(Selector.parse('((( has(a) )))').toString()).to.equal('has(a)');
    });

    it('accepts empty sets and a trailing comma', () => {
      expect(Selector.parse('a in {}').toString()).to.equal('a in {}');
      expect(Selector.parse('a in {}').matches({ a: '' })).to.equal(false);
      expect(Selector.parse('a not in {}').matches({})).to.equal(true);
      expect(Selector.parse('a in {"x", "y",}').toString()).to.equal('a in {"x", "y"}');
    });

    it('accepts not in, notin and spaced multi-word operators', () => {
      for (const text of ['a not in {"x"}', 'a notin {"x"}', 'a not\t in {"x"}']) {
        expect(Selector.parse(text).toString()).to.equal('a not in {"x"}');
      }
      expect(Selector.parse('a starts   with "x"').toString()).to.equal('a starts with "x"');
    });

    it('reads a quoted value with any characters, including non-ASCII and newlines', () => {
      const sel = Selector.parse('a == "ü\n😀"');
      expect(sel.toString()).to.equal('a == "ü\n😀"');
      expect(sel.matches({ a: 'ü\n😀' })).to.equal(true);
    });

    it('sorts set members by code point, as Go sorts UTF-8 strings', () => {
      // UTF-16 order would put "\uff01" after "😀" (a surrogate pair); code point order does not.
      expect(Selector.parse('a in {"😀", "\uff01", "b", "B"}').toString()).to.equal('a in {"B", "b", "\uff01", "😀"}');
    });
  });

  describe('deep nesting', () => {
    it('parses 10,000 nested parentheses without using the call stack', () => {
      const text = `${'('.repeat(10_000)}a == "x"${')'.repeat(10_000)}`;
      expect(Selector.parse(text).toString()).to.equal('a == "x"');
    });

    it('collapses 10,000 leading ! into at most one', () => {
      expect(Selector.parse(`${'!'.repeat(10_000)}has(a)`).toString()).to.equal('has(a)');
      expect(Selector.parse(`${'!'.repeat(10_001)}has(a)`).toString()).to.equal('!has(a)');
    });

    it(`accepts trees up to ${SELECTOR_MAX_DEPTH} levels deep`, () => {
      const levels = SELECTOR_MAX_DEPTH - 1;
      const text = `${'!('.repeat(levels)}has(a)${')'.repeat(levels)}`;
      const sel = Selector.parse(text);
      expect(sel.matches({ a: 'x' })).to.equal(levels % 2 === 0);
      expect(sel.toString()).to.equal(`${'!'.repeat(levels)}has(a)`);
    });

    it('rejects deeper trees with a clear error instead of overflowing the stack', () => {
      const text = `${'!('.repeat(10_000)}has(a)${')'.repeat(10_000)}`;
      expect(() => Selector.parse(text)).to.throw(SelectorParseError, /at most 1000 levels of nested/);
      const chain = `${'(has(a) && '.repeat(5_000)}has(b)${')'.repeat(5_000)}`;
      expect(() => Selector.parse(chain)).to.throw(SelectorParseError, /levels of nested/);
    });
  });

  describe("calicoVersion: 'v1'", () => {
    const v1 = { calicoVersion: 'v1' } as const;

    it('accepts the v1 grammar', () => {
      const text = "a == 'x' && !has(b) || c in {'p', 'q'} && d not in {} && e != 'y' || all()";
      expect(Selector.parse(text, v1).toString()).to.equal(Selector.parse(text).toString());
    });

    for (const [text, needs] of [
      ['a contains "x"', /'contains' needs Calico v3\.6/],
      ['a starts with "x"', /'starts with' needs Calico v3\.6/],
      ['a startswith "x"', /'starts with' needs Calico v3\.6/],
      ['a ends with "x"', /'ends with' needs Calico v3\.6/],
      ['has(a) && global()', /global\(\) needs Calico v3\.15/],
    ] as const) {
      it(`rejects ${JSON.stringify(text)}, naming the Calico version it needs`, () => {
        expect(() => Selector.parse(text, v1)).to.throw(SelectorParseError, needs);
        expect(() => Selector.parse(text)).not.to.throw();
      });
    }

    for (const text of ['in == "x"', 'in-x == "x"', 'in.x/y != "x"', '!notin == "x"', 'has(a) && notin-b in {"x"}', 'not in {"x"}']) {
      it(`rejects ${JSON.stringify(text)}: old tokenizers read the key as an operator`, () => {
        expect(() => Selector.parse(text, v1)).to.throw(SelectorParseError, /before v3\.6 reads/);
        expect(Selector.parse(text).requiresVersion()).to.equal('v3.6');
      });
    }

    for (const text of ['has(in-x)', 'index == "x"', 'in_x == "x"', 'inx == "x"', 'notinx == "x"', 'not == "x"', 'not not in {"x"}']) {
      it(`accepts ${JSON.stringify(text)}: the key is not read as an operator`, () => {
        expect(Selector.parse(text, v1).toString()).to.equal(Selector.parse(text).toString());
        expect(Selector.parse(text).requiresVersion()).to.equal('v1');
      });
    }
  });

  it('rejects a bad calicoVersion option and non-string input with SelectorParseError', () => {
    expect(() => Selector.parse('all()', { calicoVersion: 'v2' as 'v1' })).to.throw(SelectorParseError, /calicoVersion/);
    expect(() => Selector.parse(undefined as unknown as string)).to.throw(SelectorParseError, /a selector string/);
    expect(() => Selector.parse(42 as unknown as string)).to.throw(SelectorParseError);
  });
});
