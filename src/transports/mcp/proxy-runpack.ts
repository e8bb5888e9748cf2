/**
 * The reference-mode runpack of one proxy decision (mcp-and-export.md §4 step 11), signed with the
 * trace key (§12), and the run pack built from it (§4 step 12). Pure: bytes out.
 */
import { buildPack, recordRunpack } from '../../api/runpack.js';
import type { RunEnv } from '../../artifacts/runpack/types.js';
import type { SigningKey } from '../../crypto/keys.js';
import { digestJcs } from '../../crypto/digest.js';
import { fixedClock } from '../../runtime/clock.js';
import { formatTimestamp } from '../../runtime/timestamp.js';
import { argsDigest } from '../../schema/v1/intent-digest.js';
import type { JsonObject } from '../../schema/v1/json-types.js';
import type { ProxyDecision } from './proxy.js';

/** §4 step 11: the run-record input (artifacts.md §2.5) of a decision. */
export function proxyRunRecordInput(decision: ProxyDecision, producerVersion: string): JsonObject {
  const r = decision.result;
  const t = formatTimestamp(decision.intent.createdAt);
  const payload: JsonObject = { verdict: r.verdict, reason_codes: [...r.reasonCodes], violations: [...r.violations], trace_id: r.traceId };
  return {
    run: {
      run_id: decision.runId,
      created_at: t,
      producer_version: producerVersion,
      timeline: [
        { event: 'proxy_eval_start', ts: t },
        { event: 'proxy_eval_finish', ts: t },
      ],
    },
    // Reference mode: digests only; the normalized args and the payload are not stored.
    intents: [{ intent_id: 'intent_1', tool_name: decision.intent.toolName, args_digest: argsDigest(decision.intent) }],
    results: [
      {
        intent_id: 'intent_1',
        status: r.verdict === 'block' || r.verdict === 'require_approval' ? 'error' : 'ok',
        result_digest: digestJcs(payload),
      },
    ],
    refs: { run_id: decision.runId, receipts: [] },
    capture_mode: 'reference',
  };
}

export interface ProxyArtifactBytes {
  readonly runpack: Uint8Array;
  readonly pack: { readonly bytes: Uint8Array; readonly packId: string } | undefined;
  readonly warnings: readonly string[];
}

/**
 * Builds the runpack (and, when asked, the run pack from it), both signed with the trace key.
 * @throws GaitError as `recordRunpack` / `buildPack`
 */
export function buildProxyArtifacts(decision: ProxyDecision, options: { signingKey: SigningKey; producerVersion: string; hostEnv: RunEnv; pack: boolean }): ProxyArtifactBytes {
  const built = recordRunpack(proxyRunRecordInput(decision, options.producerVersion), {
    signingKey: options.signingKey,
    clock: fixedClock(decision.intent.createdAt),
    hostEnv: options.hostEnv,
  });
  const pack = options.pack ? buildPack(built.bytes, { signingKey: options.signingKey, producerVersion: options.producerVersion }) : undefined;
  return { runpack: built.bytes, pack: pack === undefined ? undefined : { bytes: pack.bytes, packId: pack.packId }, warnings: built.warnings };
}
