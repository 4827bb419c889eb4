/*
 * The round trip on Marathon's official example bodies that are app definitions
 * (`../shared/specs/marathon/<tag>/api/v2/examples/`): an app, a list, a group, a response
 * listing apps. What Marathon accepts imports and synthesizes back to the same apps (compared
 * after Marathon's normalization); what it rejects is reported with file:line:column.
 */
import { expect } from 'chai';
import { copyFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { absolute, appDifferences, project, repo, runImport, synthGenerated, typecheck } from './support.js';

const specs = join(repo, '..', 'shared', 'specs', 'marathon');
const VERSIONS = { 'v1.4.13': '1.9', 'v1.5.15': '1.10' } as const;
const FILES = ['app.json', 'app_list.json', 'apps_create.json', 'group.json'];

/** What Marathon rejects in the examples, and where. */
const REJECTED: Record<string, readonly string[]> = {
  'v1.4.13/app.json': ['app.json:1:1: error: Marathon 1.4 would reject the app /foo: You cannot specify both an IP address and ports'],
  'v1.5.15/app.json': ['app.json:94:16: error: Marathon 1.5 would reject the app /foo: /ipAddress: ipAddress/discovery is not allowed for Docker containers', 'app.json:1:1: error: Marathon 1.5 would reject the app /foo: cannot specify both an IP address and port'],
  'v1.5.15/app_list.json': ['app_list.json:16:22: error: Marathon 1.5 would reject the app /myapp: /constraints: Value specified but not used'],
};

/** Every app of an example document, ids absolute. */
function appsOf(doc: unknown, group = '/'): Record<string, unknown>[] {
  if (Array.isArray(doc)) return doc.map((a) => absolute(a as Record<string, unknown>, group));
  const d = doc as { id?: string; apps?: unknown[]; groups?: unknown[]; cmd?: unknown };
  if (!Array.isArray(d.apps) && !Array.isArray(d.groups)) return [absolute(doc as Record<string, unknown>, group)];
  const id = d.id === undefined ? group : d.id.startsWith('/') ? d.id : `${group === '/' ? '' : group}/${d.id}`;
  return [...(d.apps ?? []).map((a) => absolute(a as Record<string, unknown>, id)), ...(d.groups ?? []).flatMap((g) => appsOf(g, id))];
}

describe("dcos-cdk import: Marathon's example app definitions", function () {
  this.timeout(120_000);
  const generated: string[] = [];

  before(function () {
    if (!existsSync(specs)) {
      console.warn(`      skipped: ${specs} is missing (the shared specs folder sits beside the repository).`);
      this.skip();
    }
  });

  for (const [tag, dcos] of Object.entries(VERSIONS)) {
    for (const file of FILES) {
      const key = `${tag}/${file}`;
      it(`${key} (DC/OS ${dcos}): ${REJECTED[key] ? 'rejected as Marathon rejects it' : 'synthesizes back to the same apps'}`, async () => {
        const dir = project();
        const source = join(specs, tag, 'api', 'v2', 'examples', file);
        copyFileSync(source, join(dir, file));
        const r = await runImport([file, '--dcos-version', dcos, '--out', `${file.replace('.json', '')}.ts`], { cwd: dir });
        const out = join(dir, `${file.replace('.json', '')}.ts`);
        if (REJECTED[key]) {
          expect(r.code).to.equal(1);
          for (const e of REJECTED[key]) expect(r.err).to.contain(e);
          expect(existsSync(out)).to.equal(false);
          return;
        }
        expect(r.code, r.err).to.equal(0);
        generated.push(out);
        const apps = appsOf(JSON.parse(readFileSync(source, 'utf8')));
        expect(apps.length).to.be.greaterThan(0);
        expect(appDifferences(apps, await synthGenerated(out))).to.deep.equal([]);
      });
    }
  }

  for (const [tag, dcos] of Object.entries(VERSIONS)) {
    it(`${tag}/app.json with Marathon's objections removed (no cmd, no ipAddress, the secret declared) synthesizes back to the same app`, async () => {
      const dir = project();
      const app = JSON.parse(readFileSync(join(specs, tag, 'api', 'v2', 'examples', 'app.json'), 'utf8')) as Record<string, Record<string, unknown>>;
      delete app.cmd;
      delete app.ipAddress;
      app.env!.PASSWORD = { secret: 'secret1' };
      writeFileSync(join(dir, 'app.json'), JSON.stringify(app, null, 2));
      const r = await runImport(['app.json', '--dcos-version', dcos], { cwd: dir });
      expect(r.code, r.err).to.equal(0);
      const out = join(dir, 'imported-stack.ts');
      generated.push(out);
      const code = readFileSync(out, 'utf8');
      expect(code).to.contain("variant: 'enterprise'");
      expect(code).to.contain("readinessChecks: [{\n    port: 'http',");
      expect(code).to.contain("port: 'http',\n  })],");
      // Only what the typed props do not model is an override, with its reason.
      expect(code.match(/addOverride\('([^']+)'/g) ?? []).to.deep.equal(tag === 'v1.4.13' ? ["addOverride('portDefinitions'"] : []);
      if (tag === 'v1.4.13') expect(code).to.contain('// Kept through addOverride: port definitions of an app on a container or bridge network');
      expect(appDifferences([absolute(app)], await synthGenerated(out))).to.deep.equal([]);
    });
  }

  it('every generated stack compiles under tsc --strict', function () {
    if (generated.length === 0) this.skip();
    expect(typecheck(generated)).to.deep.equal([]);
  });
});
