/**
 * Loads the MCP trust snapshot named by a policy's `mcp_trust.snapshot` (mcp-and-export.md §3.2): an
 * unreadable file is "unavailable", an unparsable or invalid one "invalid". Never throws: the state is
 * a value that trust evaluation turns into reason codes (fail closed when enforced).
 */
import { resolve } from 'node:path';
import { sha256Hex } from '../crypto/digest.js';
import { isGaitError } from '../errors/error.js';
import type { TrustSnapshotState } from '../policy/mcp-trust.js';
import { parseTrustSnapshot } from '../schema/v1/mcp-trust-snapshot.js';
import { DEFAULT_MAX_INPUT_BYTES, parseJsonText, readInputFile } from './read-input.js';

export interface LoadedTrustSnapshot {
  readonly state: TrustSnapshotState;
  /** sha256hex of the file text as read ('' when unreadable): reload detection */
  readonly fileDigest: string;
}

export interface TrustSnapshotFileOptions {
  /** directory a relative snapshot path resolves against (default: the process working directory) */
  readonly cwd?: string;
  /** size cap (default 1 MiB); a larger file is invalid */
  readonly maxBytes?: number;
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/**
 * Reads and parses a trust snapshot file.
 * @param path the policy's `mcp_trust.snapshot`, as written
 * @returns the state (`loaded`, `unavailable`, `invalid`) and the digest of the bytes read
 * @example const { state } = loadTrustSnapshotFile(policy.mcpTrust.snapshot);
 */
export function loadTrustSnapshotFile(path: string, options: TrustSnapshotFileOptions = {}): LoadedTrustSnapshot {
  let text: string;
  try {
    text = readInputFile(resolve(options.cwd ?? process.cwd(), path), {
      label: 'trust snapshot',
      maxBytes: options.maxBytes ?? DEFAULT_MAX_INPUT_BYTES,
      displayPath: path,
      allowEmpty: true,
    });
  } catch (err) {
    // Missing, unreadable or a directory: unavailable. Too large or not UTF-8: the bytes exist but are no snapshot.
    const unreadable = isGaitError(err, 'input_path');
    return { state: { status: unreadable ? 'unavailable' : 'invalid', path, error: messageOf(err) }, fileDigest: '' };
  }
  const fileDigest = sha256Hex(text);
  try {
    const snapshot = parseTrustSnapshot(parseJsonText(text, { label: 'trust snapshot', file: path }));
    return { state: { status: 'loaded', path, snapshot }, fileDigest };
  } catch (err) {
    return { state: { status: 'invalid', path, error: messageOf(err) }, fileDigest };
  }
}
