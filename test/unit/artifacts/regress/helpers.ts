/** Shared inputs for the regress unit tests: the demo policy and intents of artifacts.md §5, evidence builders. */
import { compilePolicy } from '../../../../src/policy/compile.js';
import type { CompiledPolicy } from '../../../../src/policy/compile.js';
import { parsePolicyYaml } from '../../../../src/policy/parse.js';
import type { EvidenceIntent, EvidenceResult, RunpackEvidence, RunpackLoad } from '../../../../src/artifacts/regress/evidence.js';
import type { JsonObject } from '../../../../src/schema/v1/json-types.js';
import { DEMO_POLICY_YAML } from '../../../../src/transports/cli/commands/demo-runpack.js';

export { DEMO_POLICY_YAML };

/** The demo policy with `tool.fetch` no longer allowed: the recorded allow becomes the default block. */
export const DRIFTED_POLICY_YAML = DEMO_POLICY_YAML.replace('tool.fetch, ', '');

export function policyOf(yaml: string): CompiledPolicy {
  return compilePolicy(parsePolicyYaml(yaml, { file: 'policy.yaml' }));
}

export const DEMO_ARGS: readonly JsonObject[] = [
  { query: 'gait demo: offline verification' },
  { url: 'https://example.local/demo' },
  { input_ref: 'ref_1' },
];
export const DEMO_TOOLS = ['tool.search', 'tool.fetch', 'tool.summarize'] as const;

/** DigestJCS of each demo args object (computed with the `canonicalize` oracle and node:crypto SHA-256). */
export const DEMO_ARGS_DIGESTS = [
  '33d148a7de89102bce5e2be136ca2acc3398ff9970a1f922faa3838eae837e3c',
  '413bb0e0bc0c5edcf3e44cef4789853dbb53814cadff7a6de916a5bc234fa094',
  'c2feaac143150e8935e8fe34dce53259f4e2ddfcafb1cf06b38b1857c5f3fd09',
] as const;

export function demoIntent(i: number): JsonObject {
  return {
    schema_id: 'gait.gate.intent_request',
    schema_version: '1.0.0',
    created_at: '2026-02-05T00:00:00Z',
    producer_version: '0.0.0-dev',
    tool_name: DEMO_TOOLS[i] as string,
    args: DEMO_ARGS[i] as JsonObject,
    context: { identity: 'demo.user', workspace: '/tmp/demo', risk_class: 'low' },
  };
}

export function evidenceIntent(intentId: string, toolName: string, argsDigest: string): EvidenceIntent {
  return { schemaId: 'gait.runpack.intent', schemaVersion: '1.0.0', intentId, toolName, argsDigest, createdAt: '2026-02-05T00:00:00Z' };
}

export function evidenceResult(intentId: string, status = 'ok', result?: JsonObject): EvidenceResult {
  return { schemaId: 'gait.runpack.result', schemaVersion: '1.0.0', intentId, status, resultDigest: '3'.repeat(64), ...(result === undefined ? {} : { result }) };
}

export function evidence(overrides: Partial<RunpackEvidence> = {}): RunpackEvidence {
  return {
    runId: 'run_demo',
    createdAt: '2026-02-05T00:00:00Z',
    captureMode: 'reference',
    manifestSchemaId: 'gait.runpack.manifest',
    manifestSchemaVersion: '1.0.0',
    runSchemaId: 'gait.runpack.run',
    runSchemaVersion: '1.0.0',
    manifestDigest: 'a'.repeat(64),
    intents: [],
    results: [],
    refs: { schemaId: 'gait.runpack.refs', schemaVersion: '1.0.0', contextSetDigest: '', contextEvidenceMode: '', receiptCount: 3 },
    missingFiles: [],
    hashMismatches: 0,
    undeclaredFiles: [],
    signatureStatus: 'missing',
    ...overrides,
  };
}

export function loaded(e: RunpackEvidence): RunpackLoad {
  return { ok: true, evidence: e };
}
