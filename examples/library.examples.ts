/**
 * Type-checked examples of the library API (README "Library"). `test/unit/api/examples.test.ts`
 * runs them, so they stay true. Import from `gait` and `gait/node` in your own code.
 */
import { readFileSync } from 'node:fs';
import { evaluate, gateEval, generateKeyPair, loadPolicy, parseIntent, verifyTrace } from '../src/index.js';
import type { Decision, GateEvalResult } from '../src/index.js';
import { loadPolicyFile, readIntentFile } from '../src/node.js';

/** Decide in-process: compile the policy once, then evaluate each tool call before it runs. */
export function decideToolCall(policyYaml: string, intentJson: string): Decision {
  const policy = loadPolicy(policyYaml, { file: 'gait.policy.yaml' });
  const decision = evaluate(policy, JSON.parse(intentJson) as unknown);
  // Anything but allow means: do not run the tool.
  return decision;
}

/** Hot path: normalize the intent once too, and pin the evaluation time (replays are deterministic). */
export function decideMany(policyYaml: string, intentJson: string, times: number): string[] {
  const policy = loadPolicy(policyYaml);
  const intent = parseIntent(JSON.parse(intentJson) as unknown);
  const verdicts: string[] = [];
  for (let i = 0; i < times; i += 1) {
    verdicts.push(evaluate(policy, intent, { evaluationTime: '2026-02-05T00:00:00Z' }).verdict);
  }
  return verdicts;
}

/** The full `gait gate eval` pipeline with a signed trace, verified offline with the public key. */
export function gateAndVerify(policyPath: string, intentPath: string): { result: GateEvalResult; verified: boolean } {
  const signingKey = generateKeyPair();
  const result = gateEval(loadPolicyFile(policyPath), readIntentFile(intentPath), { signingKey, correlationId: 'example' });
  const written = JSON.parse(JSON.stringify(result.trace)) as unknown;
  return { result, verified: verifyTrace(written, signingKey).ok };
}

/** Reads the example policy shipped with the package. */
export function examplePolicyText(): string {
  return readFileSync(new URL('./policy.yaml', import.meta.url), 'utf8');
}
