/**
 * Every emitted app against the official JSON schema of its Marathon
 * (`../shared/specs/marathon/<tag>/api/v2/schema/AppDefinition.json`, ajv):
 * the examples for each DC/OS release they support here; the apps built in
 * the other tests go through `synthOk` (support.ts), which checks them too.
 *
 * Where the published schema and the server disagree, the library follows
 * the server and the disagreement is documented here:
 * - `tty` (Marathon 1.5): in `types/app.raml` and accepted by the server, absent from the 1.5 schema
 *   (whose `additionalProperties: false` then rejects it).
 * - secret volumes `{containerPath, secret}` (1.5): in `types/volumes.raml`, absent from the schema.
 * - relative ids: the schema's `pathType` accepts `web`, and the servers canonicalise it to `/web`
 *   on POST; the library always writes absolute ids anyway.
 * - port names: the schema wants `^[a-z][a-z0-9-]*$`, the servers also accept a leading digit; the
 *   library warns (rule marathon/ports) for names the schema refuses.
 */
import { expect } from 'chai';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { App } from '@dcos-cdk/core';
import type { DcosVersion } from '@dcos-cdk/dcos';
import { buildStack as ipPerContainer } from '../../../examples/ip-per-container/lib/stack.js';
import { buildStack as marathon15 } from '../../../examples/marathon-1.5/lib/stack.js';
import { MarathonApp, MarathonPort, Volume } from '../src/index.js';
import { SHARED_MISSING, haveMarathonSpecs, loadMarathonSchema } from './validation/schema.js';
import { expectAppsMatchSchema, schemaChecks, stack, synthOk } from './support.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '../../..');

const EXAMPLES: ReadonlyArray<[string, (app: App) => unknown, readonly DcosVersion[]]> = [
  ['ip-per-container', ipPerContainer, ['1.9', '1.10', '1.11', '1.13', '2.1']],
  ['marathon-1.5', marathon15, ['1.9', '1.10', '1.12', '2.0', '2.2']],
];

describe('schema: every emitted app matches the official JSON schema of its Marathon', function () {
  before(function () {
    if (!haveMarathonSpecs()) {
      console.warn(`      ${SHARED_MISSING}`);
      this.skip();
    }
  });

  for (const [name, build, versions] of EXAMPLES) {
    for (const dcosVersion of versions) {
      it(`examples/${name} on DC/OS ${dcosVersion}`, () => {
        const app = new App({ projectDir: join(root, 'examples', name), outdir: join(mkdtempSync(join(tmpdir(), 'schema-')), 'dcos.out'), context: { dcosVersion } });
        build(app);
        const bundle = app.synth({ write: false });
        const before = schemaChecks.apps;
        expectAppsMatchSchema(bundle);
        expect(schemaChecks.apps - before).to.equal(bundle.artifacts.filter((a) => a.kind === 'marathon-app').length).and.to.be.greaterThan(0);
      });
    }
  }

  it('documents where the 1.5 schema and server disagree: tty and secret volumes', () => {
    const { app, env } = stack({ dcosVersion: '1.10', variant: 'enterprise' });
    new MarathonApp(env, 'tty', { image: 'busybox', cmd: 'sh', tty: true });
    new MarathonApp(env, 'vol', { image: 'busybox', cmd: 'sleep 1d', container: { volumes: [Volume.secret('creds', 'pw')] }, secrets: { pw: { source: 'pw' } } });
    synthOk(app, { 'marathon-app:/tty': 'tty', 'marathon-app:/vol': 'container.volumes.secret' });
  });

  it('the server-only port name form is a warning, not an error', () => {
    const { app, env } = stack({ dcosVersion: '1.10' });
    new MarathonApp(env, 'web', { image: 'nginx', ports: [MarathonPort.tcp('8080-http', 8080)] });
    const bundle = app.synth({ write: false });
    const warning = bundle.warnings.find((d) => d.rule === 'marathon/ports');
    expect(warning?.message ?? '').to.contain("port name '8080-http' does not match ^[a-z][a-z0-9-]*$");
    const json = JSON.parse(bundle.artifacts.find((a) => a.id === 'marathon-app:/web')!.content);
    expect(loadMarathonSchema('1.5')?.(json)).to.equal(false);
  });
});
