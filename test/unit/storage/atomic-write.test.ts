import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GaitError } from '../../../src/errors/error.js';
import { assertSafeRelativePath, createFileExclusive, ensureDir, writeFileAtomic } from '../../../src/storage/atomic-write.js';

const root = mkdtempSync(join(tmpdir(), 'gait-atomic-'));
after(() => rmSync(root, { recursive: true, force: true }));

let n = 0;
function freshDir(): string {
  n += 1;
  const d = join(root, `case${n}`);
  mkdirSync(d);
  return d;
}

const modeOf = (p: string): number => statSync(p).mode & 0o777;

function caught(fn: () => unknown): GaitError {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof GaitError, `expected GaitError, got ${String(err)}`);
    return err;
  }
  assert.fail('expected a throw');
}

describe('writeFileAtomic()', () => {
  it('writes the file 0600 and creates parent directories 0750', () => {
    const d = freshDir();
    const target = join(d, 'a', 'b', 'trace.json');
    writeFileAtomic(target, '{}\n');
    assert.equal(readFileSync(target, 'utf8'), '{}\n');
    assert.equal(modeOf(target), 0o600);
    assert.equal(modeOf(join(d, 'a')), 0o750);
    assert.equal(modeOf(join(d, 'a', 'b')), 0o750);
    assert.deepEqual(readdirSync(join(d, 'a', 'b')), ['trace.json']);
  });

  it('applies the mode exactly, whatever the umask', () => {
    const d = freshDir();
    const old = process.umask(0o077);
    try {
      writeFileAtomic(join(d, 'x', 'f'), 'x', { mode: 0o644, dirMode: 0o755 });
    } finally {
      process.umask(old);
    }
    assert.equal(modeOf(join(d, 'x', 'f')), 0o644);
    assert.equal(modeOf(join(d, 'x')), 0o755);
  });

  it('leaves existing directories alone', () => {
    const d = freshDir();
    const sub = join(d, 'open');
    mkdirSync(sub, { mode: 0o755 });
    writeFileAtomic(join(sub, 'f'), 'x');
    assert.equal(modeOf(sub), 0o755);
  });

  it('replaces an existing file and writes bytes', () => {
    const d = freshDir();
    const target = join(d, 'f.bin');
    writeFileSync(target, 'old');
    writeFileAtomic(target, Uint8Array.from([1, 2, 3]));
    assert.deepEqual([...readFileSync(target)], [1, 2, 3]);
    assert.deepEqual(readdirSync(d), ['f.bin']);
  });

  it('fails with storage_io when the parent path is a file, leaving nothing behind', () => {
    const d = freshDir();
    writeFileSync(join(d, 'blocker'), 'x');
    const target = join(d, 'blocker', 'trace.json');
    const err = caught(() => writeFileAtomic(target, '{}'));
    assert.equal(err.code, 'storage_io');
    assert.equal(err.category, 'io_failure');
    assert.equal(err.message, `cannot write \`${target}\`: a parent path component is not a directory`);
    assert.deepEqual(readdirSync(d), ['blocker']);
  });

  it('removes the temp file when the final rename fails', () => {
    const d = freshDir();
    const target = join(d, 'taken');
    mkdirSync(target);
    writeFileSync(join(target, 'inner'), 'x');
    const err = caught(() => writeFileAtomic(target, '{}'));
    assert.equal(err.code, 'storage_io');
    assert.match(err.message, /^cannot write `.*taken`: /);
    assert.deepEqual(readdirSync(d), ['taken']);
  });

  it('exclusive: creates a new file, refuses an existing one', () => {
    const d = freshDir();
    const target = join(d, 'once');
    writeFileAtomic(target, 'first', { exclusive: true });
    const err = caught(() => writeFileAtomic(target, 'second', { exclusive: true }));
    assert.equal(err.code, 'storage_io');
    assert.equal(err.details['exists'], true);
    assert.equal(err.message, `cannot write \`${target}\`: file already exists`);
    assert.equal(readFileSync(target, 'utf8'), 'first');
    assert.deepEqual(readdirSync(d), ['once']);
  });
});

describe('createFileExclusive()', () => {
  it('throws storage_key_exists for an existing file and keeps its contents', () => {
    const d = freshDir();
    const target = join(d, 'k');
    createFileExclusive(target, 'one');
    assert.equal(modeOf(target), 0o600);
    const err = caught(() => createFileExclusive(target, 'two'));
    assert.equal(err.code, 'storage_key_exists');
    assert.equal(err.message, `file already exists: \`${target}\``);
    assert.equal(readFileSync(target, 'utf8'), 'one');
    assert.deepEqual(readdirSync(d), ['k']);
  });
});

describe('ensureDir()', () => {
  it('creates each missing level with the given mode', () => {
    const d = freshDir();
    ensureDir(join(d, 'p', 'q'), 0o700);
    assert.equal(modeOf(join(d, 'p')), 0o700);
    assert.equal(modeOf(join(d, 'p', 'q')), 0o700);
  });
});

describe('assertSafeRelativePath()', () => {
  it('rejects a relative path with a `..` segment', () => {
    for (const p of ['../trace.json', 'out/../../x.json', 'a/..', '..']) {
      const err = caught(() => assertSafeRelativePath(p, 'trace'));
      assert.equal(err.code, 'input_path');
      assert.equal(err.message, 'relative trace path must not traverse parent directories');
    }
    assert.throws(() => assertSafeRelativePath('../a', 'audit'), {
      message: 'relative audit path must not traverse parent directories',
    });
  });

  it('accepts absolute paths and names that only contain dots', () => {
    for (const p of ['/tmp/../x.json', 'trace.json', 'out/..x/a', '...', 'a/.../b', 'a\\..\\b']) {
      assert.doesNotThrow(() => assertSafeRelativePath(p, 'trace'), p);
    }
  });
});
