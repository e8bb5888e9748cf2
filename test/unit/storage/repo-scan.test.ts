import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { scanRepository } from '../../../src/storage/repo-scan.js';

describe('scanRepository()', () => {
  it('finds frameworks in manifests and tool names in intent files, skipping dependency folders', () => {
    const root = mkdtempSync(join(tmpdir(), 'gait-scan-'));
    writeFileSync(join(root, 'go.mod'), 'module x\n\nrequire (\n\tgithub.com/mark3labs/mcp-go v0.20.0\n)\n');
    writeFileSync(join(root, 'pyproject.toml'), '[project]\ndependencies = [\n  "langgraph>=0.2",\n  "anthropic",\n]\n');
    mkdirSync(join(root, 'a/b/c'), { recursive: true });
    writeFileSync(join(root, 'a/b/c/i.json'), JSON.stringify([{ tool_name: 'Tool.One' }, { intent: { tool_name: 'tool.two' } }]));
    mkdirSync(join(root, 'a/b/c/d/e'), { recursive: true });
    writeFileSync(join(root, 'a/b/c/d/e/deep.json'), JSON.stringify({ tool_name: 'too.deep' }));
    mkdirSync(join(root, '.git'));
    writeFileSync(join(root, '.git/x.json'), JSON.stringify({ tool_name: 'git.internal' }));
    writeFileSync(join(root, 'broken.json'), '{ "tool_name": ');
    assert.deepEqual(scanRepository(root), { frameworks: ['anthropic', 'langgraph', 'mcp'], toolNames: ['tool.one', 'tool.two'] });
  });
});
