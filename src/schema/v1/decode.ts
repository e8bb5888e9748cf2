/**
 * Typed reading of decoded JSON objects under the gate.md §A1.4 rules: members map to known fields
 * case-insensitively (an exact-case match wins; among case-insensitive matches the last one wins),
 * `null` means absent, unknown members are ignored, and a member of the wrong JSON type is an
 * invalid-input error naming its path.
 */
import { GaitError } from '../../errors/error.js';
import type { ErrorCode } from '../../errors/codes.js';
import { parseTimestamp } from '../../runtime/timestamp.js';
import type { Timestamp } from '../../runtime/timestamp-type.js';
import type { JsonObject } from './json-types.js';

/** Whether `value` is a plain JSON object (not null, not an array). */
export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Joins a parent path and a member name (`context` + `identity` → `context.identity`). */
export function joinPath(parent: string, member: string): string {
  return parent === '' ? member : `${parent}.${member}`;
}

/**
 * Case folding for member names, as Go's `encoding/json` (`strings.EqualFold`): ASCII case plus the two
 * non-ASCII code points that fold onto ASCII letters, U+017F (ſ → s) and U+212A (Kelvin sign → k).
 */
export function foldMemberName(name: string): string {
  const lower = name.toLowerCase();
  // eslint-disable-next-line no-control-regex -- an ASCII test, not a control-character match
  if (/^[\x00-\x7f]*$/.test(name)) return lower;
  return lower.replace(/\u017f/g, 's');
}

interface Slot {
  exact: boolean;
  value: unknown;
}

/** A reader over one decoded JSON object; every accessor takes the wire (snake_case) member name. */
export class ObjectReader {
  readonly path: string;
  readonly code: ErrorCode;
  private readonly slots = new Map<string, Slot>();

  private constructor(obj: Record<string, unknown>, path: string, code: ErrorCode) {
    this.path = path;
    this.code = code;
    for (const key of Object.keys(obj)) {
      const folded = foldMemberName(key);
      const previous = this.slots.get(folded);
      const exact = key === folded;
      // Only lowercase field names are looked up, so `key === folded` is the exact-case match.
      if (previous === undefined || exact || !previous.exact) this.slots.set(folded, { exact, value: obj[key] });
    }
  }

  /**
   * A reader over `value`, which must be a JSON object.
   * @throws GaitError `code` `<path> must be an object` otherwise
   */
  static of(value: unknown, path: string, code: ErrorCode = 'input_intent', label?: string): ObjectReader {
    if (!isJsonObject(value)) throw decodeError(code, label ?? `${path} must be an object`, path);
    return new ObjectReader(value, path, code);
  }

  /** The raw member value, `undefined` when absent or `null`. */
  get(field: string): unknown {
    const value = this.slots.get(field)?.value;
    return value === null ? undefined : value;
  }

  /** Whether the member is present and not `null`. */
  has(field: string): boolean {
    return this.get(field) !== undefined;
  }

  /** Path of a member of this object. */
  pathOf(field: string): string {
    return joinPath(this.path, field);
  }

  /** An error of this reader's code about `field`. */
  fail(field: string, message: string): GaitError {
    return decodeError(this.code, message, this.pathOf(field));
  }

  /** A string member; '' when absent. */
  string(field: string): string {
    const value = this.get(field);
    if (value === undefined) return '';
    if (typeof value !== 'string') throw this.fail(field, `${this.pathOf(field)} must be a string`);
    return value;
  }

  /** A boolean member; false when absent. */
  boolean(field: string): boolean {
    const value = this.get(field);
    if (value === undefined) return false;
    if (typeof value !== 'boolean') throw this.fail(field, `${this.pathOf(field)} must be a boolean`);
    return value;
  }

  /** An integer member (JSON number with no fraction, within the safe range); 0 when absent. */
  integer(field: string): number {
    const value = this.get(field);
    if (value === undefined) return 0;
    if (typeof value !== 'number' || !Number.isSafeInteger(value)) {
      throw this.fail(field, `${this.pathOf(field)} must be an integer`);
    }
    return value;
  }

  /** A finite number member; 0 when absent. */
  number(field: string): number {
    const value = this.get(field);
    if (value === undefined) return 0;
    if (typeof value !== 'number' || !Number.isFinite(value)) {
      throw this.fail(field, `${this.pathOf(field)} must be a number`);
    }
    return value;
  }

  /** A nested object member as a reader; undefined when absent. */
  object(field: string): ObjectReader | undefined {
    const value = this.get(field);
    if (value === undefined) return undefined;
    return ObjectReader.of(value, this.pathOf(field), this.code);
  }

  /** A nested free-form object member, as written; undefined when absent. */
  rawObject(field: string): JsonObject | undefined {
    const value = this.get(field);
    if (value === undefined) return undefined;
    if (!isJsonObject(value)) throw this.fail(field, `${this.pathOf(field)} must be an object`);
    return value;
  }

  /** An array member; [] when absent. */
  array(field: string): readonly unknown[] {
    const value = this.get(field);
    if (value === undefined) return [];
    if (!Array.isArray(value)) throw this.fail(field, `${this.pathOf(field)} must be an array`);
    return value as readonly unknown[];
  }

  /** An array of strings; `null` items read as '' (Go's zero value); [] when absent. */
  stringArray(field: string): string[] {
    return this.array(field).map((item, i) => {
      if (item === null || item === undefined) return '';
      if (typeof item !== 'string') {
        const path = `${this.pathOf(field)}[${i}]`;
        throw decodeError(this.code, `${path} must be a string`, path);
      }
      return item;
    });
  }

  /** An array of objects as readers; `null` items read as empty objects; [] when absent. */
  objectArray(field: string): ObjectReader[] {
    return this.array(field).map((item, i) =>
      ObjectReader.of(item === null || item === undefined ? {} : item, `${this.pathOf(field)}[${i}]`, this.code),
    );
  }

  /**
   * An RFC 3339 timestamp member as written (offset kept); undefined when absent.
   * @throws GaitError this reader's code when the member is not a string or not RFC 3339
   */
  timestamp(field: string): Timestamp | undefined {
    const text = this.get(field);
    if (text === undefined) return undefined;
    const path = this.pathOf(field);
    if (typeof text !== 'string') throw decodeError(this.code, `${path} must be an RFC 3339 timestamp string`, path);
    try {
      return parseTimestamp(text);
    } catch (cause) {
      throw new GaitError(this.code, `${path} must be an RFC 3339 timestamp, got \`${text}\``, {
        details: { path },
        cause,
      });
    }
  }
}

function decodeError(code: ErrorCode, message: string, path: string): GaitError {
  return new GaitError(code, message, path === '' ? {} : { details: { path } });
}
