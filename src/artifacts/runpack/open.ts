/**
 * The first steps every runpack reader shares (artifacts.md §2.8 steps 1–5): the safe zip reader,
 * the strict manifest, and the file checks (missing, mismatched, undeclared). `verifyRunpack`
 * reports their results; `readRunpack` throws on the first failure.
 */
import { sha256Hex } from '../../crypto/digest.js';
import { GaitError } from '../../errors/error.js';
import type { JsonObject } from '../../schema/v1/json-types.js';
import { openZip } from '../zip/read.js';
import type { ZipLimits } from '../zip/read.js';
import { parseRunpackManifest } from './manifest.js';
import { MANIFEST_ENTRY, RUNPACK_RECORD_FILES } from './types.js';
import type { RunpackManifest } from './types.js';

export interface HashMismatch {
  readonly path: string;
  readonly expected: string;
  readonly actual: string;
}

export interface OpenedRunpack {
  /** Decompressed bytes of every entry, by name. */
  readonly entries: ReadonlyMap<string, Uint8Array>;
  /** `manifest.json` as parsed JSON (the signature payload source, §2.3). */
  readonly manifestJson: JsonObject;
  readonly manifest: RunpackManifest;
}

export interface FileChecks {
  /** Sorted. */
  readonly missingFiles: string[];
  /** Sorted by path. */
  readonly hashMismatches: HashMismatch[];
  /** Sorted. */
  readonly undeclaredFiles: string[];
}

const UTF8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Parses an entry as JSON text (strict UTF-8).
 * @throws GaitError `artifact_verification_failed` `<what> is not valid JSON`
 */
export function parseJsonEntry(bytes: Uint8Array, what: string): unknown {
  try {
    return JSON.parse(UTF8.decode(bytes)) as unknown;
  } catch {
    throw new GaitError('artifact_verification_failed', `${what} is not valid JSON`, { details: { entry: what } });
  }
}

/**
 * Opens a runpack: safe reader (§1.4), every entry decompressed, `manifest.json` parsed strictly.
 * @throws GaitError `artifact_zip_*` (exit 2), `artifact_verification_failed` (no or bad manifest)
 */
export function openRunpack(bytes: Uint8Array, limits: Partial<ZipLimits> = {}): OpenedRunpack {
  const zip = openZip(bytes, limits);
  const entries = new Map<string, Uint8Array>();
  for (const e of zip.entries) entries.set(e.name, zip.read(e.name));
  const manifestBytes = entries.get(MANIFEST_ENTRY);
  if (manifestBytes === undefined) {
    throw new GaitError('artifact_verification_failed', 'runpack has no manifest.json', { details: { check: 'manifest' } });
  }
  const manifestJson = parseJsonEntry(manifestBytes, MANIFEST_ENTRY);
  const manifest = parseRunpackManifest(manifestJson);
  return { entries, manifestJson: manifestJson as JsonObject, manifest };
}

const byPath = (a: { path: string }, b: { path: string }): number => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0);

/** §2.8 steps 3–5 and 8: hash every declared file, require the four record files, list undeclared entries. */
export function checkRunpackFiles(opened: OpenedRunpack): FileChecks {
  const missing = new Set<string>();
  const mismatches: HashMismatch[] = [];
  const declared = new Set<string>();
  for (const f of opened.manifest.files) {
    declared.add(f.path);
    const bytes = opened.entries.get(f.path);
    if (bytes === undefined) {
      missing.add(f.path);
      continue;
    }
    const actual = sha256Hex(bytes);
    if (actual !== f.sha256.toLowerCase()) mismatches.push({ path: f.path, expected: f.sha256, actual });
  }
  for (const name of RUNPACK_RECORD_FILES) if (!declared.has(name)) missing.add(name);
  const undeclared = [...opened.entries.keys()].filter((n) => n !== MANIFEST_ENTRY && !declared.has(n));
  return { missingFiles: [...missing].sort(), hashMismatches: mismatches.sort(byPath), undeclaredFiles: undeclared.sort() };
}
