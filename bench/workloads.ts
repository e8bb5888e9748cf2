/**
 * The benchmark workload: the "evaluate policy (gate only)" workload of mcp-and-export.md §11, i.e.
 * Gait v1's typical gate evaluation — a fail-closed (high, critical) policy with two rules and a
 * `tool.write` intent with one path target and one provenance entry. Everything that is not the
 * operation under test (parsing, compiling, normalizing, key generation) happens here, once.
 */
import { compilePolicy } from '../src/policy/compile.js';
import type { CompiledPolicy } from '../src/policy/compile.js';
import { evaluate } from '../src/policy/evaluate.js';
import { parsePolicyYaml } from '../src/policy/parse.js';
import { generateSigningKey, verifyKeyOf } from '../src/crypto/keys.js';
import type { SigningKey, VerifyKey } from '../src/crypto/keys.js';
import { systemRandom } from '../src/runtime/random.js';
import { parseTimestamp } from '../src/runtime/timestamp.js';
import type { Timestamp } from '../src/runtime/timestamp-type.js';
import { normalizeIntent } from '../src/schema/v1/intent.js';
import type { Intent } from '../src/schema/v1/intent-types.js';
import type { JsonObject } from '../src/schema/v1/json-types.js';

/** Two rules; fail closed for high and critical risk when targets or provenance are missing. */
export const POLICY_YAML = `schema_id: gait.gate.policy
schema_version: 1.0.0
default_verdict: require_approval
fail_closed:
  enabled: true
  risk_classes: [high, critical]
  required_fields: [targets, arg_provenance]
rules:
  - name: allow-safe-write
    priority: 10
    effect: allow
    match:
      tool_names: [tool.write]
      target_kinds: [path]
      workspace_prefixes: [/tmp]
      provenance_sources: [user]
    reason_codes: [safe_write]
  - name: block-external-host
    priority: 20
    effect: block
    match:
      tool_names: [tool.write]
      target_kinds: [host]
    reason_codes: [blocked_external]
    violations: [external_egress]
`;

/** The raw IntentRequest as it arrives on the wire (parsed JSON). */
export const RAW_INTENT: JsonObject = {
  schema_id: 'gait.gate.intent_request',
  schema_version: '1.0.0',
  created_at: '2026-02-05T00:00:00Z',
  producer_version: '0.0.0-bench',
  tool_name: 'tool.write',
  args: { path: '/tmp/out.txt', content: 'hello' },
  targets: [{ kind: 'path', value: '/tmp/out.txt' }],
  arg_provenance: [{ arg_path: '$.path', source: 'user' }],
  context: { identity: 'bench-user', workspace: '/tmp/workspace', risk_class: 'high' },
};

/** Fixed `--evaluation-time` so every iteration evaluates the same instant. */
export const EVALUATION_TIME_TEXT = '2026-12-01T00:00:00Z';

/** The verdict and reason codes every iteration must produce (checked before timing). */
export const EXPECTED = { verdict: 'allow', reasonCodes: ['safe_write'], matchedRule: 'allow-safe-write' } as const;

export interface Workload {
  readonly compiled: CompiledPolicy;
  readonly intent: Intent;
  readonly rawIntent: JsonObject;
  readonly evaluationTime: Timestamp;
  readonly signingKey: SigningKey;
  readonly verifyKey: VerifyKey;
}

/** Parses and compiles the policy, normalizes the intent and draws a fresh key pair, once. */
export function buildWorkload(): Workload {
  const compiled = compilePolicy(parsePolicyYaml(POLICY_YAML, { file: 'bench-policy.yaml' }));
  const intent = normalizeIntent(RAW_INTENT);
  const evaluationTime = parseTimestamp(EVALUATION_TIME_TEXT);
  const signingKey = generateSigningKey(systemRandom);
  const workload = { compiled, intent, rawIntent: RAW_INTENT, evaluationTime, signingKey, verifyKey: verifyKeyOf(signingKey) };
  assertExpectedDecision(workload);
  return workload;
}

/** Guards against benchmarking the wrong path (e.g. a fail-closed block instead of rule matching). */
function assertExpectedDecision(w: Workload): void {
  const decision = evaluate(w.compiled, w.intent, { evaluationTime: w.evaluationTime });
  const reasons = decision.reasonCodes.join(',');
  if (decision.verdict !== EXPECTED.verdict || reasons !== EXPECTED.reasonCodes.join(',') || decision.matchedRule !== EXPECTED.matchedRule) {
    throw new Error(`bench workload: unexpected decision ${decision.verdict} [${reasons}] rule \`${decision.matchedRule}\``);
  }
}
