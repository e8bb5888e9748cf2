// Property suite: a mutated policy that never allowed anything still never allows (STYLE.md §5).
// Mutations delete, duplicate or retype members of the parsed policy, or flip bytes of its YAML;
// the loader either refuses the result with a GaitError of the invalid_input category or the
// compiled policy never decides `allow` for any intent in the corpus.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { parse } from 'yaml';
import { evaluate, isGaitError, loadPolicy, parseIntent } from '../../../src/index.js';
import type { CompiledPolicy, Intent } from '../../../src/index.js';
import { mutate, mutationArb } from '../../helpers/json-mutation.js';

const BASE_YAML = [
  'schema_id: gait.gate.policy',
  'schema_version: 1.0.0',
  'default_verdict: block',
  'fail_closed: {enabled: true, risk_classes: [high], required_fields: [targets, arg_provenance]}',
  'rules:',
  '  - {name: approve-writes, priority: 1, effect: require_approval, match: {tool_names: [tool.write], target_kinds: [path]}}',
  '  - {name: dry-reads, priority: 2, effect: dry_run, match: {tool_names: [tool.read], workspace_prefixes: [/repo]}}',
  '  - {name: block-deletes, priority: 2, effect: block, match: {endpoint_classes: [fs.delete]}, reason_codes: [no_delete]}',
  '  - name: taint',
  '    priority: 3',
  '    effect: block',
  '    dataflow: {enabled: true, action: require_approval}',
  '    endpoint: {path_allowlist: [/repo/**], action: require_approval}',
  '',
].join('\n');

const INTENTS: Intent[] = ['tool.write', 'tool.read', 'tool.delete', 'tool.other'].flatMap((tool) =>
  ['low', 'high'].map((risk) =>
    parseIntent({
      tool_name: tool,
      args: { path: '/repo/a.txt' },
      targets: [{ kind: 'path', value: '/repo/a.txt', operation: tool === 'tool.delete' ? 'delete' : 'write' }],
      arg_provenance: [{ arg_path: '$.path', source: 'external' }],
      context: { identity: 'alice', workspace: '/repo', risk_class: risk },
    }),
  ),
);

function assertNeverAllows(policy: CompiledPolicy): void {
  for (const intent of INTENTS) {
    const d = evaluate(policy, intent, { evaluationTime: '2026-02-05T00:00:00Z' });
    assert.notEqual(d.verdict, 'allow', `allowed ${intent.toolName}/${intent.context.riskClass}: ${d.reasonCodes.join(',')}`);
  }
}

/** Loads `source`; a refusal must be a classified invalid-input GaitError, anything loaded must never allow. */
function checkLoadOrRefuse(source: string | object): void {
  let policy: CompiledPolicy;
  try {
    policy = loadPolicy(source);
  } catch (err) {
    assert.ok(isGaitError(err), `non-GaitError thrown: ${String(err)}`);
    assert.equal(err.category, 'invalid_input', `${err.code}: ${err.message}`);
    return;
  }
  assertNeverAllows(policy);
}

// Values that could legitimately open the gate are excluded: the property is about damage, not edits.
const safeJson = fc.jsonValue({ maxDepth: 2 }).filter((v) => !JSON.stringify(v).toLowerCase().includes('allow'));

describe('never allow (mutated policies)', () => {
  it('the base policy loads and never allows', () => {
    assertNeverAllows(loadPolicy(BASE_YAML));
  });

  it('structural mutations: refused as invalid input, or never allow', () => {
    fc.assert(
      fc.property(fc.array(mutationArb(safeJson), { minLength: 1, maxLength: 4 }), (ms) => {
        const root = parse(BASE_YAML) as unknown;
        for (const m of ms) mutate(root, m);
        checkLoadOrRefuse(root as object);
      }),
      { numRuns: 400 },
    );
  });

  it('byte mutations of the YAML text: refused as invalid input, or never allow', () => {
    const bytes = Buffer.from(BASE_YAML, 'utf8');
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat(bytes.length - 1), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 3 }), (edits) => {
        const copy = Buffer.from(bytes);
        for (const [at, value] of edits) copy[at] = value;
        const text = copy.toString('utf8');
        fc.pre(!text.toLowerCase().includes('allow'));
        checkLoadOrRefuse(text);
      }),
      { numRuns: 400 },
    );
  });
});
