/**
 * `gait gate eval` options (gate.md §A7.2, §A12.3, §B12, D8): `--trace-out`, `--profile oss-prod`,
 * `--evaluation-time` and `--simulate`. Every refusal is exit 6 and leaves the workspace untouched.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  gait,
  invalidInput,
  jsonLine,
  listTree,
  modeOf,
  readJson,
  shortIdOf,
  traceFiles,
  V1_POLICY_DIGEST,
  V2_POLICY_DIGEST,
  V3_INTENT_DIGEST,
  V3_TRACE_ID,
  V4_PRIVATE_KEY,
  workspace,
} from './support.js';

const PROD_KEY = ['--key-mode', 'prod', '--private-key', V4_PRIVATE_KEY];
const EVAL = ['gate', 'eval', '--policy', 'policy.yaml', '--intent', 'intent.json', '--json'];
const INPUTS_ONLY = ['intent.json', 'policy.yaml'];

describe('gait gate eval --trace-out', () => {
  it('writes the named path, creating parent directories 0750', async () => {
    const t = workspace();
    const run = await gait(t, ...EVAL, ...PROD_KEY, '--trace-out', 'out/nested/t.json');
    assert.equal(run.code, 3);
    assert.equal(jsonLine(run)['trace_path'], 'out/nested/t.json');
    assert.equal(modeOf(join(t.cwd, 'out')), 0o750);
    assert.equal(modeOf(join(t.cwd, 'out/nested')), 0o750);
    assert.equal(modeOf(join(t.cwd, 'out/nested/t.json')), 0o600);
    assert.equal(readJson(join(t.cwd, 'out/nested/t.json'))['trace_id'], V3_TRACE_ID);
    assert.deepEqual(traceFiles(t.cwd), []);
  });

  for (const bad of ['../t.json', 'a/../t.json', 'a/b/../../../t.json', './..']) {
    it(`rejects the relative path \`${bad}\` with a \`..\` segment and writes nothing`, async () => {
      const t = workspace();
      const err = invalidInput(await gait(t, ...EVAL, '--trace-out', bad));
      assert.equal(err['error'], 'relative trace path must not traverse parent directories');
      assert.deepEqual(listTree(t.cwd), INPUTS_ONLY);
    });
  }

  it('accepts an absolute path even with a `..` segment (only relative paths are checked)', async () => {
    const t = workspace();
    const run = await gait(t, ...EVAL, ...PROD_KEY, '--trace-out', `${t.cwd}/sub/../abs.json`);
    assert.equal(run.code, 3);
    assert.equal(readJson(join(t.cwd, 'abs.json'))['trace_id'], V3_TRACE_ID);
  });
});

describe('gait gate eval --profile', () => {
  const refusals: readonly (readonly [string, readonly string[], string])[] = [
    ['--simulate', ['--profile', 'oss-prod', '--simulate', ...PROD_KEY], 'oss-prod profile does not allow --simulate'],
    ['dev key mode', ['--profile', 'oss-prod'], 'oss-prod profile requires --key-mode prod'],
    ['explicit dev key mode', ['--profile', 'oss-prod', '--key-mode', 'dev', '--private-key', V4_PRIVATE_KEY], 'oss-prod profile requires --key-mode prod'],
    ['no private key', ['--profile', 'oss-prod', '--key-mode', 'prod'], 'oss-prod profile requires --private-key or --private-key-env'],
    [
      'default_verdict allow',
      ['--profile', 'oss-prod', ...PROD_KEY],
      'oss-prod profile rejects policy default_verdict=allow; use default_verdict: block or require_approval',
    ],
    ['an unknown profile', ['--profile', 'prod'], 'unsupported --profile value "prod" (expected standard or oss-prod)'],
  ];
  for (const [what, flags, message] of refusals) {
    it(`refuses ${what} with exit 6 and the exact message`, async () => {
      const t = workspace();
      const err = invalidInput(await gait(t, ...EVAL, ...flags));
      assert.equal(err['error'], message);
      assert.deepEqual(listTree(t.cwd), INPUTS_ONLY);
    });
  }

  for (const effect of ['allow', 'require_approval']) {
    it(`refuses a high-risk ${effect} rule without require_broker_credential`, async () => {
      const t = workspace();
      writeFileSync(
        join(t.cwd, 'policy.yaml'),
        `default_verdict: block\nrules:\n  - name: hr\n    priority: 1\n    effect: ${effect}\n    match: {risk_classes: [low, critical]}\n`,
      );
      const err = invalidInput(await gait(t, ...EVAL, '--profile', 'oss-prod', ...PROD_KEY));
      assert.equal(err['error'], 'oss-prod profile requires high-risk allow/approval rules to set require_broker_credential: true');
      assert.deepEqual(listTree(t.cwd), INPUTS_ONLY);
    });
  }

  it('evaluates a conforming policy under oss-prod and reports the profile', async () => {
    const t = workspace();
    writeFileSync(
      join(t.cwd, 'policy.yaml'),
      'default_verdict: require_approval\nrules:\n  - name: hr\n    priority: 1\n    effect: block\n    match: {risk_classes: [high]}\n',
    );
    const run = await gait(t, ...EVAL, '--profile', 'oss-prod', ...PROD_KEY);
    assert.equal(run.code, 3);
    const out = jsonLine(run);
    assert.equal(out['profile'], 'oss-prod');
    assert.equal(out['matched_rule'], 'hr');
    assert.equal(out['warnings'], undefined);
  });
});

describe('gait gate eval --evaluation-time', () => {
  for (const bad of ['yesterday', '2026-02-05', '2026-02-05 00:00:00Z', '2026-13-01T00:00:00Z']) {
    it(`refuses \`${bad}\` with exit 6`, async () => {
      const t = workspace();
      const err = invalidInput(await gait(t, ...EVAL, '--evaluation-time', bad));
      assert.match(String(err['error']), /^invalid --evaluation-time: /);
      assert.equal(String(err['error']).includes(bad), true, 'the message names the value');
      assert.deepEqual(listTree(t.cwd), INPUTS_ONLY);
    });
  }

  it('accepts RFC 3339 with an offset and keeps the wall clock for observed_at', async () => {
    const t = workspace();
    const run = await gait(t, ...EVAL, ...PROD_KEY, '--evaluation-time', '2030-01-01T09:30:00.5+02:00');
    assert.equal(run.code, 3);
    const trace = readJson(join(t.cwd, `trace_${V3_TRACE_ID}.json`));
    assert.equal(trace['observed_at'], '2026-02-05T00:00:00Z');
  });
});

describe('gait gate eval --simulate (§B12, D8)', () => {
  it('exits 0 for a block, presents allow, and the trace keeps the real verdict', async () => {
    const t = workspace();
    const run = await gait(t, ...EVAL, ...PROD_KEY, '--simulate');
    assert.equal(run.code, 0);
    assert.deepEqual(jsonLine(run), {
      correlation_id: 'cid-test',
      intent_digest: V3_INTENT_DIGEST,
      matched_rule: 'block-external-host',
      ok: true,
      phase: 'apply',
      policy_digest: V2_POLICY_DIGEST,
      profile: 'standard',
      reason_codes: ['blocked_external', 'simulate_mode_non_enforcing', 'simulated_block'],
      simulate_mode: true,
      simulated_reason_codes: ['blocked_external'],
      simulated_verdict: 'block',
      trace_id: V3_TRACE_ID,
      trace_path: `trace_${V3_TRACE_ID}.json`,
      verdict: 'allow',
      would_have_blocked: true,
    });
    const trace = readJson(join(t.cwd, `trace_${V3_TRACE_ID}.json`));
    assert.equal(trace['verdict'], 'block');
    assert.deepEqual(trace['violations'], ['external_target']);
    assert.equal(trace['trace_id'], shortIdOf(`${V2_POLICY_DIGEST}:${V3_INTENT_DIGEST}:block`));
  });

  it('exits 0 for require_approval and names simulated_require_approval', async () => {
    const t = workspace();
    writeFileSync(join(t.cwd, 'policy.yaml'), 'default_verdict: require_approval\n');
    const run = await gait(t, ...EVAL, ...PROD_KEY, '--simulate');
    assert.equal(run.code, 0);
    const out = jsonLine(run);
    const traceId = shortIdOf(`${V1_POLICY_DIGEST}:${V3_INTENT_DIGEST}:require_approval`);
    assert.equal(out['verdict'], 'allow');
    assert.equal(out['violations'], undefined);
    assert.equal(out['simulated_verdict'], 'require_approval');
    assert.equal(out['would_have_blocked'], true);
    assert.deepEqual(out['reason_codes'], [
      'approval_token_missing',
      'default_require_approval',
      'simulate_mode_non_enforcing',
      'simulated_require_approval',
    ]);
    assert.equal(out['trace_id'], traceId);
    assert.equal(readJson(join(t.cwd, `trace_${traceId}.json`))['verdict'], 'require_approval');
  });

  it('an allow stays allow with would_have_blocked omitted; human output adds the simulate line', async () => {
    const t = workspace();
    writeFileSync(join(t.cwd, 'policy.yaml'), 'default_verdict: allow\n');
    const json = jsonLine(await gait(t, ...EVAL, ...PROD_KEY, '--simulate'));
    assert.equal(json['simulate_mode'], true);
    assert.equal(json['would_have_blocked'], undefined);
    assert.equal(json['simulated_verdict'], 'allow');
    assert.deepEqual(json['reason_codes'], ['default_allow', 'simulate_mode_non_enforcing']);
    const block = workspace();
    const human = await gait(block, 'gate', 'eval', '--policy', 'policy.yaml', '--intent', 'intent.json', ...PROD_KEY, '--simulate');
    assert.equal(human.code, 0);
    assert.equal(
      human.stdout,
      `gate eval: verdict=allow\ntrace: trace_${V3_TRACE_ID}.json\nreasons: blocked_external,simulate_mode_non_enforcing,simulated_block\n` +
        'simulate: would_have_blocked=true simulated_verdict=block\n',
    );
  });
});
