import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { assertFixtureName, defaultFixtureName, isFixtureName, normalizeVerdictText, parseVerdictText } from '../../../../src/artifacts/regress/names.js';

describe('defaultFixtureName()', () => {
  it('lowercases, turns runs of other characters into - and trims -._', () => {
    assert.equal(defaultFixtureName('run_demo'), 'run_demo');
    assert.equal(defaultFixtureName('Run Demo/2026 !!'), 'run-demo-2026');
    assert.equal(defaultFixtureName('._Run.X_.'), 'run.x');
    assert.equal(defaultFixtureName('!!!'), 'fixture');
    assert.equal(defaultFixtureName(''), 'fixture');
  });
});

describe('isFixtureName()', () => {
  it('accepts ^[a-z0-9][a-z0-9._-]*$ only', () => {
    assert.equal(isFixtureName('run_demo-1.2'), true);
    assert.equal(isFixtureName('_x'), false);
    assert.equal(isFixtureName('A'), false);
    assert.equal(isFixtureName('a/b'), false);
    assert.throws(() => assertFixtureName('../x'), /invalid fixture name `\.\.\/x`/);
  });
});

describe('normalizeVerdictText()', () => {
  it('maps the §4.1 aliases', () => {
    const cases: Record<string, string> = {
      OK: 'allow',
      passed: 'allow',
      Success: 'allow',
      denied: 'block',
      'Approval-Required': 'require_approval',
      'needs approval': 'require_approval',
      dryrun: 'dry_run',
      simulated: 'dry_run',
      failure: 'error',
    };
    for (const [text, verdict] of Object.entries(cases)) assert.equal(normalizeVerdictText(text), verdict, text);
    assert.equal(normalizeVerdictText('maybe'), undefined);
    assert.throws(() => parseVerdictText('maybe', '--expect'), { code: 'input_usage', message: 'invalid verdict `maybe` in --expect: expected allow, block, require_approval, dry_run or error' });
  });
});
