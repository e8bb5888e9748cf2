/**
 * `proof_records.jsonl` (artifacts.md §3.4): one hash-chained record per pack entry, optionally
 * signed line by line. The record id and hash rules are Gait v1's, so chains verify across
 * implementations.
 */
import { digestJcs } from '../../crypto/digest.js';
import { encodeStdBase64 } from '../../crypto/base64.js';
import { signBytes, verifyBytes } from '../../crypto/ed25519.js';
import type { SigningKey, VerifyKey } from '../../crypto/keys.js';
import { decodeStdBase64 } from '../../crypto/base64.js';
import { canonicalize } from '../../jcs/canonicalize.js';
import { isJsonObject } from '../../schema/v1/decode.js';
import type { JsonObject } from '../../schema/v1/json-types.js';
import type { PackType } from './types.js';

export const PROOF_TIMESTAMP = '1980-01-01T00:00:00Z';

export interface ProofEntry {
  readonly path: string;
  readonly type: string;
  readonly sha256: string;
  readonly size: number;
  /** Integer mode, `420` for 0644. */
  readonly permissions: number;
}

export interface ProofContext {
  readonly packType: PackType;
  readonly sourceRef: string;
  readonly producerVersion: string;
}

const FIXED = {
  record_version: '1.0',
  timestamp: PROOF_TIMESTAMP,
  source: 'gait.pack',
  source_product: 'gait',
  agent_id: 'gait',
  record_type: 'tool_invocation',
} as const;

function recordHash(record: JsonObject, previous: string): string {
  const { integrity: _integrity, ...rest } = record;
  return `sha256:${digestJcs({ ...rest, integrity: { previous_record_hash: previous } })}`;
}

function recordId(event: JsonObject): string {
  const d = digestJcs({
    timestamp: FIXED.timestamp,
    source: FIXED.source,
    source_product: FIXED.source_product,
    agent_id: FIXED.agent_id,
    record_type: FIXED.record_type,
    event,
  });
  return `prf-${FIXED.timestamp}-${d.slice(0, 8)}`;
}

/** The proof records of `entries` (already sorted by path), chained and signed with `key` when given. */
export function buildProofRecords(entries: readonly ProofEntry[], ctx: ProofContext, key?: SigningKey): JsonObject[] {
  const out: JsonObject[] = [];
  let previous = '';
  for (const e of entries) {
    const event: JsonObject = {
      pack_type: ctx.packType,
      source_ref: ctx.sourceRef,
      producer_version: ctx.producerVersion,
      entry_path: e.path,
      entry_type: e.type,
      entry_sha256: e.sha256,
      entry_size_bytes: e.size,
      entry_permissions: e.permissions,
    };
    const body: JsonObject = {
      record_id: recordId(event),
      ...FIXED,
      event,
      controls: { permissions_enforced: false },
      metadata: { artifact_kind: 'gait.pack.entry' },
    };
    const hash = recordHash(body, previous);
    const integrity: JsonObject = { record_hash: hash };
    if (previous !== '') integrity['previous_record_hash'] = previous;
    if (key !== undefined) {
      integrity['signing_key_id'] = key.keyId;
      integrity['signature'] = `base64:${encodeStdBase64(signBytes(key.privateKey, Buffer.from(hash, 'utf8')))}`;
    }
    out.push({ ...body, integrity });
    previous = hash;
  }
  return out;
}

/** Lines joined with `\n`, no trailing newline (§3.4). */
export function proofRecordsBytes(records: readonly JsonObject[]): Uint8Array {
  return Buffer.from(records.map((r) => canonicalize(r)).join('\n'), 'utf8');
}

export interface ProofCheck {
  /** '' when the chain is intact; otherwise the first structural failure. */
  readonly error: string;
  readonly records: number;
  /** Per-line signature failures (only checked with a key). */
  readonly signatureErrors: string[];
}

function lineRecord(line: string, n: number): JsonObject | string {
  try {
    const v = JSON.parse(line) as unknown;
    return isJsonObject(v) ? v : `proof record ${n} is not a JSON object`;
  } catch {
    return `proof record ${n} is not valid JSON`;
  }
}

/**
 * Recomputes every `record_hash` and the chain (§3.6 step 6); checks line signatures when `key` is given.
 * Never throws for bad input.
 */
export function verifyProofRecords(bytes: Uint8Array, key?: VerifyKey): ProofCheck {
  const lines = Buffer.from(bytes).toString('utf8').split('\n').filter((l) => l.trim() !== '');
  const signatureErrors: string[] = [];
  let previous = '';
  for (let i = 0; i < lines.length; i++) {
    const n = i + 1;
    const record = lineRecord(lines[i] as string, n);
    if (typeof record === 'string') return { error: record, records: i, signatureErrors };
    const integrity = record['integrity'];
    if (!isJsonObject(integrity)) return { error: `proof record ${n} has no integrity object`, records: i, signatureErrors };
    const stored = integrity['record_hash'];
    const prev = integrity['previous_record_hash'] ?? '';
    if (prev !== previous) return { error: `proof record ${n} breaks the hash chain`, records: i, signatureErrors };
    let computed: string;
    try {
      computed = recordHash(record, previous);
    } catch {
      return { error: `proof record ${n} cannot be canonicalized`, records: i, signatureErrors };
    }
    if (stored !== computed) return { error: `proof record ${n} record_hash mismatch`, records: i, signatureErrors };
    if (key !== undefined) {
      const sig = typeof integrity['signature'] === 'string' ? integrity['signature'] : '';
      const raw = sig.startsWith('base64:') ? decodeStdBase64(sig.slice('base64:'.length)) : undefined;
      if (raw === undefined || !verifyBytes(key.publicKey, Buffer.from(computed, 'utf8'), raw)) {
        signatureErrors.push(`proof record ${n} signature verification failed`);
      }
    }
    previous = computed;
  }
  return { error: '', records: lines.length, signatureErrors };
}
