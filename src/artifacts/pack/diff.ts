/**
 * `diffPacks` (artifacts.md §3.7): files by path → sha256, manifest delta, and for two run packs the
 * context drift of their embedded runpacks (§2.10).
 */
import { compareCodePoints } from '../../schema/v1/text.js';
import type { ContextDrift } from '../runpack/diff.js';
import { diffRefs } from '../runpack/diff.js';
import type { OpenedPack } from './open.js';
import { PACK_DIFF_SCHEMA_ID, PACK_SCHEMA_VERSION } from './types.js';
import { PROOF_TIMESTAMP } from './proof.js';

export interface PackDiffSummary {
  readonly changed: boolean;
  readonly addedFiles: readonly string[];
  readonly removedFiles: readonly string[];
  readonly changedFiles: readonly string[];
  readonly manifestDelta: boolean;
  /** Only for two run packs. */
  readonly contextChanged?: boolean;
  readonly contextRuntimeOnlyChanges?: boolean;
  readonly contextDriftClassification?: ContextDrift;
}

export interface PackDiff {
  readonly schemaId: typeof PACK_DIFF_SCHEMA_ID;
  readonly schemaVersion: typeof PACK_SCHEMA_VERSION;
  readonly createdAt: string;
  readonly leftPackId: string;
  readonly rightPackId: string;
  readonly leftPackType: string;
  readonly rightPackType: string;
  readonly summary: PackDiffSummary;
}

/**
 * Compares two opened packs (§3.7).
 * @example diffPacks(openPack(a), openPack(b)).summary.changed
 */
export function diffPacks(left: OpenedPack, right: OpenedPack): PackDiff {
  const added = [...right.files.keys()].filter((p) => !left.files.has(p)).sort(compareCodePoints);
  const removed = [...left.files.keys()].filter((p) => !right.files.has(p)).sort(compareCodePoints);
  const changedFiles = [...left.files].filter(([p, h]) => right.files.has(p) && right.files.get(p) !== h).map(([p]) => p).sort(compareCodePoints);
  const manifestDelta = left.manifestDigest !== right.manifestDigest || left.packType !== right.packType;
  let context: Pick<PackDiffSummary, 'contextChanged' | 'contextRuntimeOnlyChanges' | 'contextDriftClassification'> = {};
  if (left.packType === 'run' && right.packType === 'run' && left.runpack !== undefined && right.runpack !== undefined) {
    const refs = diffRefs(left.runpack.refs, right.runpack.refs);
    context = { contextChanged: refs.changed, contextRuntimeOnlyChanges: refs.drift === 'runtime_only', contextDriftClassification: refs.drift };
  }
  const changed = added.length > 0 || removed.length > 0 || changedFiles.length > 0 || manifestDelta || context.contextChanged === true;
  return {
    schemaId: PACK_DIFF_SCHEMA_ID,
    schemaVersion: PACK_SCHEMA_VERSION,
    createdAt: PROOF_TIMESTAMP,
    leftPackId: left.packId,
    rightPackId: right.packId,
    leftPackType: left.packType,
    rightPackType: right.packType,
    summary: { changed, addedFiles: added, removedFiles: removed, changedFiles, manifestDelta, ...context },
  };
}
