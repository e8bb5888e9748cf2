import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Clock } from '../../../../src/runtime/clock.js';
import { createProgress, progressLine } from '../../../../src/transports/cli/progress.js';
import { makeTestIo } from '../../../helpers/cli-io.js';

/** A clock that advances `stepMs` on every read. */
function steppingClock(stepMs: number): Clock {
  let ms = 0;
  return {
    now: () => {
      ms += stepMs;
      return { seconds: Math.floor(ms / 1000), nanos: (ms % 1000) * 1e6, offsetMinutes: 0 };
    },
  };
}

describe('createProgress()', () => {
  it('rewrites one stderr line on a TTY, throttled, always drawing the last item, and clears it', () => {
    const t = makeTestIo({ isTty: true, clock: steppingClock(40) });
    const p = createProgress(t.io, { json: false, title: 'regress' });
    for (let i = 1; i <= 5; i += 1) p.update(i, 5, `f${i}`);
    p.finish();
    p.finish();
    // 40 ms per read: draws at 40 (first), 160 (>=100 since last), and the final item
    assert.equal(t.err(), '\r\u001b[2Kregress 1/5 f1\r\u001b[2Kregress 4/5 f4\r\u001b[2Kregress 5/5 f5\r\u001b[2K');
    assert.equal(t.out(), '');
  });

  it('is silent under --json, on a non-TTY, and below minTotal', () => {
    for (const [isTty, json, total] of [
      [true, true, 5],
      [false, false, 5],
      [true, false, 1],
    ] as const) {
      const t = makeTestIo({ isTty });
      const p = createProgress(t.io, { json, title: 'x' });
      p.update(1, total);
      p.finish();
      assert.equal(t.err(), '');
    }
  });
});

describe('progressLine()', () => {
  it('shortens long labels', () => {
    assert.equal(progressLine('simulate', 3, 10), 'simulate 3/10');
    assert.equal(progressLine('regress', 1, 2, 'x'.repeat(60)), `regress 1/2 ${'x'.repeat(47)}…`);
  });
});
