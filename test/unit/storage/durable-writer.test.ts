import assert from 'node:assert/strict';
import { closeSync, mkdirSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync, statSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { GaitError } from '../../../src/errors/index.js';
import { DurableWriter } from '../../../src/storage/durable-writer.js';
import type { SyncMode } from '../../../src/storage/durable-writer.js';

const root = mkdtempSync(join(tmpdir(), 'gait-durable-'));
after(() => rmSync(root, { recursive: true, force: true }));

function freshDir(name: string): string {
  const dir = join(root, name);
  mkdirSync(dir);
  return dir;
}

describe('DurableWriter', () => {
  for (const mode of ['always', 'batched', 'never'] as const satisfies readonly SyncMode[]) {
    it(`${mode}: the whole file is at its path with mode 0600 when the write resolves, no temp file left`, async () => {
      const dir = freshDir(`mode-${mode}`);
      const writer = new DurableWriter({ mode, intervalMs: 60_000 });
      const old = process.umask(0o077);
      try {
        await writer.write(join(dir, 'trace_a.json'), '{"a":1}\n', 0o640);
      } finally {
        process.umask(old);
      }
      assert.equal(readFileSync(join(dir, 'trace_a.json'), 'utf8'), '{"a":1}\n');
      assert.equal(statSync(join(dir, 'trace_a.json')).mode & 0o777, 0o640);
      assert.deepEqual(readdirSync(dir), ['trace_a.json']);
      assert.equal(writer.stats().pending, mode === 'batched' ? 1 : 0);
      await writer.close();
      assert.deepEqual(writer.stats(), { pending: 0, syncFailures: 0 });
    });
  }

  it('batched: one flush syncs every pending file, and a failed fsync is counted and reported, not thrown', async () => {
    const dir = freshDir('batched-fail');
    const failures: string[] = [];
    let calls = 0;
    const writer = new DurableWriter({
      mode: 'batched',
      intervalMs: 60_000,
      onSyncError: (path, message) => failures.push(`${path}: ${message}`),
      fsync: (fd) => {
        calls += 1;
        return calls === 2 ? Promise.reject(Object.assign(new Error('EIO: i/o error'), { code: 'EIO' })) : Promise.resolve(void fd);
      },
    });
    await writer.write(join(dir, 'one.json'), '1');
    await writer.write(join(dir, 'two.json'), '2');
    await writer.write(join(dir, 'three.json'), '3');
    assert.equal(writer.stats().pending, 3);
    await writer.flush();
    assert.equal(calls, 3);
    assert.deepEqual(writer.stats(), { pending: 0, syncFailures: 1 });
    assert.equal(failures.length, 1);
    assert.match(failures[0] ?? '', /two\.json: /);
    assert.deepEqual(readdirSync(dir).sort(), ['one.json', 'three.json', 'two.json']);
    await writer.close();
  });

  it('batched: the interval timer flushes on its own', async () => {
    const dir = freshDir('batched-timer');
    let synced = 0;
    const writer = new DurableWriter({ mode: 'batched', intervalMs: 5, fsync: () => Promise.resolve(void (synced += 1)) });
    await writer.write(join(dir, 'x.json'), 'x');
    await new Promise((r) => setTimeout(r, 60));
    assert.equal(synced, 1);
    assert.equal(writer.stats().pending, 0);
    await writer.close();
  });

  for (const mode of ['always', 'batched', 'never'] as const) {
    it(`${mode}: a missing directory is storage_io naming the path, nothing pending`, async () => {
      const writer = new DurableWriter({ mode });
      const target = join(root, 'no-such-dir', 'trace.json');
      await assert.rejects(writer.write(target, 'x'), (err: unknown) => {
        assert.ok(err instanceof GaitError);
        assert.equal(err.code, 'storage_io');
        assert.equal(err.message, `cannot write \`${target}\`: no such file`);
        return true;
      });
      assert.equal(writer.stats().pending, 0);
      await writer.close();
    });
  }

  it('refuses a non-positive interval', () => {
    assert.throws(() => new DurableWriter({ mode: 'batched', intervalMs: 0 }), /sync interval must be a positive number of milliseconds, got 0/);
  });
});

describe('DurableWriter bounds', () => {
  it('batched: at maxOpen held files a write waits for the flush, so descriptors stay bounded', async () => {
    const dir = join(root, 'bounded');
    mkdirSync(dir);
    let synced = 0;
    const writer = new DurableWriter({ mode: 'batched', intervalMs: 60_000, maxOpen: 3, fsync: () => Promise.resolve(void (synced += 1)) });
    await writer.write(join(dir, 'a.json'), 'a');
    await writer.write(join(dir, 'b.json'), 'b');
    assert.deepEqual([synced, writer.stats().pending], [0, 2]);
    await writer.write(join(dir, 'c.json'), 'c');
    assert.deepEqual([synced, writer.stats().pending], [3, 0]);
    await writer.close();
  });
});

describe('DurableWriter.syncAppend() (long-lived descriptors)', () => {
  /** A writer whose fsync records the descriptors it syncs; `gate` holds every fsync until released. */
  function recording(mode: SyncMode, gated = false): { writer: DurableWriter; synced: number[]; open: () => void } {
    const synced: number[] = [];
    let release: () => void = () => undefined;
    let gate = gated ? new Promise<void>((r) => (release = r)) : Promise.resolve();
    const writer = new DurableWriter({
      mode,
      intervalMs: 60_000,
      fsync: async (fd) => {
        await gate;
        synced.push(fd);
      },
    });
    return {
      writer,
      synced,
      open: () => {
        release();
        gate = Promise.resolve();
      },
    };
  }

  function appendFd(name: string): { fd: number; path: string } {
    const path = join(freshDir(`append-${name}`), 'log.jsonl');
    return { fd: openSync(path, 'a+', 0o600), path };
  }

  it('always: resolves after an fsync; appends arriving during a running fsync share the next one', async () => {
    const { writer, synced, open } = recording('always', true);
    const { fd, path } = appendFd('always');
    const first = writer.syncAppend(fd, path);
    const joined = [writer.syncAppend(fd, path), writer.syncAppend(fd, path), writer.syncAppend(fd, path)];
    open();
    await Promise.all([first, ...joined]);
    assert.deepEqual(synced, [fd, fd], 'one fsync for the first append, one shared by the three that came during it');
    await writer.releaseAppend(fd);
    closeSync(fd);
    await writer.close();
  });

  it('always: a failed fsync rejects with storage_io naming the path', async () => {
    const writer = new DurableWriter({ mode: 'always', fsync: () => Promise.reject(Object.assign(new Error('EIO: i/o error, fsync'), { code: 'EIO' })) });
    const { fd, path } = appendFd('always-fail');
    await assert.rejects(writer.syncAppend(fd, path), (err: unknown) => {
      assert.ok(err instanceof GaitError);
      assert.deepEqual([err.code, err.message], ['storage_io', `cannot write \`${path}\`: i/o error (EIO)`]);
      return true;
    });
    await writer.releaseAppend(fd);
    closeSync(fd);
    await writer.close();
  });

  it('batched: a descriptor appended to many times is fsynced once per flush and stays open', async () => {
    const { writer, synced } = recording('batched');
    const { fd, path } = appendFd('batched');
    for (let i = 0; i < 3; i++) {
      writeSync(fd, `{"i":${String(i)}}\n`);
      await writer.syncAppend(fd, path);
    }
    assert.deepEqual([synced.length, writer.stats().pending], [0, 1]);
    await writer.flush();
    assert.deepEqual([synced, writer.stats().pending], [[fd], 0]);
    writeSync(fd, '{"i":3}\n'); // still open: the flush did not close it
    await writer.syncAppend(fd, path);
    await writer.releaseAppend(fd);
    assert.deepEqual(synced, [fd, fd], 'release fsyncs what was appended since the flush');
    assert.equal(writer.stats().pending, 0);
    closeSync(fd);
    assert.equal(readFileSync(path, 'utf8'), '{"i":0}\n{"i":1}\n{"i":2}\n{"i":3}\n');
    await writer.close();
  });

  it('batched: release without a new append since the last flush does not fsync again', async () => {
    const { writer, synced } = recording('batched');
    const { fd, path } = appendFd('batched-clean');
    await writer.syncAppend(fd, path);
    await writer.flush();
    await writer.releaseAppend(fd);
    assert.deepEqual(synced, [fd]);
    closeSync(fd);
    await writer.close();
  });

  it('batched: a failed background fsync of an appended descriptor is counted and reported, not thrown', async () => {
    const failures: string[] = [];
    const writer = new DurableWriter({
      mode: 'batched',
      intervalMs: 60_000,
      onSyncError: (p, message) => failures.push(`${p}: ${message}`),
      fsync: () => Promise.reject(Object.assign(new Error('EIO: i/o error, fsync'), { code: 'EIO' })),
    });
    const { fd, path } = appendFd('batched-fail');
    await writer.syncAppend(fd, path);
    await writer.flush();
    assert.deepEqual([writer.stats(), failures], [{ pending: 0, syncFailures: 1 }, [`${path}: i/o error (EIO)`]]);
    await writer.releaseAppend(fd);
    closeSync(fd);
    await writer.close();
  });

  it('never: nothing is fsynced, not even at release', async () => {
    const { writer, synced } = recording('never');
    const { fd, path } = appendFd('never');
    await writer.syncAppend(fd, path);
    await writer.releaseAppend(fd);
    await writer.close();
    assert.deepEqual([synced, writer.stats().pending], [[], 0]);
    closeSync(fd);
  });
});
