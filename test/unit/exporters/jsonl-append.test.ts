/**
 * The §6.3 append discipline: one line per append, 0600, never truncated, a torn last line terminated
 * (and skipped by readers, never merged), lock contention bounded, rotation by size, and a disk that
 * fills (ENOSPC from an injected fs port) reported as `export_io` without losing earlier lines.
 */
import assert from 'node:assert/strict';
import { appendFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { DurableWriter } from '../../../src/storage/durable-writer.js';
import { nodeAppendFs } from '../../../src/exporters/fs-port.js';
import type { AppendFs } from '../../../src/exporters/fs-port.js';
import { appendJsonlLine, HeldJsonlFile } from '../../../src/exporters/jsonl-append.js';
import { createJsonlExporter } from '../../../src/exporters/jsonl-exporter.js';
import { parseJsonl, readJsonlFile } from '../../../src/exporters/jsonl-read.js';
import type { ExportWarning } from '../../../src/exporters/types.js';
import { decisionEvent } from './fixtures.js';

function tmp(): string {
  return mkdtempSync(join(tmpdir(), 'gait-jsonl-'));
}

/** An fs port whose writes fail with ENOSPC once `budget` bytes are written (a filling disk). */
function fillingDisk(budget: number): AppendFs {
  let left = budget;
  return {
    ...nodeAppendFs,
    writeSync(fd, buffer, offset, length) {
      if (left <= 0) throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
      const n = Math.min(length, left);
      left -= n;
      return nodeAppendFs.writeSync(fd, buffer, offset, n);
    },
  };
}

describe('appendJsonlLine()', () => {
  it('creates the file 0600 (and its directory) and appends one line per call', () => {
    const dir = tmp();
    const path = join(dir, 'sub/events.jsonl');
    assert.equal(appendJsonlLine(path, '{"a":1}').created, true);
    assert.equal(appendJsonlLine(path, '{"a":2}').created, false);
    assert.equal(readFileSync(path, 'utf8'), '{"a":1}\n{"a":2}\n');
    assert.equal(statSync(path).mode & 0o777, 0o600);
    assert.deepEqual(readdirSync(join(dir, 'sub')), ['events.jsonl'], 'the lock file is removed');
  });

  it('terminates a torn last line first and warns; readers skip the fragment', () => {
    const path = join(tmp(), 'e.jsonl');
    writeFileSync(path, '{"a":1}\n{"a":2,"b"');
    const result = appendJsonlLine(path, '{"a":3}');
    assert.deepEqual(result.warnings, ['export_partial_line_terminated']);
    assert.equal(readFileSync(path, 'utf8'), '{"a":1}\n{"a":2,"b"\n{"a":3}\n');
    assert.deepEqual(readJsonlFile(path), { records: [{ a: 1 }, { a: 3 }], skipped: 1 });
  });

  it('never joins an unterminated final line (a crash mid-write) with anything', () => {
    assert.deepEqual(parseJsonl('{"a":1}\n{"a":2}'), { records: [{ a: 1 }], skipped: 1 });
    assert.deepEqual(parseJsonl('[1]\nnot json\n\n{"ok":true}\n'), { records: [{ ok: true }], skipped: 2 });
  });

  it('refuses a line with a newline', () => {
    assert.throws(() => appendJsonlLine(join(tmp(), 'x.jsonl'), 'a\nb'), { code: 'internal_failure' });
  });

  it('gives up on a busy lock with storage_contention', () => {
    const path = join(tmp(), 'e.jsonl');
    writeFileSync(`${path}.lock`, '{"pid":1}\n');
    assert.throws(() => appendJsonlLine(path, '{}', { lockTimeoutMs: 50, lockRetryMs: 10 }), {
      code: 'storage_contention',
      message: /cannot lock .*e\.jsonl\.lock.*: lock is busy \(held by pid 1\)/,
    });
  });

  it('removes a stale lock', () => {
    const path = join(tmp(), 'e.jsonl');
    writeFileSync(`${path}.lock`, '{"pid":1}\n');
    appendJsonlLine(path, '{}', { lockStaleMs: 0 });
    assert.equal(readFileSync(path, 'utf8'), '{}\n');
  });

  it('rotates by size to <path>.<UTC stamp>, never overwriting, and keeps the newest k', () => {
    const dir = tmp();
    const path = join(dir, 'e.jsonl');
    const now = () => ({ seconds: 1_770_249_600, nanos: 5, offsetMinutes: 0 });
    const opts = { maxBytes: 20, maxFiles: 2, now };
    for (let i = 0; i < 5; i++) appendJsonlLine(path, `{"i":${i},"pad":"x"}`, opts);
    const files = readdirSync(dir).sort();
    assert.deepEqual(files, ['e.jsonl', 'e.jsonl.20260205T000000.000000005Z-2', 'e.jsonl.20260205T000000.000000005Z-3']);
    assert.equal(readFileSync(path, 'utf8'), '{"i":4,"pad":"x"}\n');
  });

  it('reports a full disk as export_io and keeps the lines written before', () => {
    const path = join(tmp(), 'e.jsonl');
    appendJsonlLine(path, '{"a":1}');
    assert.throws(() => appendJsonlLine(path, '{"a":2,"long":"xxxxxxxxxxxxxxxx"}', { fs: fillingDisk(10) }), {
      code: 'export_io',
      message: /cannot append to `.*e\.jsonl`: no space left on device \(ENOSPC\)/,
    });
    // The torn fragment is terminated by the next append once space is back.
    const next = appendJsonlLine(path, '{"a":3}');
    assert.deepEqual(next.warnings, ['export_partial_line_terminated']);
    assert.deepEqual(readJsonlFile(path), { records: [{ a: 1 }, { a: 3 }], skipped: 1 });
  });
});

describe('createJsonlExporter()', () => {
  it('writes one §6.1 or §6.2 line per event and counts', () => {
    const dir = tmp();
    const { event } = decisionEvent();
    const log = createJsonlExporter({ path: join(dir, 'log.jsonl'), format: 'log' });
    const otel = createJsonlExporter({ path: join(dir, 'otel.jsonl'), format: 'otel' });
    assert.equal(log.export(event).status, 'written');
    assert.equal(otel.export(event).status, 'written');
    assert.deepEqual(log.stats(), { exported: 1, failed: 0, dropped: 0, queued: 0, retries: 0, lastError: '' });
    const logLine = readJsonlFile(join(dir, 'log.jsonl')).records[0];
    assert.equal(logLine?.['trace_digest'], event.traceDigest);
    const otelLine = readFileSync(join(dir, 'otel.jsonl'), 'utf8');
    assert.ok(otelLine.includes('"time_unix_nano":315532800000000000,'));
  });

  it('on a full disk: the event fails, is counted and warned, export() does not throw', () => {
    const dir = tmp();
    const { event } = decisionEvent();
    const warnings: ExportWarning[] = [];
    const log = createJsonlExporter({ path: join(dir, 'log.jsonl'), format: 'log', fs: fillingDisk(0), onWarning: (w) => warnings.push(w) });
    const outcome = log.export(event);
    assert.equal(outcome.status, 'failed');
    assert.match(outcome.status === 'failed' ? outcome.error : '', /no space left on device \(ENOSPC\)/);
    assert.equal(log.stats().failed, 1);
    assert.equal(warnings.length, 1);
    assert.equal(warnings[0]?.kind, 'export_failed');
    assert.match(warnings[0]?.message ?? '', /^export_failed=log: cannot append to/);
  });

  it('refuses events after close', async () => {
    const log = createJsonlExporter({ path: join(tmp(), 'l.jsonl'), format: 'log' });
    await log.close();
    assert.deepEqual(log.export(decisionEvent().event), { status: 'failed', error: 'exporter closed', warnings: [] });
  });

  it('appends to a file another writer also appends to', () => {
    const path = join(tmp(), 'shared.jsonl');
    const log = createJsonlExporter({ path, format: 'log' });
    const { event } = decisionEvent();
    log.export(event);
    appendFileSync(path, '{"other":true}\n');
    log.export(event);
    assert.equal(readJsonlFile(path).records.length, 3);
  });
});

describe('HeldJsonlFile (a service holding the lock)', () => {
  const open: { close: () => Promise<void> }[] = [];
  after(async () => {
    for (const o of open) await o.close();
  });

  function held(path: string, over: Partial<ConstructorParameters<typeof HeldJsonlFile>[1]> = {}): { file: HeldJsonlFile; fsyncs: number[] } {
    const fsyncs: number[] = [];
    const writer = new DurableWriter({ mode: 'batched', intervalMs: 60_000, fsync: (fd) => Promise.resolve(void fsyncs.push(fd)) });
    const file = new HeldJsonlFile(path, { writer, idleMs: 60_000, ...over });
    open.push({ close: async () => (await file.close(), await writer.close()) });
    return { file, fsyncs };
  }

  it('keeps the lock while lines come, one write each; close() fsyncs once and releases', async () => {
    const dir = tmp();
    const path = join(dir, 'sub/events.jsonl');
    const { file, fsyncs } = held(path);
    assert.equal((await file.append('{"a":1}')).created, true);
    assert.equal(file.appendNow('{"a":2}')?.created, false);
    assert.equal((await file.append('{"a":3}')).created, false);
    assert.equal(existsSync(`${path}.lock`), true);
    assert.equal(fsyncs.length, 0, 'batched: the fsync waits for the flush');
    await file.close();
    assert.deepEqual([fsyncs.length, readFileSync(path, 'utf8')], [1, '{"a":1}\n{"a":2}\n{"a":3}\n']);
    assert.equal(statSync(path).mode & 0o777, 0o600);
    assert.deepEqual(readdirSync(join(dir, 'sub')), ['events.jsonl'], 'the lock file is removed');
    await assert.rejects(file.append('{}'), { code: 'internal_failure' });
  });

  it('terminates a torn last line when the lock is taken and warns once', async () => {
    const path = join(tmp(), 'e.jsonl');
    writeFileSync(path, '{"a":1}\n{"a":2,"b"');
    const { file } = held(path);
    assert.deepEqual((await file.append('{"a":3}')).warnings, ['export_partial_line_terminated']);
    assert.deepEqual(file.appendNow('{"a":4}')?.warnings, []);
    assert.deepEqual(readJsonlFile(path), { records: [{ a: 1 }, { a: 3 }, { a: 4 }], skipped: 1 });
  });

  it('appendNow() does not wait: undefined while another process holds the lock, append() waits for it', async () => {
    const path = join(tmp(), 'e.jsonl');
    writeFileSync(`${path}.lock`, '{"pid":1}\n');
    const { file } = held(path, { lockRetryMs: 10 });
    assert.equal(file.appendNow('{"a":1}'), undefined);
    const waiting = file.append('{"a":1}');
    assert.equal(file.pending, 1);
    setTimeout(() => rmSync(`${path}.lock`), 30);
    assert.deepEqual((await waiting).warnings, []);
    assert.equal(readFileSync(path, 'utf8'), '{"a":1}\n');
  });

  it('rotates by size under the held lock and goes on in the new file', async () => {
    const dir = tmp();
    const path = join(dir, 'e.jsonl');
    const now = () => ({ seconds: 1_770_249_600, nanos: 5, offsetMinutes: 0 });
    const { file } = held(path, { maxBytes: 20, maxFiles: 2, now });
    const rotated: (string | undefined)[] = [];
    for (let i = 0; i < 5; i++) rotated.push((await file.append(`{"i":${i},"pad":"x"}`)).rotatedTo);
    assert.deepEqual(
      rotated.map((r) => r?.slice(dir.length + 1)),
      [undefined, 'e.jsonl.20260205T000000.000000005Z', 'e.jsonl.20260205T000000.000000005Z-1', 'e.jsonl.20260205T000000.000000005Z-2', 'e.jsonl.20260205T000000.000000005Z-3'],
    );
    assert.deepEqual(readdirSync(dir).sort(), ['e.jsonl', 'e.jsonl.20260205T000000.000000005Z-2', 'e.jsonl.20260205T000000.000000005Z-3', 'e.jsonl.lock']);
    assert.equal(readFileSync(path, 'utf8'), '{"i":4,"pad":"x"}\n');
    assert.equal(readFileSync(join(dir, 'e.jsonl.20260205T000000.000000005Z-3'), 'utf8'), '{"i":3,"pad":"x"}\n');
  });

  it('reports a full disk as export_io; the next line takes the lock again and terminates the fragment', async () => {
    const path = join(tmp(), 'e.jsonl');
    let full = false;
    const disk: AppendFs = {
      ...nodeAppendFs,
      writeSync(fd, buffer, offset, length) {
        if (!full) return nodeAppendFs.writeSync(fd, buffer, offset, length);
        full = false; // half the line fits, then space is back
        nodeAppendFs.writeSync(fd, buffer, offset, Math.floor(length / 2));
        throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
      },
    };
    const { file } = held(path, { fs: disk });
    await file.append('{"a":1}');
    full = true;
    await assert.rejects(file.append('{"a":2,"long":"xxxxxxxxxxxxxxxx"}'), {
      code: 'export_io',
      message: /cannot append to `.*e\.jsonl`: no space left on device \(ENOSPC\)/,
    });
    assert.deepEqual((await file.append('{"a":3}')).warnings, ['export_partial_line_terminated']);
    assert.deepEqual(readJsonlFile(path), { records: [{ a: 1 }, { a: 3 }], skipped: 1 });
  });
});

describe('createJsonlExporter({held})', () => {
  it('writes at once while the lock is free or held; queues behind another holder and writes in order', async () => {
    const path = join(tmp(), 'log.jsonl');
    const { event } = decisionEvent();
    const log = createJsonlExporter({ path, format: 'log', held: { sync: 'batched' }, lockRetryMs: 10 });
    assert.equal(log.export(event).status, 'written');
    assert.equal(log.export(event).status, 'written');
    await log.close();
    assert.equal(existsSync(`${path}.lock`), false);
    writeFileSync(`${path}.lock`, '{"pid":1}\n'); // another process
    const next = createJsonlExporter({ path, format: 'log', held: { sync: 'never' }, lockRetryMs: 10 });
    assert.deepEqual(next.export(event), { status: 'queued', warnings: [] });
    assert.equal(next.stats().queued, 1);
    rmSync(`${path}.lock`);
    await next.flush();
    assert.deepEqual(next.stats(), { exported: 1, failed: 0, dropped: 0, queued: 0, retries: 0, lastError: '' });
    await next.close();
    assert.equal(readJsonlFile(path).records.length, 3);
    assert.deepEqual(next.export(event), { status: 'failed', error: 'exporter closed', warnings: [] });
  });
  it('keeps at most maxQueued lines waiting for another holder: later events are dropped, counted and warned', async () => {
    const path = join(tmp(), 'log.jsonl');
    const { event } = decisionEvent();
    const warnings: ExportWarning[] = [];
    writeFileSync(`${path}.lock`, '{"pid":1}\n'); // another process
    const log = createJsonlExporter({ path, format: 'log', name: 'log', held: { sync: 'never', maxQueued: 3 }, lockRetryMs: 10, onWarning: (w) => warnings.push(w) });
    const statuses = Array.from({ length: 5 }, () => log.export(event).status);
    assert.deepEqual(statuses, ['queued', 'queued', 'queued', 'dropped', 'dropped']);
    assert.deepEqual(log.stats(), { exported: 0, failed: 0, dropped: 2, queued: 3, retries: 0, lastError: '' });
    assert.deepEqual(
      warnings.map((w) => `${w.kind} ${w.message}`),
      [1, 2].map(() => `export_dropped export_dropped=log: 3 lines wait for the lock of \`${path}\``),
    );
    rmSync(`${path}.lock`);
    await log.flush();
    assert.deepEqual(log.stats(), { exported: 3, failed: 0, dropped: 2, queued: 0, retries: 0, lastError: '' });
    assert.equal(log.export(event).status, 'written', 'the buffer has room again');
    await log.close();
    assert.equal(readJsonlFile(path).records.length, 4);
  });
});
