/**
 * Calico's content-derived ids (libcalico-go `lib/hash/unique_id.go` `MakeUniqueID`).
 *
 * @module
 */

import { createHash } from 'node:crypto';

/**
 * Returns `prefix + ":" + base64url_nopad(SHA-224(prefix + ":" + content))`, the id Calico
 * derives from content. Selectors use prefix `"s"` and their canonical string as content.
 *
 * @param prefix - the id prefix, `"s"` for selectors
 * @param content - the content to hash (UTF-8 encoded)
 *
 * @example
 * makeUniqueId('s', 'all()'); // 's:5y5I3VdRZfDU01O--xXAPx2yxCQQqMf0M6IWug'
 */
export function makeUniqueId(prefix: string, content: string): string {
  const digest = createHash('sha224').update(`${prefix}:${content}`, 'utf8').digest('base64url');
  return `${prefix}:${digest}`;
}
