/**
 * Raw-credential rejection (gate.md §A3.4): intents carry credential references and digests, never the
 * secrets themselves. Applied to normalized `args` and `context.auth_context`.
 */
import { GaitError } from '../../errors/error.js';
import type { JsonValue } from './json-types.js';
import { compareCodePoints, isHex64, lowerSimple, trimSpec } from './text.js';

const SUSPICIOUS_KEY = /(token|secret|api[_-]?key|access[_-]?key|password|credential)/;
const SAFE_KEY_SUFFIXES = [
  '_ref', '_refs', '_digest', '_digests', '_hash', '_issuer', '_source', '_type', '_ttl', '_ttl_seconds', '_id',
  '_ids', '_name', '_names', '_scope', '_scopes',
] as const;
const SAFE_VALUE_PREFIXES = ['env:', 'stub:', 'cmd:', 'ref:', 'sha256:'] as const;
const SECRET_VALUE_PREFIXES = ['ghp_', 'gho_', 'github_pat_', 'sk-', 'AKIA', 'ASIA'] as const;

/** Whether a member name suggests credential material (gate.md §A3.4 "suspicious key"). */
export function isSuspiciousKey(key: string): boolean {
  const lower = lowerSimple(trimSpec(key));
  if (lower === '') return false;
  if (SAFE_KEY_SUFFIXES.some((suffix) => lower.endsWith(suffix))) return false;
  return SUSPICIOUS_KEY.test(lower);
}

/** UTF-8 length of a string; lone surrogates count as U+FFFD (3 bytes). */
function utf8Length(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length && (s.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      n += 4;
      i++;
    } else n += 3;
  }
  return n;
}

/** Whether a string value looks like a secret (gate.md §A3.4 "looks secret"). */
export function looksSecret(value: string): boolean {
  const trimmed = trimSpec(value);
  if (trimmed === '') return false;
  const lower = lowerSimple(trimmed);
  if (SAFE_VALUE_PREFIXES.some((prefix) => lower.startsWith(prefix))) return false;
  if (isHex64(lower)) return false;
  if (SECRET_VALUE_PREFIXES.some((prefix) => trimmed.startsWith(prefix))) return true;
  if (utf8Length(trimmed) < 16 || /[ \t\r\n]/.test(trimmed)) return false;
  return /[A-Za-z]/.test(trimmed) && /[0-9]/.test(trimmed);
}

/**
 * Walks `value` depth-first (object keys in code-point order, arrays in order) and rejects the first
 * member whose key is suspicious and whose value is a string that looks secret.
 * @throws GaitError `input_intent` `<path> must not contain raw credential material; use credential references or digests instead`
 */
export function assertNoRawCredentials(path: string, value: JsonValue): void {
  if (Array.isArray(value)) {
    value.forEach((item, i) => assertNoRawCredentials(`${path}[${i}]`, item));
    return;
  }
  if (typeof value !== 'object' || value === null) return;
  for (const key of Object.keys(value).sort(compareCodePoints)) {
    const child = value[key] as JsonValue;
    const childPath = `${path}.${key}`;
    if (typeof child === 'string' && isSuspiciousKey(key) && looksSecret(child)) {
      throw new GaitError(
        'input_intent',
        `${childPath} must not contain raw credential material; use credential references or digests instead`,
        { details: { path: childPath } },
      );
    }
    assertNoRawCredentials(childPath, child);
  }
}
