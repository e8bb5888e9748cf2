/**
 * Service events (docs/contracts/exports.md "Service events", ADR 0011): building (UTC time, error
 * redaction that keeps the named file paths), the decision-log line, the OTEL-style line and the OTLP
 * record, and the file exporter writing them.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createJsonlExporter } from '../../../src/exporters/jsonl-exporter.js';
import { toOtelStyleServiceLine, toOtlpServiceLogRecord } from '../../../src/exporters/otel-service-event.js';
import { redactServiceErrorText } from '../../../src/exporters/redact.js';
import { buildServiceEvent, toServiceLogJson } from '../../../src/exporters/service-event.js';

const DIGEST = 'a'.repeat(64);
const LIVE = 'b'.repeat(64);

describe('redactServiceErrorText', () => {
  it('keeps the named paths and positions, redacts secret-looking words, bearer credentials, key=value secrets and URL userinfo', () => {
    assert.equal(
      redactServiceErrorText('conf/prod2024policy.yaml:5:13: invalid rule effect "nope" for ghp_abcdefghijklmnop1234567890', ['conf/prod2024policy.yaml']),
      'conf/prod2024policy.yaml:5:13: invalid rule effect "nope" for [redacted]',
    );
    assert.equal(redactServiceErrorText('invalid default verdict "bearer abc.def" (expected allow)', []), 'invalid default verdict "bearer [redacted] (expected allow)');
    assert.equal(redactServiceErrorText('bad value api_key=hunter2 near\nline 3', []), 'bad value api_key=[redacted] near line 3');
    assert.equal(redactServiceErrorText('cannot fetch https://bob:pw@example.com/x', []), 'cannot fetch [redacted]', 'a URL with credentials is dropped whole');
    assert.equal(
      redactServiceErrorText("cannot parse trust snapshot `trust.json`: line 1, column 2: expected property name or '}'", ['trust.json']),
      "cannot parse trust snapshot `trust.json`: line 1, column 2: expected property name or '}'",
    );
  });

  it('without a kept path, a path that looks secret is redacted too (fail toward redaction)', () => {
    assert.equal(redactServiceErrorText('`conf/prod2024policy.yaml`: unknown field', []), '`[redacted]`: unknown field');
  });
});

describe('buildServiceEvent and its renderings', () => {
  const policyEvent = buildServiceEvent({
    kind: 'policy_reload_failed',
    createdAt: { seconds: 1_770_249_600, nanos: 123_456_789, offsetMinutes: 60 },
    producerVersion: '0.1.0',
    policyPath: 'policy.yaml',
    snapshotPath: 'ignored.json',
    rejectedFileDigest: DIGEST,
    policyDigest: LIVE,
    error: 'policy.yaml:3:1: parse policy yaml: unknown field `token_x=s3cr3t`',
  });

  it('is UTC, has no snapshot path for a policy event, and a redacted error', () => {
    assert.deepEqual(policyEvent, {
      kind: 'policy_reload_failed',
      createdAt: { seconds: 1_770_249_600, nanos: 123_456_789, offsetMinutes: 0 },
      producerVersion: '0.1.0',
      policyPath: 'policy.yaml',
      snapshotPath: '',
      rejectedFileDigest: DIGEST,
      policyDigest: LIVE,
      error: 'policy.yaml:3:1: parse policy yaml: unknown field `token_x=[redacted]',
    });
  });

  it('decision-log line: event first, omit-empty snapshot_path and rejected_file_digest, policy_digest always', () => {
    assert.equal(
      JSON.stringify(toServiceLogJson(policyEvent)),
      `{"event":"policy_reload_failed","created_at":"2026-02-05T00:00:00.123456789Z","producer_version":"0.1.0","policy_path":"policy.yaml","rejected_file_digest":"${DIGEST}","policy_digest":"${LIVE}","error":"policy.yaml:3:1: parse policy yaml: unknown field \`token_x=[redacted]"}`,
    );
    const unreadable = buildServiceEvent({ kind: 'trust_snapshot_reload_failed', createdAt: policyEvent.createdAt, producerVersion: '0.1.0', policyPath: 'p.yaml', snapshotPath: 'trust.json', error: 'gone' });
    assert.equal(
      JSON.stringify(toServiceLogJson(unreadable)),
      '{"event":"trust_snapshot_reload_failed","created_at":"2026-02-05T00:00:00.123456789Z","producer_version":"0.1.0","policy_path":"p.yaml","snapshot_path":"trust.json","policy_digest":"","error":"gone"}',
    );
  });

  it('OTEL-style line: sorted keys, every attribute present, WARN, exact nanoseconds, no trace_id', () => {
    assert.equal(
      toOtelStyleServiceLine(policyEvent),
      `{"attributes":{"gait.error":"policy.yaml:3:1: parse policy yaml: unknown field \`token_x=[redacted]","gait.event":"policy_reload_failed","gait.policy_digest":"${LIVE}","gait.policy_path":"policy.yaml","gait.producer_version":"0.1.0","gait.rejected_file_digest":"${DIGEST}","gait.snapshot_path":""},"body":"gait.mcp.serve.policy_reload_failed","severity_text":"WARN","time_unix_nano":1770249600123456789}`,
    );
  });

  it('OTLP record: severity 13 WARN, body names the event, string attributes, no traceId/spanId', () => {
    const record = toOtlpServiceLogRecord(policyEvent, 1_770_249_601_000_000_000n);
    assert.equal(record['timeUnixNano'], '1770249600123456789');
    assert.equal(record['observedTimeUnixNano'], '1770249601000000000');
    assert.equal(record['severityNumber'], 13);
    assert.equal(record['severityText'], 'WARN');
    assert.deepEqual(record['body'], { stringValue: 'gait.mcp.serve.policy_reload_failed' });
    assert.deepEqual(Object.keys(record).sort(), ['attributes', 'body', 'observedTimeUnixNano', 'severityNumber', 'severityText', 'timeUnixNano']);
    assert.deepEqual((record['attributes'] as { key: string }[]).map((a) => a.key), [
      'gait.error',
      'gait.event',
      'gait.policy_digest',
      'gait.policy_path',
      'gait.producer_version',
      'gait.rejected_file_digest',
      'gait.snapshot_path',
    ]);
  });

  it('the JSONL exporter appends it, counts it, and refuses after close', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gait-service-event-'));
    try {
      const path = join(dir, 'events.jsonl');
      const log = createJsonlExporter({ path, format: 'log' });
      assert.deepEqual(log.exportServiceEvent?.(policyEvent), { status: 'written', warnings: [] });
      assert.equal(readFileSync(path, 'utf8'), `${JSON.stringify(toServiceLogJson(policyEvent))}\n`);
      assert.equal(log.stats().exported, 1);
      await log.close();
      assert.deepEqual(log.exportServiceEvent?.(policyEvent), { status: 'failed', error: 'exporter closed', warnings: [] });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
