/** buildRunpack(): the record pipeline of artifacts.md §2.4 (steps, defaults, messages). */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { buildRunpackSync } from '../../../../src/artifacts/runpack/build.js';
import { parseRunpackInput } from '../../../../src/artifacts/runpack/input.js';
import { readRunpackSync } from '../../../../src/artifacts/runpack/read.js';
import { GaitError } from '../../../../src/errors/error.js';
import { fixedClock } from '../../../../src/runtime/clock.js';
import { digestJcs } from '../../../../src/crypto/digest.js';

const NOW = { seconds: 1_770_249_600, nanos: 123_000_000, offsetMinutes: 0 }; // 2026-02-05T00:00:00.123Z
const clock = fixedClock(NOW);
const HOST = { os: 'linux', arch: 'amd64', runtime: 'node' };

function build(input: Record<string, unknown>) {
  return buildRunpackSync(parseRunpackInput(input), { clock, hostEnv: HOST });
}

function text(b: ReturnType<typeof build>, name: string): string {
  return Buffer.from(b.runpack.entries.get(name)!).toString('utf8');
}

function rejects(input: Record<string, unknown>, message: string): void {
  assert.throws(() => build(input), (err: unknown) => err instanceof GaitError && err.code === 'artifact_invalid' && err.message === message);
}

const intent = (extra: Record<string, unknown> = {}) => ({ intent_id: 'i1', tool_name: 'tool.a', args: { q: 1 }, ...extra });
const result = (extra: Record<string, unknown> = {}) => ({ intent_id: 'i1', status: 'ok', result: { ok: true }, ...extra });

describe('buildRunpack(): defaults (§2.2, §2.4 step 2)', () => {
  it('fills the run header, env and children from the run; timeline absent → null', () => {
    const b = build({ run: { run_id: 'r1' }, intents: [intent()], results: [result()] });
    assert.equal(
      text(b, 'run.json'),
      '{"created_at":"2026-02-05T00:00:00.123Z","env":{"arch":"amd64","os":"linux","runtime":"node"},"producer_version":"0.0.0-dev","run_id":"r1","schema_id":"gait.runpack.run","schema_version":"1.0.0","timeline":null}',
    );
    assert.equal(
      text(b, 'intents.jsonl'),
      `{"args_digest":"${digestJcs({ q: 1 })}","created_at":"2026-02-05T00:00:00.123Z","intent_id":"i1","producer_version":"0.0.0-dev","run_id":"r1","schema_id":"gait.runpack.intent","schema_version":"1.0.0","tool_name":"tool.a"}\n`,
    );
    assert.equal(text(b, 'refs.json'), '{"created_at":"2026-02-05T00:00:00.123Z","producer_version":"0.0.0-dev","receipts":[],"run_id":"r1","schema_id":"gait.runpack.refs","schema_version":"1.0.0"}');
  });

  it('keeps given offsets, an empty timeline and explicit env members', () => {
    const b = build({ run: { run_id: 'r1', created_at: '2026-02-05T09:00:00.500+09:00', env: { os: 'plan9' }, timeline: [] }, intents: [] });
    const run = JSON.parse(text(b, 'run.json')) as Record<string, unknown>;
    assert.equal(run['created_at'], '2026-02-05T09:00:00.5+09:00');
    assert.deepEqual(run['env'], { os: 'plan9', arch: 'amd64', runtime: 'node' });
    assert.deepEqual(run['timeline'], []);
    assert.equal(text(b, 'intents.jsonl'), '', 'no records → an empty entry');
    assert.equal(b.manifest.createdAt.offsetMinutes, 540);
  });

  it('rebuilds timeline relationships with exactly the §A7.3 members', () => {
    const b = build({
      run: { run_id: 'r1', created_at: '2026-02-05T00:00:00Z', timeline: [{ event: 'e', ts: '2026-02-05T00:00:01Z', relationship: { parent_ref: { kind: 'run' }, extra: 1, edges: [{ kind: 'calls' }] } }] },
    });
    const run = JSON.parse(text(b, 'run.json')) as { timeline: unknown[] };
    assert.deepEqual(run.timeline, [{ event: 'e', ts: '2026-02-05T00:00:01Z', relationship: { parent_ref: { kind: 'run', id: '' }, edges: [{ kind: 'calls', from: { kind: '', id: '' }, to: { kind: '', id: '' } }] } }]);
  });
});

describe('buildRunpack(): digest normalization (§2.4 step 3)', () => {
  it('requires a run id', () => rejects({ run: {} }, 'run_id is required'));

  it('refuses an unknown capture mode', () => rejects({ run: { run_id: 'r' }, capture_mode: 'full' }, 'capture mode must be one of: reference, raw'));

  it('an intent needs args_digest, args or a normalization entry', () => {
    rejects({ run: { run_id: 'r' }, intents: [{ intent_id: 'i1', tool_name: 't' }] }, 'intent i1 requires args_digest or normalization.intent_args');
    rejects({ run: { run_id: 'r' }, intents: [{ intent_id: 'i1', tool_name: 't', args: null }] }, 'intent i1 requires args_digest or normalization.intent_args');
    const b = build({ run: { run_id: 'r' }, intents: [{ intent_id: 'i1', tool_name: 't', args: {} }] });
    assert.equal(b.runpack.intents[0]?.argsDigest, digestJcs({}), 'an empty object counts');
  });

  it('checks args_digest against normalization.intent_args, case-insensitively', () => {
    const d = digestJcs({ secret: 'x' });
    rejects({ run: { run_id: 'r' }, intents: [{ intent_id: 'i1', tool_name: 't', args_digest: '0'.repeat(64) }], normalization: { intent_args: { i1: { secret: 'x' } } } }, 'intent i1 args digest mismatch');
    const b = build({ run: { run_id: 'r' }, intents: [{ intent_id: 'i1', tool_name: 't', args_digest: d.toUpperCase() }], normalization: { intent_args: { i1: { secret: 'x' } } } });
    assert.equal(b.runpack.intents[0]?.argsDigest, d);
  });

  it('takes a given args_digest as is without a normalization entry', () => {
    const b = build({ run: { run_id: 'r' }, intents: [{ intent_id: 'i1', tool_name: 't', args_digest: 'AB'.repeat(32), args: { a: 1 } }] });
    assert.equal(b.runpack.intents[0]?.argsDigest, 'AB'.repeat(32));
  });

  it('applies the same rules to results', () => {
    rejects({ run: { run_id: 'r' }, results: [{ intent_id: 'i1', status: 'ok' }] }, 'result i1 requires result_digest or normalization.result_payloads');
    rejects({ run: { run_id: 'r' }, results: [{ intent_id: 'i1', status: 'ok', result_digest: '1'.repeat(64) }], normalization: { result_payloads: { i1: { a: 1 } } } }, 'result i1 digest mismatch');
  });

  it('binds gait.trace receipts to their intent and result', () => {
    const base = { run: { run_id: 'r' }, intents: [intent()], results: [result()] };
    const receipt = { ref_id: 'trace_i1', source_type: ' Gait.Trace ', source_locator: 'x', retrieved_at: '2026-02-05T00:00:00Z', redaction_mode: 'reference' };
    const b = build({ ...base, refs: { receipts: [receipt] } });
    const r = b.runpack.refs.receipts[0]!;
    assert.equal(r.queryDigest, digestJcs({ tool_name: 'tool.a', args_digest: digestJcs({ q: 1 }) }));
    assert.equal(r.contentDigest, digestJcs({ ok: true }));
    rejects({ ...base, refs: { receipts: [{ ...receipt, ref_id: 'trace_nope' }] } }, 'receipt trace_nope references unknown intent nope');
    rejects({ ...base, results: [], refs: { receipts: [receipt] } }, 'receipt trace_i1 references unknown result for intent i1');
    rejects({ ...base, refs: { receipts: [{ ...receipt, query_digest: '0'.repeat(64) }] } }, 'receipt trace_i1 query digest mismatch');
    rejects({ ...base, refs: { receipts: [{ ...receipt, content_digest: '0'.repeat(64) }] } }, 'receipt trace_i1 content digest mismatch');
  });

  it('other receipts must carry both digests', () => {
    const receipt = { ref_id: 'ref_1', source_type: 'http', source_locator: 'x', redaction_mode: 'reference' };
    rejects({ run: { run_id: 'r' }, refs: { receipts: [receipt] } }, 'receipt ref_1 requires query_digest');
    rejects({ run: { run_id: 'r' }, refs: { receipts: [{ ...receipt, query_digest: '1'.repeat(64) }] } }, 'receipt ref_1 requires content_digest');
  });
});

describe('buildRunpack(): refs normalization and capture mode (§2.4 steps 4–5)', () => {
  const receipt = (id: string, extra: Record<string, unknown> = {}) => ({
    ref_id: id, source_type: 'http', source_locator: 'x', query_digest: ' AA'.padEnd(65, 'A'), content_digest: 'b'.repeat(64), redaction_mode: 'reference', ...extra,
  });

  it('lowercases digests and modes, defaults immutability and retrieved_at, sorts by ref_id, counts receipts', () => {
    const b = build({
      run: { run_id: 'r' },
      refs: { context_evidence_mode: 'REQUIRED', context_set_digest: ` ${'C'.repeat(64)} `, receipts: [receipt('ref_b', { immutability: 'Immutable', retrieved_at: '2026-02-05T09:00:00+09:00' }), receipt('ref_a')] },
    });
    const refs = b.runpack.refs;
    assert.equal(refs.contextEvidenceMode, 'required');
    assert.equal(refs.contextSetDigest, 'c'.repeat(64));
    assert.equal(refs.contextRefCount, 2);
    assert.deepEqual(refs.receipts.map((r) => r.refId), ['ref_a', 'ref_b']);
    const wire = JSON.parse(text(b, 'refs.json')) as { receipts: Record<string, unknown>[] };
    assert.deepEqual(wire.receipts.map((r) => [r['immutability'], r['retrieved_at'], r['query_digest']]), [
      ['unknown', '1980-01-01T00:00:00Z', 'a'.repeat(64)],
      ['immutable', '2026-02-05T00:00:00Z', 'a'.repeat(64)],
    ]);
  });

  it('refuses a bad evidence mode or context digest', () => {
    rejects({ run: { run_id: 'r' }, refs: { context_evidence_mode: 'maybe' } }, 'context evidence mode must be best_effort or required');
    rejects({ run: { run_id: 'r' }, refs: { context_set_digest: 'xyz' } }, 'refs context_set_digest must be 64 hex characters');
  });

  it('reference mode strips args and results after digesting, with a warning', () => {
    const b = build({ run: { run_id: 'r' }, intents: [intent()], results: [result()] });
    assert.deepEqual(b.warnings, ['reference capture stripped raw intent arguments and raw result payloads after digesting']);
    assert.equal(text(b, 'intents.jsonl').includes('"args"'), false);
    assert.equal(text(b, 'results.jsonl').includes('"result"'), false);
    assert.deepEqual(build({ run: { run_id: 'r' }, intents: [{ ...intent(), args: undefined, args_digest: '1'.repeat(64) }] }).warnings, []);
  });

  it('raw mode keeps them, with the sensitive-evidence warning', () => {
    const b = build({ run: { run_id: 'r' }, intents: [intent()], results: [result()], capture_mode: 'raw' });
    assert.deepEqual(b.warnings, ['raw capture retains raw intent arguments and raw result payloads; handle runpack as sensitive evidence']);
    assert.equal(b.manifest.captureMode, 'raw');
    assert.deepEqual(readRunpackSync(b.bytes).intents[0]?.args, { q: 1 });
  });

  it('signs when given a key, and the same input gives the same bytes', () => {
    const input = { run: { run_id: 'r', created_at: '2026-02-05T00:00:00Z' }, intents: [intent()] };
    assert.deepEqual(build(input).bytes, build(input).bytes);
    assert.equal(build(input).signatureStatus, 'missing');
  });
});
