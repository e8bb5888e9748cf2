/**
 * Held session journals (`SessionJournals`, `held-append.ts`; ADR 0012 "Journals and exports"): the
 * same journal bytes as the one-shot append, consecutive sequences for concurrent appends, the lock
 * kept while busy (its mtime refreshed) and released when idle or closed with the state file written,
 * a torn last line terminated once per hold, a journal removed at its path, durability through the
 * writer, and two processes sharing one journal.
 */
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { appendFileSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isGaitError } from '../../../src/errors/error.js';
import { DurableWriter } from '../../../src/storage/durable-writer.js';
import type { SyncMode } from '../../../src/storage/durable-writer.js';
import { withFileLock } from '../../../src/storage/ledger/file-lock.js';
import { appendSessionEvent, readSessionJournalFile } from '../../../src/storage/session-journal.js';
import { appended, DEMO_JOURNAL as JOURNAL, demoAppendOptions as options, eventInput as input, steppingClock, tempDirs } from '../../helpers/session-journal-fixture.js';
import type { SessionAppendOptions, SessionAppendResult } from '../../../src/storage/session-journal.js';
import { SessionJournals } from '../../../src/storage/session-journals.js';
import type { SessionJournalsOptions } from '../../../src/storage/session-journals.js';

const freshDir = tempDirs('gait-held-session-');

interface Rig {
  readonly writer: DurableWriter;
  readonly journals: SessionJournals;
  readonly fsyncs: number[];
  readonly close: () => Promise<void>;
}

const rigs: Rig[] = [];
after(async () => {
  for (const r of rigs) await r.close();
});

function rig(mode: SyncMode = 'batched', over: Partial<SessionJournalsOptions> = {}, fsync?: (fd: number) => Promise<void>): Rig {
  const fsyncs: number[] = [];
  const writer = new DurableWriter({
    mode,
    intervalMs: 60_000,
    fsync: (fd) => {
      fsyncs.push(fd);
      return fsync === undefined ? Promise.resolve() : fsync(fd);
    },
  });
  const journals = new SessionJournals({ writer, idleMs: 60_000, ...over });
  const r = {
    writer,
    journals,
    fsyncs,
    close: async () => {
      await journals.close();
      await writer.close();
    },
  };
  rigs.push(r);
  return r;
}

function pause(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

async function until(what: string, check: () => boolean): Promise<void> {
  for (let i = 0; i < 1000 && !check(); i++) await pause(5);
  assert.ok(check(), what);
}

function state(cwd: string): Record<string, unknown> {
  return JSON.parse(readFileSync(join(cwd, `${JOURNAL}.state.json`), 'utf8')) as Record<string, unknown>;
}

describe('SessionJournals', () => {
  it('writes the same journal bytes as the one-shot append', async () => {
    const held = freshDir();
    const oneShot = freshDir();
    const { journals } = rig();
    const heldClock = steppingClock();
    const oneShotClock = steppingClock();
    for (const id of ['t1', 't2', 't3']) {
      appended(await journals.append(options(held, { clock: heldClock, event: input(id) })));
      appended(appendSessionEvent(options(oneShot, { clock: oneShotClock, event: input(id) })));
    }
    assert.equal(readFileSync(join(held, JOURNAL), 'utf8'), readFileSync(join(oneShot, JOURNAL), 'utf8'));
    assert.equal(statSync(join(held, JOURNAL)).mode & 0o777, 0o600);
  });

  it('gives 200 concurrent appends of one session the sequences 1..200 in call order, no gap', async () => {
    const cwd = freshDir();
    const { journals } = rig();
    const results = await Promise.all(Array.from({ length: 200 }, (_, i) => journals.append(options(cwd, { event: input(`t${String(i + 1)}`) }))));
    assert.deepEqual(
      results.map((r) => appended(r).sequence),
      Array.from({ length: 200 }, (_, i) => i + 1),
    );
    const journal = readSessionJournalFile(join(cwd, JOURNAL)).journal;
    assert.deepEqual(
      journal?.events.map((e) => `${String(e.sequence)}:${e.traceId}`),
      Array.from({ length: 200 }, (_, i) => `${String(i + 1)}:t${String(i + 1)}`),
    );
    assert.equal(journal?.skippedLines, 0);
  });

  it('holds the lock while busy and releases it when idle, writing the state that describes the journal', async () => {
    const cwd = freshDir();
    const { journals } = rig('batched', { idleMs: 50 });
    appended(await journals.append(options(cwd)));
    appended(await journals.append(options(cwd, { event: input('t2') })));
    const lock = join(cwd, `${JOURNAL}.lock`);
    assert.equal(existsSync(lock), true, 'held after the append');
    assert.equal(existsSync(`${join(cwd, JOURNAL)}.state.json`), false, 'no state file per append');
    await until('the hold ends when idle', () => journals.heldJournals().length === 0);
    assert.equal(existsSync(lock), false);
    const s = state(cwd);
    assert.deepEqual([s['last_sequence'], s['next_sequence'], s['journal_size_bytes']], [2, 3, statSync(join(cwd, JOURNAL)).size]);
    // The one-shot append trusts that state (it describes the journal) and continues the sequence.
    assert.equal(appended(appendSessionEvent(options(cwd, { event: input('t3') }))).sequence, 3);
    assert.equal(appended(await journals.append(options(cwd, { event: input('t4') }))).sequence, 4);
  });

  it('refreshes the lock mtime while held, so a stale-looking lock is not broken by others', async () => {
    const cwd = freshDir();
    const lockOptions = { retryMs: 10, timeoutMs: 30_000, staleMs: 200 };
    const { journals } = rig('batched', { idleMs: 60_000, refreshMs: 40, lock: lockOptions });
    appended(await journals.append(options(cwd)));
    await pause(500);
    const lock = join(cwd, `${JOURNAL}.lock`);
    assert.throws(
      () => withFileLock(lock, () => 'broken', { ...lockOptions, timeoutMs: 30 }),
      (err: unknown) => isGaitError(err, 'storage_contention'),
    );
    assert.equal((JSON.parse(readFileSync(lock, 'utf8')) as { pid: number }).pid, process.pid);
    assert.equal(appended(await journals.append(options(cwd, { event: input('t2') }))).sequence, 2);
  });

  it('a lock found not ours at a refresh ends the hold: the next append waits for the lock, the other lock stays', async () => {
    const cwd = freshDir();
    const { journals } = rig('batched', { refreshMs: 20 });
    appended(await journals.append(options(cwd)));
    const lock = join(cwd, `${JOURNAL}.lock`);
    renameSync(lock, `${lock}.aside`); // keeps the inode, so the new lock cannot reuse it
    writeFileSync(lock, '{"pid":4242}\n');
    await pause(100);
    const waiting = journals.append(options(cwd, { event: input('t2') }));
    await pause(60);
    assert.deepEqual(readSessionJournalFile(join(cwd, JOURNAL)).journal?.events.length, 1, 'nothing appended without the lock');
    assert.equal(readFileSync(lock, 'utf8'), '{"pid":4242}\n');
    rmSync(lock);
    assert.equal(appended(await waiting).sequence, 2);
  });

  it('after maxHoldMs the hold ends (state written) and is taken again', async () => {
    const cwd = freshDir();
    const { journals } = rig('batched', { maxHoldMs: 30 });
    appended(await journals.append(options(cwd)));
    await pause(60);
    appended(await journals.append(options(cwd, { event: input('t2') })));
    assert.equal(state(cwd)['last_sequence'], 1, 'written when the first hold ended');
    assert.equal(existsSync(join(cwd, `${JOURNAL}.lock`)), true, 'held again');
  });

  it('terminates a torn last line once when the lock is taken and warns on the first append only', async () => {
    const cwd = freshDir();
    appended(appendSessionEvent(options(cwd)));
    const journal = join(cwd, JOURNAL);
    appendFileSync(journal, '{"event":{"sequence":2,"sess'); // a crash in the middle of a write
    const { journals } = rig();
    const second = appended(await journals.append(options(cwd, { event: input('t2') })));
    const third = appended(await journals.append(options(cwd, { event: input('t3') })));
    assert.deepEqual(
      [second.sequence, second.warnings, third.sequence, third.warnings],
      [2, ['session_journal_partial_line_terminated=sessions/sess_demo.journal.jsonl'], 3, []],
    );
    const read = readSessionJournalFile(journal);
    assert.deepEqual(read.journal?.events.map((e) => `${String(e.sequence)}:${e.traceId}`), ['1:t1', '2:t2', '3:t3']);
    assert.equal(read.journal?.skippedLines, 1);
    assert.equal(readFileSync(journal, 'utf8').split('\n')[2], '{"event":{"sequence":2,"sess', 'the fragment stays a line of its own');
  });

  it('close() fsyncs what was appended, writes the state and releases the lock', async () => {
    const cwd = freshDir();
    const r = rig('batched');
    for (const id of ['t1', 't2', 't3']) appended(await r.journals.append(options(cwd, { event: input(id) })));
    assert.deepEqual([r.fsyncs.length, r.writer.stats().pending], [0, 1], 'batched: the fsync waits for the next flush');
    await r.journals.close();
    assert.deepEqual([r.fsyncs.length, r.writer.stats().pending], [1, 0]);
    assert.equal(existsSync(join(cwd, `${JOURNAL}.lock`)), false);
    assert.deepEqual([state(cwd)['last_sequence'], state(cwd)['journal_size_bytes']], [3, statSync(join(cwd, JOURNAL)).size]);
    await assert.rejects(r.journals.append(options(cwd)), (err: unknown) => isGaitError(err, 'internal_failure'));
  });

  it('always: an append resolves after its fsync; a failed fsync fails the append (storage_io)', async () => {
    const cwd = freshDir();
    let fail = false;
    const r = rig('always', {}, () => (fail ? Promise.reject(Object.assign(new Error('EIO: i/o error, fsync'), { code: 'EIO' })) : Promise.resolve()));
    appended(await r.journals.append(options(cwd)));
    assert.equal(r.fsyncs.length, 1);
    fail = true;
    await assert.rejects(r.journals.append(options(cwd, { event: input('t2') })), (err: unknown) => {
      assert.ok(isGaitError(err, 'storage_io'));
      assert.equal(err.message, `cannot write \`${join(cwd, JOURNAL)}\`: i/o error (EIO)`);
      return true;
    });
    fail = false;
    assert.equal(appended(await r.journals.append(options(cwd, { event: input('t3') }))).sequence, 3, 'the line was written; only its durability failed');
  });

  it('a journal that cannot be opened is storage_io naming it as shown', async () => {
    const cwd = freshDir();
    mkdirSync(join(cwd, JOURNAL), { recursive: true });
    const { journals } = rig();
    await assert.rejects(journals.append(options(cwd)), (err: unknown) => {
      assert.ok(isGaitError(err, 'storage_io'));
      assert.match(err.message, /^cannot append to session journal `sessions\/sess_demo\.journal\.jsonl`: /);
      return true;
    });
    assert.equal(existsSync(join(cwd, `${JOURNAL}.lock`)), false, 'the lock is released');
  });

  it('starts a new journal at sequence 1 when the held one was removed at its path', async () => {
    const cwd = freshDir();
    const { journals } = rig();
    appended(await journals.append(options(cwd)));
    appended(await journals.append(options(cwd, { event: input('t2') })));
    rmSync(join(cwd, JOURNAL));
    const next = appended(await journals.append(options(cwd, { event: input('t3') })));
    assert.equal(next.sequence, 1);
    assert.deepEqual(readSessionJournalFile(join(cwd, JOURNAL)).journal?.events.map((e) => e.traceId), ['t3']);
  });

  it("uses <base>_<run id>.journal.jsonl when the journal is another run's, held by this service", async () => {
    const cwd = freshDir();
    const { journals } = rig();
    appended(await journals.append(options(cwd, { runId: 'run_a' })));
    const runB = { runId: 'run_b', journals: [options(cwd).journals[0]!, { path: 'sessions/sess_demo_run_b.journal.jsonl', checkpointBase: 'sess_demo_run_b' }] };
    const other = appended(await journals.append(options(cwd, runB)));
    const again = appended(await journals.append(options(cwd, runB)));
    const back = appended(await journals.append(options(cwd, { runId: 'run_a' })));
    assert.deepEqual(
      [other.journalPath, other.sequence, again.sequence, back.journalPath, back.sequence],
      ['sessions/sess_demo_run_b.journal.jsonl', 1, 2, JOURNAL, 2],
    );
    const foreign = await journals.append(options(cwd, { sessionId: 'sess/demo', journals: [{ path: JOURNAL, checkpointBase: 'x' }] }));
    assert.deepEqual(foreign, { kind: 'foreign', journalPath: JOURNAL, ownerSessionId: 'sess demo', ownerRunId: 'run_a' });
  });

  it('calls queued behind a lock held by another process all fail with storage_contention at about one timeout', async () => {
    const cwd = freshDir();
    const { journals } = rig('batched', { lock: { retryMs: 10, timeoutMs: 200, staleMs: 120_000 } });
    mkdirSync(join(cwd, 'sessions'));
    writeFileSync(join(cwd, `${JOURNAL}.lock`), '{"pid":4242}\n'); // another process
    const started = Date.now();
    const settled = await Promise.allSettled(Array.from({ length: 5 }, (_, i) => journals.append(options(cwd, { event: input(`t${String(i + 1)}`) }))));
    const elapsed = Date.now() - started;
    assert.deepEqual(
      settled.map((r) => (r.status === 'rejected' && isGaitError(r.reason, 'storage_contention') ? 'storage_contention' : r.status)),
      ['storage_contention', 'storage_contention', 'storage_contention', 'storage_contention', 'storage_contention'],
    );
    // A bound on behaviour, not speed: one timeout per call would be about 5 x 200 ms.
    assert.ok(elapsed < 400, `all failed within two timeouts, took ${String(elapsed)} ms`);
    assert.equal(existsSync(join(cwd, JOURNAL)), false, 'nothing appended without the lock');
    assert.equal(readFileSync(join(cwd, `${JOURNAL}.lock`), 'utf8'), '{"pid":4242}\n');
  });

  it('a cap of 3 holds: 10 sessions never hold more than 3 lock files at once, and every journal has 1..n', async () => {
    const cwd = freshDir();
    const { journals } = rig('batched', { maxHolds: 3, lock: { retryMs: 10, timeoutMs: 5000, staleMs: 120_000 } });
    const dir = join(cwd, 'sessions');
    mkdirSync(dir);
    const session = (i: number, traceId: string): SessionAppendOptions =>
      options(cwd, { sessionId: `s${String(i)}`, journals: [{ path: `sessions/s${String(i)}.journal.jsonl`, checkpointBase: `s${String(i)}` }], event: input(traceId) });
    let most = 0;
    const count = (): void => {
      most = Math.max(most, readdirSync(dir).filter((n) => n.endsWith('.lock')).length, journals.heldJournals().length);
    };
    const sampler = setInterval(count, 1);
    const calls: Promise<SessionAppendResult>[] = [];
    for (let round = 1; round <= 4; round++) {
      for (let i = 0; i < 10; i++) calls.push(journals.append(session(i, `t${String(i)}_${String(round)}`)).finally(count));
    }
    const results = await Promise.all(calls);
    clearInterval(sampler);
    count();
    assert.equal(most <= 3, true, `at most 3 lock files at once, saw ${String(most)}`);
    assert.equal(most, 3, 'the cap was reached');
    assert.deepEqual(
      results.map((r) => appended(r).sequence),
      [1, 2, 3, 4].flatMap((round) => Array.from({ length: 10 }, () => round)),
    );
    for (let i = 0; i < 10; i++) {
      const journal = readSessionJournalFile(join(dir, `s${String(i)}.journal.jsonl`)).journal;
      assert.deepEqual(
        journal?.events.map((e) => `${String(e.sequence)}:${e.traceId}`),
        [1, 2, 3, 4].map((round) => `${String(round)}:t${String(i)}_${String(round)}`),
      );
      assert.equal(journal?.skippedLines, 0);
    }
  });

  it('two services (processes) on one journal: the second waits for the first to go idle; sequences 1..n, no repeat', async () => {
    const cwd = freshDir();
    const script = fileURLToPath(new URL('fixtures/held-session-append.ts', import.meta.url));
    const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
    const goFile = join(cwd, 'go');
    const each = 25;
    let ready = 0;
    const runs = ['a', 'b'].map((tag) => {
      const child = spawn(process.execPath, ['--import', 'tsx', script, cwd, 'race.journal.jsonl', goFile, String(each), tag, '150'], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      let err = '';
      child.stderr.on('data', (b: Buffer) => (err += b.toString()));
      child.stdout.on('data', (b: Buffer) => {
        const before = out.includes('ready\n');
        out += b.toString();
        if (!before && out.includes('ready\n') && ++ready === 2) writeFileSync(goFile, '');
      });
      return new Promise<{ tag: string; sequences: number[] }>((resolve, reject) => {
        child.on('close', (code) => {
          const last = out.trim().split('\n').at(-1) ?? '';
          if (code !== 0 || !last.startsWith('{')) reject(new Error(`service ${tag} exited ${String(code)}: ${last} ${err}`));
          else resolve(JSON.parse(last) as { tag: string; sequences: number[] });
        });
      });
    });
    const results = await Promise.all(runs);
    const all = results.flatMap((r) => r.sequences).sort((a, b) => a - b);
    assert.deepEqual(all, Array.from({ length: 2 * each }, (_, i) => i + 1));
    const blocks = results.map((r) => r.sequences[0]).sort((a, b) => (a ?? 0) - (b ?? 0));
    assert.deepEqual(blocks, [1, each + 1], 'each service got one block: it held the lock for its whole burst');
    for (const r of results) {
      const first = r.sequences[0] ?? 0;
      assert.deepEqual(r.sequences, Array.from({ length: each }, (_, i) => first + i), `${r.tag}: consecutive, in call order`);
    }
    const journal = readSessionJournalFile(join(cwd, 'race.journal.jsonl')).journal;
    assert.deepEqual([journal?.events.length, journal?.skippedLines], [2 * each, 0]);
    assert.equal(existsSync(join(cwd, 'race.journal.jsonl.lock')), false);
  });
});
