/**
 * Redaction for exports: secrets never leave in exported events. Args are exported only on opt-in
 * and then pass through `redactValue`; URLs in warnings pass through `redactUrl`. Pure.
 */
import { isSuspiciousKey, looksSecret } from '../schema/v1/raw-credentials.js';
import type { JsonValue } from '../schema/v1/json-types.js';
import { setMember } from '../schema/v1/free-object.js';

export const REDACTED = '[redacted]';

/** Query parameter names whose values are never exported. */
const SECRET_PARAM = /(token|secret|key|password|passwd|pwd|auth|credential|signature|sig|session|code)/i;

/**
 * A URL with userinfo removed and secret-looking query values replaced; non-URLs unchanged.
 * @example redactUrl('https://u:p@h/x?token=abc&q=1') // 'https://[redacted]@h/x?token=%5Bredacted%5D&q=1'
 */
export function redactUrl(text: string): string {
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(text)) return text;
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return text.replace(/\/\/[^/@]*@/, `//${REDACTED}@`);
  }
  if (url.username !== '' || url.password !== '') {
    url.username = REDACTED;
    url.password = '';
  }
  for (const [name] of [...url.searchParams]) {
    if (SECRET_PARAM.test(name)) url.searchParams.set(name, REDACTED);
  }
  return url.toString();
}

/** An inline `name=value` secret in free text (`api_key=…`, `token=…`, `password=…`). */
const INLINE_SECRET = /\b([A-Za-z_]*(?:token|secret|password|api[_-]?key)[A-Za-z_]*)=([^\s&]+)/gi;

function redactString(value: string): string {
  if (looksSecret(value)) return REDACTED;
  // Bearer/Basic credentials and inline `key=value` secrets inside free text.
  const scrubbed = value
    .replace(/\b(bearer|basic)\s+[A-Za-z0-9._~+/=-]+/gi, `$1 ${REDACTED}`)
    .replace(INLINE_SECRET, `$1=${REDACTED}`);
  return redactUrl(scrubbed);
}

/**
 * A deep copy with secrets replaced by `[redacted]`: values under suspicious keys (`token`, `secret`,
 * `api_key`, `password`, `credential`, …; gate.md §A3.4), secret-looking strings, bearer credentials,
 * URL userinfo and secret query parameters.
 */
export function redactValue(value: JsonValue): JsonValue {
  if (typeof value === 'string') return redactString(value);
  if (Array.isArray(value)) return value.map(redactValue);
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, JsonValue> = {};
  for (const [key, member] of Object.entries(value)) {
    setMember(out, key, isSuspiciousKey(key) && member !== null && typeof member !== 'boolean' ? REDACTED : redactValue(member));
  }
  return out;
}

/** A one-line error text safe for warnings and `/healthz`: URLs redacted, newlines collapsed. */
export function redactErrorText(text: string): string {
  return text
    .replace(/\s+/g, ' ')
    .trim()
    .split(' ')
    .map((word) => redactUrl(word))
    .join(' ')
    .replace(/\b(bearer|basic)\s+\S+/gi, `$1 ${REDACTED}`);
}

/** Punctuation that wraps a word in error text (quotes, backticks, brackets, a trailing colon or comma). */
const WRAPPING = /^([`'"([{<]*)(.*?)([`'")\]}>.,;:]*)$/s;

/**
 * An error text safe for exported service events: `redactErrorText`, then `key=value` secrets and
 * every word that looks secret (gate.md §A3.4: e.g. a token echoed from the rejected file) become
 * `[redacted]`. Words containing one of `keep` (the policy and snapshot paths the error names) stay.
 * @example redactServiceErrorText('policy.yaml:5:13: invalid rule effect "nope" for ghp_abcdefghijklmnop1234567890', ['policy.yaml'])
 *   // 'policy.yaml:5:13: invalid rule effect "nope" for [redacted]'
 */
export function redactServiceErrorText(text: string, keep: readonly string[]): string {
  const kept = keep.filter((k) => k !== '');
  return redactErrorText(text)
    .replace(INLINE_SECRET, `$1=${REDACTED}`)
    .split(' ')
    .map((word) => {
      if (kept.some((k) => word.includes(k))) return word;
      const [, open = '', core = '', close = ''] = WRAPPING.exec(word) ?? [];
      return looksSecret(core) ? `${open}${REDACTED}${close}` : word;
    })
    .join(' ');
}
