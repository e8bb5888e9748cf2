/**
 * RFC 8785 §3.2.2.3 number serialization: exactly ECMAScript `Number.prototype.toString` (shortest
 * round-trip digits, exponent form below 1e-6 and from 1e21 up), except that -0 is written `0`.
 * Returns undefined for NaN and ±Infinity, which have no JSON form; the caller reports them.
 */
export function formatJcsNumber(n: number): string | undefined {
  if (!Number.isFinite(n)) return undefined;
  // `String(-0)` is already '0' in ES2015+, so -0 needs no special case; kept explicit for clarity.
  return n === 0 ? '0' : String(n);
}
