import { GaitError } from '../errors/error.js';

// Go `time.ParseDuration` units, in nanoseconds. `µ` is U+00B5 (micro sign), `μ` is U+03BC (Greek mu).
const UNITS: ReadonlyMap<string, bigint> = new Map([
  ['ns', 1n],
  ['us', 1_000n],
  ['\u00b5s', 1_000n],
  ['\u03bcs', 1_000n],
  ['ms', 1_000_000n],
  ['s', 1_000_000_000n],
  ['m', 60_000_000_000n],
  ['h', 3_600_000_000_000n],
]);

const MAX_INT64 = (1n << 63n) - 1n;

function invalidDuration(text: string, why?: string): GaitError {
  const base = `invalid duration \`${text}\``;
  return new GaitError('input_usage', why === undefined ? base : `${base}: ${why}`);
}

function isDigit(c: string | undefined): boolean {
  return c !== undefined && c >= '0' && c <= '9';
}

interface Component {
  readonly nanos: bigint;
  readonly end: number;
}

/** One `<number>[.<fraction>]<unit>` component starting at `start`, Go's rules (truncating fractions). */
function parseComponent(text: string, start: number): Component {
  let i = start;
  let whole = '';
  while (isDigit(text[i])) whole += text[i++];
  let fraction = '';
  let hasDot = false;
  if (text[i] === '.') {
    hasDot = true;
    i++;
    while (isDigit(text[i])) fraction += text[i++];
  }
  if (whole === '' && (!hasDot || fraction === '')) throw invalidDuration(text);
  const unitStart = i;
  while (i < text.length && text[i] !== '.' && !isDigit(text[i])) i++;
  const unitText = text.slice(unitStart, i);
  if (unitText === '') throw invalidDuration(text, 'missing unit');
  const unit = UNITS.get(unitText);
  if (unit === undefined) throw invalidDuration(text, `unknown unit \`${unitText}\``);
  const wholeNanos = BigInt(whole === '' ? '0' : whole) * unit;
  if (wholeNanos > MAX_INT64) throw invalidDuration(text);
  // Go adds int64(float64(f) * (float64(unit) / scale)) for the fraction; keep the same truncation.
  const digits = fraction.slice(0, 18);
  const fracNanos = digits === '' ? 0n : BigInt(Math.trunc(Number(digits) * (Number(unit) / 10 ** digits.length)));
  const nanos = wholeNanos + fracNanos;
  if (nanos > MAX_INT64) throw invalidDuration(text);
  return { nanos, end: i };
}

/**
 * Parses Go duration syntax (`300ms`, `1.5h`, `1h30m`, `-2m`) into nanoseconds.
 * @throws GaitError `input_usage` for anything Go's `time.ParseDuration` rejects
 */
export function parseDuration(text: string): number {
  let i = 0;
  let negative = false;
  if (text[0] === '-' || text[0] === '+') {
    negative = text[0] === '-';
    i = 1;
  }
  if (text.slice(i) === '0') return 0;
  if (i === text.length) throw invalidDuration(text);
  let total = 0n;
  while (i < text.length) {
    const component = parseComponent(text, i);
    total += component.nanos;
    if (total > (negative ? MAX_INT64 + 1n : MAX_INT64)) throw invalidDuration(text);
    i = component.end;
  }
  const value = Number(total);
  return negative && value !== 0 ? -value : value;
}

/** `<int>[.<frac>]` of `v / 10^precision` with trailing fraction zeros dropped (Go's fmtFrac). */
function fractionOf(v: bigint, precision: number): { text: string; rest: bigint } {
  const scale = 10n ** BigInt(precision);
  const frac = v % scale;
  const fracText = frac === 0n ? '' : `.${frac.toString().padStart(precision, '0').replace(/0+$/, '')}`;
  return { text: fracText, rest: v / scale };
}

/** Go `Duration.String()`: `24h0m0s`, `1m30s`, `1.5s`, `500ms`, `0s`. */
export function formatDuration(ns: number): string {
  if (!Number.isFinite(ns)) throw invalidDuration(String(ns));
  const value = BigInt(Math.trunc(ns));
  if (value === 0n) return '0s';
  const sign = value < 0n ? '-' : '';
  const u = value < 0n ? -value : value;
  if (u < 1_000_000_000n) {
    if (u < 1_000n) return `${sign}${u}ns`;
    const [precision, unit] = u < 1_000_000n ? [3, '\u00b5s'] : [6, 'ms'];
    const { text, rest } = fractionOf(u, precision);
    return `${sign}${rest}${text}${unit}`;
  }
  const { text, rest: totalSeconds } = fractionOf(u, 9);
  const seconds = totalSeconds % 60n;
  const totalMinutes = totalSeconds / 60n;
  const minutes = totalMinutes % 60n;
  const hours = totalMinutes / 60n;
  if (hours > 0n) return `${sign}${hours}h${minutes}m${seconds}${text}s`;
  if (minutes > 0n) return `${sign}${minutes}m${seconds}${text}s`;
  return `${sign}${seconds}${text}s`;
}
