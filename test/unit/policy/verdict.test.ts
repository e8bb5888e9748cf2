import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { isVerdict, mostRestrictive, verdictOfRank, verdictRank } from '../../../src/policy/verdict.js';
import { defaultReasonCode, sanitizeRuleName } from '../../../src/policy/reason-codes.js';

describe('verdictRank()', () => {
  it('ranks the four verdicts allow < dry_run < require_approval < block', () => {
    assert.equal(verdictRank('allow'), 0);
    assert.equal(verdictRank('dry_run'), 1);
    assert.equal(verdictRank('require_approval'), 2);
    assert.equal(verdictRank('block'), 3);
  });
  it('ranks unknown strings as most restrictive (D1)', () => {
    assert.equal(verdictRank('ALLOW'), 3);
    assert.equal(verdictRank(''), 3);
    assert.equal(verdictRank('permit'), 3);
  });
});

describe('mostRestrictive()', () => {
  it('returns the higher-ranked verdict in either order', () => {
    assert.equal(mostRestrictive('allow', 'dry_run'), 'dry_run');
    assert.equal(mostRestrictive('dry_run', 'allow'), 'dry_run');
    assert.equal(mostRestrictive('require_approval', 'dry_run'), 'require_approval');
    assert.equal(mostRestrictive('block', 'require_approval'), 'block');
    assert.equal(mostRestrictive('allow', 'allow'), 'allow');
  });
  it('yields block for an unknown verdict on either side (D1)', () => {
    assert.equal(mostRestrictive('allow', 'bogus'), 'block');
    assert.equal(mostRestrictive('bogus', 'allow'), 'block');
    assert.equal(mostRestrictive('nope', 'nada'), 'block');
  });
});

describe('isVerdict() / verdictOfRank()', () => {
  it('recognizes exactly the wire verdicts', () => {
    assert.equal(isVerdict('dry_run'), true);
    assert.equal(isVerdict('Dry_Run'), false);
    assert.equal(verdictOfRank(0), 'allow');
    assert.equal(verdictOfRank(3), 'block');
  });
});

describe('defaultReasonCode()', () => {
  it('maps each verdict to default_<verdict>', () => {
    assert.equal(defaultReasonCode('allow'), 'default_allow');
    assert.equal(defaultReasonCode('block'), 'default_block');
    assert.equal(defaultReasonCode('dry_run'), 'default_dry_run');
    assert.equal(defaultReasonCode('require_approval'), 'default_require_approval');
  });
});

describe('sanitizeRuleName()', () => {
  it('replaces spaces and dashes and lowercases', () => {
    assert.equal(sanitizeRuleName('Block External-Host'), 'block_external_host');
  });
  it('escapes <, > and & as Go does, lowercased', () => {
    assert.equal(sanitizeRuleName('a<b>&c'), 'a\\u003cb\\u003e\\u0026c');
  });
  it('escapes U+2028/U+2029 and control characters', () => {
    assert.equal(sanitizeRuleName('x\u2028y\u2029z'), 'x\\u2028y\\u2029z');
    assert.equal(sanitizeRuleName('a\tb\u0001'), 'a\\tb\\u0001');
  });
  it('strips leading and trailing quotes after encoding', () => {
    assert.equal(sanitizeRuleName('"quoted"'), '\\"quoted\\');
    assert.equal(sanitizeRuleName('back\\slash'), 'back\\\\slash');
  });
  it('uses simple lowercase mapping (U+0130 → i)', () => {
    assert.equal(sanitizeRuleName('İSTANBUL-Rule'), 'istanbul_rule');
  });
  it('replaces lone surrogates with U+FFFD', () => {
    assert.equal(sanitizeRuleName('a\ud800b'), 'a\ufffdb');
  });
});
