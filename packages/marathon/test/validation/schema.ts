/**
 * Test helper: Marathon's official app JSON schemas (draft-04) from `../shared/specs/marathon`,
 * located relative to the repository root, compiled with ajv-draft-04.
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ValidateFunction } from 'ajv';
import { expect } from 'chai';
import type { MarathonApiVersion } from '../../src/validation/index.js';

const require = createRequire(import.meta.url);
const AjvDraft04 = require('ajv-draft-04') as typeof import('ajv-draft-04').default;

/** Root of this repository checkout (four levels above this file). */
export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../..');

/** `../shared` beside the repository (spec copies); may be absent. */
export const sharedDir = path.resolve(repoRoot, '../shared');

const TAGS: Record<MarathonApiVersion, string> = { '1.4': 'v1.4.13', '1.5': 'v1.5.15' };

/** `<shared>/specs/marathon/<tag>/api` for a Marathon version. */
export function marathonApiDir(version: MarathonApiVersion): string {
  return path.join(sharedDir, 'specs', 'marathon', TAGS[version], 'api');
}

/** Message used when the spec copies are missing. */
export const SHARED_MISSING =
  '../shared not found beside the repo: skipping conformance tests against Marathon\'s upstream schemas';

/** True when the upstream spec copies are available. */
export function haveMarathonSpecs(): boolean {
  return fs.existsSync(path.join(marathonApiDir('1.4'), 'v2', 'schema', 'AppDefinition.json'))
    && fs.existsSync(path.join(marathonApiDir('1.5'), 'v2', 'schema', 'AppDefinition.json'));
}

const cache = new Map<MarathonApiVersion, ValidateFunction | undefined>();

/**
 * Compiles `AppDefinition.json` of the given Marathon version, or returns undefined when the
 * spec copies are not available. The files declare `"$schema": "http://json-schema.org/schema#"`
 * (not a URI ajv knows), so that key is removed; they are draft-04 (`id`, boolean
 * `exclusiveMinimum`), hence ajv-draft-04. `format: date-time` is checked with a simple ISO-8601 regex.
 */
export function loadMarathonSchema(version: MarathonApiVersion): ValidateFunction | undefined {
  if (cache.has(version)) return cache.get(version);
  const file = path.join(marathonApiDir(version), 'v2', 'schema', 'AppDefinition.json');
  let validate: ValidateFunction | undefined;
  if (fs.existsSync(file)) {
    const schema = JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>;
    delete schema['$schema'];
    const ajv = new AjvDraft04({ strict: false, allErrors: true });
    ajv.addFormat('date-time', /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:?\d{2})$/);
    validate = ajv.compile(schema);
  }
  cache.set(version, validate);
  return validate;
}

/**
 * Asserts that `app` satisfies Marathon's official JSON schema for `version`. Does nothing (and
 * returns false) when the spec copies are unavailable; returns true when the check ran.
 */
export function expectValidAgainstMarathonSchema(app: unknown, version: MarathonApiVersion): boolean {
  const validate = loadMarathonSchema(version);
  if (validate === undefined) return false;
  const ok = validate(app);
  const errors = (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? ''}`);
  expect(ok, `app does not match Marathon ${version} AppDefinition.json:\n  ${errors.join('\n  ')}`).to.equal(true);
  return true;
}
