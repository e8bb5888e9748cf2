/**
 * Every adapter fixture (test/fixtures/tool-calls/<adapter>/<case>.call.json) decodes to exactly the
 * hand-written IntentRequest next to it (mcp-and-export.md §1, §2), and that intent normalizes.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { decodeToolCall } from '../../../../../src/schema/v1/tool-call/index.js';
import { normalizeIntent } from '../../../../../src/schema/v1/intent.js';
import { intentDigest } from '../../../../../src/schema/v1/intent-digest.js';

const ROOT = join(process.cwd(), 'test/fixtures/tool-calls');
const ADAPTERS = ['mcp', 'openai', 'anthropic', 'langchain', 'claude_code'];

function cases(adapter: string): string[] {
  return readdirSync(join(ROOT, adapter))
    .filter((f) => f.endsWith('.call.json'))
    .map((f) => f.slice(0, -'.call.json'.length))
    .sort();
}

function read(adapter: string, name: string, kind: 'call' | 'intent'): unknown {
  return JSON.parse(readFileSync(join(ROOT, adapter, `${name}.${kind}.json`), 'utf8'));
}

describe('decodeToolCall() fixtures', () => {
  it('has fixtures for every adapter of §1', () => {
    assert.deepEqual(readdirSync(ROOT).filter((f) => !f.includes('.')).sort(), [...ADAPTERS].sort());
    for (const adapter of ADAPTERS) assert.ok(cases(adapter).length >= 3, `${adapter} has at least 3 cases`);
  });

  for (const adapter of ADAPTERS) {
    for (const name of cases(adapter)) {
      it(`${adapter}/${name} decodes to the hand-written intent`, () => {
        const call = read(adapter, name, 'call');
        const expected = read(adapter, name, 'intent');
        assert.deepEqual(decodeToolCall(adapter, call), expected);
        // The JSON text path gives the same result as the parsed value.
        const text = readFileSync(join(ROOT, adapter, `${name}.call.json`), 'utf8');
        assert.deepEqual(decodeToolCall(adapter, text), expected);
        assert.deepEqual(decodeToolCall(adapter, new TextEncoder().encode(text)), expected);
        // The gate accepts it, and both normalize to one digest.
        assert.equal(intentDigest(normalizeIntent(decodeToolCall(adapter, call))), intentDigest(normalizeIntent(expected)));
      });
    }
  }
});
