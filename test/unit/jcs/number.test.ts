import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { formatJcsNumber } from '../../../src/jcs/number.js';
import { hashEs6Numbers } from '../../helpers/es6-numbers.js';

function format(n: number): string {
  const text = formatJcsNumber(n);
  if (text === undefined) throw new Error(`unexpected non-finite ${n}`);
  return text;
}

describe('formatJcsNumber', () => {
  const cases: [number, string][] = [
    [0, '0'],
    [-0, '0'],
    [1, '1'],
    [-1.5, '-1.5'],
    [9007199254740994, '9007199254740994'],
    [1e21, '1e+21'],
    [1e20, '100000000000000000000'],
    [0.000001, '0.000001'],
    [9.999999999999997e-7, '9.999999999999997e-7'],
    [5e-324, '5e-324'],
    [1.7976931348623157e308, '1.7976931348623157e+308'],
    [333333333.3333333, '333333333.3333333'],
    [4.5, '4.5'],
    [2e-3, '0.002'],
    [0.1 + 0.2, '0.30000000000000004'],
  ];
  for (const [n, text] of cases) {
    it(`${text}`, () => assert.equal(formatJcsNumber(n), text));
  }

  it('has no form for NaN and infinities', () => {
    assert.equal(formatJcsNumber(Number.NaN), undefined);
    assert.equal(formatJcsNumber(Number.POSITIVE_INFINITY), undefined);
    assert.equal(formatJcsNumber(Number.NEGATIVE_INFINITY), undefined);
  });
});

describe('ES6 number test sequence (first 1,000,000 lines)', () => {
  it('matches the published checksums at 1e3, 1e4, 1e5 and 1e6 lines', () => {
    const got = hashEs6Numbers(1_000_000, [1_000, 10_000, 100_000, 1_000_000], format);
    assert.deepEqual(got, [
      { lines: 1_000, size: 37_967, sha256: 'be18b62b6f69cdab33a7e0dae0d9cfa869fda80ddc712221570f9f40a5878687' },
      { lines: 10_000, size: 399_022, sha256: 'b9f7a8e75ef22a835685a52ccba7f7d6bdc99e34b010992cbc5864cd12be6892' },
      { lines: 100_000, size: 4_031_728, sha256: '22776e6d4b49fa294a0d0f349268e5c28808fe7e0cb2bcbe28f63894e494d4c7' },
      { lines: 1_000_000, size: 40_357_417, sha256: '49415fee2c56c77864931bd3624faad425c3c577d6d74e89a83bc725506dad16' },
    ]);
  });
});
