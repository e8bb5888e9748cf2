/**
 * A regress workspace for the e2e tests: the demo run of artifacts.md §5 as a `gait run record`
 * input, its three IntentRequests, and the demo policy (plus a drifted copy that no longer allows
 * `tool.fetch`).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeTestIo } from '../helpers/cli-io.js';
import type { TestIo, TestIoOptions } from '../helpers/cli-io.js';
import { DEMO_POLICY_YAML } from '../../src/transports/cli/commands/demo-runpack.js';

export const T = '2026-02-05T00:00:00Z';
export const TOOLS = ['tool.search', 'tool.fetch', 'tool.summarize'] as const;
export const ARGS = [{ query: 'gait demo: offline verification' }, { url: 'https://example.local/demo' }, { input_ref: 'ref_1' }] as const;
/** DigestJCS of each args object (canonicalize oracle + SHA-256). */
export const ARGS_DIGESTS = [
  '33d148a7de89102bce5e2be136ca2acc3398ff9970a1f922faa3838eae837e3c',
  '413bb0e0bc0c5edcf3e44cef4789853dbb53814cadff7a6de916a5bc234fa094',
  'c2feaac143150e8935e8fe34dce53259f4e2ddfcafb1cf06b38b1857c5f3fd09',
] as const;

/** The demo's policy (the demo run these fixtures mirror records its decisions under it). */
export const POLICY = DEMO_POLICY_YAML;
export const DRIFTED_POLICY = POLICY.replace('tool.fetch, ', '');

/** The §2.5 run-record input of a run `runId` with the three demo intents. */
export function runRecordInput(runId: string): Record<string, unknown> {
  return {
    run: { run_id: runId, created_at: T, producer_version: '0.0.0-dev', env: { os: 'demo', arch: 'demo', runtime: 'go' }, timeline: [{ event: 'start', ts: T }] },
    intents: TOOLS.map((tool, i) => ({ intent_id: `intent_${i + 1}`, tool_name: tool, args: ARGS[i] })),
    results: TOOLS.map((_tool, i) => ({ intent_id: `intent_${i + 1}`, status: 'ok', result: { ok: true, message: `demo result ${i + 1}` } })),
    refs: { receipts: [] },
  };
}

export function intentRequest(i: number): Record<string, unknown> {
  return {
    schema_id: 'gait.gate.intent_request',
    schema_version: '1.0.0',
    created_at: T,
    producer_version: '0.0.0-dev',
    tool_name: TOOLS[i],
    args: ARGS[i],
    context: { identity: 'demo.user', workspace: '/tmp/demo', risk_class: 'low' },
  };
}

/** A temp workspace with `run_input.json`, `intents.jsonl` and `policy.yaml`. */
export function regressWorkspace(options: TestIoOptions = {}, runId = 'run_demo'): TestIo {
  const t = makeTestIo(options);
  writeFileSync(join(t.cwd, 'run_input.json'), JSON.stringify(runRecordInput(runId)));
  writeFileSync(join(t.cwd, 'intents.jsonl'), TOOLS.map((_t, i) => `${JSON.stringify(intentRequest(i))}\n`).join(''));
  writeFileSync(join(t.cwd, 'policy.yaml'), POLICY);
  return t;
}
