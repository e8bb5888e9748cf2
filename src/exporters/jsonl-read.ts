/**
 * Reading JSONL exports (mcp-and-export.md §6.3): lines that are not complete JSON objects — including
 * a final line without `\n` (a torn write) — are skipped and counted, never joined with the next line.
 */
import { readFileSync } from 'node:fs';
import { GaitError } from '../errors/error.js';
import { parseJsonl } from '../storage/jsonl-line.js';
import type { JsonlRead } from '../storage/jsonl-line.js';
import { describeFsError } from '../storage/read-input.js';

// The reader rules live with the append rules in storage (session journals use them too).
export { parseJsonl } from '../storage/jsonl-line.js';
export type { JsonlRead } from '../storage/jsonl-line.js';

/**
 * Reads a JSONL export file.
 * @throws GaitError `input_path` when it cannot be read
 */
export function readJsonlFile(path: string): JsonlRead {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new GaitError('input_path', `cannot read JSONL \`${path}\`: ${describeFsError(err)}`, { details: { path }, cause: err });
  }
  return parseJsonl(text);
}
