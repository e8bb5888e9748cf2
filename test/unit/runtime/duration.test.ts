import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { isGaitError } from '../../../src/errors/error.js';
import { formatDuration, parseDuration } from '../../../src/runtime/duration.js';

describe('parseDuration', () => {
  const cases: [string, number][] = [
    ['0', 0],
    ['-0', 0],
    ['+0', 0],
    ['0s', 0],
    ['300ms', 300_000_000],
    ['1.5h', 5_400_000_000_000],
    ['1h30m', 5_400_000_000_000],
    ['-2m', -120_000_000_000],
    ['+90s', 90_000_000_000],
    ['24h', 86_400_000_000_000],
    ['1ns', 1],
    ['1us', 1_000],
    ['1\u00b5s', 1_000],
    ['1\u03bcs', 1_000],
    ['.5s', 500_000_000],
    ['1.s', 1_000_000_000],
    ['1h2m3s4ms5us6ns', 3_723_004_005_006],
    ['1.0000000001s', 1_000_000_000],
    ['87600h', 315_360_000_000_000_000],
  ];
  for (const [text, ns] of cases) {
    it(`${text} -> ${ns}`, () => assert.equal(parseDuration(text), ns));
  }

  const bad: [string, string][] = [
    ['', 'invalid duration ``'],
    ['-', 'invalid duration `-`'],
    ['1', 'invalid duration `1`: missing unit'],
    ['h', 'invalid duration `h`'],
    ['.s', 'invalid duration `.s`'],
    ['1d', 'invalid duration `1d`: unknown unit `d`'],
    ['1h 2m', 'invalid duration `1h 2m`: unknown unit `h `'],
    [' 1h', 'invalid duration ` 1h`'],
    ['--1s', 'invalid duration `--1s`'],
    ['9223372036854775808ns', 'invalid duration `9223372036854775808ns`'],
    ['3000000h', 'invalid duration `3000000h`'],
  ];
  for (const [text, message] of bad) {
    it(`rejects ${JSON.stringify(text)}`, () => {
      assert.throws(
        () => parseDuration(text),
        (e: unknown) => isGaitError(e, 'input_usage') && e.message === message,
      );
    });
  }
});

describe('formatDuration', () => {
  const cases: [number, string][] = [
    [0, '0s'],
    [1, '1ns'],
    [999, '999ns'],
    [1_000, '1\u00b5s'],
    [1_500, '1.5\u00b5s'],
    [500_000_000, '500ms'],
    [1_500_000, '1.5ms'],
    [1_000_000_000, '1s'],
    [1_500_000_000, '1.5s'],
    [90_000_000_000, '1m30s'],
    [86_400_000_000_000, '24h0m0s'],
    [5_400_000_000_000, '1h30m0s'],
    [-120_000_000_000, '-2m0s'],
    [3_723_004_005_006, '1h2m3.004005006s'],
    [315_360_000_000_000_000, '87600h0m0s'],
  ];
  for (const [ns, text] of cases) {
    it(`${ns} -> ${text}`, () => assert.equal(formatDuration(ns), text));
  }

  it('round-trips through parseDuration', () => {
    for (let i = 0; i < 500; i++) {
      const ns = ((i * 2654435761) % 9_000_000_000_000) * (i % 2 === 0 ? 1 : -1);
      assert.equal(parseDuration(formatDuration(ns)), ns);
    }
  });
});
