/** Artifact retention (mcp-and-export.md §5.6 "Retention"): age, count, total size; class matching; warnings. */
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RetentionClass, retentionMatches, retentionWarning } from '../../../src/storage/retention.js';

const root = mkdtempSync(join(tmpdir(), 'gait-retention-'));
after(() => rmSync(root, { recursive: true, force: true }));

const NOW = Date.UTC(2026, 1, 5);

function dirWith(name: string, files: Record<string, number>): string {
  const dir = join(root, name);
  mkdirSync(dir);
  for (const [file, ageSeconds] of Object.entries(files)) {
    writeFileSync(join(dir, file), 'x'.repeat(10));
    const t = new Date(NOW - ageSeconds * 1000);
    utimesSync(join(dir, file), t, t);
  }
  return dir;
}

describe('retentionMatches()', () => {
  it('matches the §5.6 name patterns, case-insensitively', () => {
    assert.equal(retentionMatches('trace', 'TRACE_run_1.JSON'), true);
    assert.equal(retentionMatches('trace', 'run_1.json'), false);
    assert.equal(retentionMatches('trace', 'trace_run_1.json.tmp'), false);
    assert.equal(retentionMatches('runpack', 'runpack_a.zip'), true);
    assert.equal(retentionMatches('runpack', 'sess_cp_000004.zip'), true);
    assert.equal(retentionMatches('runpack', 'pack_a.zip'), false);
    assert.equal(retentionMatches('pack', 'pack_a.zip'), true);
    assert.equal(retentionMatches('session', 'a.journal.jsonl'), true);
    assert.equal(retentionMatches('session', 'a.state'), true);
    assert.equal(retentionMatches('session', 'a.zip'), false);
  });
});

describe('RetentionClass.apply()', () => {
  it('removes files older than max-age', async () => {
    const dir = dirWith('age', { 'trace_old.json': 7200, 'trace_new.json': 60, 'notes.txt': 99999 });
    const cls = new RetentionClass('trace', dir, { maxAgeMs: 3600_000, maxCount: 0, maxBytes: 0 }, { nowMs: () => NOW });
    const outcome = await cls.apply();
    assert.deepEqual(outcome, { removedAge: 1, removedCount: 0, removedBytes: 0, error: '' });
    assert.deepEqual(readdirSync(dir).sort(), ['notes.txt', 'trace_new.json']);
    assert.equal(retentionWarning(cls, outcome), 'retention_trace_removed_age=1 removed_count=0');
  });

  it('keeps the newest max-count by mtime; ties keep the larger path', async () => {
    const dir = dirWith('count', { 'trace_a.json': 30, 'trace_b.json': 20, 'trace_c.json': 20, 'trace_d.json': 10 });
    const cls = new RetentionClass('trace', dir, { maxAgeMs: 0, maxCount: 2, maxBytes: 0 }, { nowMs: () => NOW });
    const outcome = await cls.apply();
    assert.equal(outcome.removedCount, 2);
    assert.deepEqual(readdirSync(dir).sort(), ['trace_c.json', 'trace_d.json']);
    assert.equal(retentionWarning(cls, await cls.apply()), undefined, 'nothing more to remove');
  });

  it('tracks files written after the scan without listing the directory again', async () => {
    const dir = dirWith('tracked', { 'trace_1.json': 100 });
    let now = NOW;
    const cls = new RetentionClass('trace', dir, { maxAgeMs: 0, maxCount: 2, maxBytes: 0 }, { nowMs: () => now, rescanMs: 1e12 });
    await cls.apply();
    for (const n of [2, 3, 4]) {
      now += 1000;
      writeFileSync(join(dir, `trace_${n}.json`), 'x');
      cls.noteWritten(join(dir, `trace_${n}.json`), 1);
      await cls.apply();
    }
    assert.deepEqual(readdirSync(dir).sort(), ['trace_3.json', 'trace_4.json']);
  });

  it('keeps the newest files whose total size fits max-bytes (extension)', async () => {
    const dir = dirWith('bytes', { 'trace_a.json': 30, 'trace_b.json': 20, 'trace_c.json': 10 });
    const cls = new RetentionClass('trace', dir, { maxAgeMs: 0, maxCount: 0, maxBytes: 25 }, { nowMs: () => NOW });
    const outcome = await cls.apply();
    assert.equal(outcome.removedBytes, 1);
    assert.equal(existsSync(join(dir, 'trace_a.json')), false);
    assert.equal(retentionWarning(cls, outcome), 'retention_trace_removed_age=0 removed_count=0 removed_bytes=1');
  });

  it('reports a directory it cannot list as retention_<class>_error', async () => {
    const cls = new RetentionClass('pack', join(root, 'missing'), { maxAgeMs: 1, maxCount: 0, maxBytes: 0 });
    const outcome = await cls.apply();
    assert.equal(outcome.error, 'no such file');
    assert.equal(retentionWarning(cls, outcome), 'retention_pack_error=no such file');
  });

  it('does nothing without limits', async () => {
    const dir = dirWith('off', { 'trace_a.json': 1e6 });
    const cls = new RetentionClass('trace', dir, { maxAgeMs: 0, maxCount: 0, maxBytes: 0 });
    assert.equal(cls.enabled, false);
    assert.deepEqual(await cls.apply(), { removedAge: 0, removedCount: 0, removedBytes: 0, error: '' });
    assert.deepEqual(readdirSync(dir), ['trace_a.json']);
  });
});

describe('RetentionClass.applyInBackground()', () => {
  it('reports the counts at once, unlinks in the background, and a failure on the next call', async () => {
    const dir = dirWith('background', { 'trace_a.json': 30, 'trace_b.json': 20, 'trace_c.json': 10 });
    const cls = new RetentionClass('trace', dir, { maxAgeMs: 0, maxCount: 1, maxBytes: 0 }, { nowMs: () => NOW, rescanMs: 1e12 });
    cls.prime();
    assert.deepEqual(cls.applyInBackground(), { removedAge: 0, removedCount: 2, removedBytes: 0, error: '' });
    await new Promise((r) => setTimeout(r, 50));
    assert.deepEqual(readdirSync(dir), ['trace_c.json']);
    // A tracked file whose directory entry cannot be removed (here: a directory named like a trace).
    mkdirSync(join(dir, 'trace_z.json'));
    cls.noteWritten(join(dir, 'trace_z.json'), 1);
    cls.noteWritten(join(dir, 'trace_zz.json'), 1);
    assert.equal(cls.applyInBackground().removedCount, 2);
    await new Promise((r) => setTimeout(r, 50));
    assert.match(cls.applyInBackground().error, /^(is a directory|permission denied|i\/o error \(\w+\))$/);
  });
});

describe('RetentionClass: a file written again after it was chosen for removal', () => {
  it('is taken back out of the pending removals and stays on disk', async () => {
    const dir = dirWith('rewritten', { 'a.journal.jsonl': 30, 'b.journal.jsonl': 20 });
    const cls = new RetentionClass('session', dir, { maxAgeMs: 0, maxCount: 1, maxBytes: 0 }, { nowMs: () => NOW, rescanMs: 1e12 });
    cls.prime();
    assert.equal(cls.applyInBackground().removedCount, 1, 'a.journal.jsonl, the oldest, is chosen');
    // A request appends to it before the batched unlink runs.
    cls.noteWritten(join(dir, 'a.journal.jsonl'), 31);
    await cls.flushRemovals();
    assert.deepEqual(readdirSync(dir).sort(), ['a.journal.jsonl', 'b.journal.jsonl']);
  });
});
