/**
 * MCP-path decisions whose traces are pinned (`decision-trace-pins.test.ts`): the one-shot proxy
 * decision (`decideToolCall`) and the decision service's intent request, each with a fixed key, a
 * stepping clock (non-zero latency, nanosecond `observed_at`) and a trust snapshot given as a value.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { JobStopState } from '../../../../src/artifacts/mcp/emergency-stop.js';
import { signingKeyFromSeed } from '../../../../src/crypto/keys.js';
import type { SigningKey } from '../../../../src/crypto/keys.js';
import { loadPolicy } from '../../../../src/api/policy.js';
import type { CompiledPolicy } from '../../../../src/policy/compile.js';
import type { TrustSnapshotState } from '../../../../src/policy/mcp-trust.js';
import type { Clock } from '../../../../src/runtime/clock.js';
import { addNanos } from '../../../../src/runtime/timestamp.js';
import type { Timestamp } from '../../../../src/runtime/timestamp-type.js';
import { parseContextEnvelope } from '../../../../src/schema/v1/context-envelope.js';
import type { ContextEnvelope } from '../../../../src/schema/v1/context-envelope.js';
import type { JsonObject } from '../../../../src/schema/v1/json-types.js';
import { parseTrustSnapshot } from '../../../../src/schema/v1/mcp-trust-snapshot.js';
import { decideToolCall } from '../../../../src/transports/mcp/proxy.js';
import { jsonOf, makeService, post } from '../../../helpers/serve-fixture.js';
import type { ProxyDecision } from '../../../../src/transports/mcp/proxy.js';

export const CASE_KEY: SigningKey = signingKeyFromSeed(new Uint8Array(createHash('sha256').update('gait mcp single-sign test key v1').digest()));
const START: Timestamp = { seconds: 1_770_249_600, nanos: 0, offsetMinutes: 0 };

/** A clock that moves 1.234567 ms on every reading. */
export function steppingClock(): Clock {
  let at = START;
  return {
    now: () => {
      const t = at;
      at = addNanos(at, 1_234_567);
      return t;
    },
  };
}

/** A signing key that counts its signatures (each Ed25519 signature reads `privateKey` once). */
export function countingKey(key: SigningKey): { key: SigningKey; count: () => number } {
  let n = 0;
  const counted: SigningKey = {
    get privateKey() {
      n += 1;
      return key.privateKey;
    },
    publicKey: key.publicKey,
    privateRaw: key.privateRaw,
    publicRaw: key.publicRaw,
    keyId: key.keyId,
  };
  return { key: counted, count: () => n };
}

export const PLAIN_POLICY = `schema_id: gait.gate.policy
schema_version: 1.0.0
default_verdict: allow
fail_closed:
  enabled: true
  risk_classes: [critical]
rules:
  - name: approve-delete
    priority: 10
    effect: require_approval
    match:
      tool_names: [tool.delete]
    reason_codes: [delete_needs_approval]
`;

export const TRUST_POLICY = `${PLAIN_POLICY}mcp_trust:
  enabled: true
  snapshot: trust.json
  action: block
  required_risk_classes: [high]
`;

export const TRUST_SNAPSHOT_JSON = {
  schema_id: 'gait.mcp.trust_snapshot',
  schema_version: '1.0.0',
  entries: [{ server_id: 'fs', server_name: 'Filesystem', publisher: 'acme', source: 'npm', status: 'trusted', updated_at: '2026-02-04T00:00:00Z', score: 0.9 }],
};

export const TRUST: TrustSnapshotState = { status: 'loaded', path: 'trust.json', snapshot: parseTrustSnapshot(TRUST_SNAPSHOT_JSON) };

/** An envelope whose digest no intent here claims: binding it to a claiming intent fails. */
export const ENVELOPE: ContextEnvelope = parseContextEnvelope({
  context_set_id: 'set-1',
  evidence_mode: 'required',
  records: [
    {
      ref_id: 'ctx_001',
      source_type: 'doc_store',
      source_locator: 'docs://a.md',
      query_digest: '1'.repeat(64),
      content_digest: '2'.repeat(64),
      retrieved_at: '2026-02-05T00:00:00Z',
      redaction_mode: 'reference',
      immutability: 'immutable',
    },
  ],
});

export interface ProxyCase {
  readonly policy: string;
  readonly call: JsonObject;
  readonly job?: JobStopState;
  readonly envelope?: boolean;
}

function call(name: string, context: JsonObject, server?: JsonObject): JsonObject {
  return {
    name,
    args: { path: '/w/a.txt' },
    targets: [{ kind: 'path', value: '/w/a.txt', operation: 'read' }],
    arg_provenance: [{ arg_path: '$.path', source: 'user' }],
    context: { identity: 'alice', workspace: '/w', risk_class: 'high', session_id: 'sess-1', ...context },
    ...(server === undefined ? {} : { server }),
  };
}

const TRUSTED_SERVER = { server_id: 'fs', server_name: 'Filesystem' };
const UNKNOWN_SERVER = { server_id: 'shadow', server_name: 'Shadow' };

export const PROXY_CASES = {
  /** no `mcp_trust`, policy allow */
  plainAllow: { policy: PLAIN_POLICY, call: call('tool.read', {}, TRUSTED_SERVER) },
  /** `mcp_trust` on, server not in the snapshot, risk high: enforced block */
  trustBlock: { policy: TRUST_POLICY, call: call('tool.read', {}, UNKNOWN_SERVER) },
  /** `mcp_trust` on, trusted server: allow with `mcp_trust_verified` */
  trustAllow: { policy: TRUST_POLICY, call: call('tool.read', {}, TRUSTED_SERVER) },
  /** `mcp_trust` on, trusted server, its job emergency-stopped */
  trustEmergencyStopped: { policy: TRUST_POLICY, call: call('tool.read', { job_id: 'job-1' }, TRUSTED_SERVER), job: { status: 'stopped' } },
  /** no `mcp_trust`, the job emergency-stopped */
  plainEmergencyStopped: { policy: PLAIN_POLICY, call: call('tool.read', { job_id: 'job-1' }, TRUSTED_SERVER), job: { status: 'stopped' } },
  /** `mcp_trust` on, unknown server, job status unreadable */
  trustBlockJobUnavailable: {
    policy: TRUST_POLICY,
    call: call('tool.read', { job_id: 'job-1' }, UNKNOWN_SERVER),
    job: { status: 'unavailable', error: 'no such file' },
  },
  /** `mcp_trust` on, trusted server, a rule requiring approval (no tokens on MCP paths) */
  trustRequireApproval: { policy: TRUST_POLICY, call: call('tool.delete', {}, TRUSTED_SERVER) },
  /** `mcp_trust` on, a critical call with a bound context envelope (`context_source`), its job emergency-stopped */
  envelopeEmergencyStopped: { policy: TRUST_POLICY, call: call('tool.read', { job_id: 'job-1', risk_class: 'critical' }, TRUSTED_SERVER), job: { status: 'stopped' }, envelope: true },
} satisfies Record<string, ProxyCase>;

export type ProxyCaseName = keyof typeof PROXY_CASES;

const compiledPolicies = new Map<string, CompiledPolicy>();

function compiled(text: string): CompiledPolicy {
  const known = compiledPolicies.get(text);
  if (known !== undefined) return known;
  const policy = loadPolicy(text);
  compiledPolicies.set(text, policy);
  return policy;
}

export function decideCase(c: ProxyCase, key: SigningKey = CASE_KEY): ProxyDecision {
  return decideToolCall({
    adapter: 'mcp',
    payload: c.call,
    profile: 'standard',
    compiled: compiled(c.policy),
    trustSnapshot: TRUST,
    contextEnvelope: c.envelope === true ? ENVELOPE : undefined,
    signingKey: key,
    clock: steppingClock(),
    correlationId: 'cid-single-sign',
    producerVersion: '0.1.0-test',
    jobState: () => c.job ?? { status: 'none' },
  });
}

/** What a pin holds of a signed trace: its id, signed digest, signature and the digest of its JSON text. */
export function traceFacts(trace: JsonObject): Record<string, string> {
  const sig = trace['signature'] as JsonObject;
  return {
    trace_id: String(trace['trace_id']),
    verdict: String(trace['verdict']),
    signed_digest: String(sig['signed_digest']),
    sig: String(sig['sig']),
    json_sha256: createHash('sha256').update(JSON.stringify(trace)).digest('hex'),
  };
}

export interface ServeCase {
  readonly policy: string;
  /** the `/v1/evaluate` request body */
  readonly body: JsonObject;
  /** `jobs/job-1/state.json` status; absent: no job directory (the status of `job-1` is unavailable) */
  readonly jobStatus?: string;
  readonly envelope?: boolean;
}

function intentRequest(name: string, context: JsonObject): JsonObject {
  const { args, targets, arg_provenance: provenance, context: ctx } = call(name, context);
  return { intent: { tool_name: name, args: args ?? {}, targets: targets ?? [], arg_provenance: provenance ?? [], context: ctx ?? {} } };
}

export const SERVE_CASES = {
  /** an intent request (no server identity: trust enforced block), its job status unreadable */
  intentTrustBlockJobUnavailable: { policy: TRUST_POLICY, body: intentRequest('tool.read', { job_id: 'job-1' }) },
  /** an intent request under a low risk class (trust not required), its job emergency-stopped */
  intentTrustEmergencyStopped: { policy: TRUST_POLICY, body: intentRequest('tool.read', { job_id: 'job-1', risk_class: 'low' }), jobStatus: 'emergency_stopped' },
  /** a fail-closed critical intent whose context claim contradicts the envelope: no prepared intent; job stopped */
  intentUnpreparedEmergencyStopped: {
    policy: TRUST_POLICY,
    body: intentRequest('tool.read', { job_id: 'job-1', risk_class: 'critical', context_set_digest: 'a'.repeat(64) }),
    jobStatus: 'emergency_stopped',
    envelope: true,
  },
  /** a tool call from a trusted server through the service, its job emergency-stopped */
  callTrustEmergencyStopped: { policy: TRUST_POLICY, body: { call: call('tool.read', { job_id: 'job-1' }, TRUSTED_SERVER) }, jobStatus: 'emergency_stopped' },
} satisfies Record<string, ServeCase>;

export type ServeCaseName = keyof typeof SERVE_CASES;

/**
 * One `/v1/evaluate` request to a fresh decision service (`gait mcp serve`, fixed clock, producer
 * version GAIT_VERSION, correlation id from the header) for a case.
 * @returns the response body and the signed trace the service wrote
 */
export async function serveCase(c: ServeCase, key: SigningKey = CASE_KEY): Promise<{ body: Record<string, unknown>; trace: JsonObject }> {
  const fx = makeService(
    { signingKey: key, jobRoot: 'jobs', ...(c.envelope === true ? { contextEnvelope: ENVELOPE } : {}) },
    { 'policy.yaml': c.policy, 'trust.json': JSON.stringify(TRUST_SNAPSHOT_JSON), ...(c.jobStatus === undefined ? {} : { 'jobs/job-1/state.json': JSON.stringify({ status: c.jobStatus }) }) },
  );
  try {
    const body = await jsonOf(await fx.service.fetch(post('/v1/evaluate', c.body, { 'x-correlation-id': 'cid-single-sign' })));
    if (typeof body['trace_path'] !== 'string') throw new Error(`no trace: ${JSON.stringify(body)}`);
    return { body, trace: JSON.parse(readFileSync(join(fx.cwd, body['trace_path']), 'utf8')) as JsonObject };
  } finally {
    await fx.cleanup();
  }
}
