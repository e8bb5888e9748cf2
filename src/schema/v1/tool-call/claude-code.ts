/**
 * The `claude_code` adapter (mcp-and-export.md §1.5): Claude Code hook payloads
 * `{"tool_name"|"name", "tool_input"|"input", "session_id"?, "hook_event_name"?}`, with tool names mapped
 * onto gait's `tool.*` vocabulary and targets inferred from the arguments.
 */
import { ObjectReader } from '../decode.js';
import type { JsonObject } from '../json-types.js';
import { lowerSimple, trimSpec } from '../text.js';
import { objectOrJsonString } from './args-input.js';
import { toolCallError, withPrefix } from './errors.js';
import { plainTarget } from './target.js';
import type { ToolCall, ToolCallTarget } from './types.js';
import { EMPTY_TOOL_CALL_CONTEXT } from './types.js';

const NAME_MAP: Readonly<Record<string, string>> = {
  read: 'tool.read',
  grep: 'tool.read',
  glob: 'tool.read',
  webfetch: 'tool.read',
  websearch: 'tool.read',
  write: 'tool.write',
  edit: 'tool.write',
  notebookedit: 'tool.write',
  bash: 'tool.exec',
  task: 'tool.delegate',
};

/**
 * §1.5 name mapping: lowercase, drop spaces, `_` and `-`, look up the map; else names with `.` are
 * lowercased; else `tool.` + the lowercased name with spaces and `-` replaced by `_`.
 * @returns '' for a blank name
 */
export function mapClaudeCodeToolName(name: string): string {
  const trimmed = trimSpec(name);
  if (trimmed === '') return '';
  const lower = lowerSimple(trimmed);
  const mapped = NAME_MAP[lower.replace(/[ _-]/g, '')];
  if (mapped !== undefined) return mapped;
  if (lower.includes('.')) return lower;
  return `tool.${lower.replace(/[ -]/g, '_')}`;
}

/** The first non-blank string value among `keys` in `args` (exact keys: args are free-form), trimmed. */
function firstString(args: JsonObject, keys: readonly string[]): string {
  for (const key of keys) {
    const value = args[key];
    if (Object.hasOwn(args, key) && typeof value === 'string' && trimSpec(value) !== '') return trimSpec(value);
  }
  return '';
}

const PATH_KEYS = ['path', 'file_path', 'filepath', 'file'] as const;

/** §1.5 target inference for the mapped tool names. */
function inferTargets(toolName: string, args: JsonObject): ToolCallTarget[] {
  const out: ToolCallTarget[] = [];
  const add = (kind: string, keys: readonly string[], operation: string): void => {
    const value = firstString(args, keys);
    if (value !== '') out.push(plainTarget(kind, value, operation));
  };
  switch (toolName) {
    case 'tool.read':
      add('path', PATH_KEYS, 'read');
      add('url', ['url', 'uri'], 'read');
      break;
    case 'tool.write':
      add('path', PATH_KEYS, 'write');
      break;
    case 'tool.exec':
      add('other', ['command', 'cmd', 'script'], 'execute');
      break;
    case 'tool.delegate':
      add('other', ['task', 'prompt', 'description'], 'delegate');
      break;
    default:
      break;
  }
  return out;
}

/**
 * Decodes a Claude Code hook payload (§1.5).
 * @throws GaitError `input_tool_call` `claude code tool call name is required`,
 *   `decode claude code tool_input: …`, `decode claude code tool call: …`
 * @example decodeClaudeCodeToolCall({tool_name: 'Read', tool_input: {file_path: '/repo/a.ts'}}).name // 'tool.read'
 */
export function decodeClaudeCodeToolCall(payload: unknown): ToolCall {
  const fields = withPrefix('decode claude code tool call', () => {
    const reader = ObjectReader.of(payload, '', 'input_tool_call', 'tool call must be a JSON object');
    const toolName = reader.string('tool_name');
    return {
      name: trimSpec(toolName) !== '' ? toolName : reader.string('name'),
      input: reader.has('tool_input') ? reader.get('tool_input') : reader.get('input'),
      sessionId: reader.string('session_id'),
      hookEventName: trimSpec(reader.string('hook_event_name')),
    };
  });
  const name = mapClaudeCodeToolName(fields.name);
  if (name === '') throw toolCallError('claude code tool call name is required', 'tool_name');
  const args = objectOrJsonString(fields.input, 'decode claude code tool_input', 'tool_input', 'tool_input');
  const authContext: JsonObject | undefined =
    fields.hookEventName === '' ? undefined : { hook_event_name: fields.hookEventName, adapter: 'claude_code' };
  return {
    name,
    args,
    scriptSteps: undefined,
    target: '',
    targets: inferTargets(name, args),
    argProvenance: [],
    server: undefined,
    context: { ...EMPTY_TOOL_CALL_CONTEXT, sessionId: fields.sessionId, authContext },
    delegation: undefined,
    createdAt: undefined,
  };
}
