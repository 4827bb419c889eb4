/**
 * Secrets and environment variables. 1.5: `EnvVarValidation.scala`, `SecretValidation.scala`,
 * `AppValidation.validBasicAppDefinition`; 1.4: `state/AppDefinition.scala` (`secrets is empty or
 * featureEnabled`) and `state/EnvVarValue.scala` (secret references).
 */
import { Ctx, child, index } from './context.js';
import { featureMessage } from './container.js';
import type { MarathonAppJson } from './types.js';

/** Marathon 1.5 text when env refers to secrets while the feature is off. */
export const SECRET_REFS_NEED_FEATURE =
  'use of secret-references in the environment requires the secrets feature to be enabled';

const FIX_FEATURE = 'Start Marathon with --enable_features secrets (DC/OS Enterprise), or remove the secrets.';

function secretRefs(app: MarathonAppJson): [string, string][] {
  return Object.entries(app.env ?? {}).flatMap(([k, v]) => (typeof v === 'object' ? [[k, v.secret] as [string, string]] : []));
}

function declared(app: MarathonAppJson, name: string): boolean {
  return Object.prototype.hasOwnProperty.call(app.secrets ?? {}, name);
}

/** Secrets/env rules for 1.5 (canonical validation). */
export function checkSecrets15(app: MarathonAppJson, ctx: Ctx): void {
  const secrets = app.secrets ?? {};
  const enabled = ctx.hasFeature('secrets');
  if (Object.keys(secrets).length > 0 && !enabled) ctx.add('/secrets', featureMessage('secrets'), FIX_FEATURE);
  if (enabled) {
    for (const key of Object.keys(secrets)) {
      if (key.length === 0) ctx.add(index('/secrets', key), 'must not be empty', 'Give every secret a non-empty name.');
    }
  }
  const refs = secretRefs(app);
  if (refs.length > 0 && !enabled) ctx.add('/env', SECRET_REFS_NEED_FEATURE, FIX_FEATURE);
  for (const [variable, secret] of refs) {
    if (!declared(app, secret)) {
      ctx.add(
        child(index('/env', variable), secret.replace(/\./g, '/')),
        'references an undefined secret',
        `Declare a secret named "${secret}" in "secrets" (name -> {"source": ...}) or fix the reference.`,
      );
    }
  }
}

/** Secrets/env rules for 1.4. */
export function checkSecrets14(app: MarathonAppJson, ctx: Ctx): void {
  const secrets = app.secrets ?? {};
  if (Object.keys(secrets).length > 0 && !ctx.hasFeature('secrets')) {
    // `secrets is empty or featureEnabled(...)`: accord's `or` reports both alternatives.
    ctx.add('/secrets', 'must be empty', FIX_FEATURE);
    ctx.add('/secrets', featureMessage('secrets'), FIX_FEATURE);
  }
  for (const [variable, secret] of secretRefs(app)) {
    if (!declared(app, secret)) {
      ctx.add(
        `/env(${variable})`,
        `references an undefined secret named '${secret}'`,
        `Declare a secret named "${secret}" in "secrets" (name -> {"source": ...}) or fix the reference.`,
      );
    }
  }
}
