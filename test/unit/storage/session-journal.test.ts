/**
 * Session journals on disk (artifacts.md §2.12, mcp-and-export.md §5.6, §6.3): literal journal and
 * state contents, the other run's journal, torn last lines, rebuilt state, processes appending at
 * once, and checkpoints whose chain `verify session-chain` accepts and rejects after tampering.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { appendFileSync, existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { verifyRunpack } from '../../../src/artifacts/runpack/verify.js';
import { signingKeyFromSeed, verifyKeyOf } from '../../../src/crypto/keys.js';
import { isGaitError } from '../../../src/errors/error.js';
import { parseJsonl } from '../../../src/storage/jsonl-line.js';
import { verifySessionChainFile } from '../../../src/storage/session-chain-file.js';
import { appendSessionEvent, readSessionJournalFile } from '../../../src/storage/session-journal.js';
import { appended, demoAppendOptions as options, eventInput as input, steppingClock, tempDirs } from '../../helpers/session-journal-fixture.js';

const freshDir = tempDirs('gait-session-');

const KEY = signingKeyFromSeed(new Uint8Array(createHash('sha256').update('gait session test key').digest()));
const VERIFY_KEY = verifyKeyOf(KEY);

describe('appendSessionEvent()', () => {
  it('starts a journal with its header and numbers events from 1; the state holds the next sequence', () => {
    const cwd = freshDir();
    const clock = steppingClock();
    const first = appended(appendSessionEvent(options(cwd, { clock })));
    const second = appended(appendSessionEvent(options(cwd, { clock, event: input('t2', 'block') })));
    assert.deepEqual([first.journalPath, first.sequence, second.sequence], ['sessions/sess_demo.journal.jsonl', 1, 2]);
    assert.deepEqual([...first.warnings, ...second.warnings], []);
    const journal = join(cwd, 'sessions/sess_demo.journal.jsonl');
    assert.equal(
      readFileSync(journal, 'utf8'),
      [
        '{"header":{"created_at":"2026-02-05T00:00:00Z","producer_version":"0.0.0-test","run_id":"run_a","schema_id":"gait.runpack.session_journal","schema_version":"1.0.0","session_id":"sess demo","started_at":"2026-02-05T00:00:00Z"},"record_type":"header"}',
        '{"event":{"created_at":"2026-02-05T00:00:00Z","intent_digest":"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa","matched_rule_ids":["allow-search"],"policy_digest":"bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb","policy_id":"gait.gate.policy","policy_version":"1.0.0","producer_version":"0.0.0-test","reason_codes":["search_allowed"],"run_id":"run_a","schema_id":"gait.runpack.session_event","schema_version":"1.0.0","sequence":1,"session_id":"sess demo","tool_name":"tool.search","trace_id":"t1","trace_path":"traces/t1.json","verdict":"allow"},"record_type":"event"}',
        '{"event":{"created_at":"2026-02-05T00:00:01Z","intent_digest":"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa","matched_rule_ids":["allow-search"],"policy_digest":"bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb","policy_id":"gait.gate.policy","policy_version":"1.0.0","producer_version":"0.0.0-test","reason_codes":["search_allowed"],"run_id":"run_a","schema_id":"gait.runpack.session_event","schema_version":"1.0.0","sequence":2,"session_id":"sess demo","tool_name":"tool.search","trace_id":"t2","trace_path":"traces/t2.json","verdict":"block"},"record_type":"event"}',
        '',
      ].join('\n'),
    );
    assert.equal(statSync(journal).mode & 0o777, 0o600);
    const state = JSON.parse(readFileSync(`${journal}.state.json`, 'utf8')) as Record<string, unknown>;
    assert.deepEqual(
      [state['schema_id'], state['session_id'], state['run_id'], state['last_sequence'], state['next_sequence'], state['journal_size_bytes']],
      ['gait.runpack.session_state', 'sess demo', 'run_a', 2, 3, statSync(journal).size],
    );
    assert.deepEqual(
      second.sessionFiles.map((f) => f.path),
      [journal, `${journal}.state.json`],
    );
    assert.equal(existsSync(`${journal}.lock`), false, 'the lock is released');
  });

  it('uses <base>_<run id>.journal.jsonl when the journal belongs to another run', () => {
    const cwd = freshDir();
    appended(appendSessionEvent(options(cwd, { runId: 'run_a' })));
    const other = appended(appendSessionEvent(options(cwd, { runId: 'run_b', journals: [options(cwd).journals[0]!, { path: 'sessions/sess_demo_run_b.journal.jsonl', checkpointBase: 'sess_demo_run_b' }] })));
    assert.deepEqual([other.journalPath, other.sequence], ['sessions/sess_demo_run_b.journal.jsonl', 1]);
    const header = parseJsonl(readFileSync(join(cwd, 'sessions/sess_demo_run_b.journal.jsonl'), 'utf8')).records[0]?.['header'] as Record<string, unknown>;
    assert.deepEqual([header['session_id'], header['run_id']], ['sess demo', 'run_b']);
    const back = appended(appendSessionEvent(options(cwd, { runId: 'run_a' })));
    assert.deepEqual([back.journalPath, back.sequence], ['sessions/sess_demo.journal.jsonl', 2]);
  });

  it('reports foreign when every candidate belongs to another session or run', () => {
    const cwd = freshDir();
    appended(appendSessionEvent(options(cwd, { journals: [{ path: 'mine.jsonl', checkpointBase: 'x' }] })));
    const result = appendSessionEvent(options(cwd, { sessionId: 'sess/demo', journals: [{ path: 'mine.jsonl', checkpointBase: 'x' }] }));
    assert.deepEqual(result, { kind: 'foreign', journalPath: 'mine.jsonl', ownerSessionId: 'sess demo', ownerRunId: 'run_a' });
  });

  it('terminates a torn last line, skips it on read and continues the sequence without a gap', () => {
    const cwd = freshDir();
    const clock = steppingClock();
    appended(appendSessionEvent(options(cwd, { clock })));
    const journal = join(cwd, 'sessions/sess_demo.journal.jsonl');
    appendFileSync(journal, '{"event":{"sequence":2,"sess'); // a crash in the middle of a write
    assert.equal(readSessionJournalFile(journal).journal?.skippedLines, 1);
    const next = appended(appendSessionEvent(options(cwd, { clock, event: input('t2') })));
    assert.equal(next.sequence, 2);
    assert.deepEqual(next.warnings, ['session_journal_partial_line_terminated=sessions/sess_demo.journal.jsonl']);
    const read = readSessionJournalFile(journal);
    assert.deepEqual(read.journal?.events.map((e) => `${String(e.sequence)}:${e.traceId}`), ['1:t1', '2:t2']);
    assert.equal(read.journal?.skippedLines, 1);
    assert.equal(readFileSync(journal, 'utf8').split('\n')[2], '{"event":{"sequence":2,"sess', 'the fragment stays a line of its own');
  });

  it('rebuilds a missing or stale state from the journal', () => {
    const cwd = freshDir();
    const journal = join(cwd, 'sessions/sess_demo.journal.jsonl');
    appended(appendSessionEvent(options(cwd)));
    rmSync(`${journal}.state.json`);
    assert.equal(appended(appendSessionEvent(options(cwd))).sequence, 2);
    writeFileSync(`${journal}.state.json`, '{"schema_id":"gait.runpack.session_state","schema_version":"1.0.0","session_id":"sess demo","run_id":"run_a","event_count":0,"last_sequence":0,"next_sequence":1,"checkpoint_count":0,"last_checkpoint_sequence":0,"journal_size_bytes":1}');
    assert.equal(appended(appendSessionEvent(options(cwd))).sequence, 3, 'a state that does not describe the journal is not trusted');
  });

  it('refuses to extend a journal that was edited (500 material: storage_io)', () => {
    const cwd = freshDir();
    const journal = join(cwd, 'sessions/sess_demo.journal.jsonl');
    appended(appendSessionEvent(options(cwd)));
    const lines = readFileSync(journal, 'utf8').split('\n');
    writeFileSync(journal, `${lines[0] ?? ''}\n${(lines[1] ?? '').replace('"sequence":1', '"sequence":5')}\n`);
    assert.throws(
      () => appendSessionEvent(options(cwd)),
      (err: unknown) =>
        isGaitError(err, 'storage_io') &&
        err.message === 'session journal `sessions/sess_demo.journal.jsonl` cannot be extended: session journal record 2: event sequence 5, expected 1',
    );
  });

  it('gives processes appending at once distinct sequences 1..n with no gap', async () => {
    const cwd = freshDir();
    const script = fileURLToPath(new URL('fixtures/session-append.ts', import.meta.url));
    const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
    const goFile = join(cwd, 'go');
    const writers = 4;
    const each = 15;
    let ready = 0;
    const runs = Array.from({ length: writers }, (_, w) => {
      const child = spawn(process.execPath, ['--import', 'tsx', script, cwd, 'race.journal.jsonl', goFile, String(each), `w${String(w)}`], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      let err = '';
      child.stderr.on('data', (b: Buffer) => (err += b.toString()));
      child.stdout.on('data', (b: Buffer) => {
        const before = out.includes('ready\n');
        out += b.toString();
        if (!before && out.includes('ready\n') && ++ready === writers) writeFileSync(goFile, '');
      });
      return new Promise<{ tag: string; sequences: number[] }>((resolve, reject) => {
        child.on('close', (code) => {
          const last = out.trim().split('\n').at(-1) ?? '';
          if (code !== 0 || !last.startsWith('{')) reject(new Error(`writer ${String(w)} exited ${String(code)}: ${last} ${err}`));
          else resolve(JSON.parse(last) as { tag: string; sequences: number[] });
        });
      });
    });
    const results = await Promise.all(runs);
    const all = results.flatMap((r) => r.sequences).sort((a, b) => a - b);
    assert.deepEqual(all, Array.from({ length: writers * each }, (_, i) => i + 1));
    for (const r of results) assert.deepEqual(r.sequences, [...r.sequences].sort((a, b) => a - b), `${r.tag} saw its sequences in order`);
    const journal = readSessionJournalFile(join(cwd, 'race.journal.jsonl')).journal;
    assert.equal(journal?.events.length, writers * each);
    assert.equal(journal?.skippedLines, 0);
  });
});

describe('checkpoints and verify session-chain', () => {
  function checkpointed(): { cwd: string; chain: string; runpacks: string[] } {
    const cwd = freshDir();
    mkdirSync(join(cwd, 'runpacks'));
    const clock = steppingClock();
    const runpacks: string[] = [];
    let chain = '';
    for (let i = 1; i <= 5; i++) {
      const out = appended(
        appendSessionEvent(options(cwd, { clock, event: input(`t${String(i)}`, i === 2 ? 'block' : 'allow'), checkpoint: { interval: 2, runpackDir: 'runpacks', signingKey: KEY } })),
      );
      if (i % 2 === 0) {
        assert.ok(out.checkpoint !== undefined, `checkpoint at ${String(i)}`);
        runpacks.push(out.checkpoint.runpackPath);
        chain = out.checkpoint.chainPath;
      } else {
        assert.equal(out.checkpoint, undefined);
      }
    }
    return { cwd, chain, runpacks };
  }

  it('emits a signed reference-mode runpack per interval and a chain linking them', () => {
    const { cwd, chain, runpacks } = checkpointed();
    assert.deepEqual(runpacks, ['runpacks/sess_demo_cp_000002.zip', 'runpacks/sess_demo_cp_000004.zip']);
    assert.equal(chain, 'sessions/sess_demo.journal_chain.json');
    const zip = readFileSync(join(cwd, runpacks[1] ?? ''));
    const report = verifyRunpack(zip, { key: VERIFY_KEY, requireSignature: true });
    assert.deepEqual([report.ok, report.runId, report.signatureStatus], [true, 'run_a_cp_0002', 'verified']);
    const file = JSON.parse(readFileSync(join(cwd, chain), 'utf8')) as Record<string, unknown>;
    const cps = file['checkpoints'] as Record<string, unknown>[];
    assert.deepEqual(
      [file['schema_id'], file['session_id'], file['run_id'], cps.map((c) => `${String(c['checkpoint_index'])}:${String(c['sequence_start'])}-${String(c['sequence_end'])}`)],
      ['gait.runpack.session_chain', 'sess demo', 'run_a', ['1:1-2', '2:3-4']],
    );
    assert.equal(cps[1]?.['prev_checkpoint_digest'], cps[0]?.['checkpoint_digest']);
    assert.equal(cps[1]?.['manifest_digest'], report.manifestDigest);
    const state = JSON.parse(readFileSync(join(cwd, 'sessions/sess_demo.journal.jsonl.state.json'), 'utf8')) as Record<string, unknown>;
    assert.deepEqual([state['last_sequence'], state['checkpoint_count'], state['last_checkpoint_sequence'], state['last_checkpoint_digest']], [5, 2, 4, cps[1]?.['checkpoint_digest']]);
    const verified = verifySessionChainFile(chain, { cwd, key: VERIFY_KEY, requireSignature: true });
    assert.deepEqual(verified, { ok: true, sessionId: 'sess demo', runId: 'run_a', checkpointsChecked: 2, linkageErrors: [], checkpointErrors: [], signatureStatus: 'verified' });
  });

  it('never overwrites an existing checkpoint file, and the event stays journaled', () => {
    const cwd = freshDir();
    mkdirSync(join(cwd, 'runpacks'));
    writeFileSync(join(cwd, 'runpacks/sess_demo_cp_000001.zip'), 'older evidence');
    assert.throws(
      () => appendSessionEvent(options(cwd, { checkpoint: { interval: 1, runpackDir: 'runpacks', signingKey: KEY } })),
      (err: unknown) => isGaitError(err, 'storage_io') && err.message === 'cannot write session checkpoint `runpacks/sess_demo_cp_000001.zip`: file already exists',
    );
    assert.equal(readFileSync(join(cwd, 'runpacks/sess_demo_cp_000001.zip'), 'utf8'), 'older evidence');
    assert.equal(appended(appendSessionEvent(options(cwd))).sequence, 2);
  });

  it('rejects a chain whose checkpoint was edited, re-linked or whose runpack changed', () => {
    const { cwd, chain, runpacks } = checkpointed();
    const original = readFileSync(join(cwd, chain), 'utf8');
    const edited = JSON.parse(original) as { checkpoints: Record<string, unknown>[] };
    (edited.checkpoints[1] as Record<string, unknown>)['sequence_end'] = 5;
    writeFileSync(join(cwd, chain), JSON.stringify(edited));
    const report = verifySessionChainFile(chain, { cwd, key: VERIFY_KEY });
    assert.equal(report.ok, false);
    assert.equal(report.linkageErrors[0]?.startsWith('checkpoint 2: checkpoint_digest does not match its recomputed value '), true);
    assert.deepEqual(report.linkageErrors.slice(1), ['chain signature: signed_digest mismatch']);
    assert.deepEqual(report.checkpointErrors, []);

    writeFileSync(join(cwd, chain), original);
    const zip = readFileSync(join(cwd, runpacks[0] ?? ''));
    writeFileSync(join(cwd, runpacks[0] ?? ''), zip.subarray(0, zip.length - 10));
    const broken = verifySessionChainFile(chain, { cwd, key: VERIFY_KEY });
    assert.deepEqual(broken.linkageErrors, []);
    assert.equal(broken.checkpointErrors.length, 1);
    assert.match(broken.checkpointErrors[0] ?? '', /^checkpoint 1: runpack `runpacks\/sess_demo_cp_000002\.zip` failed verification \(zip: /);

    rmSync(join(cwd, runpacks[0] ?? ''));
    assert.deepEqual(verifySessionChainFile(chain, { cwd, key: VERIFY_KEY }).checkpointErrors, [
      'checkpoint 1: cannot read runpack `runpacks/sess_demo_cp_000002.zip`: no such file',
    ]);
  });
});
