import { createHash } from 'node:crypto';
import { expect } from 'chai';
import {
  Selector,
  SelectorBuildError,
  SelectorInterner,
  SELECTOR_MAX_DEPTH,
  type SelectorNode,
} from '../../src/selector/index.js';

describe('Selector', () => {
  describe('uniqueId', () => {
    it('is "s:" + unpadded base64url SHA-224 of "s:" + the canonical form', () => {
      const sel = Selector.parse("role == 'web' && has(x)");
      const expected = `s:${createHash('sha224').update(`s:${sel.toString()}`).digest('base64url')}`;
      expect(sel.uniqueId()).to.equal(expected);
      expect(sel.uniqueId()).to.match(/^s:[A-Za-z0-9_-]{38}$/);
    });

    it('matches the ids in libcalico-go parser_test.go', () => {
      expect(Selector.all().uniqueId()).to.equal('s:5y5I3VdRZfDU01O--xXAPx2yxCQQqMf0M6IWug');
      expect(Selector.parse('!(has(b) || !has(a))').uniqueId()).to.equal('s:Iss0uCleLYv1GSv_pNm7hAO58kE9jAx1NKyG3Q');
      expect(Selector.parse('!(a == "b" && !c != "d")').uniqueId()).to.equal('s:lh3haoY1ikTRkd4UZu0nWSaIBknYLPJLX16d-w');
    });

    it('is the same for every spelling of one selector', () => {
      const a = Selector.parse(`tier in {'b', 'a', 'b'} && app == 'x'`);
      const b = Selector.parse('tier in {"a","b"}&&app=="x"');
      expect(a.uniqueId()).to.equal(b.uniqueId());
      expect(a.equals(b)).to.equal(true);
    });
  });

  describe('matches', () => {
    it('reads only own properties of a plain object', () => {
      expect(Selector.has('constructor').matches({})).to.equal(false);
      expect(Selector.has('toString').matches({})).to.equal(false);
      expect(Selector.label('__proto__').notEq('x').matches({})).to.equal(true);
      expect(Selector.has('constructor').matches({ constructor: '' } as Record<string, string>)).to.equal(true);
      const bare = Object.assign(Object.create(null) as Record<string, string>, { a: 'b' });
      expect(Selector.label('a').eq('b').matches(bare)).to.equal(true);
    });

    it('accepts a Map and treats a missing key as an absent label', () => {
      const labels = new Map([['app', 'web']]);
      expect(Selector.parse('app == "web" && tier != "db" && tier not in {"x"}').matches(labels)).to.equal(true);
      expect(Selector.parse('tier == "db" || tier in {"db"} || tier contains ""').matches(labels)).to.equal(false);
    });

    it('treats an empty value as present', () => {
      expect(Selector.parse('has(a) && a == "" && a starts with "" && a in {""}').matches({ a: '' })).to.equal(true);
    });

    it('makes all() and global() match everything', () => {
      expect(Selector.all().matches({})).to.equal(true);
      expect(Selector.global().matches({ a: 'b' })).to.equal(true);
    });

    it('handles large sets', () => {
      const values = Array.from({ length: 50 }, (_, i) => `v${i}`);
      const sel = Selector.label('k').in(values);
      expect(sel.matches({ k: 'v37' })).to.equal(true);
      expect(sel.matches({ k: 'v50' })).to.equal(false);
      expect(Selector.label('k').notIn(values).matches({ k: 'v50' })).to.equal(true);
    });
  });

  describe('builder', () => {
    it('builds every single-label operator', () => {
      expect(Selector.label('app').eq('frontend').toString()).to.equal('app == "frontend"');
      expect(Selector.label('app').notEq('x').toString()).to.equal('app != "x"');
      expect(Selector.label('tier').in(['web', 'api', 'web']).toString()).to.equal('tier in {"api", "web"}');
      expect(Selector.label('tier').notIn(new Set(['b', 'a'])).toString()).to.equal('tier not in {"a", "b"}');
      expect(Selector.label('tier').in([]).toString()).to.equal('tier in {}');
      expect(Selector.label('host').contains('prod').toString()).to.equal('host contains "prod"');
      expect(Selector.label('host').startsWith('ip-').toString()).to.equal('host starts with "ip-"');
      expect(Selector.label('host').endsWith('.internal').toString()).to.equal('host ends with ".internal"');
      expect(Selector.has('calico/k8s_ns').toString()).to.equal('has(calico/k8s_ns)');
      expect(Selector.all().toString()).to.equal('all()');
      expect(Selector.global().toString()).to.equal('global()');
    });

    it('quotes a value containing " with single quotes', () => {
      const sel = Selector.label('a').eq('say "hi"');
      expect(sel.toString()).to.equal(`a == 'say "hi"'`);
      expect(Selector.parse(sel.toString()).equals(sel)).to.equal(true);
    });

    it('rejects a value containing both quote characters, since Calico strings have no escapes', () => {
      expect(() => Selector.label('a').eq(`it's "x"`)).to.throw(SelectorBuildError, /contains both ' and "/);
      expect(() => Selector.label('a').in(['ok', `'"`])).to.throw(SelectorBuildError, /no escapes/);
    });

    it('rejects invalid label keys', () => {
      for (const key of ['', 'a b', 'a=b', 'ü', 'x'.repeat(513)]) {
        expect(() => Selector.label(key), JSON.stringify(key)).to.throw(SelectorBuildError, /Invalid selector label key/);
        expect(() => Selector.has(key)).to.throw(SelectorBuildError);
      }
      expect(Selector.label('x'.repeat(512)).eq('v').labelKeys()).to.have.length(1);
    });

    it('rejects values of the wrong type from untyped callers', () => {
      expect(() => Selector.label('a').eq(3 as unknown as string)).to.throw(SelectorBuildError, /must be a string/);
      expect(() => Selector.label('a').in('abc' as unknown as string[])).to.throw(SelectorBuildError, /iterable/);
      expect(() => Selector.label('a').in([null] as unknown as string[])).to.throw(SelectorBuildError);
    });

    it('combines with and/or into the n-ary node Calico builds for "(x) && (y)"', () => {
      const web = Selector.label('app').eq('web');
      const prod = Selector.label('env').eq('prod');
      const both = web.and(prod);
      expect(both.toString()).to.equal('(app == "web" && env == "prod")');
      expect(web.and(prod, Selector.has('x')).toString()).to.equal('(app == "web" && env == "prod" && has(x))');
      expect(both.and(Selector.has('x')).toString()).to.equal('((app == "web" && env == "prod") && has(x))');
      expect(both.and(Selector.has('x')).equals(Selector.parse(`(${both}) && (has(x))`))).to.equal(true);
      expect(web.or(prod).toString()).to.equal('(app == "web" || env == "prod")');
      expect(web.and()).to.equal(web);
    });

    it('negates, and negating twice gives back the original', () => {
      const sel = Selector.label('a').eq('x').and(Selector.has('b'));
      expect(sel.not().toString()).to.equal('!(a == "x" && has(b))');
      expect(sel.not().not().toString()).to.equal(sel.toString());
      expect(Selector.has('a').not().toString()).to.equal('!has(a)');
      expect(Selector.has('a').not().matches({})).to.equal(true);
    });

    it('refuses compositions deeper than the depth limit', () => {
      let sel = Selector.has('a');
      for (let i = 1; i < SELECTOR_MAX_DEPTH; i++) sel = i % 2 ? sel.and(Selector.has(`k${i}`)) : sel.or(Selector.has(`k${i}`));
      expect(sel.matches({ a: '' })).to.be.a('boolean');
      expect(() => sel.and(Selector.has('z'))).to.throw(SelectorBuildError, /deeper than 1000/);
      expect(() => sel.not()).to.throw(SelectorBuildError);
    });

    it('rejects non-selector operands', () => {
      expect(() => Selector.has('a').and('has(b)' as unknown as Selector)).to.throw(SelectorBuildError);
    });
  });

  describe('labelKeys', () => {
    it('lists every key the selector reads, sorted and unique', () => {
      const sel = Selector.parse('z == "1" && (has(a) || !m in {"x"} || a != "2") && global() && all()');
      expect(sel.labelKeys()).to.deep.equal(['a', 'm', 'z']);
      expect(Object.isFrozen(sel.labelKeys())).to.equal(true);
      expect(Selector.all().labelKeys()).to.deep.equal([]);
    });
  });

  describe('requiresVersion', () => {
    it('names the oldest Calico grammar that reads the selector', () => {
      expect(Selector.parse('a == "x" && has(b) || c not in {"y"}').requiresVersion()).to.equal('v1');
      expect(Selector.parse('a == "x" && b contains "y"').requiresVersion()).to.equal('v3.6');
      expect(Selector.parse('!(b ends with "y")').requiresVersion()).to.equal('v3.6');
      expect(Selector.parse('a starts with "x" || global()').requiresVersion()).to.equal('v3.15');
      expect(Selector.parse('in-x == "a"').requiresVersion()).to.equal('v3.6');
      expect(Selector.parse('has(in-x)').requiresVersion()).to.equal('v1');
    });
  });

  describe('root and fromNode', () => {
    it('exposes a frozen tree', () => {
      const sel = Selector.parse('a in {"y", "x"} && !has(b)');
      const root = sel.root;
      expect(Object.isFrozen(root)).to.equal(true);
      expect(root).to.deep.equal({
        kind: 'and',
        operands: [
          { kind: 'in', key: 'a', values: ['x', 'y'] },
          { kind: 'not', operand: { kind: 'has', key: 'b' } },
        ],
      });
    });

    it('rebuilds a selector from a rewritten tree, as for a namespaceSelector', () => {
      const rewrite = (n: SelectorNode): SelectorNode => {
        switch (n.kind) {
          case 'all':
            return { kind: 'has', key: 'projectcalico.org/namespace' };
          case 'global':
            return { kind: 'not', operand: { kind: 'has', key: 'projectcalico.org/namespace' } };
          case 'not':
            return { kind: 'not', operand: rewrite(n.operand) };
          case 'and':
          case 'or':
            return { kind: n.kind, operands: n.operands.map(rewrite) };
          default:
            return { ...n, key: `pcns.${n.key}` };
        }
      };
      const sel = Selector.fromNode(rewrite(Selector.parse('all() || team == "a"').root));
      expect(sel.toString()).to.equal('(has(projectcalico.org/namespace) || pcns.team == "a")');
      expect(Selector.fromNode(rewrite(Selector.global().root)).toString()).to.equal('!has(projectcalico.org/namespace)');
    });

    it('validates and normalises a tree from outside', () => {
      expect(Selector.fromNode({ kind: 'in', key: 'a', values: ['b', 'a', 'b'] }).toString()).to.equal('a in {"a", "b"}');
      const bad: unknown[] = [
        null,
        { kind: 'nope' },
        { kind: 'has', key: 'a b' },
        { kind: 'eq', key: 'a', value: 1 },
        { kind: 'in', key: 'a', values: 'x' },
        { kind: 'and', operands: [{ kind: 'all' }] },
        { kind: 'not' },
      ];
      for (const node of bad) {
        expect(() => Selector.fromNode(node as SelectorNode), JSON.stringify(node)).to.throw(SelectorBuildError);
      }
    });

    it('refuses a tree deeper than the limit without overflowing the stack', () => {
      let node: SelectorNode = { kind: 'has', key: 'a' };
      for (let i = 0; i < 100_000; i++) node = { kind: 'not', operand: node };
      expect(() => Selector.fromNode(node)).to.throw(SelectorBuildError, /deeper than 1000/);
    });
  });

  describe('identity', () => {
    it('brands instances with Symbol.for("dcos-cdk.Selector")', () => {
      const sel = Selector.has('a');
      expect((sel as unknown as Record<symbol, unknown>)[Symbol.for('dcos-cdk.Selector')]).to.equal(true);
      expect(Selector.isSelector(sel)).to.equal(true);
      expect(Selector.isSelector({ root: { kind: 'all' } })).to.equal(false);
      expect(Selector.isSelector(null)).to.equal(false);
      expect(Selector.isSelector('all()')).to.equal(false);
    });

    it('cannot be constructed directly', () => {
      const Ctor = Selector as unknown as new (...args: unknown[]) => Selector;
      expect(() => new Ctor(Symbol('x'), { kind: 'all' }, 1)).to.throw(SelectorBuildError);
    });

    it('returns the shared all() instance for an empty selector', () => {
      expect(Selector.parse('   ')).to.equal(Selector.all());
    });

    it('serialises to its canonical string in JSON', () => {
      expect(JSON.stringify({ selector: Selector.parse("a=='b'") })).to.equal('{"selector":"a == \\"b\\""}');
    });

    it('compares by canonical form', () => {
      expect(Selector.parse('a == "x"').equals(Selector.label('a').eq('x'))).to.equal(true);
      expect(Selector.parse('a == "x"').equals(Selector.parse('a == "y"'))).to.equal(false);
      expect(Selector.parse('(has(a) && has(b))').equals(Selector.parse('(has(b) && has(a))'))).to.equal(false);
    });
  });
});

describe('SelectorInterner', () => {
  it('returns one instance per canonical form', () => {
    const interner = new SelectorInterner();
    const a = interner.parse('app == "web"');
    const b = interner.parse("(app=='web')");
    const c = interner.intern(Selector.label('app').eq('web'));
    expect(b).to.equal(a);
    expect(c).to.equal(a);
    expect(interner.size).to.equal(1);
    expect(interner.get('app == "web"')).to.equal(a);
    expect(interner.has('app == "x"')).to.equal(false);
  });

  it('parses a repeated text once and keeps the grammars apart', () => {
    const interner = new SelectorInterner();
    const first = interner.parse('a contains "x"');
    expect(interner.parse('a contains "x"')).to.equal(first);
    expect(() => interner.parse('a contains "x"', { calicoVersion: 'v1' })).to.throw(/needs Calico v3\.6/);
  });

  it('lists and clears its selectors', () => {
    const interner = new SelectorInterner();
    interner.parse('has(a)');
    interner.parse('has(b)');
    expect([...interner.values()].map(String)).to.deep.equal(['has(a)', 'has(b)']);
    interner.clear();
    expect(interner.size).to.equal(0);
  });
});
