import type { CalicoVersion } from '@dcos-cdk/dcos';
import { keyStep, type ProblemSink } from './problems.js';

/** v1 label keys: the selector tokenizer's label pattern (libcalico-go v1.4.1). */
const V1_KEY = /^[a-zA-Z0-9_./-]{1,512}$/;
/** v1 label values, as libcalico-go v1.4.1 writes the pattern (its first character may be `-`, `_` or `.`). */
const V1_VALUE = /^[a-zA-Z0-9]?([a-zA-Z0-9_.-]{0,61}[a-zA-Z0-9])?$/;
/** Kubernetes qualified-name part and label value (`IsQualifiedName`, `IsValidLabelValue`). */
const K8S_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
/** DNS-1123 subdomain, the prefix of a Kubernetes label key. */
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** Why `key` is not a valid label key for `version`, or `undefined` when it is. */
export function labelKeyProblem(key: string, version: CalicoVersion): string | undefined {
  if (version === 'v1') {
    return V1_KEY.test(key) ? undefined : `label key '${key}' is not 1-512 letters, digits, _, ., / or -`;
  }
  const parts = key.split('/');
  if (parts.length > 2) return `label key '${key}' has more than one '/'`;
  const name = parts[parts.length - 1]!;
  if (parts.length === 2) {
    const prefix = parts[0]!;
    if (prefix.length === 0) return `label key '${key}' has an empty prefix before '/'`;
    if (prefix.length > 253 || !DNS_SUBDOMAIN.test(prefix)) return `label key prefix '${prefix}' is not a lower-case DNS subdomain of at most 253 characters`;
  }
  if (name.length === 0) return `label key '${key}' has an empty name`;
  if (name.length > 63) return `label key name '${name}' is longer than 63 characters`;
  if (!K8S_NAME.test(name)) return `label key name '${name}' must start and end with a letter or digit and hold only letters, digits, -, _ and .`;
  return undefined;
}

/** Why `value` is not a valid label value for `version`, or `undefined` when it is. */
export function labelValueProblem(value: string, version: CalicoVersion): string | undefined {
  if (typeof value !== 'string') return `label value ${JSON.stringify(value)} is not a string`;
  if (version === 'v1') {
    return V1_VALUE.test(value) ? undefined : `label value '${value}' is not at most 63 letters, digits, _, . or - ending in a letter or digit`;
  }
  if (value.length > 63) return `label value '${value}' is longer than 63 characters`;
  if (value !== '' && !K8S_NAME.test(value)) return `label value '${value}' must be empty, or start and end with a letter or digit and hold only letters, digits, -, _ and .`;
  return undefined;
}

/**
 * Checks labels with the rules of the target version: libcalico-go v1.4.1's
 * patterns for v1, Kubernetes' qualified names and label values for v3.
 * Each problem's path is `labels["key"]` below the sink's prefix.
 */
export function checkLabels(labels: Readonly<Record<string, string>>, version: CalicoVersion, sink: ProblemSink, field = 'labels'): void {
  const rules = version === 'v1' ? 'libcalico-go v1 label rules' : 'Kubernetes label rules, which Calico v3 uses';
  const fix =
    version === 'v1'
      ? 'Use keys of letters, digits, _, ., / and - (up to 512) and values of up to 63 letters, digits, _, . and - that end in a letter or digit.'
      : 'Use keys like `app` or `example.com/app` (name up to 63 letters, digits, -, _, . starting and ending alphanumeric) and values of up to 63 such characters, or "".';
  for (const key of Object.keys(labels).sort()) {
    const problem = labelKeyProblem(key, version) ?? labelValueProblem(labels[key]!, version);
    if (problem) sink.invalid(`${field}${keyStep(key)}`, `${problem} (${rules}).`, fix, 'calico/label');
  }
}
