/** An environment variable set from a secret declared in the app's `secrets`. */
export interface SecretEnvValue {
  /** Name of the secret in the app's `secrets` (not the store path). */
  readonly secret: string;
}

/** Value of an environment variable: a string, or a secret reference (DC/OS Enterprise). */
export type EnvValue = string | SecretEnvValue;

/** A secret of DC/OS Enterprise's secret store, declared for the app. */
export interface SecretProps {
  /** Path of the secret in the store, e.g. `database/password`. */
  readonly source: string;
}
