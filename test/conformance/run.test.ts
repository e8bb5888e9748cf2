/**
 * The conformance runner's own contract: the corpus loader fails loudly on typos and inconsistent
 * expectations, and `expectationFor` derives each surface's literal expectation as documented in
 * `run.ts` (approval step for `gate_eval`, §A5.2 step 2 for fail-closed invalid intents).
 */
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Scenario, SurfaceOptions } from './run.js';
import { expectationFor, loadCorpus, runConformance, validateExpected } from './run.js';

const ALLOW = { verdict: 'allow', reason_codes: ['default_allow'], violations: [], exit_code: 0 };

const tempRoots: string[] = [];
after(() => {
  for (const dir of tempRoots) rmSync(dir, { recursive: true, force: true });
});

function corpusWith(scenarios: Record<string, Record<string, string>>): string {
  const root = mkdtempSync(join(tmpdir(), 'gait-corpus-'));
  tempRoots.push(root);
  for (const [name, files] of Object.entries(scenarios)) {
    mkdirSync(join(root, name));
    for (const [file, text] of Object.entries(files)) writeFileSync(join(root, name, file), text);
  }
  return root;
}

function scenarioFiles(expected: string): Record<string, string> {
  return { 'policy.yaml': 'default_verdict: allow\n', 'intent.json': '{}\n', 'expected.yaml': expected, 'README.md': 'why\n' };
}

const GATE: SurfaceOptions = { layer: 'gate_eval', failClosedInvalidIntent: 'refusal', traces: 'required' };
const LIBRARY: SurfaceOptions = { layer: 'decision', failClosedInvalidIntent: 'block_decision', traces: 'none' };

function scenario(name: string): Scenario {
  const found = loadCorpus().find((s) => s.name === name);
  assert.ok(found !== undefined, name);
  return found;
}

describe('validateExpected()', () => {
  it('accepts a complete evaluated expectation', () => {
    assert.deepEqual(validateExpected(ALLOW), []);
  });

  it('rejects unknown keys by name', () => {
    assert.deepEqual(validateExpected({ ...ALLOW, reason_code: ['x'] }), [
      'unknown key `reason_code` (known: verdict, reason_codes, violations, matched_rule, exit_code, min_approvals, error_code, library_verdict, policy_digest, intent_digest, evaluation_time)',
    ]);
  });

  it('rejects unsorted or duplicated code lists', () => {
    assert.deepEqual(validateExpected({ ...ALLOW, reason_codes: ['b', 'a'] }), ['`reason_codes` must be sorted by code point and unique (gate.md §A14)']);
    assert.deepEqual(validateExpected({ ...ALLOW, violations: ['a', 'a'] }), ['`violations` must be sorted by code point and unique (gate.md §A14)']);
  });

  it('rejects wrong types and unknown verdicts', () => {
    assert.deepEqual(validateExpected({ ...ALLOW, verdict: 'permit' }), ['`verdict` must be one of allow|block|dry_run|require_approval']);
    assert.deepEqual(validateExpected({ ...ALLOW, matched_rule: 3 }), ['`matched_rule` must be a string (quote it; "" for the default path)']);
    assert.deepEqual(validateExpected({ ...ALLOW, exit_code: '0' }), ['`exit_code` must be one of 0, 3, 4, 6']);
  });

  it('rejects an exit code that contradicts the verdict', () => {
    assert.deepEqual(validateExpected({ ...ALLOW, exit_code: 3 }), ['verdict `allow` exits 0 (gate.md §A12.3 step 9), not 3']);
  });

  it('rejects min_approvals that contradict the verdict', () => {
    assert.deepEqual(validateExpected({ ...ALLOW, min_approvals: 1 }), ['`min_approvals` 1 contradicts verdict `allow`']);
  });

  it('requires error_code and forbids a verdict on refusals', () => {
    assert.deepEqual(validateExpected({ exit_code: 6, verdict: 'block' }), [
      'a refusal (exit_code 6) needs `error_code`',
      'a refusal (exit_code 6) must not set `verdict`',
    ]);
  });

  it('requires library_verdict, reason_codes and violations together', () => {
    assert.deepEqual(validateExpected({ exit_code: 6, error_code: 'input_intent', library_verdict: 'block' }), [
      '`library_verdict`, `reason_codes` and `violations` go together on a refusal (gate.md §A5.2 step 2)',
    ]);
  });

  it('rejects a non-mapping document', () => {
    assert.deepEqual(validateExpected(['verdict']), ['expected.yaml must be a mapping']);
  });
});

describe('loadCorpus()', () => {
  it('loads the shipped corpus with every scenario complete', () => {
    const corpus = loadCorpus();
    assert.ok(corpus.length >= 46, `only ${corpus.length} scenarios`);
    assert.deepEqual(
      corpus.map((s) => s.name),
      [...corpus.map((s) => s.name)].sort(),
    );
  });

  it('reports every problem of every scenario at once', () => {
    const root = corpusWith({
      good: scenarioFiles('verdict: allow\nreason_codes: [default_allow]\nviolations: []\nexit_code: 0\n'),
      typo: scenarioFiles('verdict: allow\nreason_codes: [default_allow]\nviolations: []\nexit_code: 0\nmatched_rul: ""\n'),
      Bad_Name: { 'policy.yaml': '', 'expected.yml': 'exit_code: 0\n' },
    });
    assert.throws(
      () => loadCorpus(root),
      (err: Error) => {
        assert.match(err.message, /Bad_Name: scenario folder names are kebab-case/);
        assert.match(err.message, /Bad_Name: unexpected file `expected\.yml`/);
        assert.match(err.message, /Bad_Name: missing `expected\.yaml`/);
        assert.match(err.message, /typo: expected\.yaml: unknown key `matched_rul`/);
        assert.doesNotMatch(err.message, /good:/);
        return true;
      },
    );
  });

  it('rejects duplicate keys in expected.yaml', () => {
    const root = corpusWith({ dup: scenarioFiles('exit_code: 0\nexit_code: 3\n') });
    assert.throws(() => loadCorpus(root), /dup: expected\.yaml: does not parse: Map keys must be unique/);
  });

  it('reads evaluation_time as an input, not an expectation', () => {
    const s = scenario('agent-identity-valid-at-evaluation-time');
    assert.equal(s.evaluationTime, '2026-01-15T00:00:00Z');
    assert.equal(Object.keys(s.expected).includes('evaluationTime'), false);
  });
});

describe('expectationFor()', () => {
  it('adds the no-token approval step to require_approval on the gate_eval layer only', () => {
    const s = scenario('default-require-approval');
    assert.deepEqual(expectationFor(s, LIBRARY), {
      exitCode: 4,
      verdict: 'require_approval',
      reasonCodes: ['default_require_approval'],
      violations: [],
      matchedRule: '',
      minApprovals: 1,
      trace: undefined,
    });
    assert.deepEqual(expectationFor(s, GATE), {
      exitCode: 4,
      verdict: 'require_approval',
      reasonCodes: ['approval_token_missing', 'default_require_approval'],
      violations: ['approval_not_granted'],
      matchedRule: '',
      minApprovals: 1,
      trace: 'present',
    });
  });

  it('expects the fail-closed block from the library and exit 6 from gate eval', () => {
    const s = scenario('fail-closed-intent-invalid');
    assert.deepEqual(expectationFor(s, LIBRARY), {
      exitCode: 3,
      verdict: 'block',
      reasonCodes: ['fail_closed_intent_invalid'],
      violations: ['intent_not_evaluable'],
      trace: undefined,
    });
    assert.deepEqual(expectationFor(s, GATE), { exitCode: 6, errorCode: 'input_intent', trace: 'absent' });
  });

  it('drops fields a surface declares it omits', () => {
    const s = scenario('gait-integration-vector');
    const e = expectationFor(s, { ...GATE, omits: { digests: 'this surface reports no digests at all', matchedRule: 'this surface has no matched_rule member' } });
    assert.equal(e.policyDigest, undefined);
    assert.equal(e.matchedRule, undefined);
    assert.equal(expectationFor(s, GATE).policyDigest, 'f4581f55c41a3ee69b316c95f66fbfc293ae7f06e6458491e3ca232dfb26608c');
  });
});

describe('runConformance()', () => {
  const never = (): Promise<never> => Promise.reject(new Error('not called'));

  it('rejects skips of unknown scenarios and skips without a written reason', () => {
    assert.throws(() => runConformance('x', never, { ...GATE, skip: { 'no-such-scenario': 'a reason that is long enough' } }), /unknown scenario `no-such-scenario`/);
    assert.throws(() => runConformance('x', never, { ...GATE, skip: { 'default-allow': 'todo' } }), /skip of `default-allow` needs a written reason/);
  });

  it('rejects an unknown subset name', () => {
    assert.throws(() => runConformance('x', never, { ...GATE, only: ['default-alow'] }), /only names unknown scenario `default-alow`/);
  });
});
