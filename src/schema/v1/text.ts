/**
 * The shared text conventions of gate.md §0: trim, simple lowercase, code-point sorting, normalized and
 * lowered lists, hex64 and POSIX path cleaning. Every normalizer in `schema/` and `policy/` uses these,
 * never `String.prototype.trim`/`toLowerCase`/default `sort`, because those differ from Gait v1.
 */
import { GaitError } from '../../errors/error.js';
import type { ErrorCode } from '../../errors/codes.js';

/** gate.md §0 trim set: all in the BMP, so a code-unit test is exact. Includes U+0085, excludes U+FEFF. */
function isTrimChar(c: number): boolean {
  if (c <= 0x20) return c === 0x20 || (c >= 0x09 && c <= 0x0d);
  if (c < 0x85) return false;
  if (c === 0x85 || c === 0xa0 || c === 0x1680 || c === 0x3000) return true;
  if (c < 0x2000 || c > 0x205f) return false;
  return c <= 0x200a || c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f;
}

/** Removes leading and trailing characters of the gate.md §0 trim set. */
export function trimSpec(s: string): string {
  let start = 0;
  let end = s.length;
  while (start < end && isTrimChar(s.charCodeAt(start))) start++;
  while (end > start && isTrimChar(s.charCodeAt(end - 1))) end--;
  return start === 0 && end === s.length ? s : s.slice(start, end);
}

// U+0130 (full mapping `i̇`) and U+03A3 (context-dependent final sigma) are the only code points for
// which the root-locale `toLowerCase` of a string differs from the per-code-point simple mapping.
const NEEDS_PER_CODE_POINT = /[\u0130\u03a3]/;

/** Per-code-point lowercase of one code point, forced to a single code point (gate.md §0). */
function lowerCodePoint(ch: string): string {
  if (ch === '\u0130') return 'i';
  const lower = ch.toLowerCase();
  const cp = lower.codePointAt(0);
  if (cp === undefined) return ch;
  return lower.length === String.fromCodePoint(cp).length ? lower : ch;
}

/**
 * Unicode simple lowercase mapping per code point (gate.md §0): `İ` → `i`, `Σ` → `σ` always.
 * Fast path: strings without U+0130/U+03A3 lowercase identically with `toLowerCase`.
 */
export function lowerSimple(s: string): string {
  if (!NEEDS_PER_CODE_POINT.test(s)) return s.toLowerCase();
  let out = '';
  for (const ch of s) out += lowerCodePoint(ch);
  return out;
}

/** Maps a UTF-16 code unit so that unit order equals code point order (surrogates above U+E000–U+FFFF). */
function codePointRank(unit: number): number {
  if (unit >= 0xd800 && unit <= 0xdfff) return unit + 0x2000;
  if (unit >= 0xe000) return unit - 0x800;
  return unit;
}

/** Compares by Unicode code point (= UTF-8 byte order), as Go's `<` on strings (gate.md §0 "sorted"). */
export function compareCodePoints(a: string, b: string): -1 | 0 | 1 {
  if (a === b) return 0;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x !== y) return codePointRank(x) < codePointRank(y) ? -1 : 1;
  }
  return a.length < b.length ? -1 : 1;
}

/** Trim each item, drop empty items, remove duplicates, sort by code point (gate.md §0 normalized list). */
export function normalizedList(items: readonly string[]): string[] {
  return uniqueSorted(items.map(trimSpec));
}

/** Like `normalizedList`, with each item lowercased before de-duplication (gate.md §0 lowered list). */
export function loweredList(items: readonly string[]): string[] {
  return uniqueSorted(items.map((item) => lowerSimple(trimSpec(item))));
}

function uniqueSorted(items: readonly string[]): string[] {
  const out = [...new Set(items.filter((item) => item !== ''))];
  return out.sort(compareCodePoints);
}

const HEX64 = /^[a-f0-9]{64}$/;

/** Whether `value` is exactly 64 lowercase hex characters (gate.md §0 hex64). */
export function isHex64(value: string): boolean {
  return value.length === 64 && HEX64.test(value);
}

/**
 * Trims and lowercases a hex64 input; '' stays '' (unset).
 * @throws GaitError `code` (default `input_intent`) with `message` when a non-empty value is not hex64
 */
export function normalizeHex64(
  value: string,
  message: string,
  code: ErrorCode = 'input_intent',
  details?: Record<string, unknown>,
): string {
  const normalized = lowerSimple(trimSpec(value));
  if (normalized === '' || isHex64(normalized)) return normalized;
  throw new GaitError(code, message, details === undefined ? {} : { details });
}

/**
 * Lexical POSIX path cleaning, as Go's `path.Clean` (gate.md §A3.2 step 7): collapse repeated `/`,
 * drop `.` elements, remove `..` with the preceding non-`..` element, `/..` at the root becomes `/`,
 * no trailing `/` except for `/` itself, empty becomes `.`.
 */
export function cleanPath(p: string): string {
  if (p === '') return '.';
  const rooted = p.startsWith('/');
  const out: string[] = [];
  for (const part of p.split('/')) {
    if (part === '' || part === '.') continue;
    if (part !== '..') {
      out.push(part);
    } else if (out.length > 0 && out[out.length - 1] !== '..') {
      out.pop();
    } else if (!rooted) {
      out.push('..');
    }
  }
  const joined = out.join('/');
  if (rooted) return `/${joined}`;
  return joined === '' ? '.' : joined;
}
