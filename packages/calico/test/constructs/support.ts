/** Test helpers for the Calico constructs: small stacks, synthesis, errors, parsed artifacts. */
import { expect } from 'chai';
import { parse } from 'yaml';
import { App, SynthesisError, type Bundle, type Diagnostic } from '@dcos-cdk/core';
import { Cluster, type DcosVersion } from '@dcos-cdk/dcos';
import type { CalicoVersion } from '@dcos-cdk/dcos';

/** The DC/OS release that gives each Calico API: 1.9 (calicoctl v1.3) and 2.1 (Calico v3). */
export const DCOS_FOR: Readonly<Record<CalicoVersion, DcosVersion>> = { v1: '1.9', v3: '2.1' };

/** GIVEN an app with one cluster of the given Calico version. */
export function cluster(version: CalicoVersion = 'v1'): { app: App; cluster: Cluster } {
  const app = new App({ projectDir: false });
  return { app, cluster: new Cluster(app, 'demo', { dcosVersion: DCOS_FOR[version] }) };
}

/** WHEN synthesized, THEN it fails; returns every error. */
export function errorsOf(app: App): Diagnostic[] {
  try {
    app.synth({ write: false });
  } catch (e) {
    expect(e).to.be.instanceOf(SynthesisError);
    return [...(e as SynthesisError).errors];
  }
  return expect.fail('synthesis should have failed');
}

/** WHEN synthesized, THEN it succeeds; returns the bundle. */
export function synth(app: App): Bundle {
  return app.synth({ write: false });
}

/** The parsed YAML (or JSON) of an artifact. */
export function artifact(bundle: Bundle, id: string): Record<string, any> {
  const a = bundle.artifacts.find((x) => x.id === id);
  if (!a) throw new Error(`no artifact ${id} in ${bundle.artifacts.map((x) => x.id).join(', ')}`);
  return parse(a.content) as Record<string, any>;
}

/** The one error of a failing synthesis. */
export function onlyError(app: App): Diagnostic {
  const errors = errorsOf(app);
  expect(errors, errors.map((e) => `${e.rule} ${e.constructPath}: ${e.message}`).join('\n')).to.have.length(1);
  return errors[0]!;
}

/** Asserts a diagnostic's rule, construct path, message and fix. */
export function expectDiagnostic(d: Diagnostic, want: { rule?: string; path: string; message: string | RegExp; fix: string | RegExp }): void {
  if (want.rule) expect(d.rule, d.message).to.equal(want.rule);
  expect(d.constructPath).to.equal(want.path);
  if (typeof want.message === 'string') expect(d.message).to.equal(want.message);
  else expect(d.message).to.match(want.message);
  if (typeof want.fix === 'string') expect(d.fix).to.contain(want.fix);
  else expect(d.fix).to.match(want.fix);
}
