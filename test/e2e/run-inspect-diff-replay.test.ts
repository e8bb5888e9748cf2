/**
 * `gait run inspect`, `run diff`, `run replay`, `run receipt` in-process (artifacts.md §2.6, §2.9–§2.11):
 * integrity failures met while reading are exit 2 (§10).
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { craftZip } from '../helpers/zip-craft.js';
import type { TestIo } from '../helpers/cli-io.js';
import { gait, invalidInput, jsonLine, modeOf } from './support.js';
import { record, recordWorkspace, unzipIndependently, V3_MANIFEST_DIGEST } from './runpack/fixtures.js';

async function recorded(overrides: Record<string, unknown> = {}, ...flags: string[]): Promise<TestIo> {
  const t = recordWorkspace(overrides);
  assert.equal((await record(t, ...flags)).code, 0);
  return t;
}

async function tampered(t: TestIo): Promise<string> {
  const map = await unzipIndependently(readFileSync(join(t.cwd, 'gait-out/runpack_run_tck.zip')));
  writeFileSync(join(t.cwd, 'tampered.zip'), craftZip([...map].map(([name, data]) => ({ name, data: name === 'run.json' ? Buffer.from('{"run_id":"x"}') : data }))));
  return 'tampered.zip';
}

describe('gait run inspect', () => {
  it('lists intents with their first result', async () => {
    const t = await recorded();
    const out = jsonLine(await gait(t, 'run', 'inspect', '--from', 'run_tck', '--json'));
    assert.deepEqual(out, {
      artifact_type: 'runpack',
      capture_mode: 'reference',
      correlation_id: 'cid-test',
      entries: [
        {
          args_digest: '1'.repeat(64),
          created_at: '2026-02-14T00:00:00Z',
          index: 1,
          intent_id: 'intent_1',
          reason_codes: [],
          result_digest: '2'.repeat(64),
          status: 'ok',
          tool_name: 'echo',
          verdict: '',
          violations: [],
        },
      ],
      intents_total: 1,
      ok: true,
      path: 'gait-out/runpack_run_tck.zip',
      results_total: 1,
      run_id: 'run_tck',
    });
    const text = await gait(t, 'run', 'inspect', 'run_tck');
    assert.deepEqual(text.stdout.trimEnd().split('\n'), [
      'run inspect: run_id=run_tck intents=1 results=1 capture_mode=reference',
      'path: gait-out/runpack_run_tck.zip',
      '1. intent=intent_1 tool=echo status=ok',
    ]);
  });

  it('a tampered runpack is a verification failure (exit 2)', async () => {
    const t = await recorded();
    const run = await gait(t, 'run', 'inspect', await tampered(t), '--json');
    assert.equal(run.code, 2);
    assert.deepEqual([jsonLine(run)['error'], jsonLine(run)['error_code']], ['runpack hash mismatch: run.json', 'verification_failed']);
  });
});

describe('gait run diff', () => {
  it('a runpack against itself: ok, exit 0', async () => {
    const t = await recorded();
    const run = await gait(t, 'run', 'diff', 'run_tck', 'gait-out/runpack_run_tck.zip', '--json');
    assert.equal(run.code, 0);
    assert.deepEqual(jsonLine(run), {
      correlation_id: 'cid-test',
      ok: true,
      privacy: 'full',
      summary: {
        context_drift_classification: 'none',
        intents_changed: false,
        manifest_changed: false,
        refs_changed: false,
        results_changed: false,
        run_id_left: 'run_tck',
        run_id_right: 'run_tck',
      },
    });
  });

  it('a changed intent: exit 2, and --output writes {privacy, summary} with mode 0600', async () => {
    const t = await recorded();
    writeFileSync(join(t.cwd, 'run_record.json'), readFileSync(join(t.cwd, 'run_record.json'), 'utf8').replace('"echo"', '"echo2"'));
    assert.equal((await record(t, '--run-id', 'run_b')).code, 0);
    const run = await gait(t, 'run', 'diff', 'run_tck', 'run_b', '--output', 'diff.json', '--json');
    assert.equal(run.code, 2);
    const out = jsonLine(run);
    assert.deepEqual((out['summary'] as Record<string, unknown>)['intents_changed'], true);
    assert.equal(out['ok'], false);
    const written = JSON.parse(readFileSync(join(t.cwd, 'diff.json'), 'utf8')) as Record<string, unknown>;
    assert.deepEqual(Object.keys(written), ['privacy', 'summary']);
    assert.equal(modeOf(join(t.cwd, 'diff.json')), 0o600);
    assert.deepEqual((await gait(t, 'run', 'diff', 'run_tck', 'run_b')).stdout, 'diff changed: run_tck vs run_b\n');
  });

  it('bad privacy value (exit 6); tampered input (exit 2)', async () => {
    const t = await recorded();
    invalidInput(await gait(t, 'run', 'diff', 'run_tck', 'run_tck', '--privacy', 'none', '--json'));
    assert.equal((await gait(t, 'run', 'diff', 'run_tck', await tampered(t), '--json')).code, 2);
  });
});

describe('gait run replay', () => {
  it('stub mode replays recorded results (exit 0)', async () => {
    const t = await recorded();
    const out = jsonLine(await gait(t, 'run', 'replay', 'run_tck', '--json'));
    assert.deepEqual(out, {
      correlation_id: 'cid-test',
      mode: 'stub',
      ok: true,
      run_id: 'run_tck',
      steps: [{ execution: 'recorded', intent_id: 'intent_1', result_digest: '2'.repeat(64), status: 'ok', tool_name: 'echo' }],
    });
    assert.equal((await gait(t, 'run', 'replay', 'run_tck')).stdout, 'replay ok: run_tck (stub)\n');
  });

  it('a missing result exits 2; real mode guards exit 8', async () => {
    const t = await recorded({ results: [], refs: {} });
    const run = await gait(t, 'run', 'replay', 'run_tck', '--json');
    assert.equal(run.code, 2);
    assert.deepEqual(jsonLine(run)['missing_results'], ['intent_1']);
    const real = await gait(t, 'run', 'replay', 'run_tck', '--real-tools', '--json');
    assert.equal(real.code, 8);
    assert.equal(jsonLine(real)['error'], 'real tool execution requires --unsafe-real-tools');
    const guarded = await gait(t, 'run', 'replay', 'run_tck', '--real-tools', '--unsafe-real-tools', '--allow-tools', 'echo', '--json');
    assert.equal(guarded.code, 8);
    assert.equal(jsonLine(guarded)['error'], 'real tool execution requires GAIT_ALLOW_REAL_REPLAY=1');
  });
});

describe('gait run receipt', () => {
  it('prints the ticket footer of a verified runpack', async () => {
    const t = await recorded();
    const footer = `GAIT run_id=run_tck manifest=sha256:${V3_MANIFEST_DIGEST} verify="gait verify run_tck"`;
    assert.equal((await gait(t, 'run', 'receipt', '--from', 'run_tck')).stdout, `${footer}\n`);
    assert.deepEqual(jsonLine(await gait(t, 'run', 'receipt', 'run_tck', '--json')), {
      correlation_id: 'cid-test',
      manifest_digest: V3_MANIFEST_DIGEST,
      ok: true,
      path: 'gait-out/runpack_run_tck.zip',
      run_id: 'run_tck',
      ticket_footer: footer,
    });
  });

  it('refuses a runpack that fails verification (exit 2) and a run id outside the footer contract (exit 1)', async () => {
    const t = await recorded();
    const bad = await gait(t, 'run', 'receipt', await tampered(t), '--json');
    assert.deepEqual([bad.code, jsonLine(bad)['error']], [2, 'runpack verification failed']);
    const dotted = await recorded({}, '--run-id', 'run.1');
    const run = await gait(dotted, 'run', 'receipt', 'gait-out/runpack_run.1.zip', '--json');
    assert.deepEqual([run.code, jsonLine(run)['error']], [1, 'ticket footer contract validation failed']);
  });
});
