// Property suite: the gate never opens where the policy gives it no way to (STYLE.md §5).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { compilePolicy } from '../../../src/policy/compile.js';
import { evaluate, evaluateRaw } from '../../../src/policy/evaluate.js';
import { parsePolicyYaml } from '../../../src/policy/parse.js';
import { isGaitError } from '../../../src/errors/error.js';
import type { Rule } from '../../../src/policy/model.js';
import type { Intent, Target } from '../../../src/schema/v1/intent-types.js';
import { ENDPOINT_CLASSES, TARGET_KINDS } from '../../../src/schema/v1/intent-types.js';
import { mutate, mutationArb } from '../../helpers/json-mutation.js';
import { EVAL_TIME, makeFailClosed, makeIntent, makePolicy, makeRule, makeTarget } from './fixtures.js';

const options = { evaluationTime: EVAL_TIME };
const word = fc.constantFrom('tool.write', 'tool.read', 'tool.delete', 'alice', 'bob', 'high', 'low', 'critical', '/repo/a', 'x');

const targetArb: fc.Arbitrary<Target> = fc
  .record({
    kind: fc.constantFrom(...TARGET_KINDS),
    value: word,
    operation: fc.constantFrom('', 'read', 'write', 'delete', 'exec'),
    endpointClass: fc.constantFrom(...ENDPOINT_CLASSES),
    destructive: fc.boolean(),
    destructiveHint: fc.boolean(),
  })
  .map((t) => makeTarget({ ...t, endpointDomain: t.kind === 'host' ? t.value : '' }));

const intentArb: fc.Arbitrary<Intent> = fc
  .record({
    toolName: word,
    targets: fc.array(targetArb, { maxLength: 3 }),
    sources: fc.array(fc.constantFrom('user', 'tool_output', 'external', 'system') as fc.Arbitrary<'user' | 'tool_output' | 'external' | 'system'>, { maxLength: 2 }),
    identity: word,
    workspace: fc.constantFrom('/repo/a', '/repo/ab', '/repo/a/b', '/other'),
    riskClass: fc.constantFrom('low', 'medium', 'high', 'critical', 'weird'),
    phase: fc.constantFrom('plan', 'apply') as fc.Arbitrary<'plan' | 'apply'>,
  })
  .map((r) =>
    makeIntent({
      toolName: r.toolName,
      targets: r.targets,
      argProvenance: r.sources.map((source, i) => ({ argPath: `$.a${i}`, source, sourceRef: '', integrityDigest: '' })),
      context: { identity: r.identity, workspace: r.workspace, riskClass: r.riskClass, phase: r.phase },
    }),
  );

const nonAllowRuleArb = (i: number): fc.Arbitrary<Rule> =>
  fc
    .record({
      priority: fc.integer({ min: 0, max: 3 }),
      effect: fc.constantFrom('block', 'require_approval', 'dry_run') as fc.Arbitrary<'block' | 'require_approval' | 'dry_run'>,
      toolNames: fc.subarray(['tool.write', 'tool.read', 'tool.delete']),
      workspacePrefixes: fc.subarray(['/repo/a', '/repo/']),
      dataflow: fc.boolean(),
      endpoint: fc.boolean(),
    })
    .map((r) =>
      makeRule({
        name: `r${i}`,
        priority: r.priority,
        effect: r.effect,
        match: { toolNames: r.toolNames, workspacePrefixes: r.workspacePrefixes },
        dataflow: r.dataflow
          ? { enabled: true, taintedSources: ['external'], destinationKinds: [], destinationValues: [], destinationOperations: [], action: 'require_approval', reasonCode: 'dataflow_tainted_destination', violation: 'tainted_dataflow' }
          : undefined,
        endpoint: r.endpoint
          ? { enabled: true, pathAllowlist: ['/repo/**'], pathDenylist: [], domainAllowlist: [], domainDenylist: ['*.x'], egressClasses: [], action: 'require_approval', destructiveAction: '', reasonCode: 'endpoint_constraint_violation', violation: 'endpoint_constraint_violation' }
          : undefined,
      }),
    );

const rulesArb = fc.integer({ min: 0, max: 4 }).chain((n) => fc.tuple(...Array.from({ length: n }, (_, i) => nonAllowRuleArb(i))));

describe('never allow (properties)', () => {
  it('(a) default block and no allow rules → never allow', () => {
    fc.assert(
      fc.property(rulesArb, intentArb, (rules, intent) => {
        const sorted = [...rules].sort((a, b) => a.priority - b.priority || (a.name < b.name ? -1 : 1));
        const d = evaluate(compilePolicy(makePolicy({ defaultVerdict: 'block', rules: sorted })), intent, options);
        assert.notEqual(d.verdict, 'allow');
      }),
      { numRuns: 300 },
    );
  });

  it('(b) fail-closed high/critical: a high-risk intent missing a required field is never allow', () => {
    const policy = makePolicy({
      defaultVerdict: 'allow',
      failClosed: makeFailClosed({ enabled: true, riskClasses: ['critical', 'high'], requiredFields: ['arg_provenance', 'targets'] }),
      rules: [makeRule({ name: 'allow-all', effect: 'allow' })],
    });
    const compiled = compilePolicy(policy);
    fc.assert(
      fc.property(intentArb, fc.constantFrom('high', 'critical'), fc.constantFrom('targets', 'provenance'), (intent, risk, drop) => {
        const broken: Intent = {
          ...intent,
          targets: drop === 'targets' ? [] : intent.targets,
          argProvenance: drop === 'provenance' ? [] : intent.argProvenance,
          context: { ...intent.context, riskClass: risk },
        };
        const d = evaluate(compiled, broken, options);
        assert.equal(d.verdict, 'block');
      }),
      { numRuns: 300 },
    );
  });

  it('(c) mutated raw intents: a GaitError input_* or a decision that never allows', () => {
    const compiled = compilePolicy(
      parsePolicyYaml(
        [
          'default_verdict: block',
          'fail_closed: {enabled: true, required_fields: [targets]}',
          'rules:',
          '  - {name: approve-writes, priority: 1, effect: require_approval, match: {tool_names: [tool.write]}}',
          '  - {name: dry-reads, priority: 2, effect: dry_run, match: {tool_names: [tool.read]}}',
        ].join('\n'),
      ),
    );
    const base = {
      schema_id: 'gait.gate.intent_request',
      schema_version: '1.0.0',
      created_at: '2026-02-05T00:00:00Z',
      tool_name: 'tool.write',
      args: { path: '/tmp/out.txt', nested: { token_ref: 'ref:x', list: [1, 'a'] } },
      targets: [{ kind: 'host', value: 'api.external.com' }, { kind: 'path', value: '/tmp/out.txt', operation: 'write' }],
      arg_provenance: [{ arg_path: '$.path', source: 'user' }],
      context: { identity: 'alice', workspace: '/repo/gait', risk_class: 'high', phase: 'apply', auth_context: { 'wrkr.tool_name': 'x' } },
    };
    const rawArb = fc.oneof(
      { weight: 4, arbitrary: fc.array(mutationArb(), { minLength: 1, maxLength: 4 }).map((ms) => {
        const raw = structuredClone(base) as unknown;
        for (const m of ms) mutate(raw, m);
        return raw;
      }) },
      { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
    );
    fc.assert(
      fc.property(rawArb, (raw) => {
        let d;
        try {
          d = evaluateRaw(compiled, raw, options);
        } catch (e) {
          assert.ok(isGaitError(e), `non-GaitError thrown: ${String(e)}`);
          assert.ok(e.code.startsWith('input_'), `unexpected code ${e.code}: ${e.message}`);
          return;
        }
        assert.notEqual(d.verdict, 'allow');
      }),
      { numRuns: 500 },
    );
  });
});
