/**
 * Turns the issues of Marathon's own validation (`validateAppDefinition`,
 * paths like `/healthChecks(0)/portIndex`) into issues named by the prop the
 * field comes from (`healthChecks[0].portIndex`).
 */
import type { AppValidationIssue } from '../validation/index.js';
import type { AppContext } from '../render/context.js';
import type { PropIssue } from './issue.js';

/** One segment of a Marathon path: a key and its `(index)` parts. */
interface Segment {
  readonly key: string;
  readonly indexes: readonly string[];
}

function parsePath(path: string): Segment[] {
  return path
    .split('/')
    .filter((s) => s.length > 0)
    .map((s) => {
      const m = /^([^(]*)((?:\([^)]*\))*)$/.exec(s);
      const key = m?.[1] ?? s;
      const indexes = [...(m?.[2] ?? '').matchAll(/\(([^)]*)\)/g)].map((x) => x[1] ?? '');
      return { key, indexes };
    });
}

/** The path as JSON keys: `/healthChecks(0)/port` -> ['healthChecks', '0', 'port']. */
export function jsonKeys(path: string): string[] {
  return parsePath(path).flatMap((s) => [s.key, ...s.indexes]);
}

function render(segments: readonly Segment[]): string {
  let out = '';
  for (const s of segments) {
    out += out === '' ? s.key : `.${s.key}`;
    for (const i of s.indexes) out += /^[0-9]+$/.test(i) ? `[${i}]` : `.${i}`;
  }
  return out;
}

const PORT_FIELDS: Record<string, string> = { containerPort: 'port', number: 'port' };

function portProp(index: string | undefined, field: string | undefined): string {
  if (index === undefined) return 'ports';
  const base = `ports[${index}]`;
  return field === undefined ? base : `${base}.${PORT_FIELDS[field] ?? field}`;
}

/** Props named by Marathon's root-level (`/`) messages. */
const ROOT_MESSAGES: ReadonlyArray<[RegExp, string]> = [
  [/'cmd' or 'args'|empty string/, 'cmd'],
  [/GPU/, 'gpus'],
  [/[Ss]ingle instance/, 'instances'],
  [/residency/, 'residency'],
  [/unreachableStrategy/, 'unreachableStrategy'],
  [/health check/i, 'healthChecks'],
  [/uris|fetch/, 'fetch'],
  [/network|port|IP address/i, 'networking'],
  [/root/, 'id'],
];

/** The prop a Marathon path (and, for `/`, message) refers to. */
export function propOfMarathonPath(path: string, message: string): string {
  const segs = parsePath(path);
  const [first, second, third, fourth] = segs;
  if (first === undefined) return ROOT_MESSAGES.find(([re]) => re.test(message))?.[1] ?? '';
  switch (first.key) {
    case 'container':
      if (second === undefined) return 'container';
      if (second.key === 'portMappings') return portProp(second.indexes[0], third?.key);
      if (second.key === 'volumes') return render([{ key: 'container', indexes: [] }, ...segs.slice(1)]);
      if (second.key !== 'docker') return render(segs);
      if (third === undefined || third.key === 'image') return 'image';
      if (third.key === 'network') return 'networking';
      if (third.key === 'portMappings') return portProp(third.indexes[0], fourth?.key);
      if (third.key === 'pullConfig') return 'container.pullConfigSecret';
      return render([{ key: 'container', indexes: [] }, ...segs.slice(2)]);
    case 'ipAddress':
      if (second?.key === 'discovery' && third?.key === 'ports') return portProp(third.indexes[0], fourth?.key);
      return 'networking';
    case 'networks':
    case 'requirePorts':
      return 'networking';
    case 'portDefinitions':
      return portProp(first.indexes[0], second?.key);
    case 'dependencies':
      return render([{ key: 'dependsOn', indexes: first.indexes }, ...segs.slice(1)]);
    case 'env':
      return first.indexes[0] === undefined ? 'env' : `env.${first.indexes[0]}`;
    default:
      return render(segs);
  }
}

/** Plain words for the Play JSON error keys Marathon 1.5 reports for RAML constraints. */
const PLAY_KEYS: Readonly<Record<string, string>> = {
  'error.pattern': 'the value does not match the pattern Marathon requires',
  'error.min': 'the value is below the minimum Marathon allows',
  'error.max': 'the value is above the maximum Marathon allows',
  'error.minLength': 'the value is shorter than Marathon allows (empty?)',
  'error.maxLength': 'the value is longer than Marathon allows',
  'error.expected.jsstring': 'Marathon expected another value here',
  'error.path.missing': 'a required field is missing',
};

function explain(message: string): string {
  const plain = PLAY_KEYS[message];
  return plain === undefined ? message : `${message} (${plain})`;
}

/**
 * An issue of Marathon's validation as a prop issue. `overrides` are the
 * JSON paths set by `addOverride`; an issue inside one says so.
 */
export function fromMarathonIssue(issue: AppValidationIssue, ctx: AppContext, overrides: readonly (readonly string[])[]): PropIssue {
  const keys = jsonKeys(issue.path);
  const override = keys.length === 0 ? undefined : overrides.find((o) => o.every((k, i) => keys[i] === undefined || keys[i] === k));
  const where = issue.path === '/' ? 'the app' : `the app at ${issue.path}`;
  const via =
    override !== undefined
      ? ` (the value comes from addOverride('${override.join('.')}'))`
      : keys.length === 0 && overrides.length > 0
        ? ` (the app has overrides: ${overrides.map((o) => `'${o.join('.')}'`).join(', ')})`
        : '';
  return {
    prop: propOfMarathonPath(issue.path, issue.message),
    rule: 'marathon/app-definition',
    message: `Marathon ${ctx.marathonVersion} would reject ${where}: ${explain(issue.message)}${via}`,
    fix: issue.fix,
  };
}
