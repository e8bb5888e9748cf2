/**
 * Reading JSONL exports (mcp-and-export.md §6.3): lines that are not complete JSON objects — including
 * a final line without `\n` (a torn write) — are skipped and counted, never joined with the next line.
 */
import { readFileSync } from 'node:fs';
import { GaitError } from '../errors/error.js';
import { isJsonObject } from '../schema/v1/decode.js';
import type { JsonObject } from '../schema/v1/json-types.js';
import { describeFsError } from '../storage/read-input.js';

export interface JsonlRead {
  readonly records: JsonObject[];
  /** lines skipped: invalid JSON, not an object, or the unterminated last line */
  readonly skipped: number;
}

/** Parses JSONL text under the §6.3 reader rules. */
export function parseJsonl(text: string): JsonlRead {
  const records: JsonObject[] = [];
  let skipped = 0;
  const lines = text.split('\n');
  const tail = lines.pop() ?? '';
  if (tail !== '') skipped++; // INVARIANT: an unterminated last line is a torn write, never a record
  for (const line of lines) {
    if (line.trim() === '') continue;
    try {
      const value: unknown = JSON.parse(line);
      if (isJsonObject(value)) records.push(value);
      else skipped++;
    } catch {
      skipped++;
    }
  }
  return { records, skipped };
}

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
