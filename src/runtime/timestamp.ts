import { GaitError } from '../errors/error.js';
import type { Timestamp } from './timestamp-type.js';

export type { Timestamp } from './timestamp-type.js';

const SECONDS_PER_DAY = 86_400;
const NANOS_PER_SECOND = 1_000_000_000;

// gate.md §A2: `YYYY-MM-DDTHH:MM:SS[.fraction](Z|±HH:MM)`; lowercase `t`/`z` accepted as RFC 3339 allows.
const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?(?:[Zz]|([+-])(\d{2}):(\d{2}))$/;

/** Days since 1970-01-01 of a proleptic Gregorian civil date (H. Hinnant's days_from_civil). */
export function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const mp = (month + 9) % 12;
  const doy = Math.floor((153 * mp + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146_097 + doe - 719_468;
}

interface CivilDate {
  readonly year: number;
  readonly month: number;
  readonly day: number;
}

/** Inverse of `daysFromCivil`. */
function civilFromDays(days: number): CivilDate {
  const z = days + 719_468;
  const era = Math.floor(z / 146_097);
  const doe = z - era * 146_097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  return { year: yoe + era * 400 + (month <= 2 ? 1 : 0), month, day };
}

function isLeapYear(year: number): boolean {
  return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return isLeapYear(year) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

function invalidTime(text: string, why: string): GaitError {
  return new GaitError('input_time', `invalid timestamp \`${text}\`: ${why}`);
}

/** Fraction digits → nanoseconds; digits beyond the ninth are truncated (gate.md §A2). */
function fractionToNanos(fraction: string | undefined): number {
  if (fraction === undefined) return 0;
  return Number((fraction.length >= 9 ? fraction.slice(0, 9) : fraction.padEnd(9, '0')));
}

/** The RFC 3339 match of `text`, or the `input_time` error for anything else. */
function matchTimestamp(text: string): RegExpExecArray {
  const m = RFC3339.exec(text);
  if (m === null) throw invalidTime(text, 'expected RFC 3339 `YYYY-MM-DDTHH:MM:SS[.fraction](Z|±HH:MM)`');
  return m;
}

function timestampOf(text: string, m: RegExpExecArray): Timestamp {
  // Fields read one by one: a destructured `.map(Number)` array showed up in trace-signing profiles.
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  const hour = Number(m[4]);
  const minute = Number(m[5]);
  const second = Number(m[6]);
  if (month < 1 || month > 12) throw invalidTime(text, 'month out of range');
  if (day < 1 || day > daysInMonth(year, month)) throw invalidTime(text, 'day out of range');
  if (hour > 23) throw invalidTime(text, 'hour out of range');
  if (minute > 59) throw invalidTime(text, 'minute out of range');
  if (second > 59) throw invalidTime(text, 'second out of range');
  let offsetMinutes = 0;
  if (m[8] !== undefined) {
    const offHours = Number(m[9]);
    const offMinutes = Number(m[10]);
    if (offHours > 23) throw invalidTime(text, 'offset hour out of range');
    if (offMinutes > 59) throw invalidTime(text, 'offset minute out of range');
    offsetMinutes = (m[8] === '-' ? -1 : 1) * (offHours * 60 + offMinutes);
  }
  const local = daysFromCivil(year, month, day) * SECONDS_PER_DAY + hour * 3600 + minute * 60 + second;
  return { seconds: local - offsetMinutes * 60, nanos: fractionToNanos(m[7]), offsetMinutes };
}

/**
 * Parses an RFC 3339 timestamp keeping nanoseconds and the written offset (gate.md §A2).
 * @throws GaitError `input_time` for any other syntax or an out-of-range field
 */
export function parseTimestamp(text: string): Timestamp {
  return timestampOf(text, matchTimestamp(text));
}

/**
 * `formatTimestamp(parseTimestamp(text))`, returning `text` itself when it is already canonical.
 * Signing and verification re-render every timestamp of a record that is almost always canonical
 * already, so this skips the civil-date arithmetic and string building. Canonical means: upper-case
 * `T`, `Z` or a non-zero offset (`±00:00` renders as `Z`), and a fraction of at most nine digits
 * without trailing zeros; the other fields have fixed widths and render back as written, because
 * rendering applies the written offset to the parsed instant.
 * @throws GaitError `input_time` as `parseTimestamp`
 */
export function canonicalTimestampText(text: string): string {
  const m = matchTimestamp(text);
  const ts = timestampOf(text, m);
  const fraction = m[7];
  const canonical =
    text[10] === 'T' &&
    (m[8] === undefined ? text.endsWith('Z') : ts.offsetMinutes !== 0) &&
    (fraction === undefined || (fraction.length <= 9 && !fraction.endsWith('0')));
  return canonical ? text : formatTimestamp(ts);
}

function pad2(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

function padYear(year: number): string {
  if (year >= 1000 && year <= 9999) return String(year);
  const abs = String(Math.abs(year)).padStart(4, '0');
  return year < 0 ? `-${abs}` : abs;
}

interface CivilDateTime extends CivilDate {
  readonly hour: number;
  readonly minute: number;
  readonly second: number;
}

function civilOf(seconds: number): CivilDateTime {
  const days = Math.floor(seconds / SECONDS_PER_DAY);
  const secOfDay = seconds - days * SECONDS_PER_DAY;
  const date = civilFromDays(days);
  // Fields written out: `{ ...date, hour, … }` was most of `formatTimestamp`'s cost on Node 20.
  return {
    year: date.year,
    month: date.month,
    day: date.day,
    hour: Math.floor(secOfDay / 3600),
    minute: Math.floor((secOfDay % 3600) / 60),
    second: secOfDay % 60,
  };
}

function formatOffset(offsetMinutes: number): string {
  if (offsetMinutes === 0) return 'Z';
  const abs = Math.abs(offsetMinutes);
  return `${offsetMinutes < 0 ? '-' : '+'}${pad2(Math.floor(abs / 60))}:${pad2(abs % 60)}`;
}

function formatNanos(nanos: number): string {
  if (nanos === 0) return '';
  if (!Number.isInteger(nanos) || nanos < 0 || nanos >= NANOS_PER_SECOND) {
    return `.${String(nanos).padStart(9, '0').replace(/0+$/, '')}`;
  }
  // In range: strip trailing zeros arithmetically, not with padStart + a regex (hot in signing).
  let digits = nanos;
  let width = 9;
  while (digits % 10 === 0) {
    digits /= 10;
    width--;
  }
  return `.${String(digits).padStart(width, '0')}`;
}

/** Canonical §A2 rendering: nanoseconds only when non-zero, trailing zeros stripped; keeps the offset. */
export function formatTimestamp(ts: Timestamp): string {
  const c = civilOf(ts.seconds + ts.offsetMinutes * 60);
  const date = `${padYear(c.year)}-${pad2(c.month)}-${pad2(c.day)}`;
  const time = `${pad2(c.hour)}:${pad2(c.minute)}:${pad2(c.second)}`;
  return `${date}T${time}${formatNanos(ts.nanos)}${formatOffset(ts.offsetMinutes)}`;
}

/** `YYYYMMDDTHHMMSSZ` in UTC (key-rotation prefixes). */
export function formatCompactUtc(ts: Timestamp): string {
  const c = civilOf(ts.seconds);
  return `${padYear(c.year)}${pad2(c.month)}${pad2(c.day)}T${pad2(c.hour)}${pad2(c.minute)}${pad2(c.second)}Z`;
}

/** The same instant at offset zero. */
export function toUtc(ts: Timestamp): Timestamp {
  return ts.offsetMinutes === 0 ? ts : { seconds: ts.seconds, nanos: ts.nanos, offsetMinutes: 0 };
}

/** `0001-01-01T00:00:00Z`, meaning "unset" (gate.md §A2). */
export const ZERO_TIME: Timestamp = Object.freeze({ seconds: -62_135_596_800, nanos: 0, offsetMinutes: 0 });

/** `1980-01-01T00:00:00Z`, the fallback creation time (gate.md §A2). */
export const FALLBACK_CREATED_AT: Timestamp = Object.freeze({ seconds: 315_532_800, nanos: 0, offsetMinutes: 0 });

/** Whether `ts` is the zero-time instant (whatever offset it was written with). */
export function isZeroTime(ts: Timestamp): boolean {
  return ts.seconds === ZERO_TIME.seconds && ts.nanos === 0;
}

/** Compares instants: -1 if a is earlier, 1 if later, 0 if equal (offsets ignored). */
export function compareTimestamps(a: Timestamp, b: Timestamp): -1 | 0 | 1 {
  if (a.seconds !== b.seconds) return a.seconds < b.seconds ? -1 : 1;
  if (a.nanos !== b.nanos) return a.nanos < b.nanos ? -1 : 1;
  return 0;
}

/** A UTC timestamp from milliseconds since the epoch (as `Date.now()` gives). */
export function timestampFromEpochMs(ms: number): Timestamp {
  const seconds = Math.floor(ms / 1000);
  const nanos = Math.round((ms - seconds * 1000) * 1_000_000);
  return addNanos({ seconds, nanos: 0, offsetMinutes: 0 }, nanos);
}

/** Adds `ns` nanoseconds (may be negative), keeping the offset. */
export function addNanos(ts: Timestamp, ns: number): Timestamp {
  const rem = ns % NANOS_PER_SECOND;
  let seconds = ts.seconds + (ns - rem) / NANOS_PER_SECOND;
  let nanos = ts.nanos + rem;
  if (nanos >= NANOS_PER_SECOND) {
    nanos -= NANOS_PER_SECOND;
    seconds += 1;
  } else if (nanos < 0) {
    nanos += NANOS_PER_SECOND;
    seconds -= 1;
  }
  return { seconds, nanos, offsetMinutes: ts.offsetMinutes };
}

/** Adds whole or fractional seconds (fraction rounded to the nanosecond), keeping the offset. */
export function addSeconds(ts: Timestamp, seconds: number): Timestamp {
  const whole = Math.trunc(seconds);
  const fracNanos = Math.round((seconds - whole) * NANOS_PER_SECOND);
  const shifted = addNanos(ts, fracNanos);
  return { seconds: shifted.seconds + whole, nanos: shifted.nanos, offsetMinutes: ts.offsetMinutes };
}
