/**
 * Malformed payloads of every adapter, unknown adapters, §2 refusals: GaitError `input_tool_call`
 * (exit 6) with the spec's messages (mcp-and-export.md §1, §2).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { GaitError } from '../../../../../src/errors/error.js';
import { decodeToolCall, decodeToolCallDetailed, resolveAdapterName } from '../../../../../src/schema/v1/tool-call/index.js';

function refusal(adapter: string, payload: unknown, options: Parameters<typeof decodeToolCall>[2] = {}): string {
  try {
    decodeToolCall(adapter, payload, options);
  } catch (err) {
    assert.ok(err instanceof GaitError, String(err));
    assert.equal(err.code, 'input_tool_call');
    assert.equal(err.category, 'invalid_input');
    return err.message;
  }
  assert.fail('expected a refusal');
}

describe('resolveAdapterName()', () => {
  it('trims, ignores case and resolves the aliases of §1', () => {
    assert.equal(resolveAdapterName(''), 'mcp');
    assert.equal(resolveAdapterName('  '), 'mcp');
    assert.equal(resolveAdapterName(' OpenAI '), 'openai');
    assert.equal(resolveAdapterName('ANTHROPIC'), 'anthropic');
    assert.equal(resolveAdapterName('LangChain'), 'langchain');
    assert.equal(resolveAdapterName('claude-code'), 'claude_code');
    assert.equal(resolveAdapterName('ClaudeCode'), 'claude_code');
    assert.equal(resolveAdapterName('claude_code'), 'claude_code');
  });

  it('refuses unknown names with `unsupported adapter: <name>`', () => {
    assert.equal(refusal(' gemini ', {}), 'unsupported adapter: gemini');
    assert.equal(refusal('toString', {}), 'unsupported adapter: toString');
    assert.equal(refusal('__proto__', {}), 'unsupported adapter: __proto__');
  });
});

describe('decodeToolCall() malformed payloads', () => {
  const cases: readonly [string, unknown, string][] = [
    ['mcp', [], 'decode mcp tool call: tool call must be a JSON object'],
    ['mcp', 'not json', 'decode mcp tool call: invalid JSON: Unexpected token \'o\', "not json" is not valid JSON'],
    ['mcp', { name: 7 }, 'decode mcp tool call: name must be a string'],
    ['mcp', { name: 'x', args: [1] }, 'decode mcp tool call: args must be an object'],
    ['mcp', { name: 'x', targets: {} }, 'decode mcp tool call: targets must be an array'],
    ['mcp', { name: 'x', targets: [{ kind: 'path', value: 1 }] }, 'decode mcp tool call: targets[0].value must be a string'],
    ['mcp', { name: 'x', targets: [{ kind: 'path', value: 'v', readOnlyHint: 'yes' }] }, 'decode mcp tool call: targets[0].readonlyhint must be a boolean'],
    ['mcp', { name: 'x', context: { identity: ['a'] } }, 'decode mcp tool call: context.identity must be a string'],
    ['mcp', { name: 'x', context: { credential_scopes: [1] } }, 'decode mcp tool call: context.credential_scopes[0] must be a string'],
    ['mcp', { name: 'x', created_at: 'yesterday' }, 'decode mcp tool call: created_at must be an RFC 3339 timestamp, got `yesterday`'],
    ['mcp', { name: '  ' }, 'tool call name is required'],
    ['mcp', {}, 'tool call name is required'],
    ['mcp', { name: '', script: { steps: [] } }, 'tool call name is required'],
    ['mcp', { name: '', script: { steps: [{ name: 'a' }, { name: ' ' }] } }, 'script.steps[1].name is required'],
    ['openai', 3, 'decode openai tool call: tool call must be a JSON object'],
    ['openai', { function: 'tool.x' }, 'decode openai tool call: function must be an object'],
    ['openai', { function: { name: 1 } }, 'decode openai tool call: function.name must be a string'],
    ['openai', { function: { name: 'x', arguments: '{"a":' } }, 'decode openai arguments: invalid JSON: Unexpected end of JSON input'],
    ['openai', { function: { name: 'x', arguments: '[1]' } }, 'decode openai arguments: arguments must hold a JSON object'],
    ['openai', { function: { name: 'x', arguments: 5 } }, 'decode openai arguments: arguments must be a JSON object or a string'],
    ['openai', { function: { name: 'x', arguments: [] } }, 'decode openai arguments: arguments must be a JSON object or a string'],
    ['openai', { tool_calls: [{ function: { name: 'x' } }] }, 'tool call name is required'],
    ['openai', { name: 'x', arguments: '{}' }, 'tool call name is required'],
    ['anthropic', null, 'parse anthropic tool call: tool call must be a JSON object'],
    ['anthropic', { name: 'x', input: 'text' }, 'parse anthropic tool call: input must be an object'],
    ['anthropic', { name: 'x', input: [1] }, 'parse anthropic tool call: input must be an object'],
    ['anthropic', { name: false }, 'parse anthropic tool call: name must be a string'],
    ['anthropic', { type: 'tool_use', input: {} }, 'tool call name is required'],
    ['langchain', true, 'decode langchain tool call: tool call must be a JSON object'],
    ['langchain', { tool: ['x'] }, 'decode langchain tool call: tool must be a string'],
    ['langchain', { tool: 'x', tool_input: 4 }, 'decode langchain tool_input: tool_input must be a JSON object or a string'],
    ['langchain', { tool: 'x', tool_input: '"str"' }, 'decode langchain tool_input: tool_input must hold a JSON object'],
    ['langchain', { tool_input: {} }, 'tool call name is required'],
    ['claude_code', [], 'decode claude code tool call: tool call must be a JSON object'],
    ['claude_code', { tool_name: 3 }, 'decode claude code tool call: tool_name must be a string'],
    ['claude_code', { tool_name: ' ', name: '' }, 'claude code tool call name is required'],
    ['claude_code', {}, 'claude code tool call name is required'],
    ['claude_code', { tool_name: 'Read', tool_input: 'nope' }, 'decode claude code tool_input: invalid JSON: Unexpected token \'o\', "nope" is not valid JSON'],
    ['claude_code', { tool_name: 'Read', tool_input: 1 }, 'decode claude code tool_input: tool_input must be a JSON object or a string'],
  ];
  for (const [adapter, payload, message] of cases) {
    it(`${adapter}: ${JSON.stringify(payload)} → ${message}`, () => {
      assert.equal(refusal(adapter, payload), message);
    });
  }

  it('refuses bytes that are not UTF-8', () => {
    assert.equal(refusal('mcp', new Uint8Array([0x7b, 0xff, 0x7d])), 'decode mcp tool call: payload is not valid UTF-8');
  });
});

describe('decodeToolCall() options (§2 steps 6, 8, 9)', () => {
  it('non-blank overrides replace the call context, blank ones do not', () => {
    const intent = decodeToolCall(
      'mcp',
      { name: 'tool.x', context: { identity: 'call-id', workspace: '/call', session_id: 's' } },
      { context: { identity: ' flag-id ', workspace: '  ', riskClass: 'low' } },
    );
    assert.deepEqual(intent['context'], { identity: 'flag-id', workspace: '/call', risk_class: 'low', session_id: 's' });
  });

  it('oss-prod requires explicit identity, workspace and session id', () => {
    const opts = { profile: 'oss-prod' } as const;
    assert.equal(refusal('openai', { function: { name: 'x' } }, opts), 'context.identity is required in strict profile');
    assert.equal(refusal('mcp', { name: 'x', context: { identity: 'a' } }, opts), 'context.workspace is required in strict profile');
    assert.equal(refusal('mcp', { name: 'x', context: { identity: 'a', workspace: '/w' } }, opts), 'context.session_id is required in strict profile');
    const ok = decodeToolCall('mcp', { name: 'x', context: { identity: 'a', workspace: '/w', session_id: 's' } }, opts);
    assert.deepEqual(ok['context'], { identity: 'a', workspace: '/w', risk_class: 'high', session_id: 's' });
  });

  it('reports whether the standard profile fell back', () => {
    assert.equal(decodeToolCallDetailed('openai', { function: { name: 'x' } }).fallbackContext, true);
    const full = { name: 'x', context: { identity: 'a', workspace: '/w', session_id: 's' } };
    assert.equal(decodeToolCallDetailed('mcp', full).fallbackContext, false);
    assert.equal(decodeToolCallDetailed('mcp', { name: 'x' }, { context: { identity: 'a', workspace: '/w', sessionId: 's' } }).fallbackContext, false);
  });

  it('uses the given producer version and keeps run_id and context_envelope_path out of the intent', () => {
    const d = decodeToolCallDetailed('mcp', { name: 'x', context: { run_id: 'r', context_envelope_path: 'e.json' } }, { producerVersion: '0.0.0-bench' });
    assert.equal(d.intent['producer_version'], '0.0.0-bench');
    assert.deepEqual(d.intent['context'], { identity: 'mcp-proxy', workspace: '.', risk_class: 'high' });
    assert.equal(d.call.context.runId, 'r');
    assert.equal(d.call.context.contextEnvelopePath, 'e.json');
  });

  it('maps script steps (§2 step 4); the gate then refuses script intents', () => {
    const intent = decodeToolCall('mcp', { name: '', script: { steps: [{ name: ' tool.a ', targets: [{ kind: 'path', value: '/a', destructiveHint: true }] }] } });
    assert.equal(intent['tool_name'], 'script');
    assert.deepEqual(intent['args'], {});
    assert.deepEqual(intent['script'], {
      steps: [{ tool_name: 'tool.a', args: {}, targets: [{ kind: 'path', value: '/a', destructive_hint: true }] }],
    });
  });
});
