/**
 * Registry import (mcp-and-export.md §8): the three allowlist shapes, normalization, refusals, safe
 * YAML quoting, and the exact rendered text, proven by loading it back.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadPolicy } from '../../../src/api/policy.js';
import { evaluate } from '../../../src/api/evaluate.js';
import { isPlainSafe, parseRegistryAllowlist, renderRegistryPolicy, yamlScalar } from '../../../src/policy/registry-import.js';

describe('parseRegistryAllowlist()', () => {
  it('reads the three shapes, mixed items allowed', () => {
    assert.deepEqual(parseRegistryAllowlist({ tools: ['b', 'a'] }), ['a', 'b']);
    assert.deepEqual(parseRegistryAllowlist(['b', 'a']), ['a', 'b']);
    assert.deepEqual(parseRegistryAllowlist([{ tool_name: 'b' }, { tool_name: 'a' }]), ['a', 'b']);
    assert.deepEqual(parseRegistryAllowlist(['c', { tool_name: 'a' }]), ['a', 'c']);
    assert.deepEqual(parseRegistryAllowlist({ Tools: [{ TOOL_NAME: 'x' }] }), ['x'], 'members case-insensitive (gate.md §A1.4)');
  });

  it('trims, drops blanks, lowercases, de-duplicates and sorts by code point', () => {
    assert.deepEqual(parseRegistryAllowlist([' Tool.B ', 'tool.b', '', '  ', 'tool.a', 'Z', 'é', 'a']), ['a', 'tool.a', 'tool.b', 'z', 'é']);
  });

  it('refuses other shapes and items', () => {
    const bad: [unknown, string][] = [
      ['tools', 'allowlist input must be a JSON array or an object with a `tools` array'],
      [{ tool_name: 'a' }, 'allowlist object needs a `tools` array'],
      [{ tools: 'a,b' }, 'allowlist object needs a `tools` array'],
      [[1], '[0] must be a string or an object with a string tool_name'],
      [{ tools: ['a', null] }, 'tools[1] must be a string or an object with a string tool_name'],
      [[{ name: 'a' }], '[0].tool_name must be a string'],
      [[{ tool_name: ['a'] }], '[0].tool_name must be a string'],
      [[], 'no tool names found in allowlist input'],
      [{ tools: [' ', { tool_name: '' }] }, 'no tool names found in allowlist input'],
    ];
    for (const [input, message] of bad) assert.throws(() => parseRegistryAllowlist(input), { code: 'input_usage', message }, JSON.stringify(input));
  });
});

describe('yamlScalar()', () => {
  it('writes plain only what re-parses to itself inside a flow sequence', () => {
    for (const plain of ['tool.read', 'fs_write', 'a/b', 'mcp__github__create_issue', 'ünïcode']) assert.equal(yamlScalar(plain), plain);
    const quoted: [string, string][] = [
      ['a,b', '"a,b"'], ['[x]', '"[x]"'], ['{x}', '"{x}"'], ['a#b', '"a#b"'], ['a:b', '"a:b"'], ['&a', '"&a"'], ['*a', '"*a"'],
      ['!a', '"!a"'], ['|', '"|"'], ['>', '">"'], ["it's", '"it\'s"'], ['say "x"', '"say \\"x\\""'], ['%a', '"%a"'], ['@a', '"@a"'],
      ['`a`', '"`a`"'], [' lead', '" lead"'], ['trail ', '"trail "'], ['null', '"null"'], ['~', '"~"'], ['true', '"true"'],
      ['false', '"false"'], ['yes', '"yes"'], ['off', '"off"'], ['1', '"1"'], ['1.5', '"1.5"'], ['0x1f', '"0x1f"'], ['1e3', '"1e3"'],
      ['.inf', '".inf"'], ['-x', '"-x"'], ['a\tb', '"a\\tb"'], ['line\nbreak', '"line\\nbreak"'],
    ];
    for (const [value, text] of quoted) {
      assert.equal(isPlainSafe(value), false, value);
      assert.equal(yamlScalar(value), text, value);
    }
  });
});

describe('renderRegistryPolicy()', () => {
  it('renders exactly the §8 text', () => {
    const r = renderRegistryPolicy(['tool.read', 'tool.write']);
    assert.equal(
      r.yaml,
      [
        'schema_id: gait.gate.policy',
        'schema_version: 1.0.0',
        'default_verdict: block',
        'rules:',
        '  - name: allow_registry_tools',
        '    priority: 10',
        '    effect: allow',
        '    match:',
        '      tool_names: [tool.read, tool.write]',
        '    reason_codes: [allowed_by_external_registry]',
        '  - name: block_unknown_tools',
        '    priority: 100',
        '    effect: block',
        '    reason_codes: [blocked_tool_not_in_external_registry]',
        '    violations: [tool_not_allowlisted]',
        '',
      ].join('\n'),
    );
    assert.equal(r.policyDigest, loadPolicy(r.yaml).digest);
  });

  it('uses the given rule name and reason code; blank ones fall back to the defaults', () => {
    assert.match(renderRegistryPolicy(['a'], { ruleName: 'approved', allowReasonCode: 'cmdb_ok' }).yaml, /- name: approved\n[\s\S]*reason_codes: \[cmdb_ok\]/);
    assert.match(renderRegistryPolicy(['a'], { ruleName: ' ', allowReasonCode: '' }).yaml, /- name: allow_registry_tools\n[\s\S]*reason_codes: \[allowed_by_external_registry\]/);
  });

  it('names that need quoting load back as the same names, and the policy allows exactly them', () => {
    const tools = parseRegistryAllowlist(['true', '1.5', 'x,y', 'tool: write', 'null', 'tool.read']);
    const r = renderRegistryPolicy(tools);
    assert.match(r.yaml, /tool_names: \["1\.5", "null", tool\.read, "tool: write", "true", "x,y"\]/);
    const policy = loadPolicy(r.yaml);
    const ctx = { identity: 'a', workspace: '/w', risk_class: 'low' };
    for (const tool of tools) assert.equal(evaluate(policy, { tool_name: tool, context: ctx }).verdict, 'allow', tool);
    const blocked = evaluate(policy, { tool_name: 'tool.delete', context: ctx });
    assert.equal(blocked.verdict, 'block');
    assert.deepEqual(blocked.reasonCodes, ['blocked_tool_not_in_external_registry']);
    assert.deepEqual(blocked.violations, ['tool_not_allowlisted']);
  });
});
