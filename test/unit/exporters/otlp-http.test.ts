/**
 * The OTLP/HTTP exporter end to end against a real node:http receiver started here, which decodes
 * the OTLP JSON it receives (mcp-and-export.md §6.4): attributes (trace digest, GenAI/MCP names),
 * batching, retries with backoff and Retry-After, and the failure modes — endpoint down, endpoint
 * slow, receiver errors — where decisions keep flowing and every drop or failure is counted and warned.
 */
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { resolveOtlpConfig } from '../../../src/exporters/otlp-config.js';
import type { OtlpConfig } from '../../../src/exporters/otlp-config.js';
import { createOtlpExporter, retryAfterMs } from '../../../src/exporters/otlp-http.js';
import type { OtlpExporterOptions } from '../../../src/exporters/otlp-http.js';
import type { ExportWarning } from '../../../src/exporters/types.js';
import { fixedClock } from '../../../src/runtime/clock.js';
import { decisionEvent, NOW } from './fixtures.js';
import { attributesOf, deadPort, startReceiver } from './otlp-receiver.js';
import type { Receiver, Responder } from './otlp-receiver.js';

const receivers: Receiver[] = [];
after(async () => {
  await Promise.all(receivers.map((r) => r.close()));
});

async function receiver(respond?: Responder): Promise<Receiver> {
  const r = await startReceiver(respond);
  receivers.push(r);
  return r;
}

function config(url: string, extra: Partial<OtlpConfig> = {}): OtlpConfig {
  const base = resolveOtlpConfig({ endpoint: url, headers: ['x-gait-test=yes'] }, {});
  assert.ok(base !== undefined);
  return { ...base, ...extra };
}

function exporter(url: string, options: Partial<OtlpExporterOptions> = {}, configExtra: Partial<OtlpConfig> = {}) {
  const warnings: ExportWarning[] = [];
  const otlp = createOtlpExporter({
    config: config(url, configExtra),
    serviceVersion: '0.1.0',
    clock: fixedClock(NOW),
    onWarning: (w) => warnings.push(w),
    batchDelayMs: 10,
    initialBackoffMs: 5,
    maxBackoffMs: 20,
    ...options,
  });
  return { otlp, warnings };
}

describe('OTLP/HTTP exporter against a real receiver', () => {
  it('delivers one log record per decision with the spec attributes, the trace digest and the GenAI/MCP names', async () => {
    const r = await receiver();
    const { decision, event } = decisionEvent();
    const { otlp, warnings } = exporter(r.url);
    assert.deepEqual(otlp.export(event), { status: 'queued', warnings: [] });
    otlp.export(event);
    await otlp.close();
    assert.deepEqual(warnings, []);
    assert.deepEqual(otlp.stats(), { exported: 2, failed: 0, dropped: 0, queued: 0, retries: 0, lastError: '' });
    assert.equal(r.requests.length, 1, 'both records in one batch');
    const req = r.requests[0]!;
    assert.equal(req.method, 'POST');
    assert.equal(req.url, '/v1/logs');
    assert.equal(req.headers['content-type'], 'application/json');
    assert.equal(req.headers['x-gait-test'], 'yes');
    const resource = req.body.resourceLogs[0]!;
    assert.deepEqual(resource.resource.attributes, [
      { key: 'service.name', value: { stringValue: 'gait' } },
      { key: 'service.version', value: { stringValue: '0.1.0' } },
    ]);
    assert.deepEqual(resource.scopeLogs[0]!.scope, { name: 'gait.mcp', version: '0.1.0' });
    const records = r.records();
    assert.equal(records.length, 2);
    const record = records[0]!;
    assert.equal(record.timeUnixNano, '315532800000000000');
    assert.equal(record.observedTimeUnixNano, '1770249600000000000');
    assert.equal(record.severityNumber, 9);
    assert.equal(record.severityText, 'INFO');
    assert.deepEqual(record.body, { stringValue: 'gait.mcp.proxy.decision' });
    assert.equal(record.traceId, undefined);
    const attrs = attributesOf(record);
    const signature = decision.result.trace['signature'] as { signed_digest: string; key_id: string };
    assert.deepEqual(attrs['gait.trace_digest'], { stringValue: signature.signed_digest });
    assert.deepEqual(attrs['gait.trace_key_id'], { stringValue: signature.key_id });
    assert.deepEqual(attrs['gait.trace_id'], { stringValue: decision.result.traceId });
    assert.deepEqual(attrs['gen_ai.tool.name'], { stringValue: 'tool.write' });
    assert.deepEqual(attrs['gen_ai.operation.name'], { stringValue: 'execute_tool' });
    assert.deepEqual(attrs['mcp.method.name'], { stringValue: 'tools/call' });
    assert.deepEqual(attrs['gait.verdict'], { stringValue: 'block' });
    assert.deepEqual(attrs['gait.reason_codes'], { arrayValue: { values: [{ stringValue: 'write_blocked' }] } });
    assert.deepEqual(attrs['gait.delegation_depth'], { intValue: '0' });
    const keys = record.attributes.map((a) => a.key);
    for (const key of ['gait.decision_latency_ms', 'gait.delegation_ref', 'gait.intent_digest', 'gait.job_id', 'gait.phase', 'gait.policy_digest', 'gait.run_id', 'gait.session_id', 'gait.tool_name', 'gait.trace_path']) {
      assert.ok(keys.includes(key), key);
    }
    assert.ok(!JSON.stringify(r.requests).includes('/tmp/out.txt'), 'no raw args without opt-in');
  });

  it('sends gzip when configured', async () => {
    const r = await receiver();
    const { otlp } = exporter(r.url, {}, { compression: 'gzip' });
    otlp.export(decisionEvent().event);
    await otlp.close();
    assert.equal(r.requests[0]?.headers['content-encoding'], 'gzip');
    assert.equal(r.records().length, 1);
  });

  it('batches up to 512 records per request', async () => {
    const r = await receiver();
    const { event } = decisionEvent();
    const { otlp } = exporter(r.url, { batchDelayMs: 1000 });
    for (let i = 0; i < 600; i++) otlp.export(event);
    await otlp.close();
    assert.deepEqual(
      r.requests.map((q) => q.body.resourceLogs[0]!.scopeLogs[0]!.logRecords.length),
      [512, 88],
    );
    assert.equal(otlp.stats().exported, 600);
  });

  it('retries 503/429 honouring Retry-After, then delivers', async () => {
    const r = await receiver((i) => (i === 0 ? { status: 503, headers: { 'retry-after': '0' } } : i === 1 ? { status: 429 } : { status: 200 }));
    const { otlp, warnings } = exporter(r.url);
    otlp.export(decisionEvent().event);
    await otlp.flush();
    assert.equal(r.requests.length, 3);
    assert.deepEqual({ ...otlp.stats(), lastError: '' }, { exported: 1, failed: 0, dropped: 0, queued: 0, retries: 2, lastError: '' });
    assert.deepEqual(warnings.map((w) => w.kind), ['export_retry', 'export_retry']);
    assert.match(warnings[0]!.message, /^export_retry=otlp: HTTP 503; retrying 1 record\(s\) in 0 ms$/);
    await otlp.close();
  });

  it('gives up after the bounded retries and counts the loss', async () => {
    const r = await receiver(() => ({ status: 502 }));
    const { otlp, warnings } = exporter(r.url, { maxRetries: 2 });
    otlp.export(decisionEvent().event);
    await otlp.close();
    assert.equal(r.requests.length, 3, 'one attempt + 2 retries');
    assert.equal(otlp.stats().failed, 1);
    assert.match(warnings.at(-1)!.message, /^export_failed=otlp: HTTP 502 from http:\/\/127\.0\.0\.1:\d+\/v1\/logs after 3 attempts; 1 event\(s\) lost$/);
  });

  it('does not retry a permanent rejection (400) and counts partial rejections', async () => {
    const r400 = await receiver(() => ({ status: 400 }));
    const a = exporter(r400.url);
    a.otlp.export(decisionEvent().event);
    await a.otlp.close();
    assert.equal(r400.requests.length, 1);
    assert.equal(a.otlp.stats().failed, 1);
    const partial = await receiver(() => ({ status: 200, body: '{"partialSuccess":{"rejectedLogRecords":"1"}}' }));
    const b = exporter(partial.url);
    b.otlp.export(decisionEvent().event);
    b.otlp.export(decisionEvent().event);
    await b.otlp.close();
    assert.deepEqual([b.otlp.stats().exported, b.otlp.stats().failed], [1, 1]);
    assert.match(b.warnings[0]!.message, /receiver rejected 1 record/);
  });
});

describe('OTLP/HTTP exporter faults: decisions keep flowing', () => {
  it('endpoint down: export() never blocks; after the bounded queue fills the oldest are dropped, counted and warned', async () => {
    const port = await deadPort();
    const { otlp, warnings } = exporter(`http://127.0.0.1:${port}`, { maxQueue: 8, maxBatch: 4, maxRetries: 50, initialBackoffMs: 50, maxBackoffMs: 50, flushTimeoutMs: 200 });
    const { event } = decisionEvent();
    const started = performance.now();
    const outcomes = Array.from({ length: 40 }, () => otlp.export(event));
    const elapsed = performance.now() - started;
    assert.ok(elapsed < 1000, `40 exports took ${elapsed} ms`);
    assert.ok(outcomes.every((o) => o.status === 'queued'));
    await new Promise((resolve) => setTimeout(resolve, 150));
    for (let i = 0; i < 20; i++) otlp.export(event);
    const stats = otlp.stats();
    assert.ok(stats.dropped >= 20, `dropped ${stats.dropped}`);
    assert.ok(stats.queued <= 8);
    assert.ok(stats.retries >= 1);
    assert.equal(stats.exported, 0);
    const dropWarnings = warnings.filter((w) => w.kind === 'export_dropped');
    assert.ok(dropWarnings.length >= 1, 'drops are warned, never silent');
    assert.match(dropWarnings[0]!.message, /^export_dropped=otlp: queue full \(8 records\), 1 event\(s\) dropped so far$/);
    assert.ok(outcomes.some((o) => o.warnings.length > 0), 'the outcome of a dropping export() says so');
    const closing = performance.now();
    await otlp.close();
    assert.ok(performance.now() - closing < 1500, 'close is bounded by the flush timeout');
    const final = otlp.stats();
    assert.equal(final.queued, 0);
    assert.ok(final.failed >= 1, 'undelivered events are counted at close');
    assert.equal(final.exported + final.failed + final.dropped, 60, 'every event is accounted for');
    assert.ok(warnings.some((w) => /not delivered before close/.test(w.message) || /lost$/.test(w.message)));
  });

  it('endpoint slow (never answers): each attempt ends at the timeout, decisions keep flowing', async () => {
    const r = await receiver(() => 'hang');
    const { otlp, warnings } = exporter(r.url, { maxRetries: 0, maxQueue: 4, maxBatch: 2, flushTimeoutMs: 1000 }, { timeoutMs: 100 });
    const { event } = decisionEvent();
    const started = performance.now();
    for (let i = 0; i < 10; i++) otlp.export(event);
    assert.ok(performance.now() - started < 500, 'export() returned at once (the request timeout is 100 ms per attempt)');
    await otlp.close();
    const stats = otlp.stats();
    assert.ok(stats.dropped >= 4, `dropped ${stats.dropped}`);
    assert.equal(stats.exported, 0);
    assert.equal(stats.exported + stats.failed + stats.dropped, 10);
    assert.ok(warnings.some((w) => w.kind === 'export_failed' && /timeout after 100 ms/.test(w.message)), JSON.stringify(warnings));
  });

  it('refuses events after close without throwing', async () => {
    const r = await receiver();
    const { otlp } = exporter(r.url);
    await otlp.close();
    assert.deepEqual(otlp.export(decisionEvent().event), { status: 'failed', error: 'exporter closed', warnings: [] });
  });
});

describe('retryAfterMs()', () => {
  it('reads delta-seconds and HTTP dates', () => {
    assert.equal(retryAfterMs('3', 0), 3000);
    assert.equal(retryAfterMs('', 0), undefined);
    assert.equal(retryAfterMs('Thu, 01 Jan 1970 00:00:10 GMT', 4000), 6000);
    assert.equal(retryAfterMs('soon', 0), undefined);
  });
});
