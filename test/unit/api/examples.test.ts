/** Runs examples/library.examples.ts so the README's library examples stay true. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { decideMany, decideToolCall, examplePolicyText, gateAndVerify } from '../../../examples/library.examples.js';

const EXAMPLES = join(process.cwd(), 'examples');

describe('library examples', () => {
  it('decideToolCall allows the workspace read of the demo', () => {
    const intent = readFileSync(join(EXAMPLES, 'intents/read-config.json'), 'utf8');
    const d = decideToolCall(examplePolicyText(), intent);
    assert.deepEqual([d.verdict, d.reasonCodes, d.matchedRule], ['allow', ['workspace_read_allowed'], 'allow-workspace-reads']);
  });

  it('decideMany returns the same verdict every time', () => {
    const intent = readFileSync(join(EXAMPLES, 'intents/delete-build-dir.json'), 'utf8');
    assert.deepEqual(decideMany(examplePolicyText(), intent, 3), ['block', 'block', 'block']);
  });

  it('gateAndVerify signs a require_approval trace that verifies', () => {
    const { result, verified } = gateAndVerify(join(EXAMPLES, 'policy.yaml'), join(EXAMPLES, 'intents/write-release-notes.json'));
    assert.equal(result.verdict, 'require_approval');
    assert.equal(verified, true);
  });
});
