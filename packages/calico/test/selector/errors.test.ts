import { expect } from 'chai';
import { Selector, SelectorParseError } from '../../src/selector/index.js';

function parseError(text: string, options?: { calicoVersion: 'v1' | 'v3' }): SelectorParseError {
  try {
    Selector.parse(text, options);
  } catch (e) {
    if (e instanceof SelectorParseError) return e;
    throw e;
  }
  return expect.fail(`expected ${JSON.stringify(text)} to be rejected`);
}

describe('selector parse errors', () => {
  it('name the input, position and expectation, then show the input with a caret', () => {
    const err = parseError('app == ');
    expect(err.name).to.equal('SelectorParseError');
    expect(err.selector).to.equal('app == ');
    expect(err.position).to.equal(7);
    expect(err.expected).to.equal("a quoted string after '=='");
    const [head, line, caret] = err.message.split('\n');
    expect(head).to.match(/^Invalid selector "app == " at position 7: expected a quoted string after '=='/);
    expect(line).to.equal('  app == ');
    expect(caret).to.equal(`  ${' '.repeat(7)}^`);
  });

  const cases: Array<[string, number, string]> = [
    ['a == b', 5, "a quoted string after '=='"],
    ['a != ', 5, "a quoted string after '!='"],
    ['a contains has(b)', 11, "a quoted string after 'contains'"],
    ['a in "x"', 5, "'{' to start the set after 'in'"],
    ['a not in {"x" "y"}', 14, "',' or '}' in the set after 'not in'"],
    ['a in {"x",', 10, "a quoted string or '}' in the set after 'in'"],
    ['a', 1, "an operator after label 'a': '==', '!=', 'in', 'not in', 'contains', 'starts with' or 'ends with'"],
    ['a has(b)', 2, "an operator after label 'a': '==', '!=', 'in', 'not in', 'contains', 'starts with' or 'ends with'"],
    ['"x" == a', 0, "a label key, has(...), all(), global(), '!' or '('"],
    ['has(a) &&', 9, "a label key, has(...), all(), global(), '!' or '(' after '&&'"],
    ['has(a) || )', 10, "a label key, has(...), all(), global(), '!' or '(' after '||'"],
    ['has(a) && !', 11, "a label key, has(...), all(), global(), '!' or '(' after '!'"],
    ['( )', 2, "a label key, has(...), all(), global(), '!' or '(' after '('"],
    ['(has(a)', 7, "'&&', '||' or ')' to close the '(' at position 0"],
    ['has(a))', 6, "'&&', '||' or the end of the selector"],
    ['has(a) has(b)', 7, "'&&', '||' or the end of the selector"],
    ['has(a) = has(b)', 7, "'=='"],
    ['a == "x" & b == "y"', 9, "'&&'"],
    ['a == "x', 5, 'a closing " for the string that starts here'],
    ['a == ü', 5, "a quoted string after '=='"],
  ];
  for (const [text, position, expected] of cases) {
    it(`report ${JSON.stringify(text)} at position ${position}: expected ${expected}`, () => {
      const err = parseError(text);
      expect(err.position).to.equal(position);
      expect(err.expected).to.equal(expected);
      expect(err.message).to.contain(`at position ${position}: expected ${expected}`);
    });
  }

  it('list only v1 operators when reading the v1 grammar', () => {
    const err = parseError('a ~ "x"', { calicoVersion: 'v1' });
    expect(err.expected).to.equal("an operator after label 'a': '==', '!=', 'in' or 'not in'");
  });

  it('carry a hint saying which Calico version a construct needs', () => {
    const err = parseError('a ends with "x"', { calicoVersion: 'v1' });
    expect(err.position).to.equal(2);
    expect(err.hint).to.match(/'ends with' needs Calico v3\.6 or later/);
    expect(parseError('global()', { calicoVersion: 'v1' }).hint).to.match(/global\(\) needs Calico v3\.15 or later/);
  });

  it('keep the caret aligned when the input contains tabs or newlines', () => {
    const err = parseError('a ==\t\n"x"');
    const [, line, caret] = err.message.split('\n');
    expect(line).to.equal('  a ==  "x"');
    expect(caret!.indexOf('^') - 2).to.equal(err.position);
  });

  it('show a window of a long input around the failing position', () => {
    const text = `${'has(a) && '.repeat(100)}%`;
    const err = parseError(text);
    expect(err.position).to.equal(1000);
    const [head, line, caret] = err.message.split('\n');
    expect(head).to.contain('(1001 characters)');
    expect(line!.startsWith('  …')).to.equal(true);
    expect(line![caret!.indexOf('^')]).to.equal('%');
  });

  it('are Error instances with a stack', () => {
    const err = parseError('(');
    expect(err).to.be.instanceOf(Error);
    expect(err.stack).to.be.a('string');
  });
});
