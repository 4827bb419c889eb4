/**
 * Cosmos package rendering (COS `render/PackageDefinitionRenderer.scala`, own summary):
 * options = config.json defaults deep-merged with user options, plus `resource` = resource.json;
 * strings in the Mustache context are JSON-string-escaped (quoted when inside arrays) and Mustache
 * HTML escaping is disabled, so `{{x}}` and `{{{x}}}` render the same. The rendered app gets the
 * `DCOS_PACKAGE_*` labels and, when given, the requested app id.
 */
import { cloneJson, deepMerge, isJsonObject, objectAt } from './json.js';
import { renderMustache } from './mustache.js';
import type { JsonObject, JsonValue } from './types.js';
import type { UniversePackage } from './universe.js';

/** `DCOS_PACKAGE_SOURCE` value used for packages of the emulated Universe. */
export const PACKAGE_SOURCE = 'https://universe.mesosphere.com/repo';

/** Defaults of a JSON schema: `default` values, nested objects recursed (Cosmos `extractDefaultsFromSchema`). */
export function extractDefaults(schema: JsonObject): JsonObject {
  const out: JsonObject = {};
  for (const [name, prop] of Object.entries(objectAt(schema, 'properties') ?? {})) {
    if (!isJsonObject(prop)) continue;
    if (prop.default !== undefined) out[name] = cloneJson(prop.default);
    else if (isJsonObject(prop.properties)) out[name] = extractDefaults(prop);
  }
  return out;
}

/** Java `Double.toString` for non-integers / big numbers, `Integer.toString` for ints. */
export function javaNumber(n: number): string {
  if (Number.isInteger(n) && Math.abs(n) < 2 ** 31) return String(n);
  const abs = Math.abs(n);
  if (abs !== 0 && (abs < 1e-3 || abs >= 1e7)) {
    const [mantissa, exp] = n.toExponential().split('e');
    const m = mantissa!.includes('.') ? mantissa! : `${mantissa}.0`;
    return `${m}E${Number(exp)}`;
  }
  const s = String(n);
  return s.includes('.') ? s : `${s}.0`;
}

/** Convert options into the Mustache context the way Cosmos does before rendering. */
export function cosmosContext(value: JsonValue, inArray = false): JsonValue {
  if (typeof value === 'string') {
    const quoted = JSON.stringify(value);
    return inArray ? quoted : quoted.slice(1, -1);
  }
  if (typeof value === 'number') return javaNumber(value);
  if (Array.isArray(value)) return value.map((v) => cosmosContext(v, true));
  if (isJsonObject(value)) {
    const out: JsonObject = {};
    for (const [k, v] of Object.entries(value)) out[k] = cosmosContext(v, false);
    return out;
  }
  return value;
}

/** Render a Marathon template with a (merged) options object, Cosmos style. */
export function renderCosmosTemplate(template: string, options: JsonObject): string {
  return renderMustache(template, cosmosContext(options), { escape: (s) => s });
}

/** config.json defaults merged with user options. */
export function mergedOptions(pkg: UniversePackage, userOptions: JsonObject | undefined): JsonObject {
  const defaults = pkg.config ? extractDefaults(pkg.config) : {};
  return userOptions ? deepMerge(defaults, userOptions) : defaults;
}

function base64Json(value: JsonValue): string {
  return Buffer.from(JSON.stringify(value), 'utf8').toString('base64');
}

/** Package definition in Universe v3/v4 repository form (package.json + config + resource + marathon template). */
export function packageDefinition(pkg: UniversePackage): JsonObject {
  const out: JsonObject = { ...cloneJson(pkg.metadata), releaseVersion: pkg.releaseVersion };
  if (pkg.config) out.config = cloneJson(pkg.config);
  if (pkg.resource) out.resource = cloneJson(pkg.resource);
  if (pkg.marathonTemplate !== undefined) {
    out.marathon = { v2AppMustacheTemplate: Buffer.from(pkg.marathonTemplate, 'utf8').toString('base64') };
  }
  out.selected ??= false;
  return out;
}

/** Package details (v2 `PackageDetails` as used by `package/list`). */
export function packageDetails(pkg: UniversePackage): JsonObject {
  const m = pkg.metadata;
  const keep = ['packagingVersion', 'name', 'version', 'maintainer', 'description', 'tags', 'selected', 'scm', 'website',
    'framework', 'preInstallNotes', 'postInstallNotes', 'postUninstallNotes', 'licenses'];
  const out: JsonObject = {};
  for (const k of keep) if (m[k] !== undefined) out[k] = cloneJson(m[k]);
  out.selected ??= false;
  out.framework ??= false;
  out.tags ??= [];
  return out;
}

/** Error raised when a rendered template is not a JSON object. */
export class RenderError extends Error {}

/** Render the Marathon app of a package install. */
export function renderPackageApp(pkg: UniversePackage, userOptions: JsonObject | undefined, appId: string | undefined): JsonObject {
  if (pkg.marathonTemplate === undefined) throw new RenderError(`Package ${pkg.name} has no Marathon template`);
  const options = mergedOptions(pkg, userOptions);
  const context = pkg.resource ? deepMerge(options, { resource: pkg.resource }) : options;
  const text = renderCosmosTemplate(pkg.marathonTemplate, context);
  let app: unknown;
  try {
    app = JSON.parse(text);
  } catch (err) {
    throw new RenderError(`Rendered template is not JSON: ${(err as Error).message}`);
  }
  if (!isJsonObject(app)) throw new RenderError('Rendered template must be a JSON object');
  if (appId !== undefined) app.id = appId;
  const labels = isJsonObject(app.labels) ? app.labels : {};
  app.labels = {
    ...labels,
    DCOS_PACKAGE_METADATA: base64Json(packageDetails(pkg)),
    DCOS_PACKAGE_NAME: pkg.name,
    DCOS_PACKAGE_VERSION: pkg.version,
    DCOS_PACKAGE_SOURCE: PACKAGE_SOURCE,
    DCOS_PACKAGE_OPTIONS: base64Json(userOptions ?? {}),
    DCOS_PACKAGE_DEFINITION: base64Json({
      metadata: { 'Content-Type': `application/vnd.dcos.universe.package+json;charset=utf-8;version=v${pkg.metadata.packagingVersion === '2.0' ? 2 : 3}` },
      data: packageDefinition(pkg),
    }),
  };
  return app;
}
