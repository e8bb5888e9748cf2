/**
 * The run pack's derived entries (artifacts.md §3.3 "run"): `run_payload.json` and
 * `context_envelope.json`, both computed from a runpack read by `readRunpack`.
 */
import { GaitError, isGaitError } from '../../errors/error.js';
import { FALLBACK_CREATED_AT, formatTimestamp, isZeroTime, toUtc } from '../../runtime/timestamp.js';
import { parseContextEnvelope, toContextEnvelopeWire } from '../../schema/v1/context-envelope.js';
import type { JsonObject } from '../../schema/v1/json-types.js';
import { trimSpec } from '../../schema/v1/text.js';
import type { Runpack } from '../runpack/types.js';
import { receiptToWire } from '../runpack/wire.js';
import { PACK_RUN_SCHEMA_ID, PACK_SCHEMA_VERSION } from './types.js';

/** The shared `redaction_mode` of all receipts (blank = `unknown`), `mixed`, or '' when there are none. */
function privacyMode(pack: Runpack): string {
  const modes = new Set(pack.refs.receipts.map((r) => (trimSpec(r.redactionMode) === '' ? 'unknown' : r.redactionMode)));
  if (modes.size === 0) return '';
  return modes.size === 1 ? ([...modes][0] as string) : 'mixed';
}

/** `run_payload.json` (`gait.pack.run`, §3.3). */
export function buildRunPayload(pack: Runpack): JsonObject {
  const created = pack.run.createdAt;
  const out: JsonObject = {
    schema_id: PACK_RUN_SCHEMA_ID,
    schema_version: PACK_SCHEMA_VERSION,
    created_at: formatTimestamp(isZeroTime(created) ? FALLBACK_CREATED_AT : toUtc(created)),
    run_id: pack.manifest.runId,
    capture_mode: pack.manifest.captureMode,
    manifest_digest: pack.manifest.manifestDigest,
    intents_count: pack.intents.length,
    results_count: pack.results.length,
    refs_count: pack.refs.receipts.length,
  };
  if (pack.refs.contextSetDigest !== '') out['context_set_digest'] = pack.refs.contextSetDigest;
  if (pack.refs.receipts.length > 0) out['context_ref_count'] = pack.refs.receipts.length;
  if (pack.refs.contextEvidenceMode !== '') out['context_evidence_mode'] = pack.refs.contextEvidenceMode;
  const privacy = privacyMode(pack);
  if (privacy !== '') out['context_privacy_mode'] = privacy;
  return out;
}

/**
 * `context_envelope.json` (§3.3): the normalized refs as a `gait.context.envelope`, or undefined when
 * the refs carry no receipt. The digest is recomputed; a digest the refs carried must match.
 * @throws GaitError `artifact_verification_failed` when the refs do not form a valid envelope
 */
export function buildContextEnvelope(pack: Runpack): JsonObject | undefined {
  const refs = pack.refs;
  if (refs.receipts.length === 0) return undefined;
  try {
    const envelope = parseContextEnvelope({
      schema_id: 'gait.context.envelope',
      schema_version: '1.0.0',
      created_at: formatTimestamp(refs.createdAt),
      producer_version: refs.producerVersion,
      context_set_id: pack.manifest.runId,
      context_set_digest: refs.contextSetDigest,
      evidence_mode: refs.contextEvidenceMode === '' ? 'best_effort' : refs.contextEvidenceMode,
      records: refs.receipts.map(receiptToWire),
    });
    return toContextEnvelopeWire(envelope);
  } catch (err) {
    if (!isGaitError(err)) throw err;
    throw new GaitError('artifact_verification_failed', `runpack refs do not form a context envelope: ${err.message}`, { cause: err });
  }
}
