/**
 * The exported views of one decision (mcp-and-export.md §6.1, §6.2, §6.4): literal field sets, the
 * signed trace's digest and key id on every view, bigint time, and raw args only on opt-in.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildDecisionEvent, toDecisionLogJson } from '../../../src/exporters/decision-event.js';
import { toOtelStyleLine, toOtlpLogRecord, toOtlpLogsRequest, unixNanos } from '../../../src/exporters/otel-attributes.js';
import { digestJcs } from '../../../src/crypto/digest.js';
import { decisionEvent } from './fixtures.js';

const TRACE_DIGEST = '705cb3b3f80f22a4b5427cd375b23d4a3f65aed7183c5033a831ac663526ecb6';
const KEY_ID = '8aa9dfd29982be5c5e645c55a69781f27de020359ea17c97fc4bc1977a523f53';
const TRACE_ID = '6f420009b4f4b25f32697e81';
const POLICY_DIGEST = '3b52e7a88d3e78fa6d955f7aec7b9174ae0260017acc95a972fe75cd91a9ad94';
const INTENT_DIGEST = 'bd4165ed35e0d78df8b9e5b8feef1b95936bfcc19b02c69a87912fe909360763';

describe('buildDecisionEvent() / toDecisionLogJson()', () => {
  it('renders the §6.1 line in the spec order, omit-empty members omitted', () => {
    const { event } = decisionEvent();
    const line = JSON.stringify(toDecisionLogJson(event));
    assert.equal(
      line,
      `{"created_at":"1980-01-01T00:00:00Z","producer_version":"0.1.0","run_id":"run_mcp_bd4165ed35e0","phase":"apply","trace_id":"${TRACE_ID}","trace_path":"trace.json","trace_digest":"${TRACE_DIGEST}","trace_key_id":"${KEY_ID}","tool_name":"tool.write","verdict":"block","reason_codes":["write_blocked"],"policy_digest":"${POLICY_DIGEST}","intent_digest":"${INTENT_DIGEST}"}`,
    );
  });

  it('carries the digest of the signed trace it describes (re-computable from the trace)', () => {
    const { decision, event } = decisionEvent();
    const { signature: _signature, ...unsigned } = decision.result.trace;
    assert.equal(event.traceDigest, digestJcs(unsigned));
    assert.equal(event.traceDigest, TRACE_DIGEST);
    assert.equal(event.traceKeyId, KEY_ID);
  });

  it('refuses an unsigned trace', () => {
    const { decision } = decisionEvent();
    const { signature: _signature, ...unsigned } = decision.result.trace;
    assert.throws(() => buildDecisionEvent({ trace: unsigned, runId: 'r', producerVersion: 'v' }), {
      code: 'internal_failure',
      message: 'decision event needs a signed trace',
    });
  });

  it('takes delegation ref and depth from the trace, latency as integer ms', () => {
    const { decision } = decisionEvent();
    const trace = { ...decision.result.trace, delegation_ref: { delegation_token_ref: '', chain_digest: 'c'.repeat(64), delegation_depth: 2 } };
    const event = buildDecisionEvent({ trace, runId: 'run_x', producerVersion: 'v', decisionLatencyMs: 3.9, jobId: 'job-1' });
    const json = toDecisionLogJson(event);
    assert.equal(json['delegation_ref'], 'c'.repeat(64));
    assert.equal(json['delegation_depth'], 2);
    assert.equal(json['decision_latency_ms'], 3);
    assert.equal(json['job_id'], 'job-1');
    assert.equal(buildDecisionEvent({ trace, runId: 'r', producerVersion: 'v', decisionLatencyMs: -5 }).decisionLatencyMs, 0);
  });
});

describe('toOtelStyleLine() (§6.2)', () => {
  it('is the literal line: keys sorted, every attribute present, exact nanoseconds beyond 2^53', () => {
    const { event } = decisionEvent();
    assert.equal(
      toOtelStyleLine(event),
      `{"attributes":{"gait.decision_latency_ms":0,"gait.delegation_depth":0,"gait.delegation_ref":"","gait.intent_digest":"${INTENT_DIGEST}","gait.job_id":"","gait.phase":"apply","gait.policy_digest":"${POLICY_DIGEST}","gait.reason_codes":["write_blocked"],"gait.run_id":"run_mcp_bd4165ed35e0","gait.session_id":"","gait.tool_name":"tool.write","gait.trace_digest":"${TRACE_DIGEST}","gait.trace_key_id":"${KEY_ID}","gait.trace_path":"trace.json","gait.verdict":"block"},"body":"gait.mcp.proxy.decision","severity_text":"INFO","time_unix_nano":315532800000000000,"trace_id":"${TRACE_ID}"}`,
    );
  });

  it('computes nanoseconds with bigint', () => {
    assert.equal(unixNanos({ seconds: 315_532_800, nanos: 0, offsetMinutes: 0 }), 315532800000000000n);
    assert.equal(unixNanos({ seconds: 1_770_249_600, nanos: 123_456_789, offsetMinutes: 0 }), 1770249600123456789n);
  });
});

describe('toOtlpLogRecord() (§6.4)', () => {
  it('has the §6.2 attributes plus gait.trace_id and the GenAI/MCP names, typed as OTLP AnyValues', () => {
    const { event } = decisionEvent();
    const record = toOtlpLogRecord(event, 1770249600000000001n);
    const attrs = Object.fromEntries((record['attributes'] as { key: string; value: unknown }[]).map((a) => [a.key, a.value]));
    assert.equal(record['timeUnixNano'], '315532800000000000');
    assert.equal(record['observedTimeUnixNano'], '1770249600000000001');
    assert.equal(record['severityNumber'], 9);
    assert.equal(record['severityText'], 'INFO');
    assert.deepEqual(record['body'], { stringValue: 'gait.mcp.proxy.decision' });
    assert.equal(record['traceId'], undefined);
    assert.equal(record['spanId'], undefined);
    assert.deepEqual(attrs['gait.trace_digest'], { stringValue: TRACE_DIGEST });
    assert.deepEqual(attrs['gait.trace_key_id'], { stringValue: KEY_ID });
    assert.deepEqual(attrs['gait.trace_id'], { stringValue: TRACE_ID });
    assert.deepEqual(attrs['gen_ai.operation.name'], { stringValue: 'execute_tool' });
    assert.deepEqual(attrs['gen_ai.tool.name'], { stringValue: 'tool.write' });
    assert.deepEqual(attrs['mcp.method.name'], { stringValue: 'tools/call' });
    assert.deepEqual(attrs['gait.decision_latency_ms'], { intValue: '0' });
    assert.deepEqual(attrs['gait.reason_codes'], { arrayValue: { values: [{ stringValue: 'write_blocked' }] } });
    assert.deepEqual(attrs['gait.adapter'], { stringValue: 'openai' });
    assert.equal(attrs['gen_ai.tool.call.arguments'], undefined, 'args only on opt-in');
  });

  it('wraps records in the resource and scope of §6.4', () => {
    assert.deepEqual(toOtlpLogsRequest([], '0.1.0'), {
      resourceLogs: [
        {
          resource: {
            attributes: [
              { key: 'service.name', value: { stringValue: 'gait' } },
              { key: 'service.version', value: { stringValue: '0.1.0' } },
            ],
          },
          scopeLogs: [{ scope: { name: 'gait.mcp', version: '0.1.0' }, logRecords: [] }],
        },
      ],
    });
  });
});
