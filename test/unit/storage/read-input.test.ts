import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GaitError } from '../../../src/errors/error.js';
import { findInvalidUtf8Offset, lineColOf, parseJsonText, readInputFile } from '../../../src/storage/read-input.js';

const root = mkdtempSync(join(tmpdir(), 'gait-read-input-'));
after(() => rmSync(root, { recursive: true, force: true }));

function file(name: string, data: string | Uint8Array): string {
  const p = join(root, name);
  writeFileSync(p, data);
  return p;
}

function gaitError(fn: () => unknown): GaitError {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof GaitError, `expected GaitError, got ${String(err)}`);
    return err;
  }
  assert.fail('expected a throw');
}

describe('readInputFile()', () => {
  it('returns the text of a UTF-8 file', () => {
    const p = file('ok.json', '{"a":"é"}\n');
    assert.equal(readInputFile(p, { label: 'intent' }), '{"a":"é"}\n');
  });

  it('refuses a file of 1 MiB + 1 byte with a message naming the cap', () => {
    const p = file('big.json', '');
    truncateSync(p, 1_048_577);
    const err = gaitError(() => readInputFile(p, { label: 'intent' }));
    assert.equal(err.code, 'input_too_large');
    assert.equal(err.message, `cannot read intent \`${p}\`: file is 1048577 bytes, over the 1048576-byte limit`);
    assert.equal(err.category, 'invalid_input');
  });

  it('accepts a file of exactly 1 MiB', () => {
    const p = file('exact.json', Buffer.alloc(1_048_576, 0x20));
    assert.throws(() => readInputFile(p, { label: 'intent' }), { code: 'input_empty' });
    const q = file('exact2.json', Buffer.concat([Buffer.from('{}'), Buffer.alloc(1_048_574, 0x20)]));
    assert.equal(readInputFile(q, { label: 'intent' }).length, 1_048_576);
  });

  it('refuses a huge sparse file without reading it (stat first)', () => {
    const p = file('huge.json', '');
    truncateSync(p, 8 * 1024 ** 3);
    const started = performance.now();
    const err = gaitError(() => readInputFile(p, { label: 'policy' }));
    assert.equal(err.code, 'input_too_large');
    assert.equal(err.message, `cannot read policy \`${p}\`: file is 8589934592 bytes, over the 1048576-byte limit`);
    assert.ok(performance.now() - started < 1000);
  });

  it('honours a configured cap', () => {
    const p = file('small-cap.json', '{"a":1}');
    assert.throws(() => readInputFile(p, { label: 'intent', maxBytes: 6 }), {
      code: 'input_too_large',
      message: `cannot read intent \`${p}\`: file is 7 bytes, over the 6-byte limit`,
    });
    assert.equal(readInputFile(p, { label: 'intent', maxBytes: 7 }), '{"a":1}');
  });

  it('rejects invalid UTF-8 with the byte offset', () => {
    const p = file('latin1.json', Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xe9, 0x22, 0x7d]));
    const err = gaitError(() => readInputFile(p, { label: 'intent' }));
    assert.equal(err.code, 'input_encoding');
    assert.equal(err.message, `cannot read intent \`${p}\`: invalid UTF-8 at byte offset 6`);
    assert.equal(err.details['byte_offset'], 6);
  });

  it('strips a leading BOM', () => {
    const p = file('bom.json', Buffer.from([0xef, 0xbb, 0xbf, 0x7b, 0x7d]));
    assert.equal(readInputFile(p, { label: 'intent' }), '{}');
  });

  it('rejects an empty file and a whitespace-only file', () => {
    const empty = file('empty.json', '');
    assert.throws(() => readInputFile(empty, { label: 'intent' }), {
      code: 'input_empty',
      message: `cannot read intent \`${empty}\`: file is empty`,
    });
    const blank = file('blank.json', ' \n\t\r\n');
    assert.throws(() => readInputFile(blank, { label: 'intent' }), {
      code: 'input_empty',
      message: `cannot read intent \`${blank}\`: file contains only whitespace`,
    });
    const bomOnly = file('bom-only.json', Buffer.from([0xef, 0xbb, 0xbf]));
    assert.throws(() => readInputFile(bomOnly, { label: 'intent' }), { code: 'input_empty' });
    assert.equal(readInputFile(empty, { label: 'config', allowEmpty: true }), '');
  });

  it('rejects a directory', () => {
    const d = join(root, 'a-dir');
    mkdirSync(d);
    assert.throws(() => readInputFile(d, { label: 'intent' }), {
      code: 'input_path',
      message: `cannot read intent \`${d}\`: is a directory`,
    });
  });

  it('rejects a missing file with a hint', () => {
    const p = join(root, 'missing.json');
    const err = gaitError(() => readInputFile(p, { label: 'intent' }));
    assert.equal(err.code, 'input_path');
    assert.equal(err.message, `cannot read intent \`${p}\`: no such file`);
    assert.equal(err.hint, 'check the path; relative paths resolve against the working directory');
  });

  it('shows displayPath in messages', () => {
    assert.throws(() => readInputFile(join(root, 'nope.json'), { label: 'intent', displayPath: 'nope.json' }), {
      message: 'cannot read intent `nope.json`: no such file',
    });
  });

  it('rejects an unreadable file', { skip: process.getuid?.() === 0 ? 'root can read any file' : false }, () => {
    const p = file('secret.json', '{}');
    chmodSync(p, 0o000);
    assert.throws(() => readInputFile(p, { label: 'intent' }), {
      code: 'input_path',
      message: `cannot read intent \`${p}\`: permission denied`,
    });
  });
});

describe('findInvalidUtf8Offset()', () => {
  const cases: [string, number[], number][] = [
    ['ascii', [0x61, 0x62], -1],
    ['two-byte', [0x61, 0xc3, 0xa9], -1],
    ['four-byte', [0xf0, 0x9f, 0x98, 0x80], -1],
    ['lone continuation', [0x61, 0x80], 1],
    ['overlong C0', [0xc0, 0xaf], 0],
    ['overlong E0', [0x61, 0xe0, 0x80, 0xaf], 1],
    ['surrogate ED A0', [0xed, 0xa0, 0x80], 0],
    ['above U+10FFFF', [0xf4, 0x90, 0x80, 0x80], 0],
    ['truncated', [0x61, 0x62, 0xe2, 0x82], 2],
    ['F5', [0xf5, 0x80, 0x80, 0x80], 0],
  ];
  for (const [name, bytes, expected] of cases) {
    it(name, () => {
      assert.equal(findInvalidUtf8Offset(Uint8Array.from(bytes)), expected);
      assert.equal(expected === -1, (() => {
        try {
          new TextDecoder('utf-8', { fatal: true }).decode(Uint8Array.from(bytes));
          return true;
        } catch {
          return false;
        }
      })());
    });
  }
});

describe('parseJsonText()', () => {
  it('parses valid JSON', () => {
    assert.deepEqual(parseJsonText('{"a":[1,2]}', { label: 'intent' }), { a: [1, 2] });
  });

  const cases: [string, string, number, number, string][] = [
    ['unexpected token', '{\n  "a": }', 2, 8, "unexpected token '}'"],
    ['trailing comma', '[1,2,]', 1, 6, "unexpected token ']'"],
    ['missing comma', '{"a":1\n"b":2}', 2, 1, "expected ',' or '}' after property value"],
    ['end of input', '{"a":', 1, 6, 'unexpected end of JSON input'],
    ['trailing garbage', '{"a":1}\n\n  ]', 3, 3, 'unexpected non-whitespace character after JSON'],
    ['bad literal', '{"a": trux}', 1, 10, "unexpected token 'x'"],
    ['code points for col', '{"é😀": x}', 1, 8, "unexpected token 'x'"],
  ];
  for (const [name, text, line, col, reason] of cases) {
    it(`locates ${name} at ${line}:${col}`, () => {
      const err = gaitError(() => parseJsonText(text, { label: 'intent', file: 'i.json' }));
      assert.equal(err.code, 'input_json');
      assert.equal(err.message, `cannot parse intent \`i.json\`: line ${line}, column ${col}: ${reason}`);
      assert.deepEqual(err.location, { file: 'i.json', line, col });
    });
  }

  it('omits the file when none is given', () => {
    const err = gaitError(() => parseJsonText('', { label: 'intent' }));
    assert.equal(err.message, 'cannot parse intent: line 1, column 1: unexpected end of JSON input');
    assert.deepEqual(err.location, { line: 1, col: 1 });
  });
});

describe('lineColOf()', () => {
  it('counts lines and code-point columns', () => {
    assert.deepEqual(lineColOf('ab\ncd', 4), { line: 2, col: 2 });
    assert.deepEqual(lineColOf('😀x', 2), { line: 1, col: 2 });
  });
});
