/**
 * `gait policy from-registry` end to end, in-process (mcp-and-export.md §8).
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { makeTestIo } from '../helpers/cli-io.js';
import { gait, invalidInput, jsonLine, modeOf } from './support.js';

describe('gait policy from-registry', () => {
  it('renders, validates and writes the policy; JSON and text output', async () => {
    const t = makeTestIo();
    writeFileSync(join(t.cwd, 'allowlist.json'), JSON.stringify({ tools: ['Tool.Write', 'tool.read', { tool_name: 'tool.read' }] }));
    const run = await gait(t, 'policy', 'from-registry', '--input', 'allowlist.json', '--out', 'policy.yaml', '--json');
    assert.equal(run.code, 0, run.stdout);
    const out = jsonLine(run);
    const validate = jsonLine(await gait(t, 'policy', 'validate', 'policy.yaml', '--json'));
    assert.deepEqual(out, { correlation_id: 'cid-test', input: 'allowlist.json', ok: true, output: 'policy.yaml', policy_digest: validate['policy_digest'], tools: 2 });
    assert.match(readFileSync(join(t.cwd, 'policy.yaml'), 'utf8'), /tool_names: \[tool\.read, tool\.write\]/);
    assert.equal(modeOf(join(t.cwd, 'policy.yaml')), 0o644);
    const text = await gait(t, 'policy', 'from-registry', '--input', 'allowlist.json', '--out', 'again.yaml', '--rule-name', 'cmdb');
    assert.equal(text.stdout, 'rendered policy: tools=2 input=allowlist.json output=again.yaml\n');
  });

  it('the rendered policy gates calls: listed tools allow, others block', async () => {
    const t = makeTestIo();
    writeFileSync(join(t.cwd, 'allowlist.json'), '["tool.read"]');
    await gait(t, 'policy', 'from-registry', '--input', 'allowlist.json', '--out', 'policy.yaml');
    writeFileSync(join(t.cwd, 'read.json'), JSON.stringify({ type: 'function', function: { name: 'tool.read', arguments: '{}' } }));
    writeFileSync(join(t.cwd, 'del.json'), JSON.stringify({ type: 'function', function: { name: 'tool.delete', arguments: '{}' } }));
    assert.equal((await gait(t, 'mcp', 'proxy', 'policy.yaml', 'read.json', '--adapter', 'openai', '--json')).code, 0);
    const blocked = await gait(t, 'mcp', 'proxy', 'policy.yaml', 'del.json', '--adapter', 'openai', '--json');
    assert.equal(blocked.code, 3);
    assert.deepEqual(jsonLine(blocked)['reason_codes'], ['blocked_tool_not_in_external_registry']);
  });

  const refusals: [string, string][] = [
    ['{"tools": "tool.read"}', 'allowlist object needs a `tools` array'],
    ['[true]', '[0] must be a string or an object with a string tool_name'],
    ['[" "]', 'no tool names found in allowlist input'],
    ['"tool.read"', 'allowlist input must be a JSON array or an object with a `tools` array'],
  ];
  for (const [body, message] of refusals) {
    it(`refuses ${body} without writing`, async () => {
      const t = makeTestIo();
      writeFileSync(join(t.cwd, 'allowlist.json'), body);
      assert.equal(invalidInput(await gait(t, 'policy', 'from-registry', '--input', 'allowlist.json', '--out', 'policy.yaml', '--json'))['error'], message);
      assert.equal(existsSync(join(t.cwd, 'policy.yaml')), false);
    });
  }

  it('refuses missing flags and unreadable or unparsable input', async () => {
    const t = makeTestIo();
    assert.equal(invalidInput(await gait(t, 'policy', 'from-registry', '--out', 'p.yaml', '--json'))['error'], 'expected --input <allowlist.json> and --out <policy.yaml>');
    assert.match(String(invalidInput(await gait(t, 'policy', 'from-registry', '--input', 'none.json', '--out', 'p.yaml', '--json'))['error']), /cannot read allowlist `none\.json`: no such file/);
    writeFileSync(join(t.cwd, 'bad.json'), '{"tools": [');
    assert.equal(invalidInput(await gait(t, 'policy', 'from-registry', '--input', 'bad.json', '--out', 'p.yaml', '--json'))['error_reason'], 'input_json');
  });
});
