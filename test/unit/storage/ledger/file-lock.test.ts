/**
 * The asynchronous lock of long-running services (`acquireFileLock`): it waits with timers (the event
 * loop keeps running), gives up with `storage_contention`, breaks a stale lock, refreshes its mtime
 * and releases only its own lock file.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { isGaitError } from '../../../../src/errors/error.js';
import { acquireFileLock, withFileLock } from '../../../../src/storage/ledger/file-lock.js';

const root = mkdtempSync(join(tmpdir(), 'gait-lock-'));
after(() => rmSync(root, { recursive: true, force: true }));
let n = 0;
function lockPath(): string {
  n += 1;
  return join(root, `f${String(n)}.lock`);
}

describe('acquireFileLock()', () => {
  it('creates the lock with this pid and removes it on release', async () => {
    const path = lockPath();
    const lock = await acquireFileLock(path);
    assert.equal((JSON.parse(readFileSync(path, 'utf8')) as { pid: number }).pid, process.pid);
    lock.release();
    lock.release();
    assert.equal(existsSync(path), false);
  });

  it('waits for a busy lock without blocking the event loop, then takes it', async () => {
    const path = lockPath();
    writeFileSync(path, '{"pid":1}\n');
    let ticks = 0;
    const ticker = setInterval(() => (ticks += 1), 5);
    setTimeout(() => rmSync(path), 60);
    const lock = await acquireFileLock(path, { retryMs: 10, timeoutMs: 5000 });
    clearInterval(ticker);
    assert.ok(ticks >= 3, `timers ran while waiting (${String(ticks)} ticks)`);
    assert.equal((JSON.parse(readFileSync(path, 'utf8')) as { pid: number }).pid, process.pid);
    lock.release();
  });

  it('gives up with storage_contention naming the holder', async () => {
    const path = lockPath();
    writeFileSync(path, '{"pid":4242}\n');
    await assert.rejects(acquireFileLock(path, { retryMs: 10, timeoutMs: 40 }), (err: unknown) => {
      assert.ok(isGaitError(err, 'storage_contention'));
      assert.equal(err.message, `cannot lock \`${path}\`: lock is busy (held by pid 4242)`);
      return true;
    });
    assert.equal(readFileSync(path, 'utf8'), '{"pid":4242}\n', 'a busy lock is left alone');
  });

  it('breaks a stale lock', async () => {
    const path = lockPath();
    writeFileSync(path, '{"pid":4242}\n');
    const old = new Date(Date.now() - 10_000);
    utimesSync(path, old, old);
    const lock = await acquireFileLock(path, { staleMs: 5000, timeoutMs: 100 });
    assert.equal((JSON.parse(readFileSync(path, 'utf8')) as { pid: number }).pid, process.pid);
    lock.release();
  });

  it('refresh() sets the mtime to now, so the lock does not look stale to others', async () => {
    const path = lockPath();
    const lock = await acquireFileLock(path);
    const old = new Date(Date.now() - 10_000);
    utimesSync(path, old, old);
    assert.equal(lock.refresh(), true);
    assert.ok(Date.now() - statSync(path).mtimeMs < 5000);
    assert.throws(
      () => withFileLock(path, () => 'taken', { staleMs: 5000, timeoutMs: 30, retryMs: 10 }),
      (err: unknown) => isGaitError(err, 'storage_contention'),
    );
    lock.release();
  });

  it('refresh() reports a lock that is no longer ours, and release leaves the new holder alone', async () => {
    const path = lockPath();
    const lock = await acquireFileLock(path);
    rmSync(path);
    writeFileSync(path, '{"pid":4242}\n');
    assert.equal(lock.refresh(), false);
    lock.release();
    assert.equal(readFileSync(path, 'utf8'), '{"pid":4242}\n');
  });
});
