import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { formatJsonPretty } from '../../../../src/artifacts/regress/pretty-json.js';

describe('formatJsonPretty()', () => {
  it('keeps insertion order and writes empty containers inline', () => {
    assert.equal(formatJsonPretty({ b: 1, a: [], c: {}, d: [null, true, 'x\u2028"'] }), '{\n  "b": 1,\n  "a": [],\n  "c": {},\n  "d": [\n    null,\n    true,\n    "x\u2028\\""\n  ]\n}\n');
  });

  it('matches JSON.stringify(value, null, 2) + newline for any JSON value', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 4 }), (value) => {
        // JSON.stringify prints -0 as 0 like RFC 8785; both sides agree on every other number
        assert.equal(formatJsonPretty(value as never), `${JSON.stringify(value, null, 2)}\n`);
      }),
      { numRuns: 300 },
    );
  });
});
