import { expect } from 'chai';
import { parse } from 'yaml';
import { toYaml, toYamlDocuments } from '../src/index.js';

describe('toYaml', () => {
  it('lays out a calicoctl policy in block style', () => {
    const text = toYaml({
      apiVersion: 'v1',
      kind: 'policy',
      metadata: { name: 'allow-dev-pings' },
      spec: { selector: "group == 'development'", ingress: [{ action: 'allow', icmp: { type: 8 } }], egress: [] },
    });
    expect(text).to.equal(
      [
        'apiVersion: v1',
        'kind: policy',
        'metadata:',
        '  name: allow-dev-pings',
        'spec:',
        "  selector: 'group == ''development'''",
        '  ingress:',
        '  - action: allow',
        '    icmp:',
        '      type: 8',
        '  egress: []',
        '',
      ].join('\n'),
    );
  });

  it('quotes strings a YAML 1.1 reader would turn into another type', () => {
    const values = ['true', 'no', 'On', '~', 'null', '80', '10.0.0.0/8', '0x1F', '-1', '', ' lead', 'a: b', '#x', 'line\nbreak', "it's"];
    for (const v of values) {
      const back = parse(toYaml({ v })) as { v: unknown };
      expect(back.v, JSON.stringify(v)).to.equal(v);
    }
  });

  it('round-trips nested arrays and objects through a YAML parser', () => {
    const value = { a: [[1, 2], [], [{ b: { c: [true, null] } }]], d: {}, e: 'plain-text_1.2/x' };
    expect(parse(toYaml(value))).to.deep.equal(value);
  });

  it('drops undefined fields and joins documents with ---', () => {
    expect(toYaml({ a: 1, b: undefined })).to.equal('a: 1\n');
    expect(toYamlDocuments([{ a: 1 }, { b: 2 }])).to.equal('a: 1\n---\nb: 2\n');
  });
});
