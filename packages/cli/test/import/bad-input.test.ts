/*
 * Bad input: malformed JSON or YAML, unknown fields, values Marathon or calicoctl would reject,
 * duplicates — each a clear error with file, line and column, exit code 1, and nothing written.
 */
import { expect } from 'chai';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { project, runImport } from './support.js';

const APP = (extra: string): string => `{
  "id": "web",
  "cmd": "python3 -m http.server 8080",
  "cpus": 0.1,
  "mem": 64${extra}
}
`;
const POLICY = (extra: string, action = 'allow'): string => `apiVersion: v1
kind: policy
metadata:
  name: web
spec:
  selector: app == 'web'${extra}
  ingress:
  - action: ${action}
    protocol: tcp
`;

interface Case {
  readonly files: Readonly<Record<string, string>>;
  readonly args?: readonly string[];
  /** Substrings the error output must hold (the first names file:line:column). */
  readonly expected: readonly string[];
}

const CASES: Readonly<Record<string, Case>> = {
  'malformed JSON (a trailing comma)': { files: { 'web.json': APP(',') }, expected: ['web.json:6:1: error: malformed JSON: trailing comma before }.'] },
  'malformed JSON (a comment)': { files: { 'web.json': `// the web app\n${APP('')}` }, expected: ['web.json:1:1: error: malformed JSON: expected a JSON value, found comment (JSON has no comments).'] },
  'malformed JSON (a key given twice)': { files: { 'web.json': APP(',\n  "cpus": 1') }, expected: ['web.json:6:3: error: malformed JSON: key "cpus" appears twice in this object'] },
  'malformed YAML': { files: { 'web.yaml': 'apiVersion: v1\nkind: policy\nmetadata: {name: web\nspec: {}\n' }, expected: ['web.yaml:4:1: error: malformed YAML'] },
  'an unknown Marathon field': { files: { 'web.json': APP(',\n  "instnaces": 3') }, expected: ["web.json:6:3: error: unknown field 'instnaces'; Marathon 1.4 ignores fields it does not know, so this one would have no effect."] },
  'an unknown nested Marathon field': { files: { 'web.json': APP(',\n  "upgradeStrategy": { "minimumHealthCapacity": 0.5, "maximumOvercapacity": 0 }') }, expected: ["web.json:6:54: error: unknown field 'maximumOvercapacity'"] },
  'a Marathon 1.5 field for DC/OS 1.9': { files: { 'web.json': APP(',\n  "networks": [{ "mode": "host" }]') }, args: ['--dcos-version', '1.9'], expected: ["web.json:6:3: error: field 'networks' is a Marathon 1.5 field; Marathon 1.4 ignores it."] },
  'a value of the wrong type': { files: { 'web.json': APP(',\n  "instances": "3"') }, expected: ['web.json:6:16: error: Marathon 1.4 would reject the app /web: /instances: error.expected.jsnumber'] },
  'cmd and args together': { files: { 'web.json': APP(',\n  "args": ["-v"]') }, expected: ["web.json:1:1: error: Marathon 1.4 would reject the app /web:"] },
  'a health check on a port the app does not have': { files: { 'web.json': APP(',\n  "portDefinitions": [],\n  "healthChecks": [{ "protocol": "HTTP", "portIndex": 2 }]') }, expected: ['web.json:7:20: error: Marathon 1.4 would reject the app /web: /healthChecks(0): Health check port indices must address an element of the ports array or container port mappings.'] },
  'an invalid app id': { files: { 'web.json': APP('').replace('"web"', '"Web_App"') }, expected: ['web.json:2:9: error: Marathon 1.4 would reject the app: /id:'] },
  'not an app': { files: { 'web.json': '[1]\n' }, expected: ['web.json:1:2: error: expected a Marathon app definition'] },
  'an unknown calicoctl field': { files: { 'web.yaml': POLICY('\n  selectr: all()') }, expected: ["web.yaml:7:3: error: unknown field 'selectr' in the spec of a policy; calicoctl decodes strictly and rejects it."] },
  'an action calicoctl rejects': { files: { 'web.yaml': POLICY('', 'permit') }, expected: ['web.yaml:8:'] },
  'a Calico v3 field in a v1 policy': { files: { 'web.yaml': POLICY('\n  types: [ingress]') }, expected: ['web.yaml:7:3: error: field \'types\' in the spec of a policy: types arrived in calicoctl v1.6'] },
  'two apps with one id': { files: { 'a.json': APP(''), 'b.json': APP('').replace('"web"', '"/web"') }, expected: ['b.json:2:9: error: app /web is also defined at a.json:1:1'] },
  'two Calico API versions': { files: { 'a.yaml': POLICY(''), 'b.yaml': 'apiVersion: projectcalico.org/v3\nkind: GlobalNetworkPolicy\nmetadata:\n  name: other\nspec:\n  selector: all()\n' }, expected: ['b.yaml:1:1: error: this resource is Calico v3, but a.yaml:1:1 is Calico v1; one cluster speaks one Calico API.'] },
  'two profiles with one name': { files: { 'a.yaml': 'apiVersion: v1\nkind: profile\nmetadata:\n  name: calico\n', 'b.yaml': 'apiVersion: v1\nkind: profile\nmetadata:\n  name: calico\n  tags: [calico]\n' }, args: ['--rename-duplicates'], expected: ["b.yaml:4:9: error: profile 'calico' is also defined at a.yaml:4:9"] },
  'an empty input': { files: { 'empty.yaml': '' }, expected: ['empty.yaml:1:1: error: the file holds no Calico resource.'] },
};

describe('dcos-cdk import: bad input is an error at file:line:column, and nothing is written', function () {
  this.timeout(30_000);
  for (const [name, c] of Object.entries(CASES)) {
    it(name, async () => {
      const dir = project();
      for (const [f, text] of Object.entries(c.files)) writeFileSync(join(dir, f), text);
      const r = await runImport([...Object.keys(c.files), ...(c.args ?? [])], { cwd: dir });
      expect(r.code, r.out + r.err).to.equal(1);
      for (const e of c.expected) expect(r.err).to.contain(e);
      expect(r.err).to.match(/Import failed: \d+ errors? in the input; nothing was written\./);
      expect(existsSync(join(dir, 'imported-stack.ts'))).to.equal(false);
    });
  }

  it('--json lists the errors with their positions', async () => {
    const dir = project();
    writeFileSync(join(dir, 'web.json'), APP(',\n  "instnaces": 3'));
    const r = await runImport(['web.json', '--json'], { cwd: dir });
    expect(r.code).to.equal(1);
    const body = JSON.parse(r.out) as { ok: boolean; errors: Array<{ file: string; line: number; column: number; message: string }> };
    expect(body.ok).to.equal(false);
    expect(body.errors[0]).to.include({ file: 'web.json', line: 6, column: 3 });
  });

  it('usage errors exit with 2', async () => {
    const dir = project();
    expect((await runImport([], { cwd: dir })).code).to.equal(2);
    expect((await runImport(['missing.json'], { cwd: dir })).code).to.equal(2);
    expect((await runImport(['x.json', '--dcos-version', '3.0'], { cwd: dir })).code).to.equal(2);
    expect((await runImport(['x.json', '--from-cluster'], { cwd: dir })).code).to.equal(2);
  });
});
