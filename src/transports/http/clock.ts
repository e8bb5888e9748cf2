/**
 * Clocks of the decision service: the wall clock at nanosecond resolution (artifact names carry
 * nanoseconds, §5.6 `<ts>`) and a source of strictly increasing artifact timestamps, so two requests
 * in the same nanosecond never share a trace file name.
 */
import type { Clock } from '../../runtime/clock.js';
import { compareTimestamps, addNanos } from '../../runtime/timestamp.js';
import type { Timestamp } from '../../runtime/timestamp-type.js';

/** The system wall clock, anchored once to `Date.now()` and advanced by the monotonic `hrtime`. */
export function highResolutionClock(): Clock {
  const anchorNs = BigInt(Date.now()) * 1_000_000n - process.hrtime.bigint();
  return {
    now(): Timestamp {
      const ns = process.hrtime.bigint() + anchorNs;
      const seconds = ns / 1_000_000_000n;
      return { seconds: Number(seconds), nanos: Number(ns - seconds * 1_000_000_000n), offsetMinutes: 0 };
    },
  };
}

/** Timestamps from `clock`, each strictly later than the previous one (bumped by 1 ns when needed). */
export function uniqueTimestamps(clock: Clock): () => Timestamp {
  let last: Timestamp | undefined;
  return () => {
    let ts = clock.now();
    if (last !== undefined && compareTimestamps(ts, last) <= 0) ts = addNanos(last, 1);
    last = ts;
    return ts;
  };
}
