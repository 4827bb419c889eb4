/**
 * Conformance with Marathon's upstream spec data (`../shared/specs/marathon/<tag>/api`):
 * every app body in the official examples is validated for its version, and checked against
 * the official JSON schema. Where Marathon's server would reject an example, the expected
 * issues and the reason are documented below.
 */
import fs from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import {
  type MarathonApiVersion,
  validateAppDefinition,
} from '../../src/validation/index.js';
import { type Expected, expectIssues } from './helpers.js';
import {
  SHARED_MISSING,
  expectValidAgainstMarathonSchema,
  haveMarathonSpecs,
  loadMarathonSchema,
  marathonApiDir,
} from './schema.js';

interface ExampleApp {
  readonly file: string;
  readonly id: string;
  readonly body: Record<string, unknown>;
  readonly parentGroup?: string;
  /** request body (POST/PUT) or response body (GET) according to apps.raml / groups.raml */
  readonly kind: 'request' | 'response' | 'both';
}

function readJson(version: MarathonApiVersion, file: string): unknown {
  return JSON.parse(fs.readFileSync(path.join(marathonApiDir(version), 'v2', 'examples', file), 'utf8'));
}

function collect(version: MarathonApiVersion): ExampleApp[] {
  const out: ExampleApp[] = [];
  const app = readJson(version, 'app.json') as Record<string, unknown>;
  out.push({ file: 'app.json', id: String(app['id']), body: app, kind: 'both' });
  for (const a of readJson(version, 'apps_create.json') as Record<string, unknown>[]) {
    out.push({ file: 'apps_create.json', id: String(a['id']), body: a, kind: 'request' });
  }
  for (const a of (readJson(version, 'app_list.json') as { apps: Record<string, unknown>[] }).apps) {
    out.push({ file: 'app_list.json', id: String(a['id']), body: a, kind: 'response' });
  }
  const walk = (g: Record<string, unknown>): void => {
    for (const a of (g['apps'] as Record<string, unknown>[] | undefined) ?? []) {
      out.push({ file: 'group.json', id: String(a['id']), body: a, parentGroup: String(g['id']), kind: 'both' });
    }
    for (const s of (g['groups'] as Record<string, unknown>[] | undefined) ?? []) walk(s);
  };
  walk(readJson(version, 'group.json') as Record<string, unknown>);
  return out;
}

/** Examples Marathon itself would reject, with the issues our validator must report and why. */
const REJECTED: Record<string, { readonly expect: readonly Expected[]; readonly reason: string }> = {
  '1.4 app.json /foo': {
    reason:
      'kitchen-sink example: ipAddress together with portDefinitions is refused by the 1.4 reader (it also sets cmd and ' +
      'args together and references an undeclared secret, but Marathon stops at the read stage)',
    expect: [['/', 'You cannot specify both an IP address and ports', 'read']],
  },
  '1.5 app.json /foo': {
    reason:
      'the 1.5 examples are stale 1.4-style networking: ipAddress.discovery with a DOCKER container and ipAddress with ' +
      'portDefinitions are refused by validateOldAppAPI before anything else',
    expect: [
      ['/ipAddress', 'ipAddress/discovery is not allowed for Docker containers', 'validate'],
      ['/', 'cannot specify both an IP address and port', 'validate'],
    ],
  },
  '1.5 app_list.json /myapp': {
    reason:
      'response example (GET /v2/apps) carrying ["hostname", "UNIQUE", ""]; 1.5 refuses any UNIQUE value, even "", ' +
      'when such a body is POSTed (1.4 validated the protobuf and ignored the empty value)',
    expect: [['/constraints', 'Value specified but not used', 'validate']],
  },
};

/** Examples the official schema rejects (schema/server disagreements or response-only fields). */
const SCHEMA_REJECTED: Record<string, string> = {
  'app.json': 'sets both cmd and args (schema "not allOf required [cmd, args]"); the 1.5 copy also has "tty", absent from the 1.5 schema but present in app.raml',
  'app_list.json': 'response body: tasksRunning/deployments/... are not app fields, and args/user/container/acceptedResourceRoles are null, which the server reads as absent',
};

describe('validation: conformance with Marathon upstream examples and schemas', function () {
  before(function () {
    if (!haveMarathonSpecs()) {
      console.warn(`      ${SHARED_MISSING}`);
      this.skip();
    }
  });

  it('loads both official schemas', () => {
    expect(loadMarathonSchema('1.4')).to.be.a('function');
    expect(loadMarathonSchema('1.5')).to.be.a('function');
  });

  for (const version of ['1.4', '1.5'] as const) {
    describe(`Marathon ${version}`, () => {
      it('finds the example app bodies', () => {
        expect(collect(version).length).to.be.greaterThan(4);
      });

      it('validates every example app like Marathon would', () => {
        const seen = new Set<string>();
        for (const ex of collect(version)) {
          const key = `${version} ${ex.file} ${ex.id}`;
          seen.add(key);
          const issues = validateAppDefinition(
            ex.body,
            version,
            ex.parentGroup === undefined ? {} : { parentGroup: ex.parentGroup },
          );
          const rejected = REJECTED[key];
          try {
            expectIssues(issues, rejected?.expect ?? []);
          } catch (e) {
            throw new Error(`${key}: ${(e as Error).message}`);
          }
        }
        for (const key of Object.keys(REJECTED).filter((k) => k.startsWith(version))) {
          expect(seen.has(key), `documented example ${key} still exists`).to.equal(true);
        }
      });

      it('checks the examples against the official AppDefinition.json', () => {
        const validate = loadMarathonSchema(version);
        for (const ex of collect(version)) {
          const ok = validate?.(ex.body) ?? false;
          const documented = SCHEMA_REJECTED[ex.file];
          expect(ok, `${version} ${ex.file} ${ex.id}: ${documented ?? JSON.stringify(validate?.errors)}`).to.equal(documented === undefined);
          if (documented === undefined) expect(expectValidAgainstMarathonSchema(ex.body, version)).to.equal(true);
        }
      });

      it('the schema and the validator agree on a minimal app and on cmd+args', () => {
        const minimal = { id: '/minimal', cmd: 'sleep 1' };
        expect(expectValidAgainstMarathonSchema(minimal, version)).to.equal(true);
        expect(validateAppDefinition(minimal, version)).to.deep.equal([]);
        const both = { ...minimal, args: ['x'] };
        expect(loadMarathonSchema(version)?.(both)).to.equal(false);
        expect(validateAppDefinition(both, version).map((i) => i.path)).to.deep.equal(['/']);
      });
    });
  }

  it('1.5 schema has the 1.5 networking fields, 1.4 schema does not', () => {
    const app = { id: '/n', cmd: 'sleep 1', networks: [{ mode: 'container', name: 'calico' }], container: { type: 'MESOS', portMappings: [{ containerPort: 80, name: 'http' }] } };
    expect(loadMarathonSchema('1.5')?.(app)).to.equal(true);
    expect(loadMarathonSchema('1.4')?.(app)).to.equal(false);
  });
});
