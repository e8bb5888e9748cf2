/**
 * Recording a runpack (artifacts.md §2.4 steps 6–8): serialize the normalized records, hash them,
 * build and sign the manifest, zip deterministically. The bytes depend only on the input, the
 * clock (a missing `run.created_at`), the host env defaults and the key: the same input gives the
 * same zip in any timezone (§1.3, §2.13).
 *
 * STABLE: `buildRunpack` is used by other commands (regress fixtures, demo, session checkpoints).
 */
import { sha256Hex } from '../../crypto/digest.js';
import type { SigningKey } from '../../crypto/keys.js';
import { canonicalBytes } from '../../jcs/canonicalize.js';
import type { Clock } from '../../runtime/clock.js';
import type { JsonObject } from '../../schema/v1/json-types.js';
import { writeZip } from '../zip/write.js';
import type { RunpackInput } from './input.js';
import { computeManifestDigest, signRunpackManifest } from './manifest.js';
import { normalizeRunpackInput } from './normalize.js';
import { MANIFEST_ENTRY, MANIFEST_SCHEMA_ID, RUNPACK_SCHEMA_VERSION } from './types.js';
import type { IntentRecord, ResultRecord, RunEnv, Runpack, RunpackManifest } from './types.js';
import { intentToWire, manifestToWire, refsToWire, resultToWire, runToWire } from './wire.js';

export interface BuildRunpackOptions {
  /** Time for a missing `run.created_at` (the pure layer reads no wall clock: pass `systemClock` or a fixed one). */
  readonly clock: Clock;
  /**
   * Defaults for empty `env` members, Gait v1 names (`linux`, `amd64`, …; §2.2). The pure layer
   * cannot see the host: `gait/node` and the CLI pass it. Default `{os: '', arch: '', runtime: 'node'}`.
   */
  readonly hostEnv?: RunEnv;
  /** Sign the manifest with this key (§1.2: every artifact is signed whenever a key is available). */
  readonly signingKey?: SigningKey;
}

export interface BuiltRunpack {
  /** The zip (never empty). */
  readonly bytes: Uint8Array;
  readonly runId: string;
  readonly manifestDigest: string;
  readonly manifest: RunpackManifest;
  /** The manifest as written to `manifest.json`. */
  readonly manifestJson: JsonObject;
  readonly signatureStatus: 'signed' | 'missing';
  /** Key id of the signature, '' when unsigned. */
  readonly keyId: string;
  /** Capture warnings (§2.5). */
  readonly warnings: readonly string[];
  /** The recorded records, as `readRunpack` would return them. */
  readonly runpack: Runpack;
}

const NEWLINE = 0x0a;

function jsonl(records: readonly JsonObject[]): Uint8Array {
  const lines = records.map((r) => canonicalBytes(r));
  const out = new Uint8Array(lines.reduce((n, l) => n + l.length + 1, 0));
  let at = 0;
  for (const line of lines) {
    out.set(line, at);
    at += line.length;
    out[at++] = NEWLINE;
  }
  return out;
}

/**
 * Records a runpack (the §2.4 pipeline).
 * @param input a decoded run-record input (`parseRunpackInput` for JSON)
 * @returns the zip bytes, the manifest and its digest, the signature status and capture warnings
 * @throws GaitError `artifact_invalid` (exit 6) with the §2.4 messages (`run_id is required`, `intent
 *   <id> args digest mismatch`, …), `jcs_invalid_value` for a payload that is not plain JSON
 * @example const { bytes, manifestDigest } = await buildRunpack(parseRunpackInput(json), { clock, signingKey });
 */
export async function buildRunpack(input: RunpackInput, options: BuildRunpackOptions): Promise<BuiltRunpack> {
  return buildRunpackSync(input, options);
}

/** `buildRunpack` without the promise (benchmarks and synchronous callers). */
export function buildRunpackSync(input: RunpackInput, options: BuildRunpackOptions): BuiltRunpack {
  const normalized = normalizeRunpackInput(input, {
    clock: options.clock,
    hostEnv: options.hostEnv ?? { os: '', arch: '', runtime: 'node' },
  });
  const { run, refs, captureMode } = normalized;
  const intents: readonly IntentRecord[] = normalized.intents;
  const results: readonly ResultRecord[] = normalized.results;
  const entries = new Map<string, Uint8Array>([
    ['intents.jsonl', jsonl(intents.map(intentToWire))],
    ['refs.json', canonicalBytes(refsToWire(refs))],
    ['results.jsonl', jsonl(results.map(resultToWire))],
    ['run.json', canonicalBytes(runToWire(run))],
  ]);
  const files = [...entries].map(([path, bytes]) => ({ path, sha256: sha256Hex(bytes) }));
  const unsigned: RunpackManifest = {
    schemaId: MANIFEST_SCHEMA_ID,
    schemaVersion: RUNPACK_SCHEMA_VERSION,
    createdAt: run.createdAt,
    producerVersion: run.producerVersion,
    runId: run.runId,
    captureMode,
    files,
    manifestDigest: '',
    signatures: [],
  };
  const digested: RunpackManifest = { ...unsigned, manifestDigest: computeManifestDigest(unsigned) };
  const key = options.signingKey;
  const manifest: RunpackManifest = key === undefined ? digested : { ...digested, signatures: [signRunpackManifest(digested, key)] };
  const manifestJson = manifestToWire(manifest);
  entries.set(MANIFEST_ENTRY, canonicalBytes(manifestJson));
  const bytes = writeZip([...entries].map(([name, data]) => ({ name, data })));
  return {
    bytes,
    runId: run.runId,
    manifestDigest: manifest.manifestDigest,
    manifest,
    manifestJson,
    signatureStatus: key === undefined ? 'missing' : 'signed',
    keyId: key?.keyId ?? '',
    warnings: normalized.warnings,
    runpack: { manifest, run, intents, results, refs, entries },
  };
}
