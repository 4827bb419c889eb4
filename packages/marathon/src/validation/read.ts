/**
 * Read stage: reproduces the errors Marathon's Play-JSON readers produce while turning the request
 * body into its model (1.4: hand-written `api/v2/json/Formats.scala`; 1.5: readers generated from the
 * RAML types, which also enforce RAML `minimum`/`maximum`/`pattern`/`minLength`/`maxLength`).
 * Error texts are Play's message keys ("error.expected.jsstring", "error.path.missing", "error.min", ...).
 */
import { Ctx, child, fullMatch, index, isObject } from './context.js';

/** A reader for one JSON value. */
export type ReadSpec =
  | { readonly t: 'string'; readonly minLength?: number; readonly maxLength?: number; readonly pattern?: string }
  | { readonly t: 'int' | 'long' | 'double'; readonly min?: number; readonly max?: number }
  | { readonly t: 'bool' }
  | {
      readonly t: 'enum';
      readonly values: readonly string[];
      /** message for an unknown literal */
      readonly unknown: (value: string) => string;
      /** message for a non-string value */
      readonly notString: (json: unknown) => string;
      readonly caseInsensitive: boolean;
    }
  | { readonly t: 'array'; readonly items: ReadSpec; readonly minItems?: number; readonly maxItems?: number }
  | { readonly t: 'map'; readonly values: ReadSpec }
  | { readonly t: 'object'; readonly fields: Readonly<Record<string, ReadField>> }
  | { readonly t: 'any' }
  | { readonly t: 'custom'; readonly read: (value: unknown, path: string, ctx: Ctx) => void };

/** A field of an object reader. */
export interface ReadField {
  readonly spec: ReadSpec;
  readonly required?: boolean;
}

const TYPE_FIX: Record<string, string> = {
  'error.expected.jsstring': 'Give this field a JSON string.',
  'error.expected.jsnumber': 'Give this field a JSON number.',
  'error.expected.int': 'Give this field a whole number between -2147483648 and 2147483647.',
  'error.expected.long': 'Give this field a whole number.',
  'error.expected.jsboolean': 'Give this field true or false.',
  'error.expected.jsarray': 'Give this field a JSON array.',
  'error.expected.jsobject': 'Give this field a JSON object.',
  'error.path.missing': 'Add this required field.',
};

function typeError(ctx: Ctx, path: string, key: string): void {
  ctx.read(path, key, TYPE_FIX[key] ?? 'Fix the JSON type of this field.');
}

/** Reads `value` with `spec`, recording read-stage issues at `path`. */
export function readValue(value: unknown, spec: ReadSpec, path: string, ctx: Ctx): void {
  switch (spec.t) {
    case 'any':
      return;
    case 'custom':
      spec.read(value, path, ctx);
      return;
    case 'string':
      if (typeof value !== 'string') return typeError(ctx, path, 'error.expected.jsstring');
      if (spec.maxLength !== undefined && value.length > spec.maxLength) {
        ctx.read(path, 'error.maxLength', `Shorten this value to at most ${spec.maxLength} characters.`);
      }
      if (spec.minLength !== undefined && value.length < spec.minLength) {
        ctx.read(path, 'error.minLength', `Make this value at least ${spec.minLength} character(s) long.`);
      }
      if (spec.pattern !== undefined && !fullMatch(spec.pattern).test(value)) {
        ctx.read(path, 'error.pattern', `Make this value match the regular expression ${spec.pattern}.`);
      }
      return;
    case 'bool':
      if (typeof value !== 'boolean') typeError(ctx, path, 'error.expected.jsboolean');
      return;
    case 'int':
    case 'long':
    case 'double': {
      if (typeof value !== 'number') return typeError(ctx, path, 'error.expected.jsnumber');
      if (spec.t === 'int' && !(Number.isInteger(value) && value >= -2147483648 && value <= 2147483647)) {
        return typeError(ctx, path, 'error.expected.int');
      }
      if (spec.t === 'long' && !Number.isSafeInteger(value)) return typeError(ctx, path, 'error.expected.long');
      if (spec.max !== undefined && value > spec.max) ctx.read(path, 'error.max', `Use a value of at most ${spec.max}.`);
      if (spec.min !== undefined && value < spec.min) ctx.read(path, 'error.min', `Use a value of at least ${spec.min}.`);
      return;
    }
    case 'enum': {
      if (typeof value !== 'string') {
        ctx.read(path, spec.notString(value), `Use one of ${spec.values.join(', ')}.`);
        return;
      }
      const ok = spec.caseInsensitive
        ? spec.values.some((v) => v.toLowerCase() === value.toLowerCase())
        : spec.values.includes(value);
      if (!ok) ctx.read(path, spec.unknown(value), `Use one of ${spec.values.join(', ')}.`);
      return;
    }
    case 'array':
      if (!Array.isArray(value)) return typeError(ctx, path, 'error.expected.jsarray');
      value.forEach((item, i) => readValue(item, spec.items, index(path, i), ctx));
      if (spec.maxItems !== undefined && value.length > spec.maxItems) {
        ctx.read(path, 'error.maxLength', `Give at most ${spec.maxItems} element(s).`);
      }
      if (spec.minItems !== undefined && value.length < spec.minItems) {
        ctx.read(path, 'error.minLength', `Give at least ${spec.minItems} element(s).`);
      }
      return;
    case 'map':
      if (!isObject(value)) return typeError(ctx, path, 'error.expected.jsobject');
      for (const [k, v] of Object.entries(value)) readValue(v, spec.values, child(path, k), ctx);
      return;
    case 'object':
      if (!isObject(value)) return typeError(ctx, path, 'error.expected.jsobject');
      for (const [name, field] of Object.entries(spec.fields)) {
        const v = value[name];
        const p = child(path, name);
        if (v === undefined) {
          if (field.required) typeError(ctx, p, 'error.path.missing');
        } else if (v !== null || field.required) {
          readValue(v, field.spec, p, ctx);
        }
      }
      return;
  }
}

/* ----------------------------- spec builders ----------------------------- */

/** String reader with optional RAML constraints. */
export const str = (c: { minLength?: number; maxLength?: number; pattern?: string } = {}): ReadSpec => ({ t: 'string', ...c });
/** 32-bit integer reader. */
export const int = (min?: number, max?: number): ReadSpec => ({ t: 'int', ...(min === undefined ? {} : { min }), ...(max === undefined ? {} : { max }) });
/** 64-bit integer reader. */
export const long = (min?: number): ReadSpec => ({ t: 'long', ...(min === undefined ? {} : { min }) });
/** Double reader. */
export const dbl = (min?: number, max?: number): ReadSpec => ({ t: 'double', ...(min === undefined ? {} : { min }), ...(max === undefined ? {} : { max }) });
/** Boolean reader. */
export const bool: ReadSpec = { t: 'bool' };
/** Accept anything. */
export const any: ReadSpec = { t: 'any' };
/** Array reader. */
export const arr = (items: ReadSpec, minItems?: number, maxItems?: number): ReadSpec => ({
  t: 'array',
  items,
  ...(minItems === undefined ? {} : { minItems }),
  ...(maxItems === undefined ? {} : { maxItems }),
});
/** String-keyed map reader. */
export const map = (values: ReadSpec): ReadSpec => ({ t: 'map', values });
/** Object reader; field names ending in "!" are required. */
export const obj = (fields: Record<string, ReadSpec>): ReadSpec => {
  const out: Record<string, ReadField> = {};
  for (const [k, spec] of Object.entries(fields)) {
    if (k.endsWith('!')) out[k.slice(0, -1)] = { spec, required: true };
    else out[k] = { spec };
  }
  return { t: 'object', fields: out };
};
/** Custom reader. */
export const custom = (read: (value: unknown, path: string, ctx: Ctx) => void): ReadSpec => ({ t: 'custom', read });

/** 1.5 RAML enum: case-insensitive; Marathon's generated reader reports "error.expected.jsstring". */
export const enum15 = (values: readonly string[]): ReadSpec => ({
  t: 'enum',
  values,
  unknown: () => 'error.expected.jsstring',
  notString: () => 'error.expected.jsstring',
  caseInsensitive: true,
});

/** 1.4 `Formats.enumFormat`: case-sensitive `valueOf`, "<v> is not a valid <what>". */
export const enum14 = (values: readonly string[], what: string): ReadSpec => ({
  t: 'enum',
  values,
  unknown: (v) => `${v} is not a valid ${what}`,
  notString: (json) => `expected string, got ${JSON.stringify(json)}`,
  caseInsensitive: false,
});

/** Environment values: a string, or an object `{ "secret": "<name>" }`. */
export const envValue: ReadSpec = custom((value, path, ctx) => {
  if (typeof value === 'string') return;
  if (!isObject(value)) {
    ctx.read(child(path, 'secret'), 'error.path.missing', 'Give the variable a string value or an object {"secret": "<secret name>"}.');
    return;
  }
  readValue(value, obj({ 'secret!': str() }), path, ctx);
});
