/**
 * Every adapter fixture (test/fixtures/tool-calls) evaluates identically through the library and
 * through `gait mcp proxy`: the proxy's intent digest, verdict and reasons equal those of the library
 * evaluating the hand-written IntentRequest. And OTLP export from the proxy against a real receiver.
 */
import assert from 'node:assert/strict';
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { evaluate } from '../../src/api/evaluate.js';
import { loadPolicy } from '../../src/api/policy.js';
import { makeTestIo } from '../helpers/cli-io.js';
import { attributesOf, deadPort, startReceiver } from '../unit/exporters/otlp-receiver.js';
import type { Receiver } from '../unit/exporters/otlp-receiver.js';
import { gait, jsonLine, readJson, V4_PRIVATE_KEY } from './support.js';
import { TOOL_CALL_POLICY, toolCallFixtures } from '../helpers/tool-call-fixtures.js';

const POLICY = TOOL_CALL_POLICY;
const KEY = ['--key-mode', 'prod', '--private-key', 'key.private'];

describe('adapter fixtures: library and mcp proxy agree', () => {
  const policy = loadPolicy(POLICY);
  for (const { adapter, name, callPath, intent: expected } of toolCallFixtures()) {
    it(`${adapter}/${name}`, async () => {
      const t = makeTestIo();
      writeFileSync(join(t.cwd, 'policy.yaml'), POLICY);
      writeFileSync(join(t.cwd, 'key.private'), readFileSync(V4_PRIVATE_KEY));
      copyFileSync(callPath, join(t.cwd, 'call.json'));
      const library = evaluate(policy, expected, { evaluationTime: '2026-02-05T00:00:00Z' });
      const run = await gait(t, 'mcp', 'proxy', 'policy.yaml', 'call.json', '--adapter', adapter, ...KEY, '--json', '--trace-out', 'trace.json');
      const out = jsonLine(run);
      assert.equal(out['intent_digest'], library.intentDigest);
      const approvalStep = library.verdict === 'require_approval' ? ['approval_token_missing'] : [];
      const reasons = [...library.reasonCodes, ...approvalStep];
      if (library.intent?.context.jobId !== '') {
        // §4 step 7: the proxy (not the library) checks the job; no job state under ./gait-out/jobs → block.
        assert.equal(out['verdict'], 'block');
        reasons.push('emergency_stop_state_unavailable');
      } else {
        assert.equal(out['verdict'], library.verdict);
      }
      assert.deepEqual(out['reason_codes'], [...new Set(reasons)].sort());
      assert.equal(out['executed'], false);
      assert.equal(readJson(join(t.cwd, 'trace.json'))['intent_digest'], library.intentDigest);
    });
  }
});

describe('gait mcp proxy --export-otlp-endpoint', () => {
  const receivers: Receiver[] = [];
  after(async () => {
    await Promise.all(receivers.map((r) => r.close()));
  });

  function ws() {
    const t = makeTestIo();
    writeFileSync(join(t.cwd, 'policy.yaml'), POLICY);
    writeFileSync(join(t.cwd, 'key.private'), readFileSync(V4_PRIVATE_KEY));
    writeFileSync(join(t.cwd, 'call.json'), '{"type":"function","function":{"name":"tool.write","arguments":"{\\"path\\":\\"/tmp/out.txt\\"}"}}');
    return t;
  }

  it('sends one OTLP log record carrying the trace digest and the GenAI/MCP names', async () => {
    const r = await startReceiver();
    receivers.push(r);
    const t = ws();
    const run = await gait(t, 'mcp', 'proxy', 'policy.yaml', 'call.json', '--adapter', 'openai', ...KEY, '--json',
      '--export-otlp-endpoint', r.url, '--export-otlp-header', 'x-tenant=acme', '--export-otlp-header', 'authorization=Bearer s3cret');
    assert.equal(run.code, 3);
    const out = jsonLine(run);
    assert.equal(r.requests.length, 1);
    assert.equal(r.requests[0]!.headers['x-tenant'], 'acme');
    assert.equal(r.requests[0]!.headers['authorization'], 'Bearer s3cret');
    const records = r.records();
    assert.equal(records.length, 1);
    const attrs = attributesOf(records[0]!);
    assert.deepEqual(attrs['gait.trace_digest'], { stringValue: out['trace_digest'] });
    assert.deepEqual(attrs['gait.trace_id'], { stringValue: out['trace_id'] });
    assert.deepEqual(attrs['gen_ai.tool.name'], { stringValue: 'tool.write' });
    assert.deepEqual(attrs['gen_ai.operation.name'], { stringValue: 'execute_tool' });
    assert.deepEqual(attrs['mcp.method.name'], { stringValue: 'tools/call' });
    assert.deepEqual(attrs['gait.adapter'], { stringValue: 'openai' });
    assert.ok(!run.stdout.includes('s3cret'), 'headers never appear in the output');
  });

  it('takes the endpoint from OTEL_EXPORTER_OTLP_ENDPOINT', async () => {
    const r = await startReceiver();
    receivers.push(r);
    const t = makeTestIo({ env: { GAIT_CORRELATION_ID: 'cid-test', OTEL_EXPORTER_OTLP_ENDPOINT: r.url, OTEL_EXPORTER_OTLP_HEADERS: 'x-env=1' } });
    writeFileSync(join(t.cwd, 'policy.yaml'), POLICY);
    writeFileSync(join(t.cwd, 'call.json'), '{"name":"tool.read"}');
    assert.equal((await gait(t, 'mcp', 'proxy', 'policy.yaml', 'call.json', '--json')).code, 0);
    assert.equal(r.requests[0]?.headers['x-env'], '1');
  });

  it('endpoint down: the decision stands (exit 3), the failure is only a warning', async () => {
    const port = await deadPort();
    const t = ws();
    const run = await gait(t, 'mcp', 'proxy', 'policy.yaml', 'call.json', '--adapter', 'openai', ...KEY, '--json',
      '--export-otlp-endpoint', `http://user:pw@127.0.0.1:${port}`, '--export-log-out', 'events.jsonl');
    assert.equal(run.code, 3);
    const out = jsonLine(run);
    assert.equal(out['ok'], true);
    assert.equal(out['verdict'], 'block');
    const warning = (out['warnings'] as string[]).find((w) => w.startsWith('export_failed=otlp: '));
    assert.match(warning ?? '', /^export_failed=otlp: connect ECONNREFUSED 127\.0\.0\.1:\d+ from http:\/\/%5Bredacted%5D@127\.0\.0\.1:\d+\/v1\/logs; 1 event\(s\) lost$/);
    assert.ok(!run.stdout.includes(':pw@'), 'URL credentials are redacted');
    assert.equal(readFileSync(join(t.cwd, 'events.jsonl'), 'utf8').split('\n').length, 2, 'the file export still happened');
  });

  it('endpoint slow: the proxy gives up at the timeout and reports a warning', async () => {
    const r = await startReceiver(() => 'hang');
    receivers.push(r);
    const t = ws();
    const started = performance.now();
    const run = await gait(t, 'mcp', 'proxy', 'policy.yaml', 'call.json', '--adapter', 'openai', ...KEY, '--json', '--export-otlp-endpoint', r.url, '--export-otlp-timeout', '200ms');
    assert.ok(performance.now() - started < 2000, 'bounded by the timeout');
    assert.equal(run.code, 3);
    assert.ok((jsonLine(run)['warnings'] as string[]).some((w) => /^export_failed=otlp: timeout after 200 ms/.test(w)));
  });
});
