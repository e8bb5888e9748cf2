/**
 * A pack (or a bare runpack) opened for inspect and diff (artifacts.md §3.7): verified first (no key
 * needed; a failing pack is a verification failure, exit 2), then its manifest, file map, entries and,
 * for run packs, the embedded runpack.
 */
import { GaitError } from '../../errors/error.js';
import { digestJcs } from '../../crypto/digest.js';
import type { JsonObject } from '../../schema/v1/json-types.js';
import { normalizeRefs } from '../runpack/normalize.js';
import { readRunpackSync } from '../runpack/read.js';
import type { Runpack } from '../runpack/types.js';
import { manifestToWire } from '../runpack/wire.js';
import { openZip } from '../zip/read.js';
import type { ZipLimits } from '../zip/read.js';
import { verifyPack } from './verify.js';
import { PACK_MANIFEST_ENTRY } from './types.js';

export interface OpenedPack {
  readonly packId: string;
  readonly packType: string;
  readonly sourceRef: string;
  /** The stored manifest (`pack_manifest.json`, or the runpack's `manifest.json`). */
  readonly manifest: JsonObject;
  /** DigestJCS of the stored PackSpec manifest, or a runpack's stored `manifest_digest` (§3.7). */
  readonly manifestDigest: string;
  /** path → sha256 of the manifest's contents (a runpack: its `files`). */
  readonly files: ReadonlyMap<string, string>;
  readonly entries: ReadonlyMap<string, Uint8Array>;
  /** The embedded (run pack) or bare runpack, refs normalized. */
  readonly runpack?: Runpack;
  readonly legacyType: '' | 'runpack';
}

const UTF8 = new TextDecoder('utf-8', { fatal: true });

function withNormalizedRefs(pack: Runpack): Runpack {
  return { ...pack, refs: normalizeRefs(pack.refs) };
}

/**
 * @throws GaitError `artifact_verification_failed` (`pack verification failed: <checks>`), the reader's
 *   `artifact_zip_*`, `artifact_invalid` (`missing pack_manifest.json`)
 */
export function openPack(bytes: Uint8Array, limits: Partial<ZipLimits> = {}): OpenedPack {
  const report = verifyPack(bytes, { limits });
  if (!report.ok) {
    const failed = report.checks.filter((c) => !c.ok).map((c) => `${c.name}: ${c.why ?? ''}`);
    throw new GaitError('artifact_verification_failed', `pack verification failed: ${failed.join('; ')}`, { details: { checks: failed } });
  }
  if (report.legacyType === 'runpack') {
    const pack = withNormalizedRefs(readRunpackSync(bytes, { limits }));
    return {
      packId: report.packId,
      packType: 'run',
      sourceRef: report.sourceRef,
      manifest: manifestToWire(pack.manifest),
      manifestDigest: pack.manifest.manifestDigest,
      files: new Map(pack.manifest.files.map((f) => [f.path, f.sha256.toLowerCase()])),
      entries: pack.entries,
      runpack: pack,
      legacyType: 'runpack',
    };
  }
  const zip = openZip(bytes, limits);
  const entries = new Map(zip.entries.map((e) => [e.name, zip.read(e.name)]));
  const manifest = JSON.parse(UTF8.decode(entries.get(PACK_MANIFEST_ENTRY) as Uint8Array)) as JsonObject;
  const contents = manifest['contents'] as JsonObject[];
  const source = entries.get('source/runpack.zip');
  return {
    packId: report.packId,
    packType: report.packType,
    sourceRef: report.sourceRef,
    manifest,
    manifestDigest: digestJcs(manifest),
    files: new Map(contents.map((c) => [String(c['path']), String(c['sha256']).toLowerCase()])),
    entries,
    ...(report.packType === 'run' && source !== undefined ? { runpack: withNormalizedRefs(readRunpackSync(source, { limits })) } : {}),
    legacyType: '',
  };
}
