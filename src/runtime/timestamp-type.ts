/**
 * An instant with nanosecond precision and the UTC offset it was written with (gait.md §A2).
 * `Date` alone cannot hold either, so every timestamp in gait is this value.
 */
export interface Timestamp {
  /** Whole seconds since 1970-01-01T00:00:00Z of the instant (may be negative; year 0001 fits in a double). */
  readonly seconds: number;
  /** Nanoseconds within the second, 0..999_999_999. */
  readonly nanos: number;
  /** Offset from UTC in minutes as written (`Z` is 0); affects rendering only, never the instant. */
  readonly offsetMinutes: number;
}
