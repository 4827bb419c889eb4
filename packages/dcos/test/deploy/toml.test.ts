import { expect } from 'chai';
import { parseToml, tomlGet, TomlError } from '../../src/deploy/index.js';

describe('deploy/toml (dcos.toml reader)', () => {
  it('reads what the dcos CLI writes', () => {
    const doc = parseToml(`# written by dcos
[core]
dcos_url = "https://dcos.example.com"
dcos_acs_token = "eyJhbGciOi.J9.x"
ssl_verify = "false"
timeout = 30
pagination = true

[cluster]
name = "prod-us"

[marathon]
url = 'https://dcos.example.com/service/marathon-user'
`);
    expect(tomlGet(doc, 'core.dcos_url')).to.equal('https://dcos.example.com');
    expect(tomlGet(doc, 'core.timeout')).to.equal(30);
    expect(tomlGet(doc, 'core.pagination')).to.equal(true);
    expect(tomlGet(doc, 'cluster.name')).to.equal('prod-us');
    expect(tomlGet(doc, 'marathon.url')).to.equal('https://dcos.example.com/service/marathon-user');
    expect(tomlGet(doc, 'core.missing')).to.equal(undefined);
  });

  it('handles escapes, dotted keys, quoted keys, arrays, floats and comments', () => {
    const doc = parseToml(`a.b = "x\\ty\\u00e9\\"" # trailing
"quoted key" = -1.5e2
list = [ 1, 2,
  3, ] # multi-line
[t."sub.name"]
s = """
multi
line"""
lit = 'C:\\path'
under = 1_000
`);
    expect(tomlGet(doc, 'a.b')).to.equal('x\tyé"');
    expect(doc['quoted key']).to.equal(-150);
    expect(doc.list).to.deep.equal([1, 2, 3]);
    expect((doc.t as any)['sub.name']).to.deep.equal({ s: 'multi\nline', lit: 'C:\\path', under: 1000 });
  });

  it('reports the line of bad input', () => {
    expect(() => parseToml('[core]\nurl = \n', 'dcos.toml')).to.throw(TomlError, 'dcos.toml:2');
    expect(() => parseToml('a = 1\na = 2\n')).to.throw(/duplicate key 'a'/);
    expect(() => parseToml('a = "open\n')).to.throw(/newline in a string|unterminated/);
    expect(() => parseToml('a = {b = 1}\n')).to.throw(/inline tables/);
  });
});
