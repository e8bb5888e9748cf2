/**
 * Session records (artifacts.md §2.12, mcp-and-export.md §5.6): file names, literal journal lines,
 * the checkpoint digest, the checkpoint runpack input, and the ordering rules of journal reading.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { recordRunpack } from '../../../../src/api/runpack.js';
import { checkpointRunInput, planCheckpoint } from '../../../../src/artifacts/session/checkpoint.js';
import { checkpointDigest } from '../../../../src/artifacts/session/checkpoint-digest.js';
import { buildSessionEvent, readSessionJournal } from '../../../../src/artifacts/session/journal.js';
import { chainFileName, checkpointFileName, checkpointRunId, journalFileName, sessionFileBase } from '../../../../src/artifacts/session/names.js';
import type { SessionEventInput, SessionHeader } from '../../../../src/artifacts/session/types.js';
import { eventToWire, headerToWire, journalLine } from '../../../../src/artifacts/session/wire.js';
import { isGaitError } from '../../../../src/errors/error.js';
import { fixedClock } from '../../../../src/runtime/clock.js';
import type { JsonObject } from '../../../../src/schema/v1/json-types.js';

const T = { seconds: 1_770_249_600, nanos: 0, offsetMinutes: 0 };
const T1 = { seconds: 1_770_249_601, nanos: 500, offsetMinutes: 0 };
const HEADER: SessionHeader = { sessionId: 'sess_demo', runId: 'run_demo', createdAt: T, producerVersion: '0.0.0-test', startedAt: T };
const INPUT: SessionEventInput = {
  intentId: '',
  toolName: ' tool.write ',
  intentDigest: '1'.repeat(64),
  policyDigest: '2'.repeat(64).toUpperCase(),
  policyId: 'gait.gate.policy',
  policyVersion: '1.0.0',
  matchedRuleIds: ['allow-writer'],
  traceId: 'trace_abc',
  tracePath: 'traces/t.json',
  verdict: 'allow',
  reasonCodes: ['b', 'a', 'b'],
  violations: [],
  safetyInvariantVersion: '',
  safetyInvariantHash: '',
};

describe('session file names', () => {
  it('maps the session id to the journal base exactly as §5.6 says', () => {
    const cases: [string, string][] = [
      ['sess_demo', 'sess_demo'],
      ['team/a b:c\\d', 'team_a_b_c_d'],
      [' ../etc/passwd ', 'etc_passwd'],
      ['._x_.', 'x'],
      ['..', 'session'],
      ['/', 'session'],
      ['', 'session'],
      ['a..b', 'a..b'],
    ];
    for (const [id, base] of cases) assert.equal(sessionFileBase(id), base, JSON.stringify(id));
  });

  it('names journals, the other run\'s journal, chains and checkpoints', () => {
    assert.equal(journalFileName('sess'), 'sess.journal.jsonl');
    assert.equal(journalFileName('sess', 'run_b'), 'sess_run_b.journal.jsonl');
    assert.equal(chainFileName('sess.journal.jsonl'), 'sess.journal_chain.json');
    assert.equal(chainFileName('journal'), 'journal_chain.json');
    assert.equal(chainFileName('.jsonl'), 'session_chain.json');
    assert.equal(checkpointFileName('sess', 4), 'sess_cp_000004.zip');
    assert.equal(checkpointFileName('sess', 1234567), 'sess_cp_1234567.zip');
    assert.equal(checkpointRunId('run_demo', 12), 'run_demo_cp_0012');
  });
});

describe('journal lines', () => {
  it('writes the header with session_id and run_id', () => {
    assert.equal(
      journalLine('header', headerToWire(HEADER)),
      '{"header":{"created_at":"2026-02-05T00:00:00Z","producer_version":"0.0.0-test","run_id":"run_demo","schema_id":"gait.runpack.session_journal","schema_version":"1.0.0","session_id":"sess_demo","started_at":"2026-02-05T00:00:00Z"},"record_type":"header"}',
    );
  });

  it('writes an event with its sequence and the omit-empty members, normalized', () => {
    const event = buildSessionEvent(HEADER, 1, T1, '0.0.0-test', INPUT);
    assert.equal(
      journalLine('event', eventToWire(event)),
      '{"event":{"created_at":"2026-02-05T00:00:01.0000005Z","intent_digest":"1111111111111111111111111111111111111111111111111111111111111111","matched_rule_ids":["allow-writer"],"policy_digest":"2222222222222222222222222222222222222222222222222222222222222222","policy_id":"gait.gate.policy","policy_version":"1.0.0","producer_version":"0.0.0-test","reason_codes":["a","b"],"run_id":"run_demo","schema_id":"gait.runpack.session_event","schema_version":"1.0.0","sequence":1,"session_id":"sess_demo","tool_name":"tool.write","trace_id":"trace_abc","trace_path":"traces/t.json","verdict":"allow"},"record_type":"event"}',
    );
  });

  it('adds the safety invariants and the relationship when given', () => {
    const event = buildSessionEvent(HEADER, 7, T, 'v', {
      ...INPUT,
      relationship: { parent_ref: { kind: 'session', id: 'sess_demo' } },
      safetyInvariantVersion: ' 2 ',
      safetyInvariantHash: 'h'.repeat(8),
    });
    const wire = eventToWire(event);
    assert.equal(wire['sequence'], 7);
    assert.equal(wire['safety_invariant_version'], '2');
    assert.equal(wire['safety_invariant_hash'], 'hhhhhhhh');
    assert.deepEqual(wire['relationship'], { parent_ref: { kind: 'session', id: 'sess_demo' } });
  });
});

describe('checkpointDigest()', () => {
  it('is sha256hex("<manifest>:<prev>:<index>:<start>:<end>")', () => {
    assert.equal(checkpointDigest('a'.repeat(64), '', 1, 1, 2), '17db6f529a0e8525943cb0a10498de10751a6d3f5e4bab9a59ba929790b60ac2');
  });
});

describe('checkpointRunInput()', () => {
  it('records a reference-mode runpack of the events since the previous checkpoint', () => {
    const e1 = buildSessionEvent(HEADER, 1, T1, '0.0.0-test', INPUT);
    const e2 = buildSessionEvent(HEADER, 2, T1, '0.0.0-test', { ...INPUT, verdict: 'block', reasonCodes: ['blocked'], violations: ['v1'] });
    const plan = planCheckpoint({ header: HEADER, events: [e1, e2], checkpoints: [], skippedLines: 0 });
    assert.ok(plan !== undefined);
    assert.deepEqual([plan.index, plan.runId, plan.sequenceStart, plan.sequenceEnd, plan.prevCheckpointDigest], [1, 'run_demo_cp_0001', 1, 2, '']);
    const input = checkpointRunInput(HEADER, plan, T, '0.0.0-test');
    const intents = input['intents'] as JsonObject[];
    const results = input['results'] as JsonObject[];
    assert.deepEqual(intents[1], {
      created_at: '2026-02-05T00:00:01.0000005Z',
      producer_version: '0.0.0-test',
      run_id: 'run_demo_cp_0001',
      intent_id: 'intent_2',
      tool_name: 'tool.write',
      args_digest: '1'.repeat(64),
      args: { session_id: 'sess_demo', sequence: 2, trace_id: 'trace_abc', trace_path: 'traces/t.json' },
    });
    assert.deepEqual(results.map((r) => r['status']), ['ok', 'error']);
    assert.deepEqual(results[1]?.['result'], { verdict: 'block', reason_codes: ['blocked'], violations: ['v1'], trace_id: 'trace_abc', trace_path: 'traces/t.json' });
    assert.deepEqual(
      ((input['run'] as JsonObject)['timeline'] as JsonObject[]).map((e) => `${String(e['event'])}@${String(e['ref'])}`),
      ['session_event@trace_abc', 'session_event@trace_abc', 'session_checkpoint_emitted@checkpoint:1'],
    );
    const built = recordRunpack(input, { clock: fixedClock(T), hostEnv: { os: 'linux', arch: 'amd64', runtime: 'node' } });
    assert.equal(built.runId, 'run_demo_cp_0001');
    assert.equal(built.manifest.captureMode, 'reference');
    assert.equal(built.manifestDigest, 'c944f1c397e4962c9aeef03f72658a5effde415622de4a88ba2e60df8c43129a');
    assert.equal(built.runpack.intents[0]?.args, undefined, 'reference mode keeps only digests');
  });

  it('plans nothing when every event is already checkpointed', () => {
    const e1 = buildSessionEvent(HEADER, 1, T1, 'v', INPUT);
    const cp = { ...HEADER, checkpointIndex: 1, sequenceStart: 1, sequenceEnd: 1, runpackPath: 'r.zip', manifestDigest: 'm', prevCheckpointDigest: '', checkpointDigest: 'd' };
    assert.equal(planCheckpoint({ header: HEADER, events: [e1], checkpoints: [cp], skippedLines: 0 }), undefined);
  });
});

describe('readSessionJournal()', () => {
  const header = JSON.parse(journalLine('header', headerToWire(HEADER))) as JsonObject;
  const event = (seq: number, over: JsonObject = {}): JsonObject => ({
    record_type: 'event',
    event: { ...eventToWire(buildSessionEvent(HEADER, seq, T1, 'v', INPUT)), ...over },
  });

  function refusal(records: JsonObject[]): string {
    try {
      readSessionJournal(records, 0);
    } catch (err) {
      assert.ok(isGaitError(err, 'artifact_invalid'));
      return err.message;
    }
    return 'accepted';
  }

  it('reads the header, events and skipped-line count; an empty journal is none', () => {
    const journal = readSessionJournal([header, event(1), event(2)], 1);
    assert.equal(journal?.events.map((e) => e.sequence).join(','), '1,2');
    assert.equal(journal?.skippedLines, 1);
    assert.equal(readSessionJournal([], 0), undefined);
  });

  it('refuses gaps, repeats, foreign events, records before the header and a second header', () => {
    assert.equal(refusal([header, event(1), event(3)]), 'session journal record 3: event sequence 3, expected 2');
    assert.equal(refusal([header, event(1), event(1)]), 'session journal record 3: event sequence 1, expected 2');
    assert.equal(
      refusal([header, event(1, { run_id: 'run_other' })]),
      'session journal record 2: event of session `sess_demo` run `run_other` in the journal of `sess_demo` run `run_demo`',
    );
    assert.equal(refusal([event(1)]), 'session journal record 1: event before the header');
    assert.equal(refusal([header, header]), 'session journal record 2: a second header');
    assert.equal(refusal([header, { record_type: 'note' }]), 'session journal record 2: unsupported record_type `note`');
  });

  it('refuses a checkpoint whose digest was changed', () => {
    const digest = checkpointDigest('m'.repeat(64), '', 1, 1, 1);
    const cp = { session_id: 'sess_demo', run_id: 'run_demo', checkpoint_index: 1, sequence_start: 1, sequence_end: 1, manifest_digest: 'm'.repeat(64), checkpoint_digest: digest };
    assert.equal(readSessionJournal([header, event(1), { record_type: 'checkpoint', checkpoint: cp }], 0)?.checkpoints.length, 1);
    assert.equal(
      refusal([header, event(1), { record_type: 'checkpoint', checkpoint: { ...cp, sequence_end: 2 } }]),
      'session journal record 3: checkpoint 1 covers events 1..2, outside 1..1',
    );
    assert.equal(
      refusal([header, event(1), { record_type: 'checkpoint', checkpoint: { ...cp, checkpoint_digest: '0'.repeat(64) } }]),
      'session journal record 3: checkpoint 1 checkpoint_digest does not match its recomputed value',
    );
  });
});
