/**
 * Session journals of `mcp serve` (mcp-and-export.md §5.6 "Sessions", artifacts.md §2.12) in-process:
 * the journal a request with a session id appends to and its warning, the other run's journal,
 * many requests in flight at once, checkpoints whose chain `gait verify session-chain` accepts and
 * rejects after tampering, client journal paths, and the session retention class.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { verifyRunpack } from '../../../../src/artifacts/runpack/verify.js';
import { encodePublicKey } from '../../../../src/crypto/keys.js';
import { parseJsonl } from '../../../../src/storage/jsonl-line.js';
import { runCli } from '../../../../src/transports/cli/main.js';
import { makeTestIo } from '../../../helpers/cli-io.js';
import { callBody, jsonOf, post, serviceFixtures, SERVE_VERIFY_KEY } from '../../../helpers/serve-fixture.js';
import type { ServeFixture } from '../../../helpers/serve-fixture.js';

const fixture = serviceFixtures();

async function evaluate(f: ServeFixture, body: unknown): Promise<Record<string, unknown>> {
  const res = await f.service.fetch(post('/v1/evaluate', body));
  const out = await jsonOf(res);
  assert.equal(res.status, 200, JSON.stringify(out));
  return out;
}

function sessionWarnings(body: Record<string, unknown>): string[] {
  return ((body['warnings'] as string[] | undefined) ?? []).filter((w) => w.startsWith('session_'));
}

function records(f: ServeFixture, path: string): Record<string, unknown>[] {
  return parseJsonl(readFileSync(join(f.cwd, path), 'utf8')).records;
}

describe('session journals', () => {
  it('appends one §2.12 event per decision to <session-dir>/<base>.journal.jsonl and warns with the sequence', async () => {
    const f = fixture({ sessionDir: 'sessions' });
    const first = await evaluate(f, { ...callBody('tool.search'), session_id: ' team/a b:c ', run_id: 'r1' });
    const second = await evaluate(f, { ...callBody('tool.write'), session_id: 'team/a b:c', run_id: 'r1' });
    assert.deepEqual(sessionWarnings(first), ['session_journal=sessions/team_a_b_c.journal.jsonl sequence=1']);
    assert.deepEqual(sessionWarnings(second), ['session_journal=sessions/team_a_b_c.journal.jsonl sequence=2']);
    const [header, e1, e2] = records(f, 'sessions/team_a_b_c.journal.jsonl');
    assert.deepEqual(header, {
      header: {
        created_at: '2026-02-05T00:00:00Z',
        producer_version: (header?.['header'] as Record<string, unknown>)['producer_version'],
        run_id: 'run_r1',
        schema_id: 'gait.runpack.session_journal',
        schema_version: '1.0.0',
        session_id: 'team/a b:c',
        started_at: '2026-02-05T00:00:00Z',
      },
      record_type: 'header',
    });
    const event = e1?.['event'] as Record<string, unknown>;
    assert.deepEqual(Object.keys(event).sort(), [
      'created_at', 'intent_digest', 'matched_rule_ids', 'policy_digest', 'policy_id', 'policy_version', 'producer_version', 'reason_codes',
      'relationship', 'run_id', 'schema_id', 'schema_version', 'sequence', 'session_id', 'tool_name', 'trace_id', 'trace_path', 'verdict',
    ]);
    assert.deepEqual(
      [event['schema_id'], event['sequence'], event['session_id'], event['run_id'], event['tool_name'], event['verdict'], event['reason_codes'], event['matched_rule_ids']],
      ['gait.runpack.session_event', 1, 'team/a b:c', 'run_r1', 'tool.search', 'allow', ['search_allowed'], ['allow-search']],
    );
    assert.deepEqual([event['policy_id'], event['policy_version']], ['gait.gate.policy', '1.0.0']);
    for (const key of ['intent_digest', 'policy_digest', 'trace_id', 'trace_path', 'relationship']) assert.deepEqual(event[key], first[key], key);
    const blocked = e2?.['event'] as Record<string, unknown>;
    assert.deepEqual([blocked['sequence'], blocked['verdict'], blocked['matched_rule_ids']], [2, 'block', undefined]);
    assert.equal(first['session_id'], 'team/a b:c');
  });

  it("takes the intent's session id when the request has none; no session id writes nothing", async () => {
    const f = fixture({ sessionDir: 'sessions' });
    const fromCall = await evaluate(f, { call: { name: 'tool.search', context: { session_id: 'from-call' } } });
    assert.deepEqual(sessionWarnings(fromCall), ['session_journal=sessions/from-call.journal.jsonl sequence=1']);
    const none = await evaluate(f, callBody('tool.search'));
    assert.deepEqual(sessionWarnings(none), []);
  });

  it("records the job's safety invariants when its state is readable", async () => {
    const state = JSON.stringify({ job_id: 'job-1', status: 'running', safety_invariant_version: '2', safety_invariant_hash: 'f00d' });
    const f = fixture({ sessionDir: 'sessions', jobRoot: 'jobs' }, { 'jobs/job-1/state.json': state });
    await evaluate(f, { call: { name: 'tool.search', context: { job_id: 'job-1' } }, session_id: 'jobbed', run_id: 'j' });
    await evaluate(f, { call: { name: 'tool.search', context: { job_id: 'job-2' } }, session_id: 'jobbed', run_id: 'j' });
    const events = records(f, 'sessions/jobbed.journal.jsonl').slice(1).map((r) => r['event'] as Record<string, unknown>);
    assert.deepEqual(events.map((e) => [e['safety_invariant_version'], e['safety_invariant_hash'], e['verdict']]), [
      ['2', 'f00d', 'allow'],
      [undefined, undefined, 'block'],
    ]);
  });

  it('uses <base>_<run id>.journal.jsonl when the journal belongs to another run', async () => {
    const f = fixture({ sessionDir: 'sessions' });
    await evaluate(f, { ...callBody('tool.search'), session_id: 'sess', run_id: 'one' });
    const other = await evaluate(f, { ...callBody('tool.search'), session_id: 'sess', run_id: 'two' });
    assert.deepEqual(sessionWarnings(other), ['session_journal=sessions/sess_run_two.journal.jsonl sequence=1']);
    const back = await evaluate(f, { ...callBody('tool.search'), session_id: 'sess', run_id: 'one' });
    assert.deepEqual(sessionWarnings(back), ['session_journal=sessions/sess.journal.jsonl sequence=2']);
  });

  it('gives 200 requests in flight at once the sequences 1..200, no gap, no repeat', async () => {
    const f = fixture({ sessionDir: 'sessions', maxConcurrent: 256 });
    const n = 200;
    const bodies = await Promise.all(Array.from({ length: n }, (_, i) => evaluate(f, { call: { name: 'tool.search', args: { i } }, session_id: 'busy', run_id: 'r' })));
    const fromWarnings = bodies.map((b) => Number(/sequence=(\d+)$/.exec(sessionWarnings(b)[0] ?? '')?.[1])).sort((a, b) => a - b);
    assert.deepEqual(fromWarnings, Array.from({ length: n }, (_, i) => i + 1));
    const events = records(f, 'sessions/busy.journal.jsonl').slice(1).map((r) => (r['event'] as Record<string, unknown>)['sequence']);
    assert.deepEqual(events, Array.from({ length: n }, (_, i) => i + 1));
  });

  it('batched: the event is in the journal when the response arrives; the lock is held until close', async () => {
    const f = fixture({ sessionDir: 'sessions', traceSync: 'batched', traceSyncIntervalMs: 60_000 });
    const body = await evaluate(f, { ...callBody('tool.search'), session_id: 'seen', run_id: 'r' });
    assert.deepEqual(sessionWarnings(body), ['session_journal=sessions/seen.journal.jsonl sequence=1']);
    const events = records(f, 'sessions/seen.journal.jsonl').slice(1).map((r) => (r['event'] as Record<string, unknown>)['trace_id']);
    assert.deepEqual(events, [body['trace_id']]);
    assert.equal(existsSync(join(f.cwd, 'sessions/seen.journal.jsonl.lock')), true);
    await f.service.close();
    assert.equal(existsSync(join(f.cwd, 'sessions/seen.journal.jsonl.lock')), false);
    const state = JSON.parse(readFileSync(join(f.cwd, 'sessions/seen.journal.jsonl.state.json'), 'utf8')) as Record<string, unknown>;
    assert.deepEqual([state['last_sequence'], state['next_sequence']], [1, 2]);
  });
});

describe('session checkpoints', () => {
  async function checkpointed(): Promise<{ f: ServeFixture; bodies: Record<string, unknown>[] }> {
    const f = fixture({ sessionDir: 'sessions', runpackDir: 'runpacks' });
    const bodies: Record<string, unknown>[] = [];
    for (const tool of ['tool.search', 'tool.write', 'tool.search', 'tool.delete', 'tool.search']) {
      bodies.push(await evaluate(f, { ...callBody(tool), session_id: 'sess', run_id: 'cp', checkpoint_interval: 2 }));
    }
    return { f, bodies };
  }

  async function verifyChain(f: ServeFixture, ...extra: string[]): Promise<{ code: number; out: Record<string, unknown> }> {
    const t = makeTestIo({ cwd: f.cwd, env: { GAIT_CORRELATION_ID: 'cid-test', SERVE_PUB: encodePublicKey(SERVE_VERIFY_KEY) } });
    const code = await runCli(['verify', 'session-chain', 'sessions/sess.journal_chain.json', '--public-key-env', 'SERVE_PUB', '--json', ...extra], t.io);
    return { code, out: JSON.parse(t.out()) as Record<string, unknown> };
  }

  it('emits <runpack-dir>/<base>_cp_<sequence>.zip and the chain at multiples of checkpoint_interval', async () => {
    const { f, bodies } = await checkpointed();
    assert.deepEqual(bodies.map(sessionWarnings), [
      ['session_journal=sessions/sess.journal.jsonl sequence=1'],
      ['session_checkpoint=runpacks/sess_cp_000002.zip chain=sessions/sess.journal_chain.json', 'session_journal=sessions/sess.journal.jsonl sequence=2'],
      ['session_journal=sessions/sess.journal.jsonl sequence=3'],
      ['session_checkpoint=runpacks/sess_cp_000004.zip chain=sessions/sess.journal_chain.json', 'session_journal=sessions/sess.journal.jsonl sequence=4'],
      ['session_journal=sessions/sess.journal.jsonl sequence=5'],
    ]);
    const zip = readFileSync(join(f.cwd, 'runpacks/sess_cp_000004.zip'));
    const report = verifyRunpack(zip, { key: SERVE_VERIFY_KEY, requireSignature: true });
    assert.deepEqual([report.ok, report.runId, report.signatureStatus], [true, 'run_cp_cp_0002', 'verified']);
    const kinds = records(f, 'sessions/sess.journal.jsonl').map((r) => r['record_type']);
    assert.deepEqual(kinds, ['header', 'event', 'event', 'checkpoint', 'event', 'event', 'checkpoint', 'event']);
    const verified = await verifyChain(f, '--require-signature');
    assert.equal(verified.code, 0, JSON.stringify(verified.out));
    assert.deepEqual(verified.out, {
      ok: true,
      chain_path: 'sessions/sess.journal_chain.json',
      session_id: 'sess',
      run_id: 'run_cp',
      checkpoints_checked: 2,
      signature_status: 'verified',
      correlation_id: 'cid-test',
    });
  });

  it('verify session-chain rejects a tampered chain with exit 2 and the exact error', async () => {
    const { f } = await checkpointed();
    const path = join(f.cwd, 'sessions/sess.journal_chain.json');
    const chain = JSON.parse(readFileSync(path, 'utf8')) as { checkpoints: Record<string, unknown>[] };
    const second = chain.checkpoints[1] as Record<string, unknown>;
    second['prev_checkpoint_digest'] = '0'.repeat(64);
    writeFileSync(path, JSON.stringify(chain));
    const rejected = await verifyChain(f);
    assert.equal(rejected.code, 2);
    assert.equal(rejected.out['ok'], false);
    assert.deepEqual((rejected.out['linkage_errors'] as string[]).slice(0, 1), ['checkpoint 2: prev_checkpoint_digest does not match checkpoint 1']);
    assert.deepEqual((rejected.out['linkage_errors'] as string[]).slice(2), ['chain signature: signed_digest mismatch']);
    assert.match((rejected.out['linkage_errors'] as string[])[1] ?? '', /^checkpoint 2: checkpoint_digest does not match its recomputed value [0-9a-f]{64}$/);
    assert.equal(rejected.out['checkpoint_errors'], undefined);
  });

  it('warns instead of checkpointing without a runpack dir', async () => {
    const f = fixture({ sessionDir: 'sessions' });
    await evaluate(f, { ...callBody('tool.search'), session_id: 'solo', checkpoint_interval: 2 });
    const second = await evaluate(f, { ...callBody('tool.search'), session_id: 'solo', checkpoint_interval: 2 });
    assert.deepEqual(sessionWarnings(second), ['session_checkpoint_skipped=server has no --runpack-dir', 'session_journal=sessions/solo.journal.jsonl sequence=2']);
    assert.equal(existsSync(join(f.cwd, 'sessions/solo.journal_chain.json')), false);
  });
});

describe('client session journals and session retention', () => {
  it('honours session_journal with --allow-client-artifact-paths, never a `..` path or another run\'s journal', async () => {
    const f = fixture({ sessionDir: 'sessions', allowClientArtifactPaths: true });
    const ok = await evaluate(f, { ...callBody('tool.search'), session_id: 's1', run_id: 'a', session_journal: 'mine/s1.jsonl' });
    assert.deepEqual(sessionWarnings(ok), ['session_journal=mine/s1.jsonl sequence=1']);
    assert.equal(records(f, 'mine/s1.jsonl').length, 2);
    const up = await f.service.fetch(post('/v1/evaluate', { ...callBody('tool.search'), session_id: 's1', session_journal: '../s1.jsonl' }));
    assert.equal(up.status, 400);
    assert.equal((await jsonOf(up))['error'], 'relative session journal path must not traverse parent directories');
    const foreign = await f.service.fetch(post('/v1/evaluate', { ...callBody('tool.search'), session_id: 's1', run_id: 'b', session_journal: 'mine/s1.jsonl' }));
    assert.equal(foreign.status, 400);
    assert.equal((await jsonOf(foreign))['error'], 'request.session_journal `mine/s1.jsonl` belongs to session `s1` run `run_a`');
  });

  it('applies --session-max-count over the session directory and warns; a removed journal starts again at sequence 1', async () => {
    const f = fixture({ sessionDir: 'sessions', sessionRetention: { maxCount: 1 } });
    const a = await evaluate(f, { ...callBody('tool.search'), session_id: 'a' });
    assert.equal(a['warnings'] instanceof Array && (a['warnings'] as string[]).some((w) => w.startsWith('retention_session')), false);
    const again = await evaluate(f, { ...callBody('tool.search'), session_id: 'a' });
    assert.equal((again['warnings'] as string[]).some((w) => w.startsWith('retention_session')), false, 'a journal appended again is one file, not two');
    const b = await evaluate(f, { ...callBody('tool.search'), session_id: 'b' });
    assert.ok((b['warnings'] as string[]).includes('retention_session_removed_age=0 removed_count=1'), JSON.stringify(b['warnings']));
    // Removals run in the background; the held journal of `a` is then gone from its path.
    for (let i = 0; i < 400 && existsSync(join(f.cwd, 'sessions/a.journal.jsonl')); i++) await new Promise((r) => setTimeout(r, 5));
    assert.equal(existsSync(join(f.cwd, 'sessions/a.journal.jsonl')), false);
    const restarted = await evaluate(f, { ...callBody('tool.search'), session_id: 'a' });
    assert.deepEqual(sessionWarnings(restarted), ['session_journal=sessions/a.journal.jsonl sequence=1']);
    assert.equal(records(f, 'sessions/a.journal.jsonl').length, 2, 'a new journal: header and the event');
  });
});
