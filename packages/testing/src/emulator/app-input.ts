/**
 * Reading app definitions from request bodies: build the app Marathon validates (the body, or a
 * partial update merged onto the stored app), run the validator, resolve the id and normalize.
 */
import { resolveAppId } from '@dcos-cdk/marathon';
import { mergeAppUpdate, normalizeApp } from './app-defaults.js';
import type { MarathonContext } from './context.js';
import { parseJsonBody } from './http.js';
import { isJsonObject } from './json.js';
import { canonicalId } from './path-id.js';
import { issuesToError, prefixIssues } from './validation.js';
import type { AppValidationIssue, AppValidationOptions, JsonObject, JsonValue } from './types.js';

/** Options for reading one app definition. */
export interface ReadAppOptions {
  /** Request kind (`group`: the app sits in a group's `apps` and must be a direct child of it). */
  operation: AppValidationOptions['operation'];
  /** Group relative ids resolve against; `/` for top-level app requests. */
  baseGroup: string;
  /** Id from the URL (`PUT /v2/apps/{id}`); it replaces the body's id, as in Marathon. */
  pathId?: string;
  /**
   * Stored definition a partial update (`partialUpdate=true`, `PATCH`) applies to: the body is
   * merged onto it and the merged app is validated, as Marathon does.
   */
  mergeInto?: JsonObject;
}

/** An accepted app: canonical id and normalized definition, ready to commit. */
export interface CheckedApp {
  /** Canonical id. */
  id: string;
  /** Normalized full definition (response shape of the emulated version). */
  def: JsonObject;
}

function readIssue(path: string, message: string, fix: string): AppValidationIssue {
  return { path, message, fix, stage: 'read' };
}

/** The app Marathon validates: the body with the URL id, merged onto the stored app for partial updates. */
function candidateOf(body: JsonValue, options: ReadAppOptions): JsonValue {
  if (!isJsonObject(body)) return body;
  const sent = options.pathId === undefined ? body : { ...body, id: options.pathId };
  if (!options.mergeInto) return sent;
  const merged = mergeAppUpdate(options.mergeInto, sent);
  delete merged.version;
  delete merged.versionInfo;
  return merged;
}

/**
 * Where an accepted app is stored. The validator has checked the id already; this only guards
 * storage against injected validators that accept anything.
 */
function storageId(app: JsonValue, options: ReadAppOptions): { id: string; app: JsonObject } | { issue: AppValidationIssue } {
  if (!isJsonObject(app)) return { issue: readIssue('/', 'error.expected.jsobject', 'Send the app as a JSON object.') };
  if (app.id === undefined) return { issue: readIssue('/id', 'error.path.missing', 'Add an id.') };
  if (typeof app.id !== 'string') return { issue: readIssue('/id', 'error.expected.jsstring', 'Make the id a string.') };
  const resolved = resolveAppId(app.id, options.operation === 'group' ? options.baseGroup : undefined);
  return resolved.ok ? { id: resolved.id, app } : { issue: resolved.issue };
}

/** Validate one app body; returns the accepted app or issues (paths prefixed with `prefix`). */
export function checkApp(
  ctx: MarathonContext,
  body: JsonValue,
  options: ReadAppOptions,
  prefix = '',
): { app?: CheckedApp; issues: AppValidationIssue[] } {
  const app = candidateOf(body, options);
  const appId = isJsonObject(app) && typeof app.id === 'string' ? canonicalId(app.id, options.baseGroup) : (options.pathId ?? '/');
  const issues = ctx.validator(app, ctx.version, {
    partial: options.mergeInto !== undefined,
    appId,
    operation: options.operation,
    baseGroup: options.baseGroup,
    defaultNetworkName: ctx.defaultNetworkName,
  });
  if (issues.length > 0) return { issues: prefixIssues(issues, prefix) };
  const stored = storageId(app, options);
  if ('issue' in stored) return { issues: prefixIssues([stored.issue], prefix) };
  const def = normalizeApp({ ...stored.app, id: stored.id }, ctx.version, { defaultNetworkName: ctx.defaultNetworkName });
  return { app: { id: stored.id, def }, issues: [] };
}

/** Throw the Marathon error for issues, if any. */
export function throwIssues(ctx: MarathonContext, issues: AppValidationIssue[]): void {
  const err = issuesToError(issues, ctx.version);
  if (err) throw err;
}

/** Parse and validate a single-app body; throws Marathon's error answers. */
export function readApp(ctx: MarathonContext, text: string, options: ReadAppOptions): CheckedApp {
  const { app, issues } = checkApp(ctx, parseJsonBody(text), options);
  throwIssues(ctx, issues);
  return app!;
}
