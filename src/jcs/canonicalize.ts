import { GaitError } from '../errors/error.js';
import { formatJcsNumber } from './number.js';

/** A rejected value found while walking; path segments are collected while the stack unwinds. */
class JcsFault {
  readonly segments: (string | number)[] = [];
  constructor(readonly reason: string) {}
}

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

// Only ", \ and U+0000–U+001F need escaping (RFC 8785 §3.2.2.2).
function needsEscape(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x20 || c === 0x22 || c === 0x5c) return true;
  }
  return false;
}

const SHORT_ESCAPES: Readonly<Record<number, string>> = { 8: '\\b', 9: '\\t', 10: '\\n', 12: '\\f', 13: '\\r', 0x22: '\\"', 0x5c: '\\\\' };

function escapeString(s: string): string {
  let out = '"';
  let start = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0x20 && c !== 0x22 && c !== 0x5c) continue;
    out += s.slice(start, i) + (SHORT_ESCAPES[c] ?? `\\u00${c < 0x10 ? '0' : ''}${c.toString(16)}`);
    start = i + 1;
  }
  return `${out}${s.slice(start)}"`;
}

/** A JSON string literal per RFC 8785; throws JcsFault for a string with a lone surrogate. */
function writeString(s: string): string {
  if (!s.isWellFormed()) throw new JcsFault('string contains a lone surrogate');
  return needsEscape(s) ? escapeString(s) : `"${s}"`;
}

function writeArray(arr: readonly unknown[]): string {
  if (arr.length === 0) return '[]';
  let out = '[';
  for (let i = 0; i < arr.length; i++) {
    try {
      out += (i === 0 ? '' : ',') + writeValue(arr[i]);
    } catch (e) {
      if (e instanceof JcsFault) e.segments.push(i);
      throw e;
    }
  }
  return `${out}]`;
}

function writeObject(obj: Record<string, unknown>): string {
  // Default sort compares UTF-16 code units, which is exactly the JCS member order (RFC 8785 §3.2.3).
  const keys = Object.keys(obj).sort();
  if (keys.length === 0) return '{}';
  let out = '{';
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i] as string;
    try {
      if (!key.isWellFormed()) throw new JcsFault('member name contains a lone surrogate');
      const name = needsEscape(key) ? escapeString(key) : `"${key}"`;
      out += `${i === 0 ? '' : ','}${name}:${writeValue(obj[key])}`;
    } catch (e) {
      if (e instanceof JcsFault) e.segments.push(key);
      throw e;
    }
  }
  return `${out}}`;
}

function isPlainObject(v: object): boolean {
  const proto = Object.getPrototypeOf(v) as unknown;
  return proto === Object.prototype || proto === null;
}

function writeValue(v: unknown): string {
  switch (typeof v) {
    case 'string':
      return writeString(v);
    case 'number': {
      const text = formatJcsNumber(v);
      if (text === undefined) throw new JcsFault('non-finite number');
      return text;
    }
    case 'boolean':
      return v ? 'true' : 'false';
    case 'object':
      if (v === null) return 'null';
      if (Array.isArray(v)) return writeArray(v);
      if (isPlainObject(v)) return writeObject(v as Record<string, unknown>);
      throw new JcsFault(`unsupported object type ${v.constructor?.name ?? 'unknown'}`);
    case 'undefined':
    case 'bigint':
    case 'function':
    case 'symbol':
      throw new JcsFault(`unsupported type ${typeof v}`);
  }
}

function renderPath(segments: readonly (string | number)[]): string {
  let path = '$';
  // Segments were pushed innermost first.
  for (let i = segments.length - 1; i >= 0; i--) {
    const s = segments[i] as string | number;
    if (typeof s === 'number') path += `[${s}]`;
    else if (IDENTIFIER.test(s)) path += `.${s}`;
    // Well-formed JSON.stringify escapes lone surrogates (\udxxx), so even a bad name prints legibly.
    else path += `[${JSON.stringify(s)}]`;
  }
  return path;
}

/**
 * RFC 8785 canonical JSON text of a plain JSON value (gate.md §A1.1 step 2).
 * @throws GaitError `jcs_invalid_value` naming the JSON path of anything that is not plain JSON:
 *   undefined, functions, symbols, bigints, non-finite numbers, lone surrogates, non-plain objects, cycles
 */
export function canonicalize(value: unknown): string {
  try {
    return writeValue(value);
  } catch (e) {
    if (e instanceof JcsFault) {
      throw new GaitError('jcs_invalid_value', `cannot canonicalize \`${renderPath(e.segments)}\`: ${e.reason}`);
    }
    if (e instanceof RangeError) {
      throw new GaitError('jcs_invalid_value', 'cannot canonicalize `$`: value is cyclic or nested too deeply', { cause: e });
    }
    throw e;
  }
}

const encoder = new TextEncoder();

/**
 * UTF-8 bytes of `canonicalize(value)`.
 * @throws GaitError `jcs_invalid_value` as `canonicalize`
 */
export function canonicalBytes(value: unknown): Uint8Array {
  return encoder.encode(canonicalize(value));
}
