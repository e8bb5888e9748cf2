/**
 * The `openai` adapter (mcp-and-export.md §1.2): `{"function": {"name", "arguments"}}`; `type`, `id` and
 * other members ignored. Only `name` and `args` are produced.
 */
import { ObjectReader } from '../decode.js';
import { objectOrJsonString } from './args-input.js';
import { withPrefix } from './errors.js';
import type { ToolCall } from './types.js';
import { nameAndArgsCall } from './types.js';

/**
 * Decodes an OpenAI function tool call. A `tool_calls` array or a bare `{name, arguments}` object
 * yields an empty name (§2 then refuses it: `tool call name is required`).
 * @throws GaitError `input_tool_call` `decode openai arguments: …`, `decode openai tool call: …`
 * @example decodeOpenAiToolCall({type: 'function', function: {name: 'tool.search', arguments: '{"query":"gait"}'}})
 */
export function decodeOpenAiToolCall(payload: unknown): ToolCall {
  const { name, argumentsValue } = withPrefix('decode openai tool call', () => {
    const reader = ObjectReader.of(payload, '', 'input_tool_call', 'tool call must be a JSON object');
    const fn = reader.object('function');
    return { name: fn?.string('name') ?? '', argumentsValue: fn?.get('arguments') };
  });
  return nameAndArgsCall(name, objectOrJsonString(argumentsValue, 'decode openai arguments', 'arguments', 'function.arguments'));
}
