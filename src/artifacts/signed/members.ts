/** Small readers of signed JSON records: a string member, and the `signature.signed_digest` (gate.md §A8). */

function memberOf(value: unknown, key: string): unknown {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
  return (value as Record<string, unknown>)[key];
}

/** `value[key]` when `value` is a JSON object and the member is a string, else ''. */
export function stringMember(value: unknown, key: string): string {
  const member = memberOf(value, key);
  return typeof member === 'string' ? member : '';
}

/** The record's `signature.signed_digest` (a trace's `trace_digest`), '' when it has none. */
export function signedDigestOf(record: unknown): string {
  return stringMember(memberOf(record, 'signature'), 'signed_digest');
}
