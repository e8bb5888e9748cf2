/**
 * The incident-to-regression loop in-process (artifacts.md §4, §10): record a run, make it a fixture,
 * replay it through the current policy; a policy change that turns a recorded allow into block makes
 * `regress run` exit 5 naming the fixture and the reason.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { assertTraceSignedBy, gait, jsonLine, modeOf } from './support.js';
import { ARGS_DIGESTS, DRIFTED_POLICY, POLICY, regressWorkspace, runRecordInput } from './regress-support.js';
import type { TestIo } from '../helpers/cli-io.js';

async function recorded(): Promise<TestIo> {
  const t = regressWorkspace();
  const rec = await gait(t, 'run', 'record', '--input', 'run_input.json', '--key-mode', 'none', '--json');
  assert.equal(rec.code, 0, rec.stdout + rec.stderr);
  return t;
}

async function initialized(): Promise<TestIo> {
  const t = await recorded();
  const init = await gait(t, 'regress', 'init', '--from', 'run_demo', '--intents', 'intents.jsonl', '--policy', 'policy.yaml', '--json');
  assert.equal(init.code, 0, init.stdout + init.stderr);
  return t;
}

const PASS_JUNIT = `<?xml version="1.0" encoding="UTF-8"?>
<testsuites tests="4" failures="0" errors="0" skipped="0" time="0">
  <testsuite name="gait.regress.default" tests="4" failures="0" errors="0" skipped="0" time="0">
    <testcase name="expected_exit_code" classname="run_demo" time="0"></testcase>
    <testcase name="gate_replay" classname="run_demo" time="0"></testcase>
    <testcase name="schema_validation" classname="run_demo" time="0"></testcase>
    <testcase name="trajectory" classname="run_demo" time="0"></testcase>
  </testsuite>
</testsuites>
`;

const FAIL_JUNIT = `<?xml version="1.0" encoding="UTF-8"?>
<testsuites tests="4" failures="2" errors="0" skipped="0" time="0">
  <testsuite name="gait.regress.default" tests="4" failures="2" errors="0" skipped="0" time="0">
    <testcase name="expected_exit_code" classname="run_demo" time="0"></testcase>
    <testcase name="gate_replay" classname="run_demo" time="0">
      <failure message="unexpected_reason_codes,unexpected_verdict" type="regress_failure">unexpected_reason_codes,unexpected_verdict</failure>
    </testcase>
    <testcase name="schema_validation" classname="run_demo" time="0"></testcase>
    <testcase name="trajectory" classname="run_demo" time="0">
      <failure message="unexpected_verdict_sequence" type="regress_failure">unexpected_verdict_sequence</failure>
    </testcase>
  </testsuite>
</testsuites>
`;

describe('gait regress init', () => {
  it('writes the fixture directory and gait.yaml from a recorded run and its intents', async () => {
    const t = await recorded();
    const run = await gait(t, 'regress', 'init', '--from', 'run_demo', '--intents', 'intents.jsonl', '--policy', 'policy.yaml', '--json');
    assert.equal(run.code, 0);
    assert.deepEqual(jsonLine(run), {
      config_path: 'gait.yaml',
      correlation_id: 'cid-test',
      fixture_dir: 'fixtures/run_demo',
      fixture_name: 'run_demo',
      next_commands: ['gait regress run --json'],
      ok: true,
      run_id: 'run_demo',
      runpack_path: 'fixtures/run_demo/runpack.zip',
      warnings: ['expectation_seeded_from_current_policy'],
    });
    assert.equal(
      readFileSync(join(t.cwd, 'gait.yaml'), 'utf8'),
      'schema_id: gait.regress.config\nschema_version: 1.0.0\nfixture_set: default\nfixtures:\n  - name: run_demo\n    run_id: run_demo\n    runpack: fixtures/run_demo/runpack.zip\n',
    );
    const dir = join(t.cwd, 'fixtures/run_demo');
    assert.deepEqual(readFileSync(join(dir, 'runpack.zip')), readFileSync(join(t.cwd, 'gait-out/runpack_run_demo.zip')));
    assert.equal(modeOf(join(dir, 'intents.jsonl')), 0o600);
    const lines = readFileSync(join(dir, 'intents.jsonl'), 'utf8').trimEnd().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    assert.deepEqual(lines.map((l) => l['intent_id']), ['intent_1', 'intent_2', 'intent_3']);
    const fixture = JSON.parse(readFileSync(join(dir, 'fixture.json'), 'utf8')) as Record<string, unknown>;
    assert.deepEqual(Object.keys(fixture), [
      'schema_id',
      'schema_version',
      'name',
      'run_id',
      'runpack',
      'intents',
      'policy',
      'baseline_policy_digest',
      'expected_decisions',
      'expected_replay_exit_code',
      'expected_tool_sequence',
      'expected_verdict_sequence',
    ]);
    assert.equal(fixture['policy'], 'policy.yaml');
    const decisions = fixture['expected_decisions'] as Record<string, unknown>[];
    assert.deepEqual(
      decisions.map((d) => [d['intent_id'], d['tool_name'], d['args_digest'], d['verdict'], d['reason_codes']]),
      [
        ['intent_1', 'tool.search', ARGS_DIGESTS[0], 'allow', ['demo_tool_allowed']],
        ['intent_2', 'tool.fetch', ARGS_DIGESTS[1], 'allow', ['demo_tool_allowed']],
        ['intent_3', 'tool.summarize', ARGS_DIGESTS[2], 'allow', ['demo_tool_allowed']],
      ],
    );
    assert.deepEqual(fixture['expected_verdict_sequence'], ['allow', 'allow', 'allow']);
  });

  it('uses --expect instead of seeding, and stores reasons only when the evaluation agrees', async () => {
    const t = await recorded();
    const run = await gait(t, 'regress', 'init', '--from', 'gait-out/runpack_run_demo.zip', '--intents', 'intents.jsonl', '--policy', 'policy.yaml', '--expect', 'block', '--name', 'blocked', '--json');
    assert.equal(run.code, 0);
    assert.equal(jsonLine(run)['warnings'], undefined);
    const fixture = JSON.parse(readFileSync(join(t.cwd, 'fixtures/blocked/fixture.json'), 'utf8')) as { expected_decisions: Record<string, unknown>[] };
    assert.deepEqual(fixture.expected_decisions[0], { intent_id: 'intent_1', tool_name: 'tool.search', args_digest: ARGS_DIGESTS[0], verdict: 'block' });
  });

  it('refuses a missing --intents, unmatched runpack intents and a tampered source', async () => {
    const t = await recorded();
    const noIntents = jsonLine(await gait(t, 'regress', 'init', '--from', 'run_demo', '--policy', 'policy.yaml', '--json'));
    assert.equal(noIntents['error'], 'regress init requires --intents <file> (the gate intent requests to replay)');
    writeFileSync(join(t.cwd, 'two.jsonl'), readFileSync(join(t.cwd, 'intents.jsonl'), 'utf8').split('\n').slice(0, 2).join('\n'));
    const unmatched = await gait(t, 'regress', 'init', '--from', 'run_demo', '--intents', 'two.jsonl', '--policy', 'policy.yaml', '--json');
    assert.equal(unmatched.code, 6);
    assert.equal(jsonLine(unmatched)['error'], 'no intent request matches runpack intent intent_3');
    const zip = readFileSync(join(t.cwd, 'gait-out/runpack_run_demo.zip'));
    const idx = zip.indexOf(Buffer.from('intents.jsonl'));
    zip[idx + 40] = (zip[idx + 40] ?? 0) ^ 0xff;
    writeFileSync(join(t.cwd, 'tampered.zip'), zip);
    const tampered = await gait(t, 'regress', 'init', '--from', 'tampered.zip', '--intents', 'intents.jsonl', '--policy', 'policy.yaml', '--json');
    assert.equal(tampered.code, 2);
    assert.equal(jsonLine(tampered)['error'], 'source runpack failed integrity checks');
    assert.equal((await gait(t, 'pack', 'build', '--type', 'run', '--from', 'run_demo', '--out', 'pack.zip', '--json')).code, 0);
    const fromPack = await gait(t, 'regress', 'init', '--from', 'pack.zip', '--intents', 'intents.jsonl', '--policy', 'policy.yaml', '--name', 'from_pack', '--json');
    assert.equal(fromPack.code, 0, fromPack.stdout);
    const pack = readFileSync(join(t.cwd, 'pack.zip'));
    const at = pack.indexOf(Buffer.from('"capture_mode":"'));
    pack[at + 16] = (pack[at + 16] ?? 0) ^ 0x01;
    writeFileSync(join(t.cwd, 'tampered-pack.zip'), pack);
    const tamperedPack = await gait(t, 'regress', 'init', '--from', 'tampered-pack.zip', '--intents', 'intents.jsonl', '--policy', 'policy.yaml', '--name', 'bad_pack', '--json');
    assert.equal(tamperedPack.code, 2);
    assert.match(String(jsonLine(tamperedPack)['error']), /^regress source pack does not verify: /);
    const missing = await gait(t, 'regress', 'init', '--from', 'run_nope', '--intents', 'intents.jsonl', '--json');
    assert.equal(missing.code, 6);
    assert.equal(jsonLine(missing)['error'], 'runpack not found for run_id: run_nope');
  });
});

describe('gait regress run', () => {
  it('passes when the current policy decides as recorded', async () => {
    const t = await initialized();
    const run = await gait(t, 'regress', 'run', '--json', '--junit', 'out/junit.xml');
    assert.equal(run.code, 0);
    assert.deepEqual(jsonLine(run), {
      artifact_paths: ['regress_result.json', 'out/junit.xml'],
      correlation_id: 'cid-test',
      failed: 0,
      fixture_set: 'default',
      graders: 4,
      junit: 'out/junit.xml',
      ok: true,
      output: 'regress_result.json',
      signature_status: 'missing',
      status: 'pass',
    });
    assert.equal(readFileSync(join(t.cwd, 'out/junit.xml'), 'utf8'), PASS_JUNIT);
    const result = JSON.parse(readFileSync(join(t.cwd, 'regress_result.json'), 'utf8')) as Record<string, unknown>;
    assert.deepEqual(Object.keys(result), ['schema_id', 'schema_version', 'created_at', 'producer_version', 'fixture_set', 'status', 'graders']);
    assert.equal(result['created_at'], '2026-02-05T00:00:00Z');
    assert.equal(result['status'], 'pass');
    const text = await gait(t, 'regress', 'run');
    assert.equal(text.stdout, 'regress run ok: fixture_set=default graders=4\noutput: regress_result.json\n');
  });

  it('exits 5 naming the fixture and the reason when a policy change turns a recorded allow into block', async () => {
    const t = await initialized();
    writeFileSync(join(t.cwd, 'policy.yaml'), DRIFTED_POLICY);
    const run = await gait(t, 'regress', 'run', '--json', '--junit', 'junit.xml');
    assert.equal(run.code, 5);
    assert.deepEqual(jsonLine(run), {
      artifact_paths: ['regress_result.json', 'junit.xml'],
      correlation_id: 'cid-test',
      failed: 2,
      failures: [
        { fixture: 'run_demo', grader: 'gate_replay', name: 'run_demo/gate_replay', reason_codes: ['unexpected_reason_codes', 'unexpected_verdict'] },
        { fixture: 'run_demo', grader: 'trajectory', name: 'run_demo/trajectory', reason_codes: ['unexpected_verdict_sequence'] },
      ],
      fixture_set: 'default',
      graders: 4,
      junit: 'junit.xml',
      next_command: 'gait regress run --json',
      ok: false,
      output: 'regress_result.json',
      signature_status: 'missing',
      status: 'fail',
      top_failure_reason: 'unexpected_reason_codes',
    });
    assert.equal(readFileSync(join(t.cwd, 'junit.xml'), 'utf8'), FAIL_JUNIT);
    const text = await gait(t, 'regress', 'run');
    assert.equal(text.code, 5);
    assert.equal(
      text.stdout,
      [
        'regress run failed: fixture_set=default failed=2',
        'top_failure_reason: unexpected_reason_codes',
        'fail: run_demo/gate_replay: unexpected_reason_codes,unexpected_verdict',
        '  intent_2 tool.fetch: expected allow, got block (default_block)',
        'fail: run_demo/trajectory: unexpected_verdict_sequence',
        'next: gait regress run --json',
        'artifacts: regress_result.json',
        'output: regress_result.json',
        '',
      ].join('\n'),
    );
    const result = JSON.parse(readFileSync(join(t.cwd, 'regress_result.json'), 'utf8')) as { status: string; graders: { name: string; details: { decisions?: unknown[] } }[] };
    assert.equal(result.status, 'fail');
    const replay = result.graders.find((g) => g.name === 'run_demo/gate_replay');
    assert.deepEqual((replay?.details.decisions as Record<string, unknown>[])[1], {
      intent_id: 'intent_2',
      tool_name: 'tool.fetch',
      expected_verdict: 'allow',
      actual_verdict: 'block',
      actual_reason_codes: ['default_block'],
      intent_digest: (replay?.details.decisions as Record<string, unknown>[])[1]?.['intent_digest'],
      mismatches: ['unexpected_verdict', 'unexpected_reason_codes'],
    });
    // --policy overrides the fixture's policy: the original decisions pass again
    writeFileSync(join(t.cwd, 'original.yaml'), POLICY);
    assert.equal((await gait(t, 'regress', 'run', '--policy', 'original.yaml', '--json')).code, 0);
  });

  it('grades a tampered fixture runpack as a schema_validation failure (exit 5)', async () => {
    const t = await initialized();
    const path = join(t.cwd, 'fixtures/run_demo/runpack.zip');
    const zip = readFileSync(path);
    const idx = zip.indexOf(Buffer.from('intents.jsonl'));
    zip[idx + 40] = (zip[idx + 40] ?? 0) ^ 0xff;
    writeFileSync(path, zip);
    const run = await gait(t, 'regress', 'run', '--json');
    assert.equal(run.code, 5);
    const failures = jsonLine(run)['failures'] as { name: string; reason_codes: string[] }[];
    assert.equal(failures[failures.length - 1]?.name, 'run_demo/schema_validation');
    assert.equal((failures.find((f) => f.name === 'run_demo/schema_validation')?.reason_codes ?? []).length > 0, true);
  });

  it('fails gate_replay with fixture_intents_missing for a fixture without intents.jsonl (Gait v1)', async () => {
    const t = await initialized();
    rmSync(join(t.cwd, 'fixtures/run_demo/intents.jsonl'));
    const run = await gait(t, 'regress', 'run', '--json');
    assert.equal(run.code, 5);
    assert.equal(jsonLine(run)['top_failure_reason'], 'fixture_intents_missing');
  });

  it('exits 6 for config, policy and load errors', async () => {
    const t = await initialized();
    const noConfig = await gait(t, 'regress', 'run', '--config', 'nope.yaml', '--json');
    assert.equal(noConfig.code, 6);
    assert.equal(jsonLine(noConfig)['error'], 'regress config not found: nope.yaml');
    writeFileSync(join(t.cwd, 'empty.yaml'), 'fixtures: []\n');
    assert.equal(jsonLine(await gait(t, 'regress', 'run', '--config', 'empty.yaml', '--json'))['error'], 'no fixtures configured');
    writeFileSync(join(t.cwd, 'bad.yaml'), 'fixtures: []\nextra: 1\n');
    const bad = await gait(t, 'regress', 'run', '--config', 'bad.yaml', '--json');
    assert.equal(bad.code, 6);
    assert.equal(
      jsonLine(bad)['error'],
      'cannot load regress config `bad.yaml`: line 2, column 1: unknown key `extra` (allowed: schema_id, schema_version, fixture_set, policy, fixtures)',
    );
    const noPolicy = await gait(t, 'regress', 'run', '--policy', 'missing.yaml', '--json');
    assert.equal(noPolicy.code, 6);
    assert.equal(jsonLine(noPolicy)['error'], 'regress policy not found for fixture `run_demo`: missing.yaml');
    writeFileSync(join(t.cwd, 'mismatch.yaml'), 'fixtures:\n  - name: run_demo\n    run_id: run_other\n    runpack: fixtures/run_demo/runpack.zip\n');
    const mismatch = await gait(t, 'regress', 'run', '--config', 'mismatch.yaml', '--json');
    assert.equal(mismatch.code, 6);
    assert.equal(jsonLine(mismatch)['error'], 'regress fixture `run_demo`: fixtures/run_demo/fixture.json has run_id `run_demo`, gait.yaml says `run_other`');
    const fixturePath = join(t.cwd, 'fixtures/run_demo/fixture.json');
    const original = readFileSync(fixturePath, 'utf8');
    for (const unsafe of ['../runpack.zip', './runpack.zip', 'a//runpack.zip', 'C:runpack.zip']) {
      writeFileSync(fixturePath, JSON.stringify({ ...(JSON.parse(original) as Record<string, unknown>), runpack: unsafe }));
      const refused = await gait(t, 'regress', 'run', '--json');
      assert.equal(refused.code, 6, unsafe);
      assert.equal(jsonLine(refused)['error'], 'regress fixture `run_demo`: fixtures/run_demo/fixture.json: runpack and intents must be relative paths inside the fixture directory');
    }
  });

  it('signs regress_result.json when a key is available (artifacts.md §1.2)', async () => {
    const t = await initialized();
    const run = await gait(t, 'regress', 'run', '--key-mode', 'dev', '--json');
    assert.equal(run.code, 0);
    assert.equal(jsonLine(run)['signature_status'], 'signed');
    const result = JSON.parse(readFileSync(join(t.cwd, 'regress_result.json'), 'utf8')) as Record<string, unknown>;
    assertTraceSignedBy(result, join(t.cwd, '.gait/keys/dev_public.key'));
    // the dev pair now exists: the next run signs without --key-mode; --key-mode none opts out
    assert.equal(jsonLine(await gait(t, 'regress', 'run', '--json'))['signature_status'], 'signed');
    assert.equal(jsonLine(await gait(t, 'regress', 'run', '--key-mode', 'none', '--json'))['signature_status'], 'missing');
  });
});

describe('gait regress bootstrap', () => {
  it('initializes and runs in one step', async () => {
    const t = await recorded();
    const run = await gait(t, 'regress', 'bootstrap', '--from', 'run_demo', '--intents', 'intents.jsonl', '--policy', 'policy.yaml', '--junit', 'gait-out/junit.xml', '--json');
    assert.equal(run.code, 0, run.stdout);
    assert.deepEqual(jsonLine(run), {
      artifact_paths: ['regress_result.json', 'gait-out/junit.xml'],
      config_path: 'gait.yaml',
      correlation_id: 'cid-test',
      failed: 0,
      fixture_dir: 'fixtures/run_demo',
      fixture_name: 'run_demo',
      fixture_set: 'default',
      graders: 4,
      junit: 'gait-out/junit.xml',
      ok: true,
      output: 'regress_result.json',
      run_id: 'run_demo',
      runpack_path: 'fixtures/run_demo/runpack.zip',
      signature_status: 'missing',
      status: 'pass',
      warnings: ['expectation_seeded_from_current_policy'],
    });
    assert.equal(readFileSync(join(t.cwd, 'gait-out/junit.xml'), 'utf8'), PASS_JUNIT);
  });
});

describe('gait regress add', () => {
  it('accepts a capture receipt of a runpack', async () => {
    const t = await recorded();
    writeFileSync(
      join(t.cwd, 'capture.json'),
      JSON.stringify({ schema_id: 'gait.capture.receipt', schema_version: '1.0.0', ok: true, from: 'run_demo', artifact_type: 'runpack', artifact_path: 'gait-out/runpack_run_demo.zip', run_id: 'run_demo', output_path: 'capture.json' }),
    );
    const run = await gait(t, 'regress', 'add', '--from', 'capture.json', '--intents', 'intents.jsonl', '--policy', 'policy.yaml', '--json');
    assert.equal(run.code, 0, run.stdout);
    assert.equal(jsonLine(run)['fixture_name'], 'run_demo');
    writeFileSync(join(t.cwd, 'trace-capture.json'), JSON.stringify({ schema_id: 'gait.capture.receipt', artifact_type: 'trace', artifact_path: 't.json' }));
    const trace = await gait(t, 'regress', 'add', '--from', 'trace-capture.json', '--intents', 'intents.jsonl', '--json');
    assert.equal(trace.code, 6);
    assert.equal(jsonLine(trace)['error'], 'capture receipt `trace-capture.json` is not for a runpack (artifact_type `trace`)');
  });
});

describe('regress progress', () => {
  async function twoFixtures(isTty: boolean): Promise<TestIo> {
    const t = regressWorkspace({ isTty });
    for (const id of ['run_a', 'run_b']) {
      writeFileSync(join(t.cwd, 'run_input.json'), JSON.stringify(runRecordInput(id)));
      assert.equal((await gait(t, 'run', 'record', '--input', 'run_input.json', '--key-mode', 'none')).code, 0);
      assert.equal((await gait(t, 'regress', 'init', '--from', id, '--intents', 'intents.jsonl', '--policy', 'policy.yaml')).code, 0);
    }
    return t;
  }

  it('draws a progress line on a TTY stderr and clears it', async () => {
    const t = await twoFixtures(true);
    const run = await gait(t, 'regress', 'run');
    assert.equal(run.code, 0);
    assert.equal(run.stderr, '\r\u001b[2Kregress 1/2 run_a\r\u001b[2Kregress 2/2 run_b\r\u001b[2K');
    assert.equal((await gait(t, 'regress', 'run', '--json')).stderr, '');
  });

  it('is silent when stderr is not a terminal', async () => {
    const t = await twoFixtures(false);
    assert.equal((await gait(t, 'regress', 'run')).stderr, '');
  });
});

describe('gait/node runRegressConfig()', () => {
  it('runs gait.yaml in-process and writes the outputs', async () => {
    const t = await initialized();
    const { runRegressConfig } = await import('../../src/node.js');
    const pass = runRegressConfig({ cwd: t.cwd, junit: 'junit.xml' });
    assert.equal(pass.status, 'pass');
    assert.equal(readFileSync(join(t.cwd, 'junit.xml'), 'utf8'), PASS_JUNIT);
    assert.equal(readFileSync(join(t.cwd, 'regress_result.json'), 'utf8'), pass.resultText);
    writeFileSync(join(t.cwd, 'policy.yaml'), DRIFTED_POLICY);
    const fail = runRegressConfig({ cwd: t.cwd, output: false });
    assert.equal(fail.status, 'fail');
    assert.equal(fail.topFailureReason, 'unexpected_reason_codes');
  });
});
