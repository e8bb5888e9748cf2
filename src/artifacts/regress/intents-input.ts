/**
 * Intent inputs for regress (artifacts.md §4.1, §4.2 step 2): JSONL of wrapped lines
 * `{"intent_id": …, "intent": <IntentRequest>}` (the fixture `intents.jsonl`, and the `--intents-out`
 * files of `mcp proxy`/`serve`/gateway) or of bare IntentRequests, or a JSON array of either. Pure:
 * text in, raw intent values out; normalization happens at evaluation.
 */
import { GaitError } from '../../errors/error.js';
import { isJsonObject, ObjectReader } from '../../schema/v1/decode.js';
import type { JsonObject } from '../../schema/v1/json-types.js';
import { canonicalize } from '../../jcs/canonicalize.js';
import { trimSpec } from '../../schema/v1/text.js';
import type { FixtureIntentLine } from './types.js';

/** One intent from an input: the wrapped form carries its runpack `intent_id`, the bare form ''. */
export interface IntentInput {
  readonly intentId: string;
  readonly intent: JsonObject;
  /** where it came from, for messages: `<file> line <n>` or `<file>[<i>]` */
  readonly source: string;
}

function jsonError(where: string, cause: unknown): GaitError {
  const reason = cause instanceof Error ? cause.message.split('\n')[0] ?? '' : String(cause);
  return new GaitError('input_json', `cannot parse ${where}: ${reason.charAt(0).toLowerCase()}${reason.slice(1)}`, { cause });
}

function toInput(value: unknown, source: string): IntentInput {
  if (!isJsonObject(value)) throw new GaitError('input_intent', `${source}: intent must be a JSON object`);
  const r = ObjectReader.of(value, '', 'input_intent');
  const wrapped = r.get('intent');
  if (wrapped === undefined) return { intentId: '', intent: value, source };
  if (!isJsonObject(wrapped)) throw new GaitError('input_intent', `${source}: \`intent\` must be a JSON object`);
  let intentId: string;
  try {
    intentId = trimSpec(r.string('intent_id'));
  } catch (cause) {
    throw new GaitError('input_intent', `${source}: \`intent_id\` must be a string`, { cause });
  }
  return { intentId, intent: wrapped, source };
}

function parseLines(text: string, file: string): IntentInput[] {
  const out: IntentInput[] = [];
  text.split('\n').forEach((line, i) => {
    if (trimSpec(line) === '') return;
    const where = `${file} line ${i + 1}`;
    let value: unknown;
    try {
      value = JSON.parse(line) as unknown;
    } catch (cause) {
      throw jsonError(where, cause);
    }
    out.push(toInput(value, where));
  });
  return out;
}

/**
 * Parses an intents file: a JSON array, one JSON object, or JSONL (blank lines skipped).
 * @param file the path shown in messages
 * @throws GaitError `input_json` (a line or the array is not JSON), `input_intent` (an item is not an
 *   object, a wrapped `intent` is not an object)
 * @example parseIntentInputs('{"intent_id":"intent_1","intent":{"tool_name":"tool.read"}}\n', 'i.jsonl')[0].intentId // 'intent_1'
 */
export function parseIntentInputs(text: string, file: string): IntentInput[] {
  const trimmed = trimSpec(text);
  if (trimmed.startsWith('[')) {
    let value: unknown;
    try {
      value = JSON.parse(trimmed) as unknown;
    } catch (cause) {
      throw jsonError(file, cause);
    }
    if (!Array.isArray(value)) throw new GaitError('input_intent', `${file}: expected a JSON array of intents`);
    return value.map((item, i) => toInput(item, `${file}[${i}]`));
  }
  let whole: unknown;
  try {
    whole = JSON.parse(trimmed) as unknown;
  } catch {
    // not a single JSON document: read it as JSONL
    return parseLines(text, file);
  }
  return [toInput(whole, file)];
}

/**
 * Parses a fixture `intents.jsonl`: wrapped lines only, each with an `intent_id`.
 * @throws GaitError as `parseIntentInputs`, plus `input_intent` for a bare or id-less line
 */
export function parseFixtureIntents(text: string, file: string): FixtureIntentLine[] {
  return parseIntentInputs(text, file).map((input) => {
    if (input.intentId === '') throw new GaitError('input_intent', `${input.source}: expected {"intent_id": …, "intent": …}`);
    return { intentId: input.intentId, intent: input.intent };
  });
}

/** `intents.jsonl` text: one canonical `{"intent","intent_id"}` line per intent, each ending in `\n`. */
export function formatFixtureIntents(lines: readonly FixtureIntentLine[]): string {
  return lines.map((l) => `${canonicalize({ intent_id: l.intentId, intent: l.intent })}\n`).join('');
}
