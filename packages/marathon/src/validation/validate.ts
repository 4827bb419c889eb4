/**
 * Entry point: runs Marathon's stages in order and stops at the first stage that fails, like the
 * server does.
 *
 * 1.4: read (Formats.scala) -> validate (AppDefinition.validAppDefinition).
 * 1.5: read (RAML readers) -> validateOldAppAPI -> normalization of deprecated fields ->
 *      validateCanonicalAppAPI.
 */
import { checkConstraints } from './constraints.js';
import {
  checkCommand,
  checkContainer14,
  checkContainer15,
  checkGpus,
  checkOldContainerApi15,
} from './container.js';
import { Ctx, isObject, stripNulls } from './context.js';
import { checkFetch, checkStoreUrls14, checkUris15 } from './fetch.js';
import { checkHealthChecks } from './health.js';
import { checkDependencies, checkId } from './ids.js';
import { checkNetworking14 } from './networking-1.4.js';
import { checkNetworking15, checkOldNetworkingApi15, migrate15 } from './networking-1.5.js';
import { read14 } from './read-1.4.js';
import { read15 } from './read-1.5.js';
import { checkScheduling14, checkScheduling15 } from './scheduling.js';
import { checkSecrets14, checkSecrets15 } from './secrets.js';
import type {
  AppValidationIssue,
  AppValidationOptions,
  MarathonApiVersion,
  MarathonAppJson,
} from './types.js';

/**
 * Validates an app definition (a POST /v2/apps body, or an app inside a group when
 * `options.parentGroup` is set) the way Marathon `version` would, returning every issue of the
 * first failing stage (empty array = Marathon accepts the app).
 */
export function validateAppDefinition(
  app: unknown,
  version: MarathonApiVersion,
  options: AppValidationOptions = {},
): AppValidationIssue[] {
  const ctx = new Ctx(version, options);
  if (version === '1.4') run14(app, ctx);
  else run15(app, ctx);
  return ctx.issues;
}

function run14(raw: unknown, ctx: Ctx): void {
  read14(raw, ctx);
  if (ctx.issues.length > 0) return;
  const app = stripNulls(raw) as MarathonAppJson;
  checkId(app.id, ctx);
  checkDependencies(app.dependencies, ctx);
  checkCommand(app, ctx);
  checkContainer14(app.container, ctx);
  checkGpus(app, ctx);
  const ports = checkNetworking14(app, ctx);
  checkHealthChecks(app.healthChecks ?? [], ports, ctx);
  checkFetch(app, ctx);
  checkStoreUrls14(app, ctx);
  checkSecrets14(app, ctx);
  checkScheduling14(app, ctx);
  checkConstraints(app, ctx);
}

function run15(raw: unknown, ctx: Ctx): void {
  read15(raw, ctx);
  if (ctx.issues.length > 0) return;
  const app = normalizeLiterals15(stripNulls(raw) as MarathonAppJson);

  // validateOldAppAPI
  checkOldContainerApi15(app.container, ctx);
  checkOldNetworkingApi15(app, ctx);
  checkUris15(app, ctx);
  if (ctx.issues.length > 0) return;

  // AppNormalization.forDeprecated
  const migrated = migrate15(app, ctx);
  if (migrated === undefined) return;
  const canonical: MarathonAppJson = {
    ...app,
    ...(migrated.container === undefined ? {} : { container: migrated.container }),
    networks: migrated.networks,
  };

  // validateCanonicalAppAPI
  checkId(app.id, ctx);
  checkDependencies(app.dependencies, ctx);
  checkCommand(canonical, ctx);
  checkContainer15(canonical.container, canonical, ctx);
  checkGpus(canonical, ctx);
  const ports = checkNetworking15(app, migrated, ctx);
  checkHealthChecks(app.healthChecks ?? [], ports, ctx);
  checkFetch(canonical, ctx);
  checkSecrets15(canonical, ctx);
  checkScheduling15(canonical, ctx);
  checkConstraints(canonical, ctx);
}

/** 1.5 reads enum literals case-insensitively; bring them to their canonical spelling. */
function normalizeLiterals15(app: MarathonAppJson): MarathonAppJson {
  const lower = (v: unknown): unknown => (typeof v === 'string' ? v.toLowerCase() : v);
  const upper = (v: unknown): unknown => (typeof v === 'string' ? v.toUpperCase() : v);
  const out = structuredClone(app) as unknown as Record<string, unknown>;
  const each = (v: unknown, f: (o: Record<string, unknown>) => void): void => {
    if (Array.isArray(v)) v.forEach((o) => isObject(o) && f(o));
  };
  const fixProtocol = (o: Record<string, unknown>): void => {
    if ('protocol' in o) o['protocol'] = lower(o['protocol']);
  };
  const container = out['container'];
  if (isObject(container)) {
    if ('type' in container) container['type'] = upper(container['type']);
    each(container['portMappings'], fixProtocol);
    const docker = container['docker'];
    if (isObject(docker)) {
      if ('network' in docker) docker['network'] = upper(docker['network']);
      each(docker['portMappings'], fixProtocol);
    }
  }
  each(out['portDefinitions'], fixProtocol);
  const ip = out['ipAddress'];
  if (isObject(ip) && isObject(ip['discovery'])) each(ip['discovery']['ports'], fixProtocol);
  each(out['healthChecks'], (hc) => {
    if ('protocol' in hc) hc['protocol'] = upper(hc['protocol']);
  });
  each(out['networks'], (n) => {
    if ('mode' in n) n['mode'] = lower(n['mode']);
  });
  return out as unknown as MarathonAppJson;
}
