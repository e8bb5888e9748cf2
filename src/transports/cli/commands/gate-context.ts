/** `gate eval --context-envelope <path>` (gate.md §B2 "Input"): read, size-check and parse the envelope. */
import { isAbsolute, normalize, resolve } from 'node:path';
import { GaitError, isGaitError } from '../../../errors/error.js';
import { MAX_CONTEXT_ENVELOPE_BYTES, parseContextEnvelope } from '../../../schema/v1/context-envelope.js';
import type { ContextEnvelope } from '../../../schema/v1/context-envelope.js';
import { parseJsonText, readInputFile } from '../../../storage/read-input.js';
import type { CommandContext, OptionSpec } from '../command.js';
import { optString } from '../command.js';

export const CONTEXT_OPTIONS: readonly OptionSpec[] = [
  { flags: '--context-envelope <path>', description: 'context evidence envelope (gait.context.envelope) to bind into the evaluation' },
];

/**
 * Loads `--context-envelope` when given.
 * @throws GaitError `input_path` (escaping `..`), `input_too_large` (over 1 MiB), `input_json`, `artifact_invalid`
 */
export function loadContextEnvelope(ctx: CommandContext): ContextEnvelope | undefined {
  const given = optString(ctx, 'contextEnvelope').trim();
  if (given === '') return undefined;
  const cleaned = normalize(given);
  if (!isAbsolute(cleaned) && (cleaned === '..' || cleaned.startsWith('../'))) {
    throw new GaitError('input_path', 'context envelope path must be a local filesystem path', { details: { path: given } });
  }
  let text: string;
  try {
    text = readInputFile(resolve(ctx.io.cwd, cleaned), { label: 'context envelope', maxBytes: MAX_CONTEXT_ENVELOPE_BYTES, displayPath: given });
  } catch (err) {
    if (isGaitError(err, 'input_too_large')) {
      throw new GaitError('input_too_large', `context envelope exceeds size limit (${MAX_CONTEXT_ENVELOPE_BYTES} bytes)`, { cause: err });
    }
    throw err;
  }
  return parseContextEnvelope(parseJsonText(text, { label: 'context envelope', file: given }));
}
