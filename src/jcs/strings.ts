/**
 * JSON string literals as RFC 8785 writes them (§3.2.2.2): only `"`, `\` and U+0000–U+001F are
 * escaped, with the short forms where JSON has them and `\u00xx` (lower-case hex) otherwise.
 * Well-formedness (no lone surrogates) is the caller's check.
 */

// eslint-disable-next-line no-control-regex -- matching the control characters JSON escapes is the point
const NEEDS_ESCAPE = /["\\\u0000-\u001f]/;

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

/** Whether a string's JSON literal is not just the string between quotes. */
export function needsEscape(s: string): boolean {
  return NEEDS_ESCAPE.test(s);
}

/** The JSON literal of a well-formed string. */
export function quote(s: string): string {
  // A regular-expression scan is cheaper than a charCodeAt loop for the 64-character hex digests
  // that make up most of a signed record; plain concatenation, not a template, for the common case.
  return NEEDS_ESCAPE.test(s) ? escapeString(s) : '"' + s + '"';
}
