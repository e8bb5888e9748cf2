/**
 * The first steps every runpack reader shares (artifacts.md §2.8 steps 1–5): the safe zip reader,
 * the strict manifest, and the file checks (missing, mismatched, undeclared). `verifyRunpack`
 * reports their results; `readRunpack` throws on the first failure.
 */
import { GaitError } from '../../errors/error.js';
import type { JsonObject } from '../../schema/v1/json-types.js';
import { checkDeclaredFiles } from '../signed/declared-files.js';
import type { HashMismatch } from '../signed/declared-files.js';
import { openZip } from '../zip/read.js';
import type { ZipArchive, ZipLimits } from '../zip/read.js';
import { parseRunpackManifest } from './manifest.js';
import { MANIFEST_ENTRY, RUNPACK_RECORD_FILES } from './types.js';
import type { RunpackManifest } from './types.js';

export type { HashMismatch } from '../signed/declared-files.js';

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

/** Every entry of an opened archive, decompressed once, by name. */
export function readZipEntries(zip: ZipArchive): Map<string, Uint8Array> {
  const entries = new Map<string, Uint8Array>();
  for (const e of zip.entries) entries.set(e.name, zip.read(e.name));
  return entries;
}

/**
 * A runpack from its decompressed entries: `manifest.json` parsed strictly.
 * @throws GaitError `artifact_verification_failed` (no or bad manifest)
 */
export function openRunpackEntries(entries: ReadonlyMap<string, Uint8Array>): OpenedRunpack {
  const manifestBytes = entries.get(MANIFEST_ENTRY);
  if (manifestBytes === undefined) {
    throw new GaitError('artifact_verification_failed', 'runpack has no manifest.json', { details: { check: 'manifest' } });
  }
  const manifestJson = parseJsonEntry(manifestBytes, MANIFEST_ENTRY);
  const manifest = parseRunpackManifest(manifestJson);
  return { entries, manifestJson: manifestJson as JsonObject, manifest };
}

/**
 * Opens a runpack: safe reader (§1.4), every entry decompressed, `manifest.json` parsed strictly.
 * @throws GaitError `artifact_zip_*` (exit 2), `artifact_verification_failed` (no or bad manifest)
 */
export function openRunpack(bytes: Uint8Array, limits: Partial<ZipLimits> = {}): OpenedRunpack {
  return openRunpackEntries(readZipEntries(openZip(bytes, limits)));
}

/** §2.8 steps 3–5 and 8: hash every declared file, require the four record files, list undeclared entries. */
export function checkRunpackFiles(opened: OpenedRunpack): FileChecks {
  const files = checkDeclaredFiles(opened.manifest.files, opened.entries, MANIFEST_ENTRY);
  const listed = new Set(opened.manifest.files.map((f) => f.path));
  // step 4: a record file `files` does not list is missing too (disjoint from the declared ones)
  const unlisted = RUNPACK_RECORD_FILES.filter((name) => !listed.has(name));
  return { missingFiles: [...files.missing, ...unlisted].sort(), hashMismatches: files.mismatches, undeclaredFiles: files.undeclared };
}
