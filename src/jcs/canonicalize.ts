import { GaitError } from '../errors/error.js';
import { formatJcsNumber } from './number.js';
import { shapeOf, sortNames } from './shapes.js';
import { needsEscape, quote } from './strings.js';

/** A rejected value found while walking; path segments are collected while the stack unwinds. */
class JcsFault {
  readonly segments: (string | number)[] = [];
  constructor(readonly reason: string) {}
}

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** A JSON string literal per RFC 8785; throws JcsFault for a string with a lone surrogate. */
function writeString(s: string): string {
  if (!s.isWellFormed()) throw new JcsFault('string contains a lone surrogate');
  return quote(s);
}

/**
 * Whether `v` is a string written as itself between quotes (well-formed, nothing to escape). Such
 * strings are appended bare, their quotes carried by the neighbouring pieces: the output is a rope
 * that SHA-256 flattens, and fewer, longer pieces make it cheaper to build and to flatten.
 */
function isBareString(v: unknown): v is string {
  return typeof v === 'string' && v.isWellFormed() && !needsEscape(v);
}

function writeArray(arr: readonly unknown[]): string {
  const n = arr.length;
  if (n === 0) return '[]';
  let out = '[';
  // Whether the last element was a bare string whose closing quote is still to be written.
  let open = false;
  for (let i = 0; i < n; i++) {
    const v = arr[i];
    if (isBareString(v)) {
      out += open ? '","' : i === 0 ? '"' : ',"';
      out += v;
      open = true;
      continue;
    }
    if (open) out += '",';
    else if (i > 0) out += ',';
    open = false;
    try {
      out += writeValue(v);
    } catch (e) {
      if (e instanceof JcsFault) e.segments.push(i);
      throw e;
    }
  }
  return out + (open ? '"]' : ']');
}

function writeMember(prefix: string, key: string, value: unknown): string {
  try {
    return prefix + writeValue(value);
  } catch (e) {
    if (e instanceof JcsFault) e.segments.push(key);
    throw e;
  }
}

function writeObject(obj: Record<string, unknown>): string {
  const keys = Object.keys(obj);
  const n = keys.length;
  if (n === 0) return '{}';
  const shape = shapeOf(keys);
  if (shape !== undefined) {
    // As in `writeArray`, a bare string value's quotes come with the prefixes around it.
    const { sorted, prefixes, stringPrefixes, prefixesAfterString, stringPrefixesAfterString } = shape;
    let out = '';
    let open = false;
    for (let i = 0; i < n; i++) {
      const key = sorted[i] as string;
      const v = obj[key];
      if (isBareString(v)) {
        out += (open ? stringPrefixesAfterString[i] : stringPrefixes[i]) as string;
        out += v;
        open = true;
      } else {
        out += writeMember((open ? prefixesAfterString[i] : prefixes[i]) as string, key, v);
        open = false;
      }
    }
    return out + (open ? '"}' : '}');
  }
  // Uncached (a name with a lone surrogate, or a very large object): names are checked in order.
  sortNames(keys);
  let out = '{';
  for (let i = 0; i < n; i++) {
    const key = keys[i] as string;
    if (!key.isWellFormed()) {
      const fault = new JcsFault('member name contains a lone surrogate');
      fault.segments.push(key);
      throw fault;
    }
    out += writeMember((i === 0 ? '' : ',') + quote(key) + ':', key, obj[key]);
  }
  return out + '}';
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
