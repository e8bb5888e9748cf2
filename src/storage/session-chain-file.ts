/**
 * `gait verify session-chain` on disk (artifacts.md §2.12): reads the chain file and every checkpoint
 * runpack it names (relative runpack paths resolve against the working directory, as they were
 * written by `mcp serve` from its working directory), then runs the pure chain verification.
 */
import { resolve } from 'node:path';
import { parseSessionChain } from '../artifacts/session/chain.js';
import { verifySessionChain } from '../artifacts/session/verify-chain.js';
import type { SessionChainReport, VerifyChainOptions } from '../artifacts/session/verify-chain.js';
import { parseJsonText, readInputFile } from './read-input.js';
import { readArtifactFile } from './runpack-files.js';

const MAX_CHAIN_BYTES = 64 * 1_048_576;

export interface ChainFileOptions extends Omit<VerifyChainOptions, 'loadRunpack'> {
  readonly cwd: string;
  /** size cap of the chain file (default 64 MiB: about 100,000 checkpoints) */
  readonly maxBytes?: number;
}

/**
 * Verifies the chain file at `path` (as the user gave it).
 * @returns the §2.12 report (runpack read failures are checkpoint errors in it)
 * @throws GaitError `input_path` / `input_too_large` / `input_encoding` / `input_empty` (the chain file),
 *   `input_json` (not JSON), `artifact_invalid` (not a session chain, a member of the wrong type) — all exit 6
 */
export function verifySessionChainFile(path: string, options: ChainFileOptions): SessionChainReport {
  const text = readInputFile(resolve(options.cwd, path), { label: 'session chain', displayPath: path, maxBytes: options.maxBytes ?? MAX_CHAIN_BYTES });
  const parsed = parseSessionChain(parseJsonText(text, { label: 'session chain', file: path }));
  return verifySessionChain(parsed, {
    ...options,
    loadRunpack: (runpackPath) => readArtifactFile(resolve(options.cwd, runpackPath), { label: 'runpack', display: runpackPath }),
  });
}
