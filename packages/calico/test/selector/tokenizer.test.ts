import { expect } from 'chai';
import { SelectorParseError, tokenizeSelector, isSelectorLabelKey, type SelectorToken } from '../../src/selector/index.js';

/** Kind and value of each token, the shape upstream's tokenizer tests compare. */
function kinds(input: string): Array<[string, string]> {
  return tokenizeSelector(input).map((t) => [t.kind, t.value]);
}

describe('selector tokenizer', () => {
  describe('upstream tokenizer vectors (libcalico-go tokenizer_test.go)', () => {
    const vectors: Array<[string, Array<[string, string]>]> = [
      ['a=="b"', [['label', 'a'], ['eq', ''], ['string', 'b'], ['eof', '']]],
      ['label == "value"', [['label', 'label'], ['eq', ''], ['string', 'value'], ['eof', '']]],
      ['label contains "value"', [['label', 'label'], ['contains', ''], ['string', 'value'], ['eof', '']]],
      ['contains contains "contains"', [['label', 'contains'], ['contains', ''], ['string', 'contains'], ['eof', '']]],
      ["contains contains 'contains'", [['label', 'contains'], ['contains', ''], ['string', 'contains'], ['eof', '']]],
      ['label contains"value"', [['label', 'label'], ['contains', ''], ['string', 'value'], ['eof', '']]],
      ['label startswith "value"', [['label', 'label'], ['startsWith', ''], ['string', 'value'], ['eof', '']]],
      ['label endswith "value"', [['label', 'label'], ['endsWith', ''], ['string', 'value'], ['eof', '']]],
      ['label starts with "value"', [['label', 'label'], ['startsWith', ''], ['string', 'value'], ['eof', '']]],
      ['startswith starts with "value"', [['label', 'startswith'], ['startsWith', ''], ['string', 'value'], ['eof', '']]],
      ['label ends with "value"', [['label', 'label'], ['endsWith', ''], ['string', 'value'], ['eof', '']]],
      ['endswith ends with "value"', [['label', 'endswith'], ['endsWith', ''], ['string', 'value'], ['eof', '']]],
      ['label starts  with "value"', [['label', 'label'], ['startsWith', ''], ['string', 'value'], ['eof', '']]],
      ['label ends \twith "value"', [['label', 'label'], ['endsWith', ''], ['string', 'value'], ['eof', '']]],
      [
        'a not in "bar" && !has(foo) || b in c',
        [['label', 'a'], ['notIn', ''], ['string', 'bar'], ['and', ''], ['not', ''], ['has', 'foo'], ['or', ''], ['label', 'b'], ['in', ''], ['label', 'c'], ['eof', '']],
      ],
      ['has(calico/k8s_ns)', [['has', 'calico/k8s_ns'], ['eof', '']]],
      ['has(calico/k8s_NS-.1/role)', [['has', 'calico/k8s_NS-.1/role'], ['eof', '']]],
      [
        'calico/k8s_ns == "kube-system" && k8s-app == "kube-dns"',
        [['label', 'calico/k8s_ns'], ['eq', ''], ['string', 'kube-system'], ['and', ''], ['label', 'k8s-app'], ['eq', ''], ['string', 'kube-dns'], ['eof', '']],
      ],
      [
        'a  not  in  "bar"  &&  ! has( foo )  ||  b  in  c ',
        [['label', 'a'], ['notIn', ''], ['string', 'bar'], ['and', ''], ['not', ''], ['has', 'foo'], ['or', ''], ['label', 'b'], ['in', ''], ['label', 'c'], ['eof', '']],
      ],
      [
        'a notin"bar"&&!has(foo)||b in"c"',
        [['label', 'a'], ['notIn', ''], ['string', 'bar'], ['and', ''], ['not', ''], ['has', 'foo'], ['or', ''], ['label', 'b'], ['in', ''], ['string', 'c'], ['eof', '']],
      ],
      ['a not in {}', [['label', 'a'], ['notIn', ''], ['lbrace', ''], ['rbrace', ''], ['eof', '']]],
      ['a not in {"a","B"}', [['label', 'a'], ['notIn', ''], ['lbrace', ''], ['string', 'a'], ['comma', ''], ['string', 'B'], ['rbrace', ''], ['eof', '']]],
      ['global()', [['global', ''], ['eof', '']]],
      ['all( )', [['all', ''], ['eof', '']]],
    ];
    for (const [input, expected] of vectors) {
      it(`tokenizes ${JSON.stringify(input)}`, () => {
        expect(kinds(input)).to.deep.equal(expected);
      });
    }

    for (const input of ['label starts foo "value"', 'label ends foo "value"', 'label squiggles "value"']) {
      it(`rejects ${JSON.stringify(input)}: a word after a label must be an operator`, () => {
        expect(() => tokenizeSelector(input)).to.throw(SelectorParseError);
      });
    }
  });

  it('records the start and end offset of every token', () => {
    const toks: SelectorToken[] = tokenizeSelector(' a  not in {"x"} && has( b )');
    expect(toks.map((t) => [t.kind, t.position, t.end])).to.deep.equal([
      ['label', 1, 2],
      ['notIn', 4, 10],
      ['lbrace', 11, 12],
      ['string', 12, 15],
      ['rbrace', 15, 16],
      ['and', 17, 19],
      ['has', 20, 28],
      ['eof', 28, 28],
    ]);
  });

  it('treats only spaces and tabs as whitespace', () => {
    expect(kinds('\ta\t==\t"b"')).to.have.length(4);
    expect(() => tokenizeSelector('a ==\n"b"')).to.throw(SelectorParseError);
    expect(() => tokenizeSelector('a ==\r"b"')).to.throw(SelectorParseError);
  });

  it('reads strings without escapes, so a backslash is an ordinary character', () => {
    expect(kinds(`a == "x\\"`)).to.deep.equal([['label', 'a'], ['eq', ''], ['string', 'x\\'], ['eof', '']]);
    expect(kinds(`a == '"'`)[2]).to.deep.equal(['string', '"']);
    expect(kinds(`a == "'"`)[2]).to.deep.equal(['string', "'"]);
  });

  it('requires a word boundary after an operator word', () => {
    expect(() => tokenizeSelector('a inx {"b"}')).to.throw(SelectorParseError);
    expect(() => tokenizeSelector('a containsx "b"')).to.throw(SelectorParseError);
    expect(kinds('a in{"b"}').map((k) => k[0])).to.deep.equal(['label', 'in', 'lbrace', 'string', 'rbrace', 'eof']);
  });

  it('reads operator words as labels where a term starts (v3 grammar)', () => {
    expect(kinds('in-x == "a"')[0]).to.deep.equal(['label', 'in-x']);
    expect(kinds('not in {"a"}').map((k) => k[0])).to.deep.equal(['label', 'in', 'lbrace', 'string', 'rbrace', 'eof']);
  });

  it('accepts label keys up to 512 characters and rejects longer ones', () => {
    const k512 = 'k'.repeat(512);
    expect(kinds(`${k512} == "v"`)[0]).to.deep.equal(['label', k512]);
    expect(() => tokenizeSelector(`${k512}k == "v"`)).to.throw(SelectorParseError, /at most 512 characters/);
    expect(() => tokenizeSelector(`has(${k512}k)`)).to.throw(SelectorParseError, /at most 512 characters/);
  });

  for (const [input, position, expected] of [
    ['a = "b"', 2, "'=='"],
    ['a == "b" & c == "d"', 9, "'&&'"],
    ['a == "b" | c == "d"', 9, "'||'"],
    ['a == "b', 5, 'a closing " for the string that starts here'],
    ["a == 'b\"", 5, "a closing ' for the string that starts here"],
    ['has()', 4, "a label key inside 'has('"],
    ['has(a b)', 6, "')' to close 'has(a'"],
    ['all(x)', 4, "')' after 'all('"],
    ['global( x)', 8, "')' after 'global('"],
    ['%', 0, 'a label key, a quoted string, an operator or a bracket'],
  ] as const) {
    it(`reports ${JSON.stringify(input)} at position ${position}`, () => {
      try {
        tokenizeSelector(input);
        expect.fail('expected a SelectorParseError');
      } catch (e) {
        expect(e).to.be.instanceOf(SelectorParseError);
        const err = e as SelectorParseError;
        expect(err.position).to.equal(position);
        expect(err.expected).to.equal(expected);
        expect(err.selector).to.equal(input);
      }
    });
  }

  it('validates label keys like the tokenizer', () => {
    expect(isSelectorLabelKey('calico/k8s_NS-.1/role')).to.equal(true);
    expect(isSelectorLabelKey('')).to.equal(false);
    expect(isSelectorLabelKey('a b')).to.equal(false);
    expect(isSelectorLabelKey('ä')).to.equal(false);
    expect(isSelectorLabelKey('x'.repeat(513))).to.equal(false);
  });
});
