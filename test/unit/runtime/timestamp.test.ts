import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { isGaitError } from '../../../src/errors/error.js';
import fc from 'fast-check';
import {
  FALLBACK_CREATED_AT,
  ZERO_TIME,
  addNanos,
  addSeconds,
  canonicalTimestampText,
  compareTimestamps,
  formatCompactUtc,
  formatTimestamp,
  isZeroTime,
  parseTimestamp,
  timestampFromEpochMs,
  toUtc,
} from '../../../src/runtime/timestamp.js';

describe('parseTimestamp', () => {
  it('keeps nanoseconds and the written offset', () => {
    assert.deepEqual(parseTimestamp('2026-02-24T12:42:58.228785Z'), {
      seconds: 1771936978,
      nanos: 228785000,
      offsetMinutes: 0,
    });
    assert.deepEqual(parseTimestamp('2026-02-24T12:42:58.2+05:30'), {
      seconds: 1771917178,
      nanos: 200000000,
      offsetMinutes: 330,
    });
    assert.deepEqual(parseTimestamp('2026-02-24T12:42:58-08:00'), {
      seconds: 1771965778,
      nanos: 0,
      offsetMinutes: -480,
    });
  });

  it('truncates fractions beyond nine digits', () => {
    assert.equal(parseTimestamp('2024-02-29T23:59:59.1234567899Z').nanos, 123456789);
  });

  it('accepts lowercase t and z', () => {
    assert.equal(formatTimestamp(parseTimestamp('2026-02-18t00:00:00z')), '2026-02-18T00:00:00Z');
  });

  it('parses year 0001 and the epoch', () => {
    assert.deepEqual(parseTimestamp('0001-01-01T00:00:00Z'), { seconds: -62135596800, nanos: 0, offsetMinutes: 0 });
    assert.deepEqual(parseTimestamp('1970-01-01T00:00:00Z'), { seconds: 0, nanos: 0, offsetMinutes: 0 });
    assert.deepEqual(parseTimestamp('1969-12-31T23:59:59.5Z'), { seconds: -1, nanos: 500000000, offsetMinutes: 0 });
  });

  const bad = [
    '',
    '2026-02-24',
    '2026-02-24 12:42:58Z',
    '2026-02-24T12:42:58',
    '2026-02-24T12:42:58.Z',
    '2026-2-24T12:42:58Z',
    '2026-02-24T12:42:58+0530',
    '2026-02-24T12:42:58+05',
    '2026-13-01T00:00:00Z',
    '2026-00-01T00:00:00Z',
    '2026-02-29T00:00:00Z',
    '1900-02-29T00:00:00Z',
    '2026-04-31T00:00:00Z',
    '2026-01-00T00:00:00Z',
    '2026-01-01T24:00:00Z',
    '2026-01-01T00:60:00Z',
    '2026-01-01T00:00:60Z',
    '2026-01-01T00:00:00+24:00',
    '2026-01-01T00:00:00+01:60',
    ' 2026-01-01T00:00:00Z',
    '2026-01-01T00:00:00Z ',
    '２026-01-01T00:00:00Z',
  ];
  for (const text of bad) {
    it(`rejects ${JSON.stringify(text)} with input_time`, () => {
      assert.throws(() => parseTimestamp(text), (e: unknown) => isGaitError(e, 'input_time'));
    });
  }

  it('accepts leap days of leap years', () => {
    assert.equal(formatTimestamp(parseTimestamp('2000-02-29T00:00:00Z')), '2000-02-29T00:00:00Z');
    assert.equal(formatTimestamp(parseTimestamp('2024-02-29T00:00:00Z')), '2024-02-29T00:00:00Z');
  });
});

describe('formatTimestamp', () => {
  it('renders canonically (gate.md §A2 examples)', () => {
    assert.equal(formatTimestamp(parseTimestamp('2026-02-24T12:42:58.228785000Z')), '2026-02-24T12:42:58.228785Z');
    assert.equal(formatTimestamp(parseTimestamp('2026-02-18T19:13:04.95397Z')), '2026-02-18T19:13:04.95397Z');
    assert.equal(formatTimestamp(parseTimestamp('2026-02-18T00:00:00.000Z')), '2026-02-18T00:00:00Z');
    assert.equal(formatTimestamp(parseTimestamp('2026-02-18T00:00:00.200Z')), '2026-02-18T00:00:00.2Z');
    assert.equal(formatTimestamp({ seconds: 0, nanos: 1, offsetMinutes: 0 }), '1970-01-01T00:00:00.000000001Z');
  });

  it('keeps the offset', () => {
    assert.equal(formatTimestamp(parseTimestamp('2026-02-24T12:42:58.5+05:30')), '2026-02-24T12:42:58.5+05:30');
    assert.equal(formatTimestamp(parseTimestamp('2026-02-24T00:10:00-08:00')), '2026-02-24T00:10:00-08:00');
    assert.equal(formatTimestamp(parseTimestamp('2026-02-24T00:10:00-00:00')), '2026-02-24T00:10:00Z');
  });

  it('round-trips random instants', () => {
    for (let i = 0; i < 2000; i++) {
      const seconds = Math.floor((i * 7919 * 104729) % 315_000_000_000) - 62135596800;
      const ts = { seconds, nanos: (i * 12345) % 1e9, offsetMinutes: ((i % 48) - 24) * 30 };
      assert.deepEqual(parseTimestamp(formatTimestamp(ts)), ts);
    }
  });

  it('agrees with Date for the common range', () => {
    for (let i = 0; i < 2000; i++) {
      const ms = (i * 2654435761 * 1000) % 4_102_444_800_000;
      assert.equal(formatTimestamp(timestampFromEpochMs(ms)), new Date(ms).toISOString().replace('.000', ''));
    }
  });
});

describe('formatTimestamp: out-of-contract nanos render as before', () => {
  it('keeps the padStart-and-strip rendering outside 0..999,999,999 and for fractions', () => {
    const render = (nanos: number): string => formatTimestamp({ seconds: 0, nanos, offsetMinutes: 0 });
    assert.equal(render(120_000_000), '1970-01-01T00:00:00.12Z');
    assert.equal(render(999_999_999), '1970-01-01T00:00:00.999999999Z');
    assert.equal(render(1e9), '1970-01-01T00:00:00.1Z');
    assert.equal(render(1e21), '1970-01-01T00:00:00.00001e+21Z');
    assert.equal(render(-50), '1970-01-01T00:00:00.000000-5Z');
    assert.equal(render(2.5), '1970-01-01T00:00:00.0000002.5Z');
  });
});

describe('canonicalTimestampText', () => {
  const d2 = (max: number) => fc.integer({ min: 0, max }).map((n) => String(n).padStart(2, '0'));
  const text = fc
    .tuple(
      fc.integer({ min: 0, max: 9999 }).map((y) => String(y).padStart(4, '0')),
      d2(13),
      d2(32),
      fc.constantFrom('T', 't'),
      d2(24),
      d2(60),
      d2(60),
      fc.option(fc.stringMatching(/^[0-9]{0,11}$/)),
      fc.constantFrom('Z', 'z', '+00:00', '-00:00', '+05:30', '-08:00', '+24:00', '+23:59'),
    )
    .map(([y, mo, d, t, h, mi, s, f, z]) => `${y}-${mo}-${d}${t}${h}:${mi}:${s}${f === null ? '' : `.${f}`}${z}`);
  const outcome = (f: () => string): string => {
    try {
      return f();
    } catch (e) {
      return `error: ${(e as Error).message}`;
    }
  };

  it('equals formatTimestamp(parseTimestamp(text)), errors included', () => {
    fc.assert(
      fc.property(text, (t) => {
        assert.equal(outcome(() => canonicalTimestampText(t)), outcome(() => formatTimestamp(parseTimestamp(t))));
      }),
      { numRuns: 5000 },
    );
  });

  it('returns canonical text as it is and re-renders the rest', () => {
    for (const t of ['2026-02-05T00:00:00Z', '2026-02-05T00:00:00.123456789Z', '0000-01-01T00:00:00.5-08:00']) {
      assert.equal(canonicalTimestampText(t), t);
    }
    assert.equal(canonicalTimestampText('2026-02-05t00:00:00z'), '2026-02-05T00:00:00Z');
    assert.equal(canonicalTimestampText('2026-02-05T00:00:00.120+00:00'), '2026-02-05T00:00:00.12Z');
    assert.equal(canonicalTimestampText('2026-02-05T00:00:00.1234567891Z'), '2026-02-05T00:00:00.123456789Z');
    assert.throws(() => canonicalTimestampText('2026-02-30T00:00:00Z'), (e: unknown) => isGaitError(e, 'input_time'));
  });
});

describe('constants and helpers', () => {
  it('ZERO_TIME and FALLBACK_CREATED_AT render as specified', () => {
    assert.equal(formatTimestamp(ZERO_TIME), '0001-01-01T00:00:00Z');
    assert.equal(formatTimestamp(FALLBACK_CREATED_AT), '1980-01-01T00:00:00Z');
  });

  it('isZeroTime compares the instant', () => {
    assert.equal(isZeroTime(parseTimestamp('0001-01-01T00:00:00Z')), true);
    assert.equal(isZeroTime(parseTimestamp('0001-01-01T01:00:00+01:00')), true);
    assert.equal(isZeroTime(parseTimestamp('0001-01-01T00:00:00.000000001Z')), false);
    assert.equal(isZeroTime(FALLBACK_CREATED_AT), false);
  });

  it('toUtc keeps the instant and drops the offset', () => {
    assert.equal(formatTimestamp(toUtc(parseTimestamp('2026-02-24T12:42:58.2+05:30'))), '2026-02-24T07:12:58.2Z');
  });

  it('compareTimestamps compares instants', () => {
    const a = parseTimestamp('2026-02-24T12:00:00+01:00');
    const b = parseTimestamp('2026-02-24T11:00:00Z');
    assert.equal(compareTimestamps(a, b), 0);
    assert.equal(compareTimestamps(a, parseTimestamp('2026-02-24T11:00:00.000000001Z')), -1);
    assert.equal(compareTimestamps(parseTimestamp('2026-02-24T11:00:01Z'), a), 1);
  });

  it('timestampFromEpochMs', () => {
    assert.equal(formatTimestamp(timestampFromEpochMs(1771937000123)), '2026-02-24T12:43:20.123Z');
    assert.equal(formatTimestamp(timestampFromEpochMs(-1)), '1969-12-31T23:59:59.999Z');
    assert.equal(formatTimestamp(timestampFromEpochMs(0)), '1970-01-01T00:00:00Z');
  });

  it('addSeconds keeps nanosecond precision and the offset', () => {
    const t = parseTimestamp('2026-02-24T12:42:58.9+02:00');
    assert.equal(formatTimestamp(addSeconds(t, 1.25)), '2026-02-24T12:43:00.15+02:00');
    assert.equal(formatTimestamp(addSeconds(t, -0.95)), '2026-02-24T12:42:57.95+02:00');
    assert.equal(formatTimestamp(addSeconds(t, 86400 * 3650)), '2036-02-22T12:42:58.9+02:00');
    const v5 = parseTimestamp('2026-02-24T12:42:58.274138Z');
    assert.equal(formatTimestamp(addSeconds(v5, 1)), '2026-02-24T12:42:59.274138Z');
  });

  it('addNanos carries across seconds', () => {
    const t = parseTimestamp('2026-02-24T12:42:58.999999999Z');
    assert.equal(formatTimestamp(addNanos(t, 1)), '2026-02-24T12:42:59Z');
    assert.equal(formatTimestamp(addNanos(t, -1_999_999_999)), '2026-02-24T12:42:57Z');
    assert.equal(formatTimestamp(addNanos(t, 86_400_000_000_000)), '2026-02-25T12:42:58.999999999Z');
  });

  it('formatCompactUtc', () => {
    assert.equal(formatCompactUtc(parseTimestamp('2026-02-24T12:42:58.5+01:00')), '20260224T114258Z');
  });
});
