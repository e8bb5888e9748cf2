import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import canonicalizeOracle from 'canonicalize';
import { isGaitError } from '../../../src/errors/error.js';
import { canonicalBytes, canonicalize } from '../../../src/jcs/canonicalize.js';

const VECTORS = new URL('../../fixtures/vectors/jcs/', import.meta.url);
const CASES = ['arrays', 'french', 'structures', 'unicode', 'values', 'weird'];

function fixture(path: string): Buffer {
  return readFileSync(new URL(path, VECTORS));
}

describe('canonicalize: RFC 8785 reference vectors', () => {
  for (const name of CASES) {
    it(`${name}: output bytes equal output/${name}.json and outhex/${name}.txt`, () => {
      const input: unknown = JSON.parse(fixture(`input/${name}.json`).toString('utf8'));
      const expected = fixture(`output/${name}.json`);
      const fromHex = Buffer.from(fixture(`outhex/${name}.txt`).toString('ascii').replace(/\s+/g, ''), 'hex');
      assert.deepEqual(Buffer.from(canonicalBytes(input)), expected);
      assert.deepEqual(Buffer.from(canonicalize(input), 'utf8'), fromHex);
    });
  }
});

describe('canonicalize: literal cases', () => {
  const cases: [unknown, string][] = [
    [null, 'null'],
    [true, 'true'],
    [false, 'false'],
    [-0, '0'],
    [[-0, 0.5, 1e21, 1e-7], '[0,0.5,1e+21,1e-7]'],
    ['', '""'],
    ['\u0000\u0008\t\n\u000b\f\r\u001f"\\/\u007f\u20ac', '"\\u0000\\b\\t\\n\\u000b\\f\\r\\u001f\\"\\\\/\u007f\u20ac"'],
    ['\u{1f600}', '"\u{1f600}"'],
    [{ b: 1, a: { d: [], c: {} } }, '{"a":{"c":{},"d":[]},"b":1}'],
    // U+1F600 (surrogates D83D DE00) sorts before U+FB33 in UTF-16 order, after it in code-point order.
    [{ '\ufb33': 1, '\u{1f600}': 2, '\u0080': 3, a: 4, A: 5, '': 6 }, '{"":6,"A":5,"a":4,"\u0080":3,"\u{1f600}":2,"\ufb33":1}'],
    [Object.assign(Object.create(null) as object, { z: 1, y: 2 }), '{"y":2,"z":1}'],
    [{ __proto__: null, k: 'v' }, '{"k":"v"}'],
  ];
  for (const [value, text] of cases) {
    it(text, () => assert.equal(canonicalize(value), text));
  }

  it('canonicalBytes is UTF-8', () => {
    assert.deepEqual(Array.from(canonicalBytes({ '\u20ac': 'é' })), [
      0x7b, 0x22, 0xe2, 0x82, 0xac, 0x22, 0x3a, 0x22, 0xc3, 0xa9, 0x22, 0x7d,
    ]);
  });
});

describe('canonicalize: rejections', () => {
  class Point {
    x = 1;
  }
  const cyclic: Record<string, unknown> = { a: 1 };
  cyclic['self'] = cyclic;
  // eslint-disable-next-line no-sparse-arrays
  const sparse = [1, , 3];
  const cases: [string, unknown, string][] = [
    ['NaN', { a: [1, 2, Number.NaN] }, 'cannot canonicalize `$.a[2]`: non-finite number'],
    ['Infinity', Number.POSITIVE_INFINITY, 'cannot canonicalize `$`: non-finite number'],
    ['-Infinity', [Number.NEGATIVE_INFINITY], 'cannot canonicalize `$[0]`: non-finite number'],
    ['undefined at top', undefined, 'cannot canonicalize `$`: unsupported type undefined'],
    ['undefined member', { 'we ird': { b: undefined } }, 'cannot canonicalize `$["we ird"].b`: unsupported type undefined'],
    ['sparse array hole', sparse, 'cannot canonicalize `$[1]`: unsupported type undefined'],
    ['function', { f: () => 1 }, 'cannot canonicalize `$.f`: unsupported type function'],
    ['symbol', [Symbol('s')], 'cannot canonicalize `$[0]`: unsupported type symbol'],
    ['bigint', { n: 1n }, 'cannot canonicalize `$.n`: unsupported type bigint'],
    ['Date', { at: new Date(0) }, 'cannot canonicalize `$.at`: unsupported object type Date'],
    ['Map', new Map(), 'cannot canonicalize `$`: unsupported object type Map'],
    ['Set', [[new Set()]], 'cannot canonicalize `$[0][0]`: unsupported object type Set'],
    ['class instance', { p: new Point() }, 'cannot canonicalize `$.p`: unsupported object type Point'],
    ['boxed string', new String('x'), 'cannot canonicalize `$`: unsupported object type String'],
    ['Uint8Array', { b: new Uint8Array(1) }, 'cannot canonicalize `$.b`: unsupported object type Uint8Array'],
    ['lone high surrogate in value', { x: { y: [0, 'a\ud800'] } }, 'cannot canonicalize `$.x.y[1]`: string contains a lone surrogate'],
    ['lone low surrogate in value', '\udc00b', 'cannot canonicalize `$`: string contains a lone surrogate'],
    ['lone surrogate in key', { ok: { '\udc00': 1 } }, 'cannot canonicalize `$.ok["\\udc00"]`: member name contains a lone surrogate'],
    ['cyclic', cyclic, 'cannot canonicalize `$`: value is cyclic or nested too deeply'],
  ];
  for (const [name, value, message] of cases) {
    it(`rejects ${name}`, () => {
      assert.throws(
        () => canonicalize(value),
        (e: unknown) => isGaitError(e, 'jcs_invalid_value') && e.message === message,
      );
    });
  }
});

/** Replaces -0 with 0 everywhere (JSON text has no -0 after canonicalization). */
function withoutNegativeZero(v: unknown): unknown {
  if (typeof v === 'number') return v === 0 ? 0 : v;
  if (Array.isArray(v)) return v.map(withoutNegativeZero);
  if (v !== null && typeof v === 'object') {
    // fromEntries defines own members, so a `__proto__` key stays a member.
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, withoutNegativeZero(x)]));
  }
  return v;
}

/** Compares by UTF-16 code units, written out independently of Array.prototype.sort. */
function compareUtf16(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const d = a.charCodeAt(i) - b.charCodeAt(i);
    if (d !== 0) return d;
  }
  return a.length - b.length;
}

describe('canonicalize: properties', () => {
  const json = fc.jsonValue({ maxDepth: 4, stringUnit: 'binary' });

  it('equals the canonicalize npm package (oracle)', () => {
    fc.assert(
      fc.property(json, (v) => canonicalize(v) === canonicalizeOracle(v)),
      { numRuns: 2000 },
    );
  });

  it('parses back to the input (modulo -0)', () => {
    fc.assert(
      fc.property(json, (v) => {
        assert.deepEqual(JSON.parse(canonicalize(v)), withoutNegativeZero(v));
      }),
      { numRuns: 2000 },
    );
  });

  it('emits object members in UTF-16 code-unit order and is idempotent', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string({ unit: 'binary' }), json), (v) => {
        const text = canonicalize(v);
        const names = Object.keys(v).sort(compareUtf16);
        const expected = `{${names.map((n) => `${canonicalize(n)}:${canonicalize(v[n])}`).join(',')}}`;
        assert.equal(text, expected);
        assert.equal(canonicalize(JSON.parse(text)), text);
      }),
      { numRuns: 500 },
    );
  });
});

describe('canonicalize: bare strings (quotes written with the neighbouring pieces)', () => {
  // Runs of strings with nothing to escape, next to strings that need escaping, empty strings,
  // non-strings and containers, in objects and arrays, at any position (first, middle, last).
  const str = fc.oneof(
    fc.constantFrom('', 'a', 'bench-user', 'f'.repeat(64), 'x"y', 'back\\slash', 'tab\t', '\u0000', '\u{1f600}', 'é'),
    fc.string({ maxLength: 6 }),
  );
  const leaf = fc.oneof(str, str, fc.constantFrom(0, -0, 1.5, 1e21, true, false, null));
  const tree = fc.letrec((tie) => ({
    value: fc.oneof({ depthSize: 'small' }, leaf, leaf, tie('array'), tie('object')),
    array: fc.array(tie('value'), { maxLength: 6 }),
    object: fc.dictionary(fc.constantFrom('a', 'b', 'id', 'kind', 'z', '', 'é'), tie('value'), { maxKeys: 6 }),
  }));

  it('equals the canonicalize npm package (oracle)', () => {
    fc.assert(
      fc.property(tree.value, (v) => {
        assert.equal(canonicalize(v), canonicalizeOracle(v));
        // Once more: the member orders are remembered now.
        assert.equal(canonicalize(v), canonicalizeOracle(v));
      }),
      { numRuns: 3000 },
    );
  });

  it('writes runs of bare and escaped strings exactly', () => {
    assert.equal(canonicalize(['a', 'b', 1, 'c', 'd"', 'e']), '["a","b",1,"c","d\\"","e"]');
    assert.equal(canonicalize({ b: 'x', a: 'y', c: 2, d: 'z', e: 'w\n' }), '{"a":"y","b":"x","c":2,"d":"z","e":"w\\n"}');
    assert.equal(canonicalize({ a: ['', ''], b: '' }), '{"a":["",""],"b":""}');
  });

  it('still names the path of a lone surrogate after a bare string', () => {
    assert.throws(
      () => canonicalize({ a: 'ok', b: ['ok', 'x\ud800'] }),
      (e: unknown) => isGaitError(e, 'jcs_invalid_value') && e.message === 'cannot canonicalize `$.b[1]`: string contains a lone surrogate',
    );
  });
});

describe('canonicalize: remembered member orders (src/jcs/shapes.ts)', () => {
  const NAME_LISTS = [
    ['schema_id', 'trace_id', 'created_at', 'agent_id'],
    ['kind', 'id'],
    ['id', 'kind'],
    ['b', '10', 'a', '9', ''],
    ['x"y', 'a\\b', 'c\nd', '\u{1f600}', '\ufb33'],
  ];
  const json = fc.jsonValue({ maxDepth: 2, stringUnit: 'binary' });

  it('renders a name list seen before (in any insertion order) with new values as the oracle does', () => {
    fc.assert(
      fc.property(fc.constantFrom(...NAME_LISTS), fc.array(json, { minLength: 5, maxLength: 5 }), fc.boolean(), (names, values, reverse) => {
        const ordered = reverse ? [...names].reverse() : names;
        const v = Object.fromEntries(ordered.map((name, i) => [name, values[i]]));
        assert.equal(canonicalize(v), canonicalizeOracle(v));
        assert.equal(canonicalize([v, v]), canonicalizeOracle([v, v]));
      }),
      { numRuns: 1000 },
    );
  });

  it('stays exact when more shapes are met than it keeps', () => {
    for (let i = 0; i < 2000; i++) {
      const v = { [`k${i}`]: i, [`j${i % 7}`]: [i], schema_id: 's' };
      assert.equal(canonicalize(v), canonicalizeOracle(v));
    }
    const wide = Object.fromEntries(Array.from({ length: 100 }, (_, i) => [`m${(i * 37) % 100}`, i]));
    assert.equal(canonicalize(wide), canonicalizeOracle(wide));
    assert.equal(canonicalize(wide), canonicalizeOracle(wide));
  });

  it('reports the first failure in member order, whether or not the name list was seen before', () => {
    const message = (v: unknown): string => {
      try {
        canonicalize(v);
        return '';
      } catch (e) {
        return (e as Error).message;
      }
    };
    for (let round = 0; round < 2; round++) {
      assert.equal(message({ a: undefined, '\ud800': 1 }), 'cannot canonicalize `$.a`: unsupported type undefined');
      assert.equal(message({ '\ud800': 1, b: 2 }), 'cannot canonicalize `$["\\ud800"]`: member name contains a lone surrogate');
      assert.equal(message({ b: 1, a: [undefined] }), 'cannot canonicalize `$.a[0]`: unsupported type undefined');
      assert.equal(message({ b: 'x\udc00', a: 1 }), 'cannot canonicalize `$.b`: string contains a lone surrogate');
    }
  });
});
