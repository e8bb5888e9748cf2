import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { formatFixtureIntents, parseFixtureIntents, parseIntentInputs } from '../../../../src/artifacts/regress/intents-input.js';

const A = { tool_name: 'tool.a', args: { x: 1 } };
const B = { tool_name: 'tool.b' };

describe('parseIntentInputs()', () => {
  it('reads JSONL of wrapped and bare lines, skipping blank ones', () => {
    const text = `${JSON.stringify({ intent_id: 'intent_1', intent: A })}\n\n${JSON.stringify(B)}\n`;
    assert.deepEqual(parseIntentInputs(text, 'i.jsonl'), [
      { intentId: 'intent_1', intent: A, source: 'i.jsonl line 1' },
      { intentId: '', intent: B, source: 'i.jsonl line 3' },
    ]);
  });

  it('reads a JSON array and a single JSON object', () => {
    assert.deepEqual(parseIntentInputs(JSON.stringify([A, { intent_id: ' i2 ', intent: B }], null, 2), 'a.json'), [
      { intentId: '', intent: A, source: 'a.json[0]' },
      { intentId: 'i2', intent: B, source: 'a.json[1]' },
    ]);
    assert.deepEqual(parseIntentInputs(JSON.stringify(A, null, 2), 'one.json'), [{ intentId: '', intent: A, source: 'one.json' }]);
  });

  it('names the bad line', () => {
    assert.throws(() => parseIntentInputs(`${JSON.stringify(A)}\n{oops\n`, 'i.jsonl'), { code: 'input_json', message: /^cannot parse i.jsonl line 2: / });
    assert.throws(() => parseIntentInputs('[1]', 'a.json'), { code: 'input_intent', message: 'a.json[0]: intent must be a JSON object' });
    assert.throws(() => parseIntentInputs('{"intent": 3}', 'a.json'), { message: 'a.json: `intent` must be a JSON object' });
    assert.throws(() => parseIntentInputs('{"intent": {}, "intent_id": 3}', 'a.json'), { message: 'a.json: `intent_id` must be a string' });
  });
});

describe('parseFixtureIntents() / formatFixtureIntents()', () => {
  it('round-trips canonical wrapped lines', () => {
    const text = formatFixtureIntents([{ intentId: 'intent_1', intent: { tool_name: 'tool.a', args: { b: 1, a: 2 } } }]);
    assert.equal(text, '{"intent":{"args":{"a":2,"b":1},"tool_name":"tool.a"},"intent_id":"intent_1"}\n');
    assert.deepEqual(parseFixtureIntents(text, 'intents.jsonl'), [{ intentId: 'intent_1', intent: { tool_name: 'tool.a', args: { b: 1, a: 2 } } }]);
  });

  it('refuses bare lines', () => {
    assert.throws(() => parseFixtureIntents(JSON.stringify(A), 'intents.jsonl'), { message: 'intents.jsonl: expected {"intent_id": …, "intent": …}' });
  });
});
