/** Evaluation-time arguments of the library API: a Timestamp, a `Date`, or RFC 3339 text. */
import { GaitError } from '../errors/error.js';
import type { Clock } from '../runtime/clock.js';
import { systemClock } from '../runtime/clock.js';
import { parseTimestamp, timestampFromEpochMs, toUtc } from '../runtime/timestamp.js';
import type { Timestamp } from '../runtime/timestamp-type.js';

/** An instant as the library accepts it. */
export type InstantInput = Timestamp | Date | string;

/**
 * The evaluation time: `at` when given, else the clock's now (default: the system clock).
 * @throws GaitError `input_usage` for unparsable text or an invalid Date
 */
export function resolveInstant(at: InstantInput | undefined, clock: Clock = systemClock): Timestamp {
  if (at === undefined) return clock.now();
  if (typeof at === 'string') {
    try {
      return toUtc(parseTimestamp(at));
    } catch (err) {
      throw new GaitError('input_usage', `invalid evaluation time \`${at}\`: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
  if (at instanceof Date) {
    const ms = at.getTime();
    if (!Number.isFinite(ms)) throw new GaitError('input_usage', 'invalid evaluation time: invalid Date');
    return timestampFromEpochMs(ms);
  }
  return toUtc(at);
}
