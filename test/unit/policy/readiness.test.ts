import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parsePolicyYaml } from '../../../src/policy/parse.js';
import { gapWarnings, readinessFindings, suggestRule } from '../../../src/policy/readiness.js';

describe('suggestRule()', () => {
  it('keys on the words of the tool name: destructive, writes, reads', () => {
    const cases: [string, string | undefined][] = [
      ['fs.delete_file', 'block'],
      ['db.DropTable', 'block'],
      ['shell.exec', 'require_approval'],
      ['http.post', 'require_approval'],
      ['tool.search', 'allow'],
      ['fs.readFile', 'allow'],
      ['frob', undefined],
      ['thread.summary', undefined],
    ];
    for (const [tool, effect] of cases) assert.equal(suggestRule(tool)?.effect, effect, tool);
  });
});

describe('readinessFindings() / gapWarnings()', () => {
  const policy = parsePolicyYaml(
    'schema_id: gait.gate.policy\nschema_version: 1.0.0\ndefault_verdict: block\nfail_closed:\n  enabled: true\nrules:\n  - name: r\n    effect: allow\n    match:\n      tool_names: [tool.read]\n',
    { file: 'p.yaml' },
  );
  it('finds nothing in a default-block, fail-closed policy with rules', () => {
    assert.deepEqual(readinessFindings(policy), []);
  });
  it('warns about detected tools no rule names', () => {
    assert.deepEqual(gapWarnings(policy, ['tool.read', 'tool.write']), ['tool tool.write is not named by any rule (falls to default_verdict=block unless another match applies)']);
  });
});
