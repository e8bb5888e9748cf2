/**
 * The auto-pack classification of mcp-and-export.md §5.6: target operations first, then the
 * operation token of the tool name (whole write/read words, then write/read prefixes, then the first
 * token that is not tool/tools/mcp/function).
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { isStateChanging, toolNameOperation } from '../../../src/policy/state-changing.js';

const named = (toolName: string): boolean => isStateChanging({ toolName, targets: [] });
const withOps = (toolName: string, ...operations: string[]): boolean => isStateChanging({ toolName, targets: operations.map((operation) => ({ operation })) });

describe('isStateChanging(): the operation-target rule', () => {
  it('a non-blank operation outside the read-only set makes the call state-changing, whatever the tool name says', () => {
    assert.equal(withOps('tool.search', 'delete'), true);
    assert.equal(withOps('tool.search', 'read', 'Truncate'), true, 'any operation that is not read-only, lowercased');
    assert.equal(withOps('tool.search', 'archive'), true, 'an operation outside both sets is not read-only');
  });

  it('only read-only operations: not state-changing, even for a writing tool name', () => {
    assert.equal(withOps('fs.write_file', 'read'), false);
    assert.equal(withOps('db.delete', 'READ', ' list ', 'query', 'search', 'inspect', 'get', 'fetch', 'head', 'describe'), false);
  });

  it('blank operations are ignored: with no non-blank operation the tool name decides', () => {
    assert.equal(withOps('fs.write_file', '', '  '), true);
    assert.equal(withOps('tool.search', ''), false);
    assert.equal(withOps('fs.write_file', '', 'read'), false, 'the one non-blank operation is read-only');
  });
});

describe('toolNameOperation(): the tool-name token rule', () => {
  it('the first token in the write or read-only set wins over earlier prefixed tokens', () => {
    const cases: [string, string][] = [
      ['tool.search', 'search'],
      ['tool.delete', 'delete'],
      ['fs_write_file', 'write'],
      ['createUser.run', 'run'],
      ['get_and_delete', 'get'],
      ['db.Head', 'head'],
      ['proc.execute', 'execute'],
    ];
    for (const [name, operation] of cases) assert.equal(toolNameOperation(name), operation, name);
  });

  it('else the first token with a write or read prefix', () => {
    const cases: [string, string][] = [
      ['mcp.tools.createUser', 'createuser'],
      ['github.listrepos.updater', 'listrepos'],
      ['fs.readfile', 'readfile'],
      ['shell.executescript', 'executescript'],
      ['settings', 'settings'],
    ];
    for (const [name, operation] of cases) assert.equal(toolNameOperation(name), operation, name);
  });

  it('else the first token that is not a skip token (tool, tools, mcp, function)', () => {
    assert.equal(toolNameOperation('mcp.tool.tools.function.plan'), 'plan');
    assert.equal(toolNameOperation('Tool-Frobnicate-Widget'), 'frobnicate');
  });

  it('empty: no tokens, or only skip tokens', () => {
    assert.equal(toolNameOperation(''), '');
    assert.equal(toolNameOperation('...'), '');
    assert.equal(toolNameOperation('mcp.tool.function'), '');
    assert.equal(toolNameOperation('αβγ'), '', 'tokens are [a-z0-9]+ only');
  });
});

describe('isStateChanging(): by tool name', () => {
  it('write words and write prefixes are state-changing', () => {
    for (const name of ['fs.write', 'db.create', 'db.update', 'fs.delete', 'fs.remove', 'db.insert', 'db.upsert', 'http.patch', 'kv.set', 'http.put', 'http.post', 'git.commit', 'k8s.apply', 'pr.approve', 'proc.execute', 'proc.exec', 'job.run']) {
      assert.equal(named(name), true, name);
    }
    for (const name of ['mcp.tools.createUser', 'fs.writefile', 'kv.settings', 'proc.executescript', 'ci.runtests', 'db.upserted']) assert.equal(named(name), true, name);
  });

  it('read words, read prefixes, other words and empty names are not', () => {
    for (const name of ['tool.search', 'fs.read', 'fs.list', 'db.query', 'k8s.inspect', 'kv.get', 'http.fetch', 'http.head', 'ec2.describe']) assert.equal(named(name), false, name);
    for (const name of ['fs.readfile', 'github.listrepos', 'kv.getter', 'ec2.describeinstances', 'web.searchall', 'db.querying']) assert.equal(named(name), false, name);
    for (const name of ['tool.plan', 'thread.summary', '', 'mcp.tool', 'get_and_delete']) assert.equal(named(name), false, name);
  });
});
