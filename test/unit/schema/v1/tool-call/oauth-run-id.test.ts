/**
 * §4 step 4 (OAuth evidence) and step 10 (run ids) of mcp-and-export.md.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { assertOAuthEvidence, normalizeRunId, parseToolCall, resolveAuthMode, resolveRunId } from '../../../../../src/schema/v1/tool-call/index.js';

function ctx(context: Record<string, unknown>) {
  return parseToolCall('mcp', { name: 'x', context }).context;
}

const FULL = {
  issuer: 'https://idp',
  audience: ['api'],
  subject: 'alice',
  client_id: 'c1',
  token_type: 'Bearer',
  scopes: ['read'],
  redirect_uri: 'https://app/cb',
  evidence_ref: 'ref:e1',
  auth_time: '2026-02-05T00:00:00Z',
};

describe('resolveAuthMode()', () => {
  it('takes auth_mode, else auth_context.oauth_mode, else oauth when evidence is present', () => {
    assert.equal(resolveAuthMode(ctx({})), '');
    assert.equal(resolveAuthMode(ctx({ auth_mode: ' Token ' })), 'token');
    assert.equal(resolveAuthMode(ctx({ auth_context: { oauth_mode: 'oauth_dcr' } })), 'oauth_dcr');
    assert.equal(resolveAuthMode(ctx({ oauth_evidence: {} })), 'oauth');
  });

  it('refuses other modes', () => {
    assert.throws(() => resolveAuthMode(ctx({ auth_mode: 'saml' })), {
      code: 'input_tool_call',
      message: 'context.auth_mode must be one of off|none|token|oauth|oauth_dcr',
    });
  });
});

describe('assertOAuthEvidence()', () => {
  it('only checks evidence under oss-prod with oauth or oauth_dcr', () => {
    assert.equal(assertOAuthEvidence(ctx({ auth_mode: 'oauth' }), 'standard'), 'oauth');
    assert.equal(assertOAuthEvidence(ctx({ auth_mode: 'token' }), 'oss-prod'), 'token');
  });

  it('lists every missing field', () => {
    assert.throws(() => assertOAuthEvidence(ctx({ auth_mode: 'oauth', oauth_evidence: { issuer: 'i', scopes: [] } }), 'oss-prod'), {
      message: 'missing OAuth evidence fields: audience, subject, client_id, token_type, scopes, redirect_uri, evidence_ref, auth_time',
    });
    assert.throws(() => assertOAuthEvidence(ctx({ auth_mode: 'oauth_dcr', oauth_evidence: FULL }), 'oss-prod'), {
      message: 'missing OAuth evidence fields: dcr_client_id, token_binding',
    });
  });

  it('requires an RFC 3339 auth_time', () => {
    assert.throws(() => assertOAuthEvidence(ctx({ oauth_evidence: { ...FULL, auth_time: 'monday' } }), 'oss-prod'), {
      message: 'context.oauth_evidence.auth_time must be RFC3339',
    });
  });

  it('accepts complete evidence, also from auth_context.oauth_evidence', () => {
    assert.equal(assertOAuthEvidence(ctx({ oauth_evidence: FULL }), 'oss-prod'), 'oauth');
    assert.equal(assertOAuthEvidence(ctx({ auth_mode: 'oauth', auth_context: { oauth_evidence: FULL } }), 'oss-prod'), 'oauth');
  });
});

describe('normalizeRunId() / resolveRunId()', () => {
  it('normalizes as §4 step 10', () => {
    assert.equal(normalizeRunId(' job 7/a '), 'run_job_7_a');
    assert.equal(normalizeRunId('run_x'), 'run_x');
    assert.equal(normalizeRunId('__x__'), 'run_x');
    assert.equal(normalizeRunId('ümlaut'), 'run_mlaut');
    assert.equal(normalizeRunId('///'), '');
    assert.equal(normalizeRunId(''), '');
  });

  it('prefers the flag, then context.run_id, then the intent digest', () => {
    const digest = 'f03e7f2ec6624965b7f98ad035c7131e9597359470c0cbfcc07a5ff61715159d';
    assert.equal(resolveRunId('flag', 'ctx', digest), 'run_flag');
    assert.equal(resolveRunId(' ', 'ctx', digest), 'run_ctx');
    assert.equal(resolveRunId('', '', digest), 'run_mcp_f03e7f2ec662');
  });
});
