/**
 * Internal helpers shared by the rule modules (not re-exported from the package).
 */
import { MARATHON_DEFAULTS } from './defaults.js';
import type {
  AppValidationIssue,
  AppValidationOptions,
  AppValidationStage,
  MarathonApiVersion,
} from './types.js';

/** Mutable collector for issues plus the resolved options. */
export class Ctx {
  readonly issues: AppValidationIssue[] = [];
  readonly features: ReadonlySet<string>;
  readonly defaultNetworkName: string | undefined;
  readonly mesosBridgeName: string;
  readonly parentGroup: string | undefined;

  constructor(
    readonly version: MarathonApiVersion,
    options: AppValidationOptions = {},
  ) {
    this.features = new Set(options.features ?? []);
    this.defaultNetworkName = options.defaultNetworkName;
    this.mesosBridgeName = options.mesosBridgeName ?? MARATHON_DEFAULTS.mesosBridgeName;
    this.parentGroup = options.parentGroup;
  }

  /** Records a validate-stage issue (duplicates with same path and message are dropped). */
  add(path: string, message: string, fix: string, stage: AppValidationStage = 'validate'): void {
    if (this.issues.some((i) => i.path === path && i.message === message && i.stage === stage)) return;
    this.issues.push({ path, message, fix, stage });
  }

  /** Records a read-stage issue. */
  read(path: string, message: string, fix: string): void {
    this.add(path, message, fix, 'read');
  }

  get is14(): boolean {
    return this.version === '1.4';
  }

  hasFeature(name: string): boolean {
    return this.features.has(name);
  }
}

/** Plain JSON object check. */
export function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Appends a key segment ("/key") to a Marathon path; the root path is "/". */
export function child(path: string, key: string): string {
  return path === '/' || path === '' ? `/${key}` : `${path}/${key}`;
}

/** Appends an index segment ("(i)") to a Marathon path. */
export function index(path: string, i: number | string): string {
  return `${path === '/' ? '' : path}(${i})`;
}

/**
 * Renders a number like Scala/Java `Double.toString` (accord messages print doubles that way):
 * `1` -> "1.0", `0.5` -> "0.5", `1e-4` -> "1.0E-4", `1e7` -> "1.0E7".
 */
export function javaDouble(n: number): string {
  if (Number.isNaN(n)) return 'NaN';
  if (!Number.isFinite(n)) return n > 0 ? 'Infinity' : '-Infinity';
  if (n === 0) return Object.is(n, -0) ? '-0.0' : '0.0';
  const abs = Math.abs(n);
  if (abs >= 1e-3 && abs < 1e7) {
    const s = String(n);
    return s.includes('.') ? s : `${s}.0`;
  }
  const [mantissa = '', exp = '0'] = n.toExponential().split('e');
  const m = mantissa.includes('.') ? mantissa : `${mantissa}.0`;
  return `${m}E${exp.replace('+', '')}`;
}

/** Renders an integral value like Scala `Int.toString`. */
export function javaInt(n: number): string {
  return String(Math.trunc(n));
}

/** Scala `String.toInt` (Java `Integer.parseInt`): optional sign, ASCII digits, 32-bit range. */
export function parsesAsJavaInt(s: string): boolean {
  if (!/^[+-]?[0-9]+$/.test(s)) return false;
  const n = Number(s);
  return n >= -2147483648 && n <= 2147483647;
}

/** Removes `null`-valued object properties recursively (Marathon treats them as absent). */
export function stripNulls(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(stripNulls);
  if (!isObject(v)) return v;
  const out: Record<string, unknown> = {};
  for (const [k, val] of Object.entries(v)) {
    if (val !== null) out[k] = stripNulls(val);
  }
  return out;
}

/** Accord's `isTrue`-style helper for JS regexes that must fully match (Java `String.matches`). */
export function fullMatch(pattern: string, flags = ''): RegExp {
  return new RegExp(`^(?:${pattern})$`, flags);
}

/** True when every element is distinct (SameValueZero). */
export function allDistinct<T>(values: readonly T[]): boolean {
  return new Set(values).size === values.length;
}

/**
 * Approximates `java.net.URI` syntax checking: control characters, spaces and the characters
 * `"<>\^`{|}` are illegal, `%` must start a two-hex-digit escape, and a scheme (text before the
 * first ':' that precedes any '/', '?' or '#') must start with a letter and contain only
 * letters, digits, '+', '-' and '.'.
 */
export function isValidJavaUri(uri: string): boolean {
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u0020"<>\\^`{|}\u007f]/.test(uri)) return false;
  if (/%(?![0-9a-fA-F]{2})/.test(uri)) return false;
  const colon = uri.indexOf(':');
  const stop = uri.search(/[/?#]/);
  if (colon === 0) return false;
  if (colon > 0 && (stop === -1 || colon < stop)) {
    if (!/^[A-Za-z][A-Za-z0-9+.-]*$/.test(uri.slice(0, colon))) return false;
    if (uri.length === colon + 1) return false;
  }
  return true;
}
