/**
 * `diffRunpacks` (artifacts.md §2.10): manifest, intents, results and refs compared with the fields
 * that always differ between two recordings (run id, producer version, creation time) blanked, and
 * context drift classified as `none`, `runtime_only` or `semantic`.
 */
import { digestJcs } from '../../crypto/digest.js';
import { canonicalize } from '../../jcs/canonicalize.js';
import { FALLBACK_CREATED_AT, formatTimestamp, ZERO_TIME } from '../../runtime/timestamp.js';
import type { JsonObject } from '../../schema/v1/json-types.js';
import { compareCodePoints } from '../../schema/v1/text.js';
import type { Runpack, RefsRecord } from './types.js';
import { intentToWire, manifestToWire, refsToWire, resultToWire } from './wire.js';

export type DiffPrivacy = 'full' | 'metadata';
export type ContextDrift = 'none' | 'runtime_only' | 'semantic';

export interface RunpackDiffSummary {
  readonly runIdLeft: string;
  readonly runIdRight: string;
  readonly manifestChanged: boolean;
  /** Symmetric difference of manifest paths, sorted. */
  readonly filesChanged: readonly string[];
  readonly intentsChanged: boolean;
  readonly resultsChanged: boolean;
  readonly refsChanged: boolean;
  readonly leftOnlyIntents: readonly string[];
  readonly rightOnlyIntents: readonly string[];
  readonly leftOnlyResults: readonly string[];
  readonly rightOnlyResults: readonly string[];
  readonly contextDriftClassification: ContextDrift;
  readonly contextRuntimeOnlyChanges: boolean;
}

export interface RunpackDiff {
  /** None of the four `*Changed` flags is set. */
  readonly ok: boolean;
  readonly privacy: DiffPrivacy;
  readonly summary: RunpackDiffSummary;
}

const ZERO = formatTimestamp(ZERO_TIME);
const RUNTIME_TIME = formatTimestamp(FALLBACK_CREATED_AT);

function blanked(wire: JsonObject): JsonObject {
  return { ...wire, run_id: '', producer_version: '', created_at: ZERO };
}

function sameJson(a: unknown, b: unknown): boolean {
  return canonicalize(a) === canonicalize(b);
}

function manifestShape(p: Runpack): JsonObject {
  const wire = manifestToWire(p.manifest, { withoutSignatures: true, manifestDigest: '' });
  return { ...blanked(wire), files: p.manifest.files.map((f) => ({ path: f.path, sha256: '' })) };
}

/** Records keyed by intent id (last duplicate wins), each as its blanked digest. */
function keyed<T extends { readonly intentId: string }>(records: readonly T[], wire: (r: T) => JsonObject, privacy: DiffPrivacy): Map<string, string> {
  const out = new Map<string, string>();
  for (const r of records) {
    const w = blanked(wire(r));
    if (privacy === 'metadata') {
      delete w['args'];
      delete w['result'];
    }
    out.set(r.intentId, digestJcs(w));
  }
  return out;
}

interface KeyDiff {
  readonly changed: boolean;
  readonly leftOnly: string[];
  readonly rightOnly: string[];
}

function compareKeyed(left: Map<string, string>, right: Map<string, string>): KeyDiff {
  const leftOnly = [...left.keys()].filter((k) => !right.has(k)).sort(compareCodePoints);
  const rightOnly = [...right.keys()].filter((k) => !left.has(k)).sort(compareCodePoints);
  const differs = [...left].some(([k, d]) => right.has(k) && right.get(k) !== d);
  return { changed: differs || leftOnly.length > 0 || rightOnly.length > 0, leftOnly, rightOnly };
}

function receiptDigests(refs: RefsRecord): string {
  return canonicalize({
    receipts: refs.receipts.map((r) => [r.refId, r.queryDigest, r.contentDigest]),
    context_set_digest: refs.contextSetDigest,
    context_evidence_mode: refs.contextEvidenceMode,
    context_ref_count: refs.contextRefCount,
  });
}

function runtimeShape(refs: RefsRecord): JsonObject {
  const wire = blanked(refsToWire(refs));
  delete wire['context_set_digest'];
  const receipts = (wire['receipts'] as JsonObject[]).map((r) => ({ ...r, retrieved_at: RUNTIME_TIME }));
  return { ...wire, receipts };
}

/** The refs comparison of §2.10 (also used by `pack diff` for two run packs, §3.7). */
export function diffRefs(left: RefsRecord, right: RefsRecord, privacy: DiffPrivacy = 'full'): { changed: boolean; drift: ContextDrift } {
  if (privacy === 'metadata') return { changed: left.receipts.length !== right.receipts.length, drift: 'none' };
  if (sameJson(blanked(refsToWire(left)), blanked(refsToWire(right)))) return { changed: false, drift: 'none' };
  if (receiptDigests(left) === receiptDigests(right)) return { changed: true, drift: 'none' };
  const sameCounts = left.contextEvidenceMode === right.contextEvidenceMode && left.contextRefCount === right.contextRefCount;
  if (sameCounts && sameJson(runtimeShape(left), runtimeShape(right))) return { changed: true, drift: 'runtime_only' };
  return { changed: true, drift: 'semantic' };
}

/**
 * Compares two runpacks read by `readRunpack` (artifacts.md §2.10). Refs should be normalized
 * (`normalizeRefs`) first when they come from another producer.
 * @param privacy `full` (default) or `metadata` (payloads ignored, refs compared by count)
 * @returns `{ok, privacy, summary}`; `ok` is false when anything changed (the CLI exits 2)
 * @example diffRunpacks(left, right).summary.intentsChanged
 */
export function diffRunpacks(left: Runpack, right: Runpack, privacy: DiffPrivacy = 'full'): RunpackDiff {
  const lp = new Set(left.manifest.files.map((f) => f.path));
  const rp = new Set(right.manifest.files.map((f) => f.path));
  const filesChanged = [...lp].filter((p) => !rp.has(p)).concat([...rp].filter((p) => !lp.has(p))).sort(compareCodePoints);
  const manifestChanged = !sameJson(manifestShape(left), manifestShape(right));
  const intents = compareKeyed(keyed(left.intents, intentToWire, privacy), keyed(right.intents, intentToWire, privacy));
  const results = compareKeyed(keyed(left.results, resultToWire, privacy), keyed(right.results, resultToWire, privacy));
  const refs = diffRefs(left.refs, right.refs, privacy);
  const summary: RunpackDiffSummary = {
    runIdLeft: left.manifest.runId,
    runIdRight: right.manifest.runId,
    manifestChanged,
    filesChanged,
    intentsChanged: intents.changed,
    resultsChanged: results.changed,
    refsChanged: refs.changed,
    leftOnlyIntents: intents.leftOnly,
    rightOnlyIntents: intents.rightOnly,
    leftOnlyResults: results.leftOnly,
    rightOnlyResults: results.rightOnly,
    contextDriftClassification: refs.drift,
    contextRuntimeOnlyChanges: refs.drift === 'runtime_only',
  };
  return { ok: !(manifestChanged || intents.changed || results.changed || refs.changed), privacy, summary };
}
