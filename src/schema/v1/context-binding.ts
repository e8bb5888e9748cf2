/**
 * Context-evidence claims of a prepared intent (gate.md §A3.6 step 2, §B2 "Binding"): without an
 * envelope the intent's claims are stripped; with one they are checked against it, stripped, and
 * replaced by the envelope's digest, mode, record refs and context age.
 */
import { GaitError } from '../../errors/error.js';
import { compareTimestamps } from '../../runtime/timestamp.js';
import type { Timestamp } from '../../runtime/timestamp-type.js';
import { assertVerifiedContextEnvelope } from './context-envelope.js';
import type { ContextEnvelope } from './context-envelope.js';
import { setMember } from './free-object.js';
import type { Intent } from './intent-types.js';
import type { JsonObject } from './json-types.js';
import { compareCodePoints, lowerSimple, trimSpec } from './text.js';

/** The outcome `context_source` of an evaluation with a bound envelope (gate.md §B2). */
export const CONTEXT_SOURCE_ENVELOPE = 'context_envelope';

/** The `auth_context` member that carries the context age (gate.md §A3.6, §B2). */
export const CONTEXT_AGE_MEMBER = 'context_age_seconds';

/** `auth_context` without `context_age_seconds`; undefined when nothing else is left. */
function withoutContextAge(authContext: JsonObject | undefined): JsonObject | undefined {
  if (authContext === undefined || !Object.hasOwn(authContext, CONTEXT_AGE_MEMBER)) return authContext;
  const rest: JsonObject = {};
  for (const [key, value] of Object.entries(authContext)) if (key !== CONTEXT_AGE_MEMBER) setMember(rest, key, value);
  return Object.keys(rest).length === 0 ? undefined : rest;
}

/**
 * gate.md §A3.6 step 2 without an envelope: clear `context_set_digest` and `context_evidence_mode`,
 * remove `context_refs`, delete `auth_context.context_age_seconds` (auth_context absent if it ends up empty).
 */
export function stripContextEvidence(intent: Intent): Intent {
  return {
    ...intent,
    context: {
      ...intent.context,
      contextSetDigest: '',
      contextEvidenceMode: '',
      contextRefs: [],
      authContext: withoutContextAge(intent.context.authContext),
    },
  };
}

/** Whole seconds from `from` to `to`, truncated; 0 when `from` is later than `to` (future → 0). */
export function wholeSecondsBetween(from: Timestamp, to: Timestamp): number {
  if (compareTimestamps(from, to) >= 0) return 0;
  // INVARIANT: nanos are in [0, 1e9), so the fractional part only borrows one second.
  return to.seconds - from.seconds - (to.nanos < from.nanos ? 1 : 0);
}

/**
 * The context age of an envelope at `evaluationTime` (gate.md §B2): the largest whole-second age
 * (evaluation time − `retrieved_at`, future → 0) over its records, or the age of `created_at` when it
 * has no records.
 * @example contextAgeSecondsAt(envelope, parseTimestamp('2026-02-14T00:10:00Z')) // 600
 */
export function contextAgeSecondsAt(envelope: ContextEnvelope, evaluationTime: Timestamp): number {
  if (envelope.records.length === 0) return wholeSecondsBetween(envelope.createdAt, evaluationTime);
  let max = 0;
  for (const record of envelope.records) max = Math.max(max, wholeSecondsBetween(record.retrievedAt, evaluationTime));
  return max;
}

/** Sorted unique non-empty `ref_id`s ([] when none, i.e. `context_refs` absent). */
function envelopeContextRefs(envelope: ContextEnvelope): string[] {
  const refs = new Set<string>();
  for (const record of envelope.records) {
    const ref = trimSpec(record.refId);
    if (ref !== '') refs.add(ref);
  }
  return [...refs].sort(compareCodePoints);
}

function claimMismatch(message: string, path: string): GaitError {
  return new GaitError('input_intent', message, { details: { path } });
}

/**
 * Binds a verified envelope to a normalized intent (gate.md §B2 "Binding", replacing the stripping of
 * §A3.6 step 2).
 * @param intent a normalized intent
 * @param envelope from `parseContextEnvelope` (a hand-built value is re-verified first)
 * @param evaluationTime the instant the context age is measured at (gate.md §A5.1)
 * @returns the intent with the envelope's `context_set_digest`, `context_evidence_mode`,
 *   `context_refs` and `auth_context.context_age_seconds`
 * @throws GaitError `input_intent` `context envelope digest does not match context.context_set_digest`,
 *   `context envelope evidence mode does not match context.context_evidence_mode`; `artifact_invalid`
 *   `verify context envelope: …` for an inconsistent hand-built envelope
 * @example bindContextEnvelope(normalizeIntent(raw), parseContextEnvelope(env), now).context.contextRefs
 */
export function bindContextEnvelope(intent: Intent, envelope: ContextEnvelope, evaluationTime: Timestamp): Intent {
  assertVerifiedContextEnvelope(envelope);
  const digestClaim = trimSpec(intent.context.contextSetDigest);
  if (digestClaim !== '' && lowerSimple(digestClaim) !== lowerSimple(envelope.contextSetDigest)) {
    throw claimMismatch('context envelope digest does not match context.context_set_digest', 'context.context_set_digest');
  }
  const modeClaim = trimSpec(intent.context.contextEvidenceMode);
  if (modeClaim !== '' && lowerSimple(modeClaim) !== lowerSimple(envelope.evidenceMode)) {
    throw claimMismatch('context envelope evidence mode does not match context.context_evidence_mode', 'context.context_evidence_mode');
  }
  const authContext: JsonObject = { ...withoutContextAge(intent.context.authContext) };
  setMember(authContext, CONTEXT_AGE_MEMBER, contextAgeSecondsAt(envelope, evaluationTime));
  return {
    ...intent,
    context: {
      ...intent.context,
      contextSetDigest: envelope.contextSetDigest,
      contextEvidenceMode: envelope.evidenceMode,
      contextRefs: envelopeContextRefs(envelope),
      authContext,
    },
  };
}
