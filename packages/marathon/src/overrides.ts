/**
 * Escape-hatch overrides of the rendered app JSON (`app.addOverride`), in the
 * spirit of aws-cdk's `addOverride`: dot-separated paths, `\.` for a literal
 * dot, numeric segments index arrays.
 */
import type { JsonValue } from '@dcos-cdk/core';
import type { JsonObject } from './render/json.js';

/** One override: a JSON path and the value to set, or undefined to delete. */
export interface Override {
  readonly path: readonly string[];
  readonly value: JsonValue | undefined;
}

/** Splits an override path on unescaped dots. */
export function parseOverridePath(path: string): string[] {
  const out: string[] = [];
  let cur = '';
  for (let i = 0; i < path.length; i++) {
    const c = path[i]!;
    if (c === '\\' && path[i + 1] === '.') {
      cur += '.';
      i++;
    } else if (c === '.') {
      out.push(cur);
      cur = '';
    } else cur += c;
  }
  out.push(cur);
  return out;
}

type Container = { [key: string]: JsonValue | undefined } | (JsonValue | undefined)[];

function isContainer(v: unknown): v is Container {
  return typeof v === 'object' && v !== null;
}

/** Applies overrides in order to a deep copy of `json`. */
export function applyOverrides(json: JsonObject, overrides: readonly Override[]): JsonObject {
  const root = structuredClone(json) as JsonObject;
  overrides: for (const { path, value } of overrides) {
    let node: Container = root;
    for (let i = 0; i < path.length - 1; i++) {
      const key = path[i]!;
      const next: unknown = Array.isArray(node) ? node[Number(key)] : node[key];
      if (isContainer(next)) {
        node = next;
        continue;
      }
      if (value === undefined) continue overrides;
      const created: Container = /^[0-9]+$/.test(path[i + 1]!) ? [] : {};
      if (Array.isArray(node)) node[Number(key)] = created as JsonValue;
      else node[key] = created as JsonValue;
      node = created;
    }
    const last = path[path.length - 1]!;
    if (Array.isArray(node)) {
      if (value === undefined) node.splice(Number(last), 1);
      else node[Number(last)] = structuredClone(value);
    } else if (value === undefined) delete node[last];
    else node[last] = structuredClone(value);
  }
  return root;
}
