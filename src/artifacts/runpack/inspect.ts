/** `gait run inspect` (artifacts.md §2.9): one entry per intent with its first result. */
import { formatTimestamp, toUtc } from '../../runtime/timestamp.js';
import type { JsonObject, JsonValue } from '../../schema/v1/json-types.js';
import { compareCodePoints } from '../../schema/v1/text.js';
import { stringMember } from '../signed/members.js';
import type { CaptureMode, ResultRecord, Runpack } from './types.js';

export interface InspectEntry {
  /** 1-based. */
  readonly index: number;
  readonly intentId: string;
  readonly toolName: string;
  /** UTC, canonical. */
  readonly createdAt: string;
  readonly argsDigest: string;
  /** '' when the intent has no result. */
  readonly status: string;
  readonly resultDigest: string;
  /** From the result payload (so empty in reference mode). */
  readonly verdict: string;
  readonly reasonCodes: readonly string[];
  readonly violations: readonly string[];
}

export interface RunpackInspection {
  readonly runId: string;
  readonly captureMode: CaptureMode;
  readonly intentsTotal: number;
  readonly resultsTotal: number;
  readonly entries: readonly InspectEntry[];
  /** Intent ids of results with no intent, sorted. */
  readonly unmatchedResults: readonly string[];
  readonly warnings: readonly string[];
}

function stringsOf(payload: JsonObject | undefined, key: string): string[] {
  const v: JsonValue | undefined = payload?.[key];
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
}

/**
 * Summarizes a runpack read by `readRunpack` (§2.9): the first result per intent is used, later ones
 * add a warning; results without an intent are listed.
 * @example inspectRunpack(pack).entries[0]?.status
 */
export function inspectRunpack(pack: Runpack): RunpackInspection {
  const first = new Map<string, ResultRecord>();
  const warnings: string[] = [];
  for (const r of pack.results) {
    if (first.has(r.intentId)) warnings.push(`multiple result records for intent_id=${r.intentId} (kept first)`);
    else first.set(r.intentId, r);
  }
  const intentIds = new Set(pack.intents.map((i) => i.intentId));
  const unmatched = [...new Set(pack.results.map((r) => r.intentId).filter((id) => !intentIds.has(id)))].sort(compareCodePoints);
  const entries = pack.intents.map((intent, i): InspectEntry => {
    const result = first.get(intent.intentId);
    return {
      index: i + 1,
      intentId: intent.intentId,
      toolName: intent.toolName,
      createdAt: formatTimestamp(toUtc(intent.createdAt)),
      argsDigest: intent.argsDigest,
      status: result?.status ?? '',
      resultDigest: result?.resultDigest ?? '',
      verdict: stringMember(result?.result, 'verdict'),
      reasonCodes: stringsOf(result?.result, 'reason_codes'),
      violations: stringsOf(result?.result, 'violations'),
    };
  });
  return {
    runId: pack.manifest.runId,
    captureMode: pack.manifest.captureMode,
    intentsTotal: pack.intents.length,
    resultsTotal: pack.results.length,
    entries,
    unmatchedResults: unmatched,
    warnings: [...new Set(warnings)],
  };
}
