/* eslint-disable @typescript-eslint/no-explicit-any -- the tests edit parsed JSON documents in place */
/** readRunpack(), diffRunpacks(), replayRunpackStub(), inspectRunpack(), ticketFooter() (artifacts.md §2.6, §2.9–§2.11). */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { buildRunpackSync } from '../../../../src/artifacts/runpack/build.js';
import { diffRunpacks } from '../../../../src/artifacts/runpack/diff.js';
import { isTicketFooter, ticketFooter } from '../../../../src/artifacts/runpack/footer.js';
import { parseRunpackInput } from '../../../../src/artifacts/runpack/input.js';
import { inspectRunpack } from '../../../../src/artifacts/runpack/inspect.js';
import { readRunpack, readRunpackSync } from '../../../../src/artifacts/runpack/read.js';
import { replayRunpackStub, stubTypeOf } from '../../../../src/artifacts/runpack/replay.js';
import { openZip } from '../../../../src/artifacts/zip/read.js';
import { GaitError } from '../../../../src/errors/error.js';
import { fixedClock } from '../../../../src/runtime/clock.js';
import { craftZip } from '../../../helpers/zip-craft.js';
import { v1Input } from './vectors.js';

const clock = fixedClock({ seconds: 0, nanos: 0, offsetMinutes: 0 });
const T = '2026-02-05T00:00:00Z';

function pack(input: Record<string, unknown>) {
  return readRunpackSync(buildRunpackSync(parseRunpackInput(input), { clock }).bytes);
}

function v1With(edit: (x: Record<string, any>) => void) {
  const input = v1Input() as Record<string, any>;
  edit(input);
  return pack(input);
}

describe('readRunpack()', () => {
  it('returns the parsed records', async () => {
    const p = await readRunpack(buildRunpackSync(parseRunpackInput(v1Input()), { clock }).bytes);
    assert.equal(p.manifest.runId, 'run_integration');
    assert.deepEqual(p.intents.map((i) => [i.intentId, i.toolName]), [['intent_1', 'tool.search'], ['intent_2', 'tool.fetch']]);
    assert.deepEqual(p.results.map((r) => r.status), ['ok', 'ok']);
    assert.equal(p.refs.receipts.length, 2);
    assert.equal(p.run.timeline?.length, 2);
    assert.deepEqual([...p.entries.keys()].sort(), ['intents.jsonl', 'manifest.json', 'refs.json', 'results.jsonl', 'run.json']);
  });

  it('throws a verification failure for a tampered, unsafe or incomplete runpack', async () => {
    const good = buildRunpackSync(parseRunpackInput(v1Input()), { clock }).bytes;
    const zip = openZip(good);
    const entries = zip.entries.map((e) => ({ name: e.name, data: zip.read(e.name) }));
    const cases: [Uint8Array, RegExp][] = [
      [craftZip(entries.map((e) => (e.name === 'run.json' ? { ...e, data: Buffer.from('{}') } : e))), /^runpack hash mismatch: run\.json$/],
      [craftZip(entries.filter((e) => e.name !== 'results.jsonl')), /^missing runpack files: results\.jsonl$/],
      [craftZip([...entries, { name: 'x.sh', data: 'evil' }]), /^runpack has undeclared files: x\.sh$/],
      [craftZip([...entries, { name: '../x', data: 'evil' }]), /^unsafe zip entry name: \.\.\/x$/],
      [good.subarray(0, 100), /^zip archive is truncated/],
    ];
    for (const [bytes, message] of cases) {
      await assert.rejects(readRunpack(bytes), (err: unknown) => err instanceof GaitError && err.category === 'verification_failed' && message.test(err.message));
    }
  });
});

describe('diffRunpacks()', () => {
  const base = pack(v1Input());

  it('ignores run id, producer version and creation time', () => {
    const other = v1With((x) => {
      for (const r of [x.run, ...x.intents, ...x.results, x.refs]) {
        r.run_id = 'run_other';
        r.created_at = '2030-01-01T00:00:00Z';
        r.producer_version = '9.9.9';
      }
    });
    const d = diffRunpacks(base, other);
    assert.equal(d.ok, true);
    assert.deepEqual([d.summary.runIdLeft, d.summary.runIdRight], ['run_integration', 'run_other']);
  });

  it('reports changed and one-sided intents and results', () => {
    const other = v1With((x) => {
      x.intents[0].tool_name = 'tool.other';
      x.intents.push({ intent_id: 'intent_3', tool_name: 't', args: {} });
      x.results.pop();
    });
    const s = diffRunpacks(base, other).summary;
    assert.deepEqual([s.intentsChanged, s.resultsChanged, s.refsChanged, s.manifestChanged], [true, true, false, false]);
    assert.deepEqual([s.leftOnlyIntents, s.rightOnlyIntents, s.leftOnlyResults, s.rightOnlyResults], [[], ['intent_3'], ['intent_2'], []]);
  });

  it('privacy metadata ignores payloads (raw mode)', () => {
    const a = v1With((x) => (x.capture_mode = 'raw'));
    const b = v1With((x) => {
      x.capture_mode = 'raw';
      x.results[0].result = { ok: true, message: 'different' };
      x.results[0].result_digest = 'f'.repeat(64);
      x.results[0].result = { other: 1 };
    });
    assert.equal(diffRunpacks(a, b, 'full').summary.resultsChanged, true);
    assert.equal(diffRunpacks(a, b, 'metadata').summary.resultsChanged, true, 'the digest still differs');
    const c = v1With((x) => {
      x.capture_mode = 'raw';
      x.normalization = { result_payloads: {} };
      x.results[0].result_digest = undefined;
    });
    assert.equal(diffRunpacks(a, c, 'metadata').summary.resultsChanged, false);
  });

  it('classifies context drift: none, runtime_only, semantic', () => {
    const retrieved = v1With((x) => (x.refs.receipts[0].retrieved_at = '2026-03-01T00:00:00Z'));
    const r1 = diffRunpacks(base, retrieved).summary;
    assert.deepEqual([r1.refsChanged, r1.contextDriftClassification], [true, 'none'], 'digests equal: not a context change');
    const setDigest = v1With((x) => {
      x.refs.context_set_digest = 'a'.repeat(64);
      x.refs.receipts[0].retrieved_at = '2026-03-01T00:00:00Z';
    });
    const r2 = diffRunpacks(base, setDigest).summary;
    assert.deepEqual([r2.refsChanged, r2.contextDriftClassification, r2.contextRuntimeOnlyChanges], [true, 'runtime_only', true]);
    const content = v1With((x) => (x.refs.receipts[0].content_digest = 'b'.repeat(64)));
    assert.equal(diffRunpacks(base, content).summary.contextDriftClassification, 'semantic');
    assert.deepEqual(diffRunpacks(base, content, 'metadata').summary.refsChanged, false, 'metadata: receipt counts only');
  });
});

describe('replayRunpackStub()', () => {
  it('classifies tools by substring, first match wins', () => {
    assert.deepEqual(['http.get', 'web.fetch', 'file.write', 'fs.read', 'sql.query', 'kafka.publish', 'echo', 'URL_open'].map(stubTypeOf), [
      'http', 'http', 'file', 'file', 'db', 'queue', undefined, 'http',
    ]);
    assert.equal(stubTypeOf('db.write_file'), 'file', 'file is checked before db');
  });

  it('stubs intents without results deterministically and reports missing ones', () => {
    const p = v1With((x) => {
      x.results = [];
      x.refs.receipts = [];
      x.intents.push({ intent_id: 'intent_3', tool_name: 'echo', args: {} });
    });
    const out = replayRunpackStub(p);
    assert.equal(out.ok, false);
    assert.deepEqual(out.missingResults, ['intent_1', 'intent_3'], 'tool.search and echo match no stub class');
    const expected = createHash('sha256').update('run_integration:intent_2:tool.fetch:729ed0387626bf22a759c29e04dfd4a9a489dab77e4c310e01da358bd568941f:http').digest('hex');
    assert.deepEqual(out.steps[1], { intentId: 'intent_2', toolName: 'tool.fetch', status: 'stubbed', execution: 'stubbed', stubType: 'http', resultDigest: expected });
    assert.deepEqual(out.steps[2], { intentId: 'intent_3', toolName: 'echo', status: 'missing_result', execution: 'missing', resultDigest: '' });
  });

  it('refuses duplicate intent or result ids', () => {
    const dup = v1With((x) => x.intents.push({ ...x.intents[0] }));
    assert.throws(() => replayRunpackStub(dup), /duplicate intent id intent_1/);
    const dupResult = v1With((x) => x.results.push({ ...x.results[0] }));
    assert.throws(() => replayRunpackStub(dupResult), /duplicate result id intent_1/);
  });
});

describe('inspectRunpack()', () => {
  it('uses the first result per intent, warns about later ones, lists unmatched results', () => {
    const p = v1With((x) => {
      x.capture_mode = 'raw';
      x.results = [
        { intent_id: 'intent_1', status: 'error', result: { verdict: 'block', reason_codes: ['blocked_external'], violations: ['external_target'] } },
        { intent_id: 'intent_1', status: 'ok', result: { ok: true } },
        { intent_id: 'ghost', status: 'ok', result: { ok: true } },
      ];
      x.refs.receipts = [];
    });
    const view = inspectRunpack(p);
    assert.deepEqual(view.entries.map((e) => [e.index, e.intentId, e.status, e.verdict, e.reasonCodes, e.violations, e.createdAt]), [
      [1, 'intent_1', 'error', 'block', ['blocked_external'], ['external_target'], T],
      [2, 'intent_2', '', '', [], [], T],
    ]);
    assert.deepEqual(view.warnings, ['multiple result records for intent_id=intent_1 (kept first)']);
    assert.deepEqual(view.unmatchedResults, ['ghost']);
  });
});

describe('ticketFooter()', () => {
  it('renders and validates the §2.6 footer', () => {
    const d = '5df30db691a7623bbad16c19ddda77f801ac9aad853a615ca6511c628f21f5d8';
    const line = ticketFooter('run_integration', d);
    assert.equal(line, `GAIT run_id=run_integration manifest=sha256:${d} verify="gait verify run_integration"`);
    assert.equal(isTicketFooter(line), true);
    assert.equal(isTicketFooter(line.replace('verify run_integration', 'verify other')), false);
    assert.throws(() => ticketFooter('run.1', d), (err: unknown) => err instanceof GaitError && err.code === 'internal_failure' && err.message === 'ticket footer contract validation failed');
  });
});
