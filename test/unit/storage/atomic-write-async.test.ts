/** Asynchronous atomic writes (artifacts.md §1.5): exact mode, whole content, no temp files left, coded errors. */
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GaitError } from '../../../src/errors/error.js';
import { DirectorySyncer, writeFileAtomicAsync } from '../../../src/storage/atomic-write-async.js';

const root = mkdtempSync(join(tmpdir(), 'gait-awa-'));
after(() => rmSync(root, { recursive: true, force: true }));

describe('writeFileAtomicAsync()', () => {
  it('writes the whole content with mode 0600 and leaves no temp file', async () => {
    const syncer = new DirectorySyncer();
    const path = join(root, 'a.json');
    await writeFileAtomicAsync(path, 'é'.repeat(70_000), { syncer });
    assert.equal(readFileSync(path, 'utf8'), 'é'.repeat(70_000));
    assert.equal(statSync(path).mode & 0o777, 0o600);
    await writeFileAtomicAsync(path, new Uint8Array([1, 2, 3]), { syncer, mode: 0o640 });
    assert.deepEqual([...readFileSync(path)], [1, 2, 3]);
    assert.deepEqual(readdirSync(root), ['a.json']);
    await syncer.close();
  });

  it('many concurrent writers share directory fsyncs and all complete', async () => {
    const syncer = new DirectorySyncer();
    const dir = mkdtempSync(join(root, 'many-'));
    await Promise.all(Array.from({ length: 40 }, (_, i) => writeFileAtomicAsync(join(dir, `t${i}.json`), `${i}`, { syncer })));
    assert.equal(readdirSync(dir).length, 40);
    assert.equal(readFileSync(join(dir, 't39.json'), 'utf8'), '39');
    await syncer.close();
  });

  it('fails with storage_io naming the path when the directory is missing or not a directory', async () => {
    await assert.rejects(writeFileAtomicAsync(join(root, 'missing', 'x.json'), 'x'), (err: unknown) => {
      assert.ok(err instanceof GaitError);
      assert.equal(err.code, 'storage_io');
      assert.equal(err.message, `cannot write \`${join(root, 'missing', 'x.json')}\`: no such file`);
      return true;
    });
    writeFileSync(join(root, 'file'), '');
    await assert.rejects(writeFileAtomicAsync(join(root, 'file', 'x.json'), 'x'), (err: unknown) => err instanceof GaitError && err.code === 'storage_io');
  });
});
