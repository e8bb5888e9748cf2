/**
 * Reads a fixture runpack into the graders' evidence view (artifacts.md §4.3 `schema_validation`):
 * the runpack reader's integrity and decoding failures become reason codes instead of exceptions,
 * and the stored `manifest_digest` is recomputed (§2.8 step 6). Pure: bytes in.
 */
import { isGaitError } from '../../errors/error.js';
import { formatTimestamp } from '../../runtime/timestamp.js';
import { diffRunpacks } from '../runpack/diff.js';
import { computeManifestDigest } from '../runpack/manifest.js';
import type { OpenedRunpack } from '../runpack/open.js';
import { decodeCheckedRunpack, readRunpackSync } from '../runpack/read.js';
import type { RunpackFileFindings } from '../runpack/read.js';
import type { Runpack } from '../runpack/types.js';
import type { ZipLimits } from '../zip/read.js';
import type { EvidenceDiff } from './candidate.js';
import type { RunpackEvidence, RunpackLoad } from './evidence.js';

const ENTRY_REASONS: Readonly<Record<string, string>> = {
  'run.json': 'run_schema_invalid',
  'intents.jsonl': 'intent_schema_invalid',
  'results.jsonl': 'result_schema_invalid',
  'refs.json': 'refs_schema_invalid',
};

function stringList(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

/** The schema_validation reason for a runpack read failure. */
function failureOf(err: unknown): RunpackLoad {
  const error = err instanceof Error ? err.message : String(err);
  if (!isGaitError(err)) return { ok: false, reason: 'schema_validation_error', error };
  const d = err.details;
  if (d['missing_files'] !== undefined) return { ok: false, reason: 'missing_files', error, missingFiles: stringList(d['missing_files']) };
  if (d['hash_mismatches'] !== undefined) return { ok: false, reason: 'hash_mismatch', error, hashMismatches: stringList(d['hash_mismatches']).length };
  if (d['undeclared_files'] !== undefined) return { ok: false, reason: 'undeclared_files', error };
  if (err.code.startsWith('artifact_zip') || /not valid (JSON|UTF-8)/.test(error)) return { ok: false, reason: 'runpack_parse_error', error };
  if (d['check'] === 'manifest') return { ok: false, reason: 'manifest_schema_invalid', error };
  const entry = typeof d['entry'] === 'string' ? ENTRY_REASONS[d['entry']] : undefined;
  return { ok: false, reason: entry ?? 'schema_validation_error', error };
}

/** The evidence view of a runpack that read fully. */
export function evidenceOf(pack: Runpack): RunpackEvidence {
  const m = pack.manifest;
  return {
    runId: m.runId,
    createdAt: formatTimestamp(pack.run.createdAt),
    captureMode: m.captureMode,
    manifestSchemaId: m.schemaId,
    manifestSchemaVersion: m.schemaVersion,
    runSchemaId: pack.run.schemaId,
    runSchemaVersion: pack.run.schemaVersion,
    manifestDigest: m.manifestDigest,
    intents: pack.intents.map((i) => ({
      schemaId: i.schemaId,
      schemaVersion: i.schemaVersion,
      intentId: i.intentId,
      toolName: i.toolName,
      argsDigest: i.argsDigest,
      createdAt: formatTimestamp(i.createdAt),
      ...(i.args === undefined ? {} : { args: i.args }),
    })),
    results: pack.results.map((r) => ({
      schemaId: r.schemaId,
      schemaVersion: r.schemaVersion,
      intentId: r.intentId,
      status: r.status,
      resultDigest: r.resultDigest,
      ...(r.result === undefined ? {} : { result: r.result }),
    })),
    refs: {
      schemaId: pack.refs.schemaId,
      schemaVersion: pack.refs.schemaVersion,
      contextSetDigest: pack.refs.contextSetDigest,
      contextEvidenceMode: pack.refs.contextEvidenceMode,
      receiptCount: pack.refs.receipts.length,
    },
    missingFiles: [],
    // §2.8 step 6: a stored manifest_digest that does not recompute is a mismatch on manifest.json
    hashMismatches: computeManifestDigest(m).toLowerCase() === m.manifestDigest.toLowerCase() ? 0 : 1,
    undeclaredFiles: [],
    signatureStatus: m.signatures.length === 0 ? 'missing' : 'skipped',
  };
}

type EvidenceRead = { load: RunpackLoad; runpack?: Runpack };

function evidenceRead(read: () => Runpack): EvidenceRead {
  let pack: Runpack;
  try {
    pack = read();
  } catch (err) {
    return { load: failureOf(err) };
  }
  return { load: { ok: true, evidence: evidenceOf(pack) }, runpack: pack };
}

/**
 * Reads a runpack zip for grading; never throws for a bad runpack.
 * @returns the evidence with its integrity findings, or the failure and its reason code
 */
export function loadRunpackEvidence(zipBytes: Uint8Array, limits: Partial<ZipLimits> = {}): EvidenceRead {
  return evidenceRead(() => readRunpackSync(zipBytes, { limits }));
}

/** As `loadRunpackEvidence`, for a runpack already opened whose files were checked (`files`): nothing is hashed again. */
export function loadCheckedRunpackEvidence(opened: OpenedRunpack, files: RunpackFileFindings): EvidenceRead {
  return evidenceRead(() => decodeCheckedRunpack(opened, files));
}

/** The candidate `run diff` (full privacy, §2.10) reduced to what the `diff` and `context_conformance` graders read. */
export function diffForRegress(left: Runpack, right: Runpack): EvidenceDiff {
  const { summary } = diffRunpacks(left, right, 'full');
  return {
    manifestChanged: summary.manifestChanged,
    filesChanged: summary.filesChanged,
    intentsChanged: summary.intentsChanged,
    resultsChanged: summary.resultsChanged,
    refsChanged: summary.refsChanged,
    contextDriftClassification: summary.contextDriftClassification,
  };
}
