// The full 100-million-line ES6 number test (about 1.5 minutes); run with `node scripts/run-tests.mjs --slow`.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { formatJcsNumber } from '../../../src/jcs/number.js';
import { hashEs6Numbers } from '../../helpers/es6-numbers.js';

function format(n: number): string {
  const text = formatJcsNumber(n);
  if (text === undefined) throw new Error(`unexpected non-finite ${n}`);
  return text;
}

describe('ES6 number test sequence (100,000,000 lines)', () => {
  it('matches the published checksums at 1e7 and 1e8 lines', { timeout: 1_800_000 }, () => {
    const got = hashEs6Numbers(100_000_000, [10_000_000, 100_000_000], format);
    assert.deepEqual(got, [
      { lines: 10_000_000, size: 403_630_048, sha256: 'b9f8a44a91d46813b21b9602e72f112613c91408db0b8341fb94603d9db135e0' },
      { lines: 100_000_000, size: 4_036_326_174, sha256: '0f7dda6b0837dde083c5d6b896f7d62340c8a2415b0c7121d83145e08a755272' },
    ]);
  });
});
