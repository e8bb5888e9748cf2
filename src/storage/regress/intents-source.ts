/**
 * `regress init --intents <file|dir>` (artifacts.md §4.2 step 2): a JSONL or JSON file, or a directory
 * of `*.json` IntentRequest files read in byte order of their names.
 */
import { readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseIntentInputs } from '../../artifacts/regress/intents-input.js';
import type { IntentInput } from '../../artifacts/regress/intents-input.js';
import { GaitError } from '../../errors/index.js';
import { describeFsError, readInputFile } from '../read-input.js';

const MAX_INTENTS_BYTES = 64 * 1_048_576;

function byteOrder(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

/**
 * Reads every intent of an `--intents` source.
 * @throws GaitError `input_path` (missing, unreadable), `input_json`, `input_intent`, `input_usage` (an empty directory)
 */
export function readIntentsSource(path: string, cwd: string): IntentInput[] {
  const abs = resolve(cwd, path);
  let isDir: boolean;
  try {
    isDir = statSync(abs).isDirectory();
  } catch (cause) {
    throw new GaitError('input_path', `cannot read intents \`${path}\`: ${describeFsError(cause)}`, { details: { path }, cause });
  }
  if (!isDir) return parseIntentInputs(readInputFile(abs, { label: 'intents', displayPath: path, maxBytes: MAX_INTENTS_BYTES }), path);
  const names = readdirSync(abs)
    .filter((n) => n.toLowerCase().endsWith('.json'))
    .sort(byteOrder);
  if (names.length === 0) throw new GaitError('input_usage', `no *.json intent files in \`${path}\``);
  return names.flatMap((name) => {
    const shown = `${path.replace(/\/+$/, '')}/${name}`;
    return parseIntentInputs(readInputFile(join(abs, name), { label: 'intent', displayPath: shown }), shown);
  });
}
