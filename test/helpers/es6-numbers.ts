// Generator of the RFC 8785 ES6 number-formatting test sequence (test/fixtures/vectors/jcs/README.md):
// 168 fixed bit patterns, 2,000 serial values above the smallest normal, then SHA-256-chained
// pseudo-random doubles. Lines are `<bits hex without leading zeros>,<formatted>\n`, hashed as they stream.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';

export interface Es6Checkpoint {
  readonly lines: number;
  readonly size: number;
  readonly sha256: string;
}

const STATIC_VALUES_URL = new URL('../fixtures/vectors/jcs/es6-static-values.txt', import.meta.url);

function hexOf(hi: number, lo: number): string {
  return hi === 0 ? lo.toString(16) : hi.toString(16) + lo.toString(16).padStart(8, '0');
}

/** Yields [hi, lo] 32-bit halves of each value's IEEE-754 pattern, in sequence order, forever. */
function* bitPatterns(): Generator<[number, number]> {
  const text = readFileSync(STATIC_VALUES_URL, 'utf8');
  for (const line of text.split('\n')) {
    const hex = line.trim();
    if (hex === '') continue;
    yield [parseInt(hex.slice(0, 8), 16), parseInt(hex.slice(8, 16), 16)];
  }
  for (let i = 0; i < 2000; i++) yield [0x00100000, i];
  let state: Buffer = Buffer.alloc(32);
  for (;;) {
    state = createHash('sha256').update(state).digest();
    for (let k = 0; k < 4; k++) {
      const value = state.readDoubleLE(8 * k);
      if (value === 0 || !Number.isFinite(value)) continue;
      yield [state.readUInt32LE(8 * k + 4), state.readUInt32LE(8 * k)];
    }
  }
}

/**
 * Streams the first `total` lines through SHA-256, formatting each value with `format`, and returns
 * the hash and byte size after each requested checkpoint (ascending, the last one being `total`).
 */
export function hashEs6Numbers(total: number, checkpoints: readonly number[], format: (n: number) => string): Es6Checkpoint[] {
  const hash = createHash('sha256');
  const results: Es6Checkpoint[] = [];
  const view = new DataView(new ArrayBuffer(8));
  let chunk = '';
  let size = 0;
  let count = 0;
  let nextCheckpoint = 0;
  for (const [hi, lo] of bitPatterns()) {
    view.setUint32(0, hi);
    view.setUint32(4, lo);
    const line = `${hexOf(hi, lo)},${format(view.getFloat64(0))}\n`;
    chunk += line;
    size += line.length;
    count++;
    if (count === checkpoints[nextCheckpoint] || chunk.length > 65_536 || count === total) {
      hash.update(chunk);
      chunk = '';
    }
    if (count === checkpoints[nextCheckpoint]) {
      results.push({ lines: count, size, sha256: hash.copy().digest('hex') });
      nextCheckpoint++;
    }
    if (count === total) break;
  }
  return results;
}
