/**
 * Artifacts: `fetch[]`, legacy `uris[]` and 1.4 `storeUrls[]`.
 * 1.5: `ArtifactValidation`, `AppValidation.validateOldAppAPI`; 1.4: `Validation.fetchUriIsValid`,
 * `urlIsValid` (the 1.4 uris/fetch conflict is a read-stage filter in read-1.4.ts).
 */
import { Ctx, child, index, isValidJavaUri } from './context.js';
import type { MarathonAppJson } from './types.js';

const URI_MESSAGE = 'URI has invalid syntax.';
const URI_FIX = 'Use a valid URI: percent-encode spaces and special characters.';

/** Checks `fetch[].uri` syntax. */
export function checkFetch(app: MarathonAppJson, ctx: Ctx): void {
  (app.fetch ?? []).forEach((f, i) => {
    if (!isValidJavaUri(f.uri)) ctx.add(child(index('/fetch', i), 'uri'), URI_MESSAGE, URI_FIX);
  });
}

/** 1.5 legacy-API checks of `uris`. */
export function checkUris15(app: MarathonAppJson, ctx: Ctx): void {
  const uris = app.uris;
  if (uris === undefined) return;
  uris.forEach((u, i) => {
    if (!isValidJavaUri(u)) ctx.add(index('/uris', i), URI_MESSAGE, URI_FIX);
  });
  if (uris.length > 0 && (app.fetch ?? []).length > 0) {
    ctx.add('/uris', 'may not be set in conjunction with fetch', 'Move every entry of "uris" into "fetch" as {"uri": ...} and drop "uris".');
  }
}

const JAVA_URL_PROTOCOLS = ['http', 'https', 'ftp', 'file', 'jar', 'mailto', 'netdoc'];

/** Message of `java.net.URL`'s MalformedURLException, or undefined when the URL parses. */
export function javaUrlError(url: string): string | undefined {
  const m = /^([A-Za-z][A-Za-z0-9+.-]*):/.exec(url.trim());
  if (m === null || m[1] === undefined) return `no protocol: ${url}`;
  const protocol = m[1].toLowerCase();
  return JAVA_URL_PROTOCOLS.includes(protocol) ? undefined : `unknown protocol: ${protocol}`;
}

/** 1.4 `storeUrls` must be URLs Java can parse. */
export function checkStoreUrls14(app: MarathonAppJson, ctx: Ctx): void {
  (app.storeUrls ?? []).forEach((u, i) => {
    const err = javaUrlError(u);
    if (err !== undefined) ctx.add(index('/storeUrls', i), err, 'Use an absolute http(s), ftp or file URL.');
  });
}
