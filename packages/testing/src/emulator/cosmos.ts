/**
 * Emulated Cosmos package API under `/package/` (marathon.md section 4): install, list,
 * describe, uninstall. Installed packages are Marathon apps carrying `DCOS_PACKAGE_*` labels,
 * created and removed through the same change engine as `/v2/apps` (so they deploy too).
 */
import { checkApp } from './app-input.js';
import type { MarathonContext } from './context.js';
import { checkCosmosRequest, CosmosError } from './cosmos-request.js';
import type { OperationTypes } from './cosmos-request.js';
import { packageDefinition, packageDetails, renderPackageApp, RenderError } from './cosmos-render.js';
import { HttpError } from './http.js';
import type { RouteRequest, RouteResponse } from './http.js';
import { isJsonObject, objectAt, stringAt } from './json.js';
import { cosmosMediaType } from './media-types.js';
import { canonicalId } from './path-id.js';
import type { InstalledPackage, JsonObject, JsonValue } from './types.js';
import type { UniversePackage } from './universe.js';
import { issuesToError } from './validation.js';

const OPERATIONS: Record<string, OperationTypes> = {
  install: {
    request: cosmosMediaType('install-request', 'v1'),
    responses: [cosmosMediaType('install-response', 'v2'), cosmosMediaType('install-response', 'v1')],
    required: ['packageName'],
  },
  list: { request: cosmosMediaType('list-request', 'v1'), responses: [cosmosMediaType('list-response', 'v1')], required: [] },
  describe: {
    request: cosmosMediaType('describe-request', 'v1'),
    responses: [cosmosMediaType('describe-response', 'v3'), cosmosMediaType('describe-response', 'v2')],
    required: ['packageName'],
  },
  uninstall: {
    request: cosmosMediaType('uninstall-request', 'v1'),
    responses: [cosmosMediaType('uninstall-response', 'v1')],
    required: ['packageName'],
  },
};

function findPackage(packages: UniversePackage[], name: string, version: string | undefined): UniversePackage {
  const all = packages.filter((p) => p.name === name);
  if (all.length === 0) throw new CosmosError('PackageNotFound', `Package [${name}] not found`, { packageName: name });
  if (version === undefined) return all.reduce((a, b) => (b.releaseVersion > a.releaseVersion ? b : a));
  const hit = all.find((p) => p.version === version);
  if (!hit) {
    throw new CosmosError('VersionNotFound', `Version [${version}] of package [${name}] not found`, {
      packageName: name,
      packageVersion: version,
    });
  }
  return hit;
}

/** Packages installed in Marathon (apps with a `DCOS_PACKAGE_NAME` label). */
export function installedPackages(ctx: MarathonContext): InstalledPackage[] {
  const out: InstalledPackage[] = [];
  for (const [appId, app] of [...ctx.state.apps].sort(([a], [b]) => a.localeCompare(b))) {
    const labels = objectAt(app.def, 'labels') ?? {};
    const packageName = stringAt(labels, 'DCOS_PACKAGE_NAME');
    if (packageName === undefined) continue;
    out.push({ packageName, packageVersion: stringAt(labels, 'DCOS_PACKAGE_VERSION') ?? '', appId });
  }
  return out;
}

function marathonFailure(err: HttpError): CosmosError {
  const body = err.response.body;
  const message = isJsonObject(body) && typeof body.message === 'string' ? body.message : `status ${err.response.status}`;
  const data: JsonObject = { marathonStatus: err.response.status };
  if (isJsonObject(body) && body.details !== undefined) data.details = body.details;
  return new CosmosError('MarathonBadResponse', message, data);
}

function install(ctx: MarathonContext, packages: UniversePackage[], body: JsonObject, responseType: string): JsonValue {
  const pkg = findPackage(packages, String(body.packageName), stringAt(body, 'packageVersion'));
  if (body.options !== undefined && !isJsonObject(body.options)) {
    throw new CosmosError('not_parsed', "Item 'body' unable to be parsed: options must be a JSON object");
  }
  const userOptions = isJsonObject(body.options) ? body.options : undefined;
  let app: JsonObject;
  try {
    app = renderPackageApp(pkg, userOptions, stringAt(body, 'appId'));
  } catch (err) {
    if (err instanceof RenderError) throw new CosmosError('RenderedTemplateNotJson', err.message);
    throw err;
  }
  if (typeof app.id === 'string' && ctx.state.apps.has(canonicalId(app.id))) {
    throw new CosmosError('PackageAlreadyInstalled', 'Package is already installed', undefined, 409);
  }
  // Cosmos submits the rendered app with an absolute id (its AppId adds the leading slash).
  if (typeof app.id === 'string') app = { ...app, id: canonicalId(app.id) };
  const checked = checkApp(ctx, app, { operation: 'create', baseGroup: '/' });
  const invalid = issuesToError(checked.issues, ctx.version);
  if (invalid) throw marathonFailure(invalid);
  const appId = checked.app!.id;
  try {
    ctx.engine.commit([{ id: appId, def: checked.app!.def }], { force: false });
  } catch (err) {
    if (err instanceof HttpError && err.response.status === 409) {
      throw new CosmosError('PackageAlreadyInstalled', 'Package is already installed', undefined, 409);
    }
    throw err;
  }
  const out: JsonObject = { packageName: pkg.name, packageVersion: pkg.version, appId };
  const notes = stringAt(pkg.metadata, 'postInstallNotes');
  if (responseType.endsWith('version=v2') && notes !== undefined) out.postInstallNotes = notes;
  return out;
}

function list(ctx: MarathonContext, packages: UniversePackage[], body: JsonObject): JsonValue {
  const wantedName = stringAt(body, 'packageName');
  const wantedApp = typeof body.appId === 'string' ? canonicalId(body.appId) : undefined;
  const result: JsonValue[] = [];
  for (const p of installedPackages(ctx)) {
    if (wantedName !== undefined && p.packageName !== wantedName) continue;
    if (wantedApp !== undefined && p.appId !== wantedApp) continue;
    const pkg = packages.find((u) => u.name === p.packageName && u.version === p.packageVersion);
    const info: JsonObject = {
      packageDefinition: pkg ? packageDetails(pkg) : { name: p.packageName, version: p.packageVersion },
    };
    if (pkg?.resource) info.resourceDefinition = pkg.resource;
    result.push({ appId: p.appId, packageInformation: info });
  }
  return { packages: result };
}

function describe(packages: UniversePackage[], body: JsonObject, responseType: string): JsonValue {
  const pkg = findPackage(packages, String(body.packageName), stringAt(body, 'packageVersion'));
  const definition = packageDefinition(pkg);
  return responseType.endsWith('version=v3') ? { package: definition } : definition;
}

function uninstall(ctx: MarathonContext, packages: UniversePackage[], body: JsonObject): JsonValue {
  const packageName = String(body.packageName);
  const appId = typeof body.appId === 'string' ? canonicalId(body.appId) : undefined;
  const matching = installedPackages(ctx).filter((p) => p.packageName === packageName && (appId === undefined || p.appId === appId));
  if (matching.length === 0) {
    if (appId !== undefined) {
      throw new CosmosError('UninstallNonExistentAppForPackage', `Package [${packageName}] with id [${appId}] is not installed`, {
        packageName,
        appId,
      });
    }
    throw new CosmosError('PackageNotInstalled', `Package [${packageName}] is not installed`, { packageName });
  }
  if (matching.length > 1 && body.all !== true) {
    const ids = matching.map((m) => m.appId);
    throw new CosmosError('AmbiguousAppId', `Multiple apps named [${packageName}] are installed: [${ids.join(', ')}]`, {
      packageName,
      appIds: ids,
    });
  }
  const results: JsonValue[] = [];
  for (const m of matching) {
    ctx.engine.commit([{ id: m.appId, def: null }], { force: true });
    const pkg = packages.find((u) => u.name === m.packageName && u.version === m.packageVersion);
    const result: JsonObject = { packageName: m.packageName, appId: m.appId, packageVersion: m.packageVersion };
    const notes = pkg ? stringAt(pkg.metadata, 'postUninstallNotes') : undefined;
    if (notes !== undefined) result.postUninstallNotes = notes;
    results.push(result);
  }
  return { results };
}

/** Route `/package/<op>`. */
export function routeCosmos(ctx: MarathonContext, packages: UniversePackage[], req: RouteRequest): RouteResponse {
  const op = /^\/package\/([a-z-]+)\/?$/.exec(req.path)?.[1];
  const types = op === undefined ? undefined : OPERATIONS[op];
  if (!types) return { status: 404 };
  if (req.method !== 'POST') return { status: 405 };
  const { body, responseType } = checkCosmosRequest(req, types);
  let result: JsonValue;
  if (op === 'install') result = install(ctx, packages, body, responseType);
  else if (op === 'list') result = list(ctx, packages, body);
  else if (op === 'describe') result = describe(packages, body, responseType);
  else result = uninstall(ctx, packages, body);
  return { status: 200, body: result, contentType: responseType };
}
