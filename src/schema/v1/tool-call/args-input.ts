/**
 * The argument forms of the chat-API adapters (mcp-and-export.md §1.2–§1.5): a JSON object, a string
 * holding a JSON object (blank → `{}`), or null/absent (→ `{}`).
 */
import { isJsonObject } from '../decode.js';
import type { JsonObject } from '../json-types.js';
import { trimSpec } from '../text.js';
import { toolCallError } from './errors.js';

/** JSON.parse's message without the engine's position suffix noise kept as is (one line). */
function oneLine(message: string): string {
  return message.replace(/\s+/g, ' ').trim();
}

/**
 * Reads an object-or-string-or-null argument member.
 * @param value the member value (`undefined` when absent or null)
 * @param prefix the spec's message prefix, e.g. `decode openai arguments`
 * @param member the member name used in messages, e.g. `arguments`
 * @throws GaitError `input_tool_call` `<prefix>: …`
 */
export function objectOrJsonString(value: unknown, prefix: string, member: string, path: string): JsonObject {
  if (value === undefined || value === null) return {};
  if (isJsonObject(value)) return value;
  if (typeof value !== 'string') throw toolCallError(`${prefix}: ${member} must be a JSON object or a string`, path);
  if (trimSpec(value) === '') return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch (cause) {
    throw toolCallError(`${prefix}: invalid JSON: ${oneLine(cause instanceof Error ? cause.message : String(cause))}`, path, cause);
  }
  if (!isJsonObject(parsed)) throw toolCallError(`${prefix}: ${member} must hold a JSON object`, path);
  return parsed;
}
