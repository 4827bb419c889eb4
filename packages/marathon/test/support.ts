/**
 * Test helpers for MarathonApp: a small stack, synthesis that checks every
 * emitted app against Marathon's official JSON schema, and error collection.
 */
import { expect } from 'chai';
import { App, SynthesisError, type Bundle, type Diagnostic } from '@dcos-cdk/core';
import { CalicoNetwork } from '@dcos-cdk/calico';
import { Cluster, Environment, usesMarathon15Format, type DcosVersion, type MarathonVersion } from '@dcos-cdk/dcos';
import { expectValidAgainstMarathonSchema, loadMarathonSchema } from './validation/schema.js';
import type { MarathonApiVersion } from '../src/validation/index.js';

/** Options of {@link stack}. */
export interface StackOptions {
  readonly dcosVersion?: DcosVersion;
  readonly marathonVersion?: MarathonVersion;
  readonly variant?: 'open' | 'enterprise';
  readonly marathonGroup?: string;
}

/** GIVEN a cluster with a Calico network and one environment ('development'). */
export function stack(options: StackOptions = {}) {
  const app = new App({ projectDir: false });
  const cluster = new Cluster(app, 'demo', {
    dcosVersion: options.dcosVersion ?? '1.9',
    ...(options.marathonVersion === undefined ? {} : { marathonVersion: options.marathonVersion }),
    ...(options.variant === undefined ? {} : { variant: options.variant }),
  });
  const calico = new CalicoNetwork(cluster, 'calico', { defaultIngress: 'deny' });
  const env = new Environment(cluster, 'development', { network: calico, ...(options.marathonGroup === undefined ? {} : { marathonGroup: options.marathonGroup }) });
  return { app, cluster, calico, env };
}

/** The JSON-schema generation of a cluster's Marathon (1.6+ use the 1.5 schema, the last one published). */
export function schemaVersion(marathon: string): MarathonApiVersion {
  return usesMarathon15Format(marathon as MarathonVersion) ? '1.5' : '1.4';
}

/** How many emitted apps the schema checks have seen (reported by schema.test.ts). */
export const schemaChecks = { apps: 0, skipped: [] as string[] };

/** Known disagreements between the official schema and the server, by artifact id: the field the schema lacks. */
export type SchemaExceptions = Readonly<Record<string, string>>;

/**
 * Checks every `marathon-app` artifact of `bundle` against the official schema
 * of its Marathon. An app listed in `exceptions` must fail the schema (the
 * disagreement is documented by the caller) and pass once that field is removed.
 */
export function expectAppsMatchSchema(bundle: Bundle, exceptions: SchemaExceptions = {}): void {
  const version = schemaVersion(bundle.manifest.targets?.['marathon'] ?? '1.4');
  for (const a of bundle.artifacts.filter((x) => x.kind === 'marathon-app')) {
    const json = JSON.parse(a.content) as Record<string, unknown>;
    const field = exceptions[a.id];
    if (field === undefined) {
      if (expectValidAgainstMarathonSchema(json, version)) schemaChecks.apps++;
      continue;
    }
    const validate = loadMarathonSchema(version);
    if (validate === undefined) continue;
    expect(validate(json), `${a.id} was expected to hit the documented schema gap '${field}'`).to.equal(false);
    const path = field.split('.');
    const copy = structuredClone(json);
    let node: Record<string, unknown> = copy;
    for (const k of path.slice(0, -1)) node = node[k] as Record<string, unknown>;
    const last = path[path.length - 1]!;
    if (Array.isArray(node)) node.forEach((x: Record<string, unknown>) => delete x[last]);
    else delete node[last];
    expectValidAgainstMarathonSchema(copy, version);
    schemaChecks.apps++;
    schemaChecks.skipped.push(`${a.id}: ${field}`);
  }
}

/** WHEN the stack is synthesized THEN it succeeds, and every app matches its official schema. */
export function synthOk(app: App, exceptions: SchemaExceptions = {}): Bundle {
  let bundle: Bundle;
  try {
    bundle = app.synth({ write: false });
  } catch (e) {
    if (e instanceof SynthesisError) expect.fail(e.message);
    throw e;
  }
  expectAppsMatchSchema(bundle, exceptions);
  return bundle;
}

/** WHEN the stack is synthesized THEN it fails; returns the errors. */
export function errorsOf(app: App): Diagnostic[] {
  try {
    app.synth({ write: false });
  } catch (e) {
    expect(e).to.be.instanceOf(SynthesisError);
    return [...(e as SynthesisError).errors];
  }
  return expect.fail('synthesis should have failed');
}

/** The emitted JSON of the app with that Marathon id. */
export function appJson(bundle: Bundle, marathonId: string): Record<string, unknown> {
  const a = bundle.artifacts.find((x) => x.id === `marathon-app:${marathonId}`);
  if (!a) throw new Error(`no app ${marathonId} in ${bundle.artifacts.map((x) => x.id).join(', ')}`);
  return JSON.parse(a.content) as Record<string, unknown>;
}

/** Builds an Environment in an existing cluster (for multi-environment tests). */
export function environment(cluster: Cluster, network: CalicoNetwork, id: string, marathonGroup?: string): Environment {
  return new Environment(cluster, id, { network, ...(marathonGroup === undefined ? {} : { marathonGroup }) });
}
