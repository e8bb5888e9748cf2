/**
 * `regress_result.json` against schemas/v1/regress/regress_result.schema.json: the Gait v1 schema
 * test data (valid passes, invalid — status `unknown` — fails) and the records `regress run` writes.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { buildRegressResult, signRegressResult } from '../../../../src/artifacts/regress/result.js';
import { gradeFixture, sortGraderResults } from '../../../../src/artifacts/regress/grade.js';
import { signingKeyFromSeed } from '../../../../src/crypto/keys.js';
import { DEMO_ARGS_DIGESTS, DEMO_TOOLS, DRIFTED_POLICY_YAML, demoIntent, evidence, evidenceIntent, evidenceResult, loaded, policyOf } from './helpers.js';

const ROOT = process.cwd();
const ajv = new Ajv2020({ strict: true, allErrors: true });
addFormats.default(ajv, ['date-time']);
const validate = ajv.compile(JSON.parse(readFileSync(join(ROOT, 'schemas/v1/regress/regress_result.schema.json'), 'utf8')) as object);

function testdata(name: string): unknown {
  return JSON.parse(readFileSync(join(ROOT, 'test/fixtures/vectors/gait-v1/schema-testdata', name), 'utf8')) as unknown;
}

describe('regress_result schema', () => {
  it('accepts the Gait v1 valid sample and rejects the invalid one', () => {
    assert.equal(validate(testdata('regress_result_valid.json')), true, JSON.stringify(validate.errors));
    assert.equal(validate(testdata('regress_result_invalid.json')), false);
  });

  it('accepts what regress run writes, failing and signed', () => {
    const ids = ['intent_1', 'intent_2', 'intent_3'];
    const graders = sortGraderResults(
      gradeFixture(
        {
          fixture: {
            name: 'run_demo',
            runId: 'run_demo',
            runpack: 'runpack.zip',
            intents: 'intents.jsonl',
            expectedDecisions: ids.map((intentId, i) => ({ intentId, toolName: DEMO_TOOLS[i] as string, argsDigest: DEMO_ARGS_DIGESTS[i] as string, verdict: 'allow' as const })),
            expectedReplayExitCode: 0,
            contextConformance: 'required',
          },
          lines: ids.map((intentId, i) => ({ intentId, intent: demoIntent(i) })),
          runpack: loaded(evidence({ intents: ids.map((id, i) => evidenceIntent(id, DEMO_TOOLS[i] as string, DEMO_ARGS_DIGESTS[i] as string)), results: ids.map((id) => evidenceResult(id)) })),
          candidate: { state: 'absent' },
          policy: policyOf(DRIFTED_POLICY_YAML),
        },
        { enforce: false, allowRuntimeDrift: false },
      ),
    );
    const record = buildRegressResult({ createdAt: '2026-02-05T00:00:00Z', producerVersion: '0.1.0', fixtureSet: 'default', graders });
    assert.equal(record['status'], 'fail');
    assert.equal(validate(record), true, JSON.stringify(validate.errors));
    const signed = signRegressResult(record, signingKeyFromSeed(new Uint8Array(32).fill(1)));
    assert.equal(validate(JSON.parse(JSON.stringify(signed)) as unknown), true, JSON.stringify(validate.errors));
  });
});
