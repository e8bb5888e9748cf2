/**
 * Shared inputs of the session-journal tests (one-shot `appendSessionEvent` and the held
 * `SessionJournals`) and their multi-process writers: a temp root, a stepping clock, event inputs
 * and the append options of the demo session.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after } from 'node:test';
import type { SessionEventInput } from '../../src/artifacts/session/types.js';
import type { Clock } from '../../src/runtime/clock.js';
import type { SessionAppendOptions, SessionAppendResult } from '../../src/storage/session-journal.js';

/** A fresh directory per call under one temp root, removed after the file's tests. */
export function tempDirs(prefix: string): () => string {
  const root = mkdtempSync(join(tmpdir(), prefix));
  after(() => rmSync(root, { recursive: true, force: true }));
  let dirs = 0;
  return () => {
    dirs += 1;
    const dir = join(root, `case-${String(dirs)}`);
    mkdirSync(dir);
    return dir;
  };
}

/** 2026-02-05T00:00:00Z, then one second later per call. */
export function steppingClock(): Clock {
  let n = 0;
  return { now: () => ({ seconds: 1_770_249_600 + n++, nanos: 0, offsetMinutes: 0 }) };
}

/** An event of `tool.search` with fixed digests and the given trace id. */
export function eventInput(traceId: string, verdict = 'allow'): SessionEventInput {
  return {
    intentId: '',
    toolName: 'tool.search',
    intentDigest: 'a'.repeat(64),
    policyDigest: 'b'.repeat(64),
    policyId: 'gait.gate.policy',
    policyVersion: '1.0.0',
    matchedRuleIds: ['allow-search'],
    traceId,
    tracePath: `traces/${traceId}.json`,
    verdict,
    reasonCodes: ['search_allowed'],
    violations: [],
    safetyInvariantVersion: '',
    safetyInvariantHash: '',
  };
}

export const DEMO_JOURNAL = 'sessions/sess_demo.journal.jsonl';

/** Session `sess demo`, run `run_a`: its journal, then the other-run journal. */
export function demoAppendOptions(cwd: string, over: Partial<SessionAppendOptions> = {}): SessionAppendOptions {
  return {
    cwd,
    sessionId: 'sess demo',
    runId: 'run_a',
    journals: [
      { path: DEMO_JOURNAL, checkpointBase: 'sess_demo' },
      { path: 'sessions/sess_demo_run_a.journal.jsonl', checkpointBase: 'sess_demo_run_a' },
    ],
    event: eventInput('t1'),
    clock: steppingClock(),
    producerVersion: '0.0.0-test',
    ...over,
  };
}

export function appended(result: SessionAppendResult): Extract<SessionAppendResult, { kind: 'appended' }> {
  assert.equal(result.kind, 'appended');
  return result as Extract<SessionAppendResult, { kind: 'appended' }>;
}

/** The append of one multi-process writer (session `sess_race`, run `run_race`). */
export function raceAppendOptions(cwd: string, journal: string, tag: string, i: number, clock: Clock): SessionAppendOptions {
  return {
    cwd,
    sessionId: 'sess_race',
    runId: 'run_race',
    journals: [{ path: journal, checkpointBase: 'sess_race' }],
    event: { ...eventInput(`${tag}_${String(i)}`), toolName: `tool.${tag}`, intentDigest: '', policyDigest: '', policyId: '', policyVersion: '', matchedRuleIds: [], tracePath: '', reasonCodes: [] },
    clock,
    producerVersion: '0.0.0-test',
  };
}
