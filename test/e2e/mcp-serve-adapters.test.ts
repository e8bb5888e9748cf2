/**
 * Every adapter fixture (test/fixtures/tool-calls) evaluates identically through the library, the
 * one-shot proxy (test/e2e/mcp-proxy-adapters.test.ts) and the decision service: `POST /v1/evaluate`
 * with `{adapter, call}` gives the intent digest, verdict and reasons of the library evaluating the
 * hand-written IntentRequest (plus the gate's no-token approval step, as everywhere).
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { evaluate, loadPolicy } from '../../src/index.js';
import { jsonOf, makeService, post } from '../helpers/serve-fixture.js';

const ROOT = join(process.cwd(), 'test/fixtures/tool-calls');
const POLICY = `schema_id: gait.gate.policy
schema_version: 1.0.0
default_verdict: require_approval
rules:
  - name: reads
    priority: 10
    effect: allow
    match:
      tool_names: [tool.read, tool.search, tool.list, tool.status]
    reason_codes: [read_ok]
  - name: writes
    priority: 20
    effect: block
    match:
      tool_names: [tool.write, tool.exec]
    reason_codes: [write_blocked]
`;

describe('adapter fixtures: library and mcp serve agree', () => {
  const policy = loadPolicy(POLICY);
  for (const adapter of readdirSync(ROOT).filter((f) => !f.includes('.')).sort()) {
    for (const file of readdirSync(join(ROOT, adapter)).filter((f) => f.endsWith('.call.json')).sort()) {
      const name = file.slice(0, -'.call.json'.length);
      it(`${adapter}/${name}`, async () => {
        const expected = JSON.parse(readFileSync(join(ROOT, adapter, `${name}.intent.json`), 'utf8')) as unknown;
        const library = evaluate(policy, expected, { evaluationTime: '2026-02-05T00:00:00Z' });
        const call = JSON.parse(readFileSync(join(ROOT, adapter, file), 'utf8')) as unknown;
        const fx = makeService({}, { 'policy.yaml': POLICY });
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
  }
});
