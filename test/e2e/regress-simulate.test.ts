/**
 * `gait policy simulate` over recorded production calls (issue 4): runpacks, regress fixtures,
 * gait.yaml and JSONL intent files as the corpus, with the verdict changes grouped by tool and reason.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gait, jsonLine } from './support.js';
import { DRIFTED_POLICY, regressWorkspace } from './regress-support.js';
import type { TestIo } from '../helpers/cli-io.js';

async function corpusWorkspace(captureMode: 'raw' | 'reference'): Promise<TestIo> {
  const t = regressWorkspace({ isTty: false });
  writeFileSync(join(t.cwd, 'candidate.yaml'), DRIFTED_POLICY);
  assert.equal((await gait(t, 'run', 'record', '--input', 'run_input.json', '--capture-mode', captureMode, '--key-mode', 'none')).code, 0);
  assert.equal((await gait(t, 'regress', 'init', '--from', 'run_demo', '--intents', 'intents.jsonl', '--policy', 'policy.yaml')).code, 0);
  return t;
}

function simulate(t: TestIo, fixtures: string, ...extra: string[]) {
  return gait(t, 'policy', 'simulate', '--policy', 'candidate.yaml', '--baseline', 'policy.yaml', '--fixtures', fixtures, ...extra);
}

describe('gait policy simulate over recorded calls', () => {
  it('replays a regress fixture, a runpack, gait.yaml and a JSONL file, grouping verdict changes by tool and reason', async () => {
    const t = await corpusWorkspace('raw');
    const run = await simulate(t, 'fixtures/run_demo,gait-out/runpack_run_demo.zip,gait.yaml,intents.jsonl', '--json');
    assert.equal(run.code, 0, run.stdout);
    const json = jsonLine(run);
    // gait.yaml names fixtures/run_demo again: those calls count once
    assert.equal(json['fixtures_total'], 9);
    assert.equal(json['changed_fixtures'], 3);
    assert.equal(json['recommendation'], 'require_approval');
    assert.deepEqual(json['decision_diff'], [
      {
        baseline_verdict: 'allow',
        calls: ['fixtures/run_demo#intent_2', 'gait-out/runpack_run_demo.zip#intent_2', 'intents.jsonl#line_2'],
        candidate_reason_codes: ['default_block'],
        candidate_verdict: 'block',
        count: 3,
        tool_name: 'tool.fetch',
      },
    ]);
    assert.deepEqual(
      (json['changed'] as { fixture_path: string; tool_name: string }[]).map((c) => [c.fixture_path, c.tool_name]),
      [
        ['fixtures/run_demo#intent_2', 'tool.fetch'],
        ['gait-out/runpack_run_demo.zip#intent_2', 'tool.fetch'],
        ['intents.jsonl#line_2', 'tool.fetch'],
      ],
    );
    assert.deepEqual(json['warnings'], [
      'gait-out/runpack_run_demo.zip: runpack intents carry no IntentRequest context; evaluated as identity gait.runpack, workspace ., risk_class low; use a regress fixture for exact replay',
    ]);
    const text = await simulate(t, 'fixtures/run_demo');
    assert.equal(text.stdout, 'policy simulate fixtures=3 changed=1 recommendation=require_approval\n  tool.fetch: allow -> block (default_block) x1\n');
  });

  it('walks directories for regress fixtures and runpacks', async () => {
    const t = await corpusWorkspace('raw');
    const json = jsonLine(await simulate(t, 'fixtures,gait-out', '--json'));
    assert.equal(json['fixtures_total'], 6);
    assert.equal(json['changed_fixtures'], 2);
  });

  it('warns that a reference-mode runpack carries no arguments', async () => {
    const t = await corpusWorkspace('reference');
    const json = jsonLine(await simulate(t, 'gait-out/runpack_run_demo.zip', '--json'));
    assert.equal(json['changed_fixtures'], 1);
    assert.deepEqual(json['warnings'], [
      'gait-out/runpack_run_demo.zip: runpack intents carry no IntentRequest context; evaluated as identity gait.runpack, workspace ., risk_class low and without arguments (reference capture); use a regress fixture for exact replay',
    ]);
  });

  it('refuses a tampered runpack as a verification failure (exit 2)', async () => {
    const t = await corpusWorkspace('raw');
    writeFileSync(join(t.cwd, 'bad.zip'), 'not a zip');
    const run = await simulate(t, 'bad.zip', '--json');
    assert.equal(run.code, 2);
  });
});
