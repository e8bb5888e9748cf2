/* eslint-disable @typescript-eslint/no-explicit-any -- the tests read parsed JSON documents */
/**
 * `gait pack build --type job` in-process (artifacts.md §3.3 "job", §3.4, §3.5): a job directory
 * fixture → pack → `pack verify` / `pack inspect`, determinism, tampering and refusals.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { craftZip } from '../helpers/zip-craft.js';
import { makeTestIo } from '../helpers/cli-io.js';
import type { TestIo } from '../helpers/cli-io.js';
import { gait, invalidInput, jsonLine, V4_KEY_ID, V4_PRIVATE_KEY, V4_PUBLIC_KEY } from './support.js';
import { sha256, unzipIndependently } from './runpack/fixtures.js';

const STATE = `{
  "job_id": "job_demo",
  "status": "completed",
  "stop_reason": "completed",
  "status_reason_code": "resumed_after_approval",
  "environment_fingerprint": "envfp:abc123",
  "safety_invariant_version": "1",
  "safety_invariant_hash": "sha256:feed",
  "checkpoints": [
    {"checkpoint_id": "cp_1", "type": "decision-needed", "reason_code": "approval_required"},
    {"checkpoint_id": "cp_2", "type": "completed", "reason_code": "done"}
  ],
  "approvals": [{"actor": "alice", "checkpoint_id": "cp_1"}],
  "created_at": "2026-02-14T01:02:03+01:00"
}
`;
const EVENTS = '{"type":"submitted","job_id":"job_demo"}\n{"type":"approved","job_id":"job_demo"}\n{"type":"completed","job_id":"job_demo"}\n';
/** STATE and EVENTS as the pack stores them: canonical JSON, JSONL of canonical records (§3.1), by hand. */
const CANONICAL_STATE =
  '{"approvals":[{"actor":"alice","checkpoint_id":"cp_1"}],"checkpoints":[{"checkpoint_id":"cp_1","reason_code":"approval_required","type":"decision-needed"},' +
  '{"checkpoint_id":"cp_2","reason_code":"done","type":"completed"}],"created_at":"2026-02-14T01:02:03+01:00","environment_fingerprint":"envfp:abc123",' +
  '"job_id":"job_demo","safety_invariant_hash":"sha256:feed","safety_invariant_version":"1","status":"completed","status_reason_code":"resumed_after_approval","stop_reason":"completed"}';
const CANONICAL_EVENTS = '{"job_id":"job_demo","type":"submitted"}\n{"job_id":"job_demo","type":"approved"}\n{"job_id":"job_demo","type":"completed"}\n';

/** The payload §3.3 derives from STATE (created_at in UTC, counts from the arrays). */
const PAYLOAD = {
  schema_id: 'gait.pack.job',
  schema_version: '1.0.0',
  created_at: '2026-02-14T00:02:03Z',
  job_id: 'job_demo',
  status: 'completed',
  stop_reason: 'completed',
  status_reason_code: 'resumed_after_approval',
  environment_fingerprint: 'envfp:abc123',
  safety_invariant_version: '1',
  safety_invariant_hash: 'sha256:feed',
  checkpoint_count: 2,
  approval_count: 1,
};

function jobWorkspace(options: { root?: string; id?: string; state?: string; events?: string | null } = {}): TestIo {
  const t = makeTestIo();
  const dir = join(t.cwd, options.root ?? 'gait-out/jobs', options.id ?? 'job_demo');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'state.json'), options.state ?? STATE);
  if (options.events !== null) writeFileSync(join(dir, 'events.jsonl'), options.events ?? EVENTS);
  return t;
}

async function build(t: TestIo, ...args: string[]): Promise<Record<string, unknown>> {
  const run = await gait(t, 'pack', 'build', '--type', 'job', ...args, '--json');
  assert.equal(run.code, 0, run.stdout + run.stderr);
  return jsonLine(run);
}

describe('gait pack build --type job', () => {
  it('builds from a job id; verify exit 0; the entries are the payload, the canonical state and events, and proof records', async () => {
    const t = jobWorkspace();
    const out = await build(t, '--from', 'job_demo', '--out', 'pack_job.zip');
    assert.deepEqual([out['schema_id'], out['ok'], out['operation'], out['path'], out['pack_type'], out['source_ref']], ['gait.pack.output', true, 'build', 'pack_job.zip', 'job', 'job_demo']);
    const verify = await gait(t, 'pack', 'verify', 'pack_job.zip', '--json');
    assert.equal(verify.code, 0, verify.stdout);
    const v = jsonLine(verify)['verify'] as any;
    assert.deepEqual([v.pack_type, v.source_ref, v.files_checked, v.proof_records_verified, v.pack_id], ['job', 'job_demo', 4, 3, out['pack_id']]);
    const files = await unzipIndependently(readFileSync(join(t.cwd, 'pack_job.zip')));
    assert.deepEqual([...files.keys()].sort(), ['job_events.jsonl', 'job_payload.json', 'job_state.json', 'pack_manifest.json', 'proof_records.jsonl']);
    assert.deepEqual(JSON.parse(files.get('job_payload.json')!.toString()), PAYLOAD);
    assert.equal(files.get('job_state.json')!.toString(), CANONICAL_STATE);
    assert.equal(files.get('job_events.jsonl')!.toString(), CANONICAL_EVENTS);
    const manifest = JSON.parse(files.get('pack_manifest.json')!.toString()) as Record<string, any>;
    assert.deepEqual([manifest['pack_type'], manifest['source_ref'], manifest['created_at']], ['job', 'job_demo', '1980-01-01T00:00:00Z']);
    assert.deepEqual(manifest['contents'].map((c: { path: string; type: string }) => [c.path, c.type]), [
      ['job_events.jsonl', 'jsonl'], ['job_payload.json', 'json'], ['job_state.json', 'json'], ['proof_records.jsonl', 'jsonl'],
    ]);
    const proof = files.get('proof_records.jsonl')!.toString();
    assert.equal(proof.endsWith('\n'), false);
    const records = proof.split('\n').map((l) => JSON.parse(l) as Record<string, any>);
    assert.deepEqual(records.map((r) => [r['event'].pack_type, r['event'].source_ref, r['event'].entry_path, r['event'].entry_permissions]), [
      ['job', 'job_demo', 'job_events.jsonl', 420], ['job', 'job_demo', 'job_payload.json', 420], ['job', 'job_demo', 'job_state.json', 420],
    ]);
    assert.equal(records[1]!['event'].entry_sha256, sha256(files.get('job_payload.json')!));
  });

  it('the default output is ./gait-out/pack_<pack_id>.zip; text output names it', async () => {
    const t = jobWorkspace();
    const out = await build(t, '--from', 'job_demo');
    assert.equal(out['path'], `gait-out/pack_${String(out['pack_id'])}.zip`);
    readFileSync(join(t.cwd, String(out['path'])));
    const text = await gait(t, 'pack', 'build', '--type', 'job', '--from', 'job_demo');
    assert.equal(text.stdout, `pack build ok: gait-out/pack_${String(out['pack_id'])}.zip (job)\n`);
  });

  it('pack inspect shows type job, the payload and the lineage', async () => {
    const t = jobWorkspace();
    await build(t, '--from', 'job_demo', '--out', 'pack_job.zip');
    const inspect = await gait(t, 'pack', 'inspect', 'pack_job.zip', '--json');
    assert.equal(inspect.code, 0, inspect.stdout);
    const i = jsonLine(inspect)['inspect'] as any;
    assert.deepEqual([i.pack_type, i.source_ref], ['job', 'job_demo']);
    assert.deepEqual(i.job_payload, PAYLOAD);
    assert.deepEqual(i.job_lineage, {
      event_count: 3,
      last_event_type: 'completed',
      checkpoint_refs: [
        { checkpoint_id: 'cp_1', type: 'decision-needed', reason_code: 'approval_required' },
        { checkpoint_id: 'cp_2', type: 'completed', reason_code: 'done' },
      ],
    });
  });

  it('is deterministic: two builds, and builds from the job dir and state.json, give identical bytes', async () => {
    const t = jobWorkspace();
    const a = await build(t, '--from', 'job_demo', '--out', 'a.zip');
    const b = await build(t, '--from', 'job_demo', '--out', 'b.zip');
    const c = await build(t, '--from', 'gait-out/jobs/job_demo', '--out', 'c.zip');
    const d = await build(t, '--from', 'gait-out/jobs/job_demo/state.json', '--out', 'd.zip');
    const hashes = ['a.zip', 'b.zip', 'c.zip', 'd.zip'].map((f) => sha256(readFileSync(join(t.cwd, f))));
    assert.deepEqual(new Set(hashes).size, 1);
    assert.deepEqual(new Set([a, b, c, d].map((o) => o['pack_id'])).size, 1);
  });

  it('a tampered byte fails verify (exit 2, hash mismatch)', async () => {
    const t = jobWorkspace();
    await build(t, '--from', 'job_demo', '--out', 'pack_job.zip');
    const entries = [...(await unzipIndependently(readFileSync(join(t.cwd, 'pack_job.zip'))))].map(([name, data]) => {
      if (name !== 'job_state.json') return { name, data };
      const copy = Buffer.from(data);
      copy[copy.indexOf('completed')] = 'C'.charCodeAt(0);
      return { name, data: copy };
    });
    writeFileSync(join(t.cwd, 'x.zip'), craftZip(entries));
    const run = await gait(t, 'pack', 'verify', 'x.zip', '--json');
    assert.equal(run.code, 2, run.stdout);
    const out = jsonLine(run);
    assert.equal(out['ok'], false);
    assert.deepEqual((out['verify'] as any).hash_mismatches.map((m: { path: string }) => m.path), ['job_state.json']);
  });

  it('signs with a key; verify --require-signature passes with the matching public key', async () => {
    const t = jobWorkspace();
    const out = await build(t, '--from', 'job_demo', '--out', 'pack_job.zip', '--key-mode', 'prod', '--private-key', V4_PRIVATE_KEY);
    assert.deepEqual([out['signature_status'], out['signature_key_id']], ['signed', V4_KEY_ID]);
    const verify = jsonLine(await gait(t, 'pack', 'verify', 'pack_job.zip', '--require-signature', '--public-key', V4_PUBLIC_KEY, '--json'));
    assert.deepEqual([verify['ok'], (verify['verify'] as any).signature_status], [true, 'verified']);
  });

  it('--job-root; a missing events.jsonl packs as an empty job_events.jsonl; a minimal state defaults counts and created_at', async () => {
    const t = jobWorkspace({ root: 'jobs', id: 'job_min', state: '{"job_id":"job_min","status":"running"}', events: null });
    await build(t, '--from', 'job_min', '--job-root', 'jobs', '--out', 'p.zip');
    assert.equal((await gait(t, 'pack', 'verify', 'p.zip')).code, 0);
    const files = await unzipIndependently(readFileSync(join(t.cwd, 'p.zip')));
    assert.equal(files.get('job_events.jsonl')!.length, 0);
    assert.deepEqual(JSON.parse(files.get('job_payload.json')!.toString()), {
      schema_id: 'gait.pack.job', schema_version: '1.0.0', created_at: '1980-01-01T00:00:00Z', job_id: 'job_min', status: 'running',
      stop_reason: '', status_reason_code: '', environment_fingerprint: '', checkpoint_count: 0, approval_count: 0,
    });
  });
});

describe('gait pack build --type job: refusals (exit 6)', () => {
  it('a missing job', async () => {
    const t = makeTestIo();
    assert.equal(invalidInput(await gait(t, 'pack', 'build', '--type', 'job', '--from', 'job_nope', '--json'))['error'], 'job not found: job_nope (no gait-out/jobs/job_nope/state.json)');
    assert.equal(invalidInput(await gait(t, 'pack', 'build', '--type', 'job', '--from', 'jobs/x', '--json'))['error'], 'job not found: jobs/x');
  });

  it('unsafe job ids', async () => {
    const t = jobWorkspace();
    for (const id of ['..', '.hidden', 'a..b', 'job demo']) {
      assert.match(String(invalidInput(await gait(t, 'pack', 'build', '--type', 'job', '--from', id, '--json'))['error']), /^unsafe job id `/);
    }
  });

  it('unreadable or invalid state, bad events, and a state whose job_id differs from the id asked for', async () => {
    const cases: [Parameters<typeof jobWorkspace>[0], string][] = [
      [{ state: '{not json' }, 'job state is not valid UTF-8 JSON'],
      [{ state: '[1]' }, 'job state must be a JSON object'],
      [{ state: '{"status":"completed"}' }, 'job state job_id is required'],
      [{ state: '{"job_id":"job_demo","status":"weird"}' }, 'job state status `weird` is not a job status (pending, running, paused, decision_needed, blocked, completed, failed, cancelled)'],
      [{ state: '{"job_id":"job_demo","status":"running","checkpoints":{}}' }, 'job state checkpoints must be an array'],
      [{ state: '{"job_id":"job_demo","status":"running","created_at":"yesterday"}' }, 'job state created_at must be an RFC 3339 timestamp, got `yesterday`'],
      [{ state: '{"job_id":"other","status":"running"}' }, 'job state job_id `other` does not match the requested job `job_demo`'],
      [{ events: '{"type":"a"}\nnope\n' }, 'job events line 2 is not valid JSON'],
    ];
    for (const [setup, error] of cases) {
      const t = jobWorkspace(setup);
      assert.equal(invalidInput(await gait(t, 'pack', 'build', '--type', 'job', '--from', 'job_demo', '--json'))['error'], error);
    }
    const dir = jobWorkspace();
    mkdirSync(join(dir.cwd, 'gait-out/jobs/empty'));
    assert.equal(invalidInput(await gait(dir, 'pack', 'build', '--type', 'job', '--from', 'gait-out/jobs/empty', '--json'))['error'], 'job state not found: gait-out/jobs/empty/state.json');
  });

  it('--from is required', async () => {
    const t = makeTestIo();
    assert.equal(invalidInput(await gait(t, 'pack', 'build', '--type', 'job', '--json'))['error'], '--from is required (a job_id, job directory or state.json path)');
  });
});
