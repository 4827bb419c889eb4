import { expect } from 'chai';
import { existsSync } from 'node:fs';
import {
  MustacheError,
  defaultUniverseDir,
  extractDefaults,
  loadUniverse,
  renderCosmosTemplate,
  renderMustache,
  renderPackageApp,
} from '../../src/emulator/index.js';
import type { JsonObject, UniversePackage } from '../../src/emulator/index.js';

describe('emulator: mustache', () => {
  it('renders variables with HTML escaping for {{ }} and raw for {{{ }}} / {{& }}', () => {
    const view = { v: '<a & "b">' };
    expect(renderMustache('{{v}}|{{{v}}}|{{& v}}', view)).to.equal('&lt;a &amp; &quot;b&quot;&gt;|<a & "b">|<a & "b">');
  });

  it('resolves dotted names whose keys contain spaces and dashes, walking up the context', () => {
    const view = { 'Framework Settings': { 'cpu-limit': 0.2, name: 'calico' }, top: 'T' };
    expect(renderMustache('{{Framework Settings.cpu-limit}} {{ Framework Settings.name }}', view)).to.equal('0.2 calico');
    expect(renderMustache('{{#Framework Settings}}{{name}}/{{top}}{{/Framework Settings}}', view)).to.equal('calico/T');
    expect(renderMustache('[{{missing.deep}}]', view)).to.equal('[]');
  });

  it('treats missing, null, false, [] and "" as falsy; iterates lists; supports inverted sections and {{.}}', () => {
    const t = '{{#x}}yes{{/x}}{{^x}}no{{/x}}';
    for (const falsy of [null, false, [], '']) expect(renderMustache(t, { x: falsy })).to.equal('no');
    expect(renderMustache(t, {})).to.equal('no');
    for (const truthy of ['s', 0, true, { a: 1 }]) expect(renderMustache(t, { x: truthy })).to.equal('yes');
    expect(renderMustache('{{#l}}<{{.}}>{{/l}}', { l: [1, 2, 3] })).to.equal('<1><2><3>');
    expect(renderMustache('{{#l}}{{n}},{{/l}}', { l: [{ n: 'a' }, { n: 'b' }] })).to.equal('a,b,');
  });

  it('drops comments and standalone tag lines', () => {
    const t = 'a\n  {{! a comment }}\n  {{#on}}\nb\n  {{/on}}\nc {{! inline }}d\n';
    expect(renderMustache(t, { on: true })).to.equal('a\nb\nc d\n');
  });

  it('reports malformed templates', () => {
    expect(() => renderMustache('{{#a}}x', {})).to.throw(MustacheError, /Unclosed section/);
    expect(() => renderMustache('{{/a}}', {})).to.throw(MustacheError, /Unexpected closing tag/);
    expect(() => renderMustache('{{a', {})).to.throw(MustacheError, /Unclosed tag/);
  });

  it('renders Cosmos style: strings JSON-escaped, no HTML escaping, Java number formatting', () => {
    const out = renderCosmosTemplate('{"a": "{{s}}", "b": "{{{s}}}", "n": {{n}}, "f": {{f}}, "l": [{{#l}}{{.}},{{/l}}0]}', {
      s: 'say "hi" & <bye>',
      n: 512,
      f: 1.0,
      l: ['x'],
    });
    expect(out).to.equal('{"a": "say \\"hi\\" & <bye>", "b": "say \\"hi\\" & <bye>", "n": 512, "f": 1, "l": ["x",0]}');
    expect(JSON.parse(out)).to.deep.equal({ a: 'say "hi" & <bye>', b: 'say "hi" & <bye>', n: 512, f: 1, l: ['x', 0] });
    expect(renderCosmosTemplate('{{x}}', { x: 0.25 })).to.equal('0.25');
    expect(renderCosmosTemplate('{{x}}', { x: 1e10 })).to.equal('1.0E10');
  });

  it('extracts config.json defaults recursively', () => {
    const schema = {
      properties: {
        service: { type: 'object', properties: { name: { default: 'etcd' }, user: { type: 'string' } } },
        count: { default: 3 },
      },
    };
    expect(extractDefaults(schema)).to.deep.equal({ service: { name: 'etcd' }, count: 3 });
  });

  describe('real Universe templates', () => {
    const dir = defaultUniverseDir();
    let packages: UniversePackage[] = [];
    const find = (name: string, version: string) => packages.find((p) => p.name === name && p.version === version)!;

    before(function () {
      if (!existsSync(dir)) {
        console.warn(`    skipping: Universe data not found at ${dir} (expected ../shared/specs/universe next to the repo)`);
        this.skip();
      }
      packages = loadUniverse(dir);
    });

    it('every calico and etcd revision renders to a JSON object with its defaults', () => {
      expect(packages.map((p) => `${p.name}@${p.version}`)).to.include.members(['calico@0.4.0', 'etcd@0.1.0-3.3.12', 'etcd@0.0.2']);
      for (const pkg of packages) {
        const app = renderPackageApp(pkg, undefined, undefined);
        expect(app.id, `${pkg.name}@${pkg.version}`).to.be.a('string').and.not.equal('');
        expect((app.labels as JsonObject).DCOS_PACKAGE_NAME).to.equal(pkg.name);
      }
    });

    it('calico 0.4.0: defaults and resource values, overrides through sections', () => {
      const calico = find('calico', '0.4.0');
      const app = renderPackageApp(calico, undefined, undefined);
      expect(app).to.include({ id: 'calico-install-framework', cpus: 0.2, mem: 512, instances: 1, requirePorts: true });
      expect(app.container).to.deep.equal({
        type: 'DOCKER',
        docker: { network: 'HOST', forcePullImage: true, image: 'calico/calico-dcos:v0.4.0' },
      });
      const env = app.env as JsonObject;
      expect(env).to.include({
        CALICO_INSTALLER_URL: 'https://github.com/projectcalico/calico-dcos/releases/download/v0.4.0/installer',
        ETCD_ENDPOINTS: 'http://localhost:2379',
        MESOS_CNI_CONFIG_DIR: '/opt/mesosphere/etc/dcos/network/cni/',
        CALICO_ALLOW_DOCKER_UPDATE: 'true',
        DOCKER_CLUSTER_STORE: '',
        CALICO_NODE_IMG: 'calico/node:v1.0.0',
      });
      const labels = app.labels as JsonObject;
      expect(labels).to.include({ DCOS_PACKAGE_FRAMEWORK_NAME: 'calico-install-framework', DCOS_PACKAGE_VERSION: '0.4.0' });
      const options = { 'Framework Settings': { 'override-framework-image': 'me/calico:dev', 'cpu-limit': 1 } };
      const custom = renderPackageApp(calico, options, '/infra/calico');
      expect(custom.id).to.equal('/infra/calico');
      expect((custom.container as JsonObject).docker).to.include({ image: 'me/calico:dev' });
      expect(custom.cpus).to.equal(1);
      expect(JSON.parse(Buffer.from(String((custom.labels as JsonObject).DCOS_PACKAGE_OPTIONS), 'base64').toString())).to.deep.equal(options);
    });

    it('etcd 0.1.0-3.3.12: triple-stache JSON-escaped, empty-string sections are false', () => {
      const etcd = find('etcd', '0.1.0-3.3.12');
      const app = renderPackageApp(etcd, undefined, undefined);
      expect(app.id).to.equal('etcd');
      const env = app.env as JsonObject;
      expect(env.NODE_PLACEMENT).to.equal('[["hostname", "UNIQUE"]]');
      expect(env).to.include({ NODE_COUNT: '3', NODE_CPUS: '1', FRAMEWORK_NAME: 'etcd', TLS_ENABLED: 'false' });
      expect(app).to.not.have.property('secrets');
      expect(env).to.not.have.property('ENABLE_VIRTUAL_NETWORK');
      const secured = renderPackageApp(etcd, { service: { service_account_secret: 'etcd/secret', virtual_network_enabled: true } }, undefined);
      expect(secured.secrets).to.deep.equal({ serviceCredential: { source: 'etcd/secret' } });
      expect(secured.env as JsonObject).to.include({ ENABLE_VIRTUAL_NETWORK: 'yes', VIRTUAL_NETWORK_NAME: 'dcos' });
    });
  });
});
