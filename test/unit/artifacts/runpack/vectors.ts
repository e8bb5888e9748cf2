/**
 * The runpack conformance inputs of artifacts.md §2.14 (V1, V3) and §9 (bench fixture), written out
 * as run-record input JSON. Expected values are literals in the tests, never computed from src.
 */
import { createHash } from 'node:crypto';

const sha = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex');
const T = '2026-02-05T00:00:00Z';

/** §2.14 V1: library record, reference mode, no evidence mode; digests from normalization-free args. */
export function v1Input(): Record<string, unknown> {
  const header = { run_id: 'run_integration', created_at: T, producer_version: '0.0.0-test' };
  return {
    run: {
      ...header,
      env: { os: 'test', arch: 'test', runtime: 'go' },
      timeline: [
        { event: 'start', ts: T },
        { event: 'finish', ts: '2026-02-05T00:00:02Z' },
      ],
    },
    intents: [
      { ...header, intent_id: 'intent_1', tool_name: 'tool.search', args: { query: 'offline test' } },
      { ...header, intent_id: 'intent_2', tool_name: 'tool.fetch', args: { url: 'https://example.local/resource' } },
    ],
    results: [
      { ...header, intent_id: 'intent_1', status: 'ok', result: { ok: true, message: 'result_1' } },
      { ...header, intent_id: 'intent_2', status: 'ok', result: { ok: true, message: 'result_2' } },
    ],
    refs: {
      ...header,
      receipts: [1, 2].map((n) => ({
        ref_id: `ref_${n}`,
        source_type: 'integration-test',
        source_locator: n === 1 ? 'tool.search' : 'tool.fetch',
        query_digest: sha(`query_${n}`),
        content_digest: sha(`content_${n}`),
        retrieved_at: T,
        redaction_mode: 'reference',
      })),
    },
    capture_mode: 'reference',
  };
}

/** §2.14 V3 / §3.8 test-kit input (`gait run record`). */
export function v3Input(): Record<string, unknown> {
  const T3 = '2026-02-14T00:00:00Z';
  const header = { run_id: 'run_tck', created_at: T3, producer_version: '0.0.0-dev' };
  return {
    run: { ...header, env: { os: 'darwin', arch: 'arm64', runtime: 'go' }, timeline: [{ event: 'tool_call', ts: T3, ref: 'intent_1' }] },
    intents: [{ ...header, intent_id: 'intent_1', tool_name: 'echo', args_digest: '1'.repeat(64), args: { message: 'hello' } }],
    results: [{ ...header, intent_id: 'intent_1', status: 'ok', result_digest: '2'.repeat(64), result: { ok: true } }],
    refs: {
      ...header,
      receipts: [
        {
          ref_id: 'ref_1',
          source_type: 'http',
          source_locator: 'https://example.com',
          query_digest: '3'.repeat(64),
          content_digest: '4'.repeat(64),
          retrieved_at: T3,
          redaction_mode: 'metadata',
        },
      ],
    },
    capture_mode: 'reference',
  };
}
