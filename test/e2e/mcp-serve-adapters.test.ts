/**
 * Every adapter fixture (test/fixtures/tool-calls) evaluates identically through the library, the
 * one-shot proxy (test/e2e/mcp-proxy-adapters.test.ts) and the decision service: `POST /v1/evaluate`
 * with `{adapter, call}` gives the intent digest, verdict and reasons of the library evaluating the
 * hand-written IntentRequest (plus the gate's no-token approval step, as everywhere).
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { evaluate, loadPolicy } from '../../src/index.js';
import { jsonOf, makeService, post } from '../helpers/serve-fixture.js';
import { TOOL_CALL_POLICY, toolCallFixtures } from '../helpers/tool-call-fixtures.js';

describe('adapter fixtures: library and mcp serve agree', () => {
  const policy = loadPolicy(TOOL_CALL_POLICY);
  for (const { adapter, name, callPath, intent: expected } of toolCallFixtures()) {
    it(`${adapter}/${name}`, async () => {
      const library = evaluate(policy, expected, { evaluationTime: '2026-02-05T00:00:00Z' });
      const call = JSON.parse(readFileSync(callPath, 'utf8')) as unknown;
      const fx = makeService({}, { 'policy.yaml': TOOL_CALL_POLICY });
      try {
        const res = await fx.service.fetch(post('/v1/evaluate', { adapter, call }));
        assert.equal(res.status, 200);
        const out = await jsonOf(res);
        assert.equal(out['intent_digest'], library.intentDigest);
        const reasons = [...library.reasonCodes, ...(library.verdict === 'require_approval' ? ['approval_token_missing'] : [])];
        if (library.intent?.context.jobId !== '') {
          // As in the proxy (§4 step 7): a call naming a job with no job state is blocked.
          assert.equal(out['verdict'], 'block');
          reasons.push('emergency_stop_state_unavailable');
        } else {
          assert.equal(out['verdict'], library.verdict);
        }
        assert.deepEqual(out['reason_codes'], [...new Set(reasons)].sort());
        assert.equal(out['executed'], false);
      } finally {
        await fx.cleanup();
      }
    });
  }
});
