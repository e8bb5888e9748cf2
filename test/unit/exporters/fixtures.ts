/**
 * A real signed decision for exporter tests: an openai tool call decided by `decideToolCall` with a
 * fixed key and clock (2026-02-05T00:00:00Z).
 */
import { createHash } from 'node:crypto';
import { signingKeyFromSeed } from '../../../src/crypto/keys.js';
import type { SigningKey } from '../../../src/crypto/keys.js';
import type { DecisionEvent } from '../../../src/exporters/types.js';
import { loadPolicy } from '../../../src/api/policy.js';
import { fixedClock } from '../../../src/runtime/clock.js';
import { decideToolCall, proxyDecisionEvent } from '../../../src/transports/mcp/proxy.js';
import type { ProxyDecision } from '../../../src/transports/mcp/proxy.js';

export const EXPORT_KEY: SigningKey = signingKeyFromSeed(new Uint8Array(createHash('sha256').update('gait exporter test key v1').digest()));
export const NOW = { seconds: 1_770_249_600, nanos: 0, offsetMinutes: 0 } as const;

export const POLICY_TEXT = `schema_id: gait.gate.policy
schema_version: 1.0.0
default_verdict: allow
rules:
  - name: block-write
    priority: 10
    effect: block
    match:
      tool_names: [tool.write]
    reason_codes: [write_blocked]
    violations: [write_attempt]
`;

export function decide(payload: unknown, adapter = 'openai'): ProxyDecision {
  return decideToolCall({
    adapter,
    payload,
    profile: 'standard',
    compiled: loadPolicy(POLICY_TEXT),
    trustSnapshot: undefined,
    contextEnvelope: undefined,
    signingKey: EXPORT_KEY,
    clock: fixedClock(NOW),
    correlationId: 'cid-export',
    producerVersion: '0.1.0',
    jobState: () => ({ status: 'none' }),
  });
}

export const SECRET_CALL = {
  type: 'function',
  function: {
    name: 'tool.write',
    arguments: JSON.stringify({ path: '/tmp/out.txt', api_key: 'ref:vault/key', note: 'Authorization: Bearer abc.def.ghi', url: 'https://bob:hunter2@example.com/x?token=t0ps3cr3t&q=1' }),
  },
};

export function decisionEvent(includeArgs = false): { decision: ProxyDecision; event: DecisionEvent } {
  const decision = decide(SECRET_CALL);
  return { decision, event: proxyDecisionEvent(decision, { tracePath: 'trace.json', producerVersion: '0.1.0', includeArgs }) };
}
