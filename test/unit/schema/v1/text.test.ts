import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { isGaitError } from '../../../../src/errors/error.js';
import {
  cleanPath,
  compareCodePoints,
  isHex64,
  loweredList,
  lowerSimple,
  normalizedList,
  normalizeHex64,
  trimSpec,
} from '../../../../src/schema/v1/text.js';

describe('trimSpec (gate.md §0 trim set)', () => {
  it('removes every character of the set from both ends', () => {
    const set = '\t\n\u000b\f\r \u0085\u00a0\u1680\u2000\u2005\u200a\u2028\u2029\u202f\u205f\u3000';
    assert.equal(trimSpec(`${set}a b${set}`), 'a b');
  });
  it('trims U+0085, which String.prototype.trim keeps', () => {
    assert.equal(trimSpec('\u0085x\u0085'), 'x');
    assert.equal('\u0085x'.trim(), '\u0085x');
  });
  it('keeps U+FEFF, which String.prototype.trim removes', () => {
    assert.equal(trimSpec('\ufeffx\ufeff'), '\ufeffx\ufeff');
  });
  it('keeps U+200B and inner whitespace, returns "" for all-space input', () => {
    assert.equal(trimSpec('\u200bx'), '\u200bx');
    assert.equal(trimSpec(' \t '), '');
    assert.equal(trimSpec(''), '');
  });
});

describe('lowerSimple (gate.md §0 simple lowercase)', () => {
  it('maps İ (U+0130) to a single i', () => {
    assert.equal(lowerSimple('\u0130'), 'i');
    assert.equal(lowerSimple('D\u0130R'), 'dir');
  });
  it('maps Σ to σ always, also at the end of a word', () => {
    assert.equal(lowerSimple('ΟΔΟΣ'), 'οδοσ');
    assert.equal(lowerSimple('Σ'), 'σ');
  });
  it('lowercases ASCII and other scripts', () => {
    assert.equal(lowerSimple('Tool.WRITE'), 'tool.write');
    assert.equal(lowerSimple('ÄÖÜ'), 'äöü');
    assert.equal(lowerSimple('\u{10400}'), '\u{10428}');
  });
});

describe('compareCodePoints (gate.md §0 sorted)', () => {
  it('puts U+1F600 after U+FF5E (UTF-16 order puts it before)', () => {
    assert.equal(compareCodePoints('\u{1F600}', '\uFF5E'), 1);
    assert.equal(compareCodePoints('\uFF5E', '\u{1F600}'), -1);
    assert.deepEqual(['\u{1F600}', '\uFF5E'].sort(), ['\u{1F600}', '\uFF5E']);
    assert.deepEqual(['\u{1F600}', '\uFF5E'].sort(compareCodePoints), ['\uFF5E', '\u{1F600}']);
  });
  it('orders prefixes first and equal strings as 0', () => {
    assert.equal(compareCodePoints('ab', 'abc'), -1);
    assert.equal(compareCodePoints('abc', 'abc'), 0);
    assert.equal(compareCodePoints('B', 'a'), -1);
  });
});

describe('normalizedList / loweredList', () => {
  it('trims, drops empty, de-duplicates and sorts, keeping case', () => {
    assert.deepEqual(normalizedList([' b ', 'a', '', 'B', 'a ', '\u3000']), ['B', 'a', 'b']);
  });
  it('lowercases before de-duplication', () => {
    assert.deepEqual(loweredList([' B ', 'b', 'A', '\u0130']), ['a', 'b', 'i']);
  });
});

describe('hex64', () => {
  const hex = 'ab'.repeat(32);
  it('accepts only 64 lowercase hex characters', () => {
    assert.equal(isHex64(hex), true);
    assert.equal(isHex64(hex.toUpperCase()), false);
    assert.equal(isHex64(hex.slice(1)), false);
  });
  it('normalizeHex64 trims and lowercases, keeps empty, rejects others', () => {
    assert.equal(normalizeHex64(` ${hex.toUpperCase()} `, 'bad'), hex);
    assert.equal(normalizeHex64('  ', 'bad'), '');
    assert.throws(
      () => normalizeHex64('xyz', 'x must be sha256 hex'),
      (e: unknown) => isGaitError(e, 'input_intent') && e.message === 'x must be sha256 hex',
    );
    assert.throws(() => normalizeHex64('xyz', 'bad', 'policy_invalid'), (e: unknown) => isGaitError(e, 'policy_invalid'));
  });
});

describe('cleanPath (POSIX path.Clean)', () => {
  const cases: [string, string][] = [
    ['', '.'],
    ['.', '.'],
    ['/', '/'],
    ['//a///b//', '/a/b'],
    ['a/./b/.', 'a/b'],
    ['a/b/../c', 'a/c'],
    ['/..', '/'],
    ['/../a/..', '/'],
    ['../../a', '../../a'],
    ['a/../..', '..'],
    ['a/..', '.'],
    ['/tmp/work/', '/tmp/work'],
    ['a\\b/../c', 'c'],
  ];
  for (const [input, expected] of cases) {
    it(`${JSON.stringify(input)} → ${JSON.stringify(expected)}`, () => assert.equal(cleanPath(input), expected));
  }
});
