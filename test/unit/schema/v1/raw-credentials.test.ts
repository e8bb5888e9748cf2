import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { isGaitError } from '../../../../src/errors/error.js';
import { assertNoRawCredentials, isSuspiciousKey, looksSecret } from '../../../../src/schema/v1/raw-credentials.js';

const SECRET = 'abcd1234efgh5678';

function rejectsAt(path: string) {
  return (e: unknown): boolean =>
    isGaitError(e, 'input_intent') &&
    e.message === `${path} must not contain raw credential material; use credential references or digests instead` &&
    e.details['path'] === path;
}

describe('isSuspiciousKey', () => {
  it('matches the credential words anywhere, case-insensitively', () => {
    for (const key of ['token', 'X-Auth-Token', 'client_secret', 'apiKey', 'api-key', 'api_key', 'accesskey', 'access_key', 'PASSWORD', 'credentials']) {
      assert.equal(isSuspiciousKey(key), true, key);
    }
  });
  it('is false for reference-like suffixes', () => {
    for (const key of ['token_ref', 'secret_refs', 'token_digest', 'token_digests', 'password_hash', 'token_issuer', 'credential_source', 'token_type', 'token_ttl', 'token_ttl_seconds', 'token_id', 'token_ids', 'secret_name', 'secret_names', 'token_scope', 'token_scopes']) {
      assert.equal(isSuspiciousKey(key), false, key);
    }
  });
  it('is false for unrelated keys', () => {
    assert.equal(isSuspiciousKey('path'), false);
    assert.equal(isSuspiciousKey('tokenizer_ref'), false);
    assert.equal(isSuspiciousKey(''), false);
  });
});

describe('looksSecret', () => {
  it('never for empty, reference prefixes or hex64', () => {
    for (const v of ['', '   ', `env:${SECRET}`, `STUB:${SECRET}`, `cmd:${SECRET}`, `ref:${SECRET}`, `sha256:${SECRET}`, 'a1'.repeat(32)]) {
      assert.equal(looksSecret(v), false, v);
    }
  });
  it('always for known token prefixes', () => {
    for (const v of ['ghp_x', 'gho_x', 'github_pat_x', 'sk-x', 'AKIAX', 'ASIAX']) assert.equal(looksSecret(v), true, v);
    assert.equal(looksSecret('akiax'), false);
  });
  it('otherwise needs ≥ 16 UTF-8 bytes, no whitespace, a letter and a digit', () => {
    assert.equal(looksSecret(SECRET), true);
    assert.equal(looksSecret(` ${SECRET} `), true);
    assert.equal(looksSecret('abcd1234efgh567'), false);
    assert.equal(looksSecret('abcd1234 efgh5678'), false);
    assert.equal(looksSecret('abcdefghijklmnopq'), false);
    assert.equal(looksSecret('1234567890123456'), false);
    assert.equal(looksSecret('a1ééééééé'), true); // 2 + 7×2 = 16 bytes
    assert.equal(looksSecret('a1éééééé1'), false); // 15 bytes, 9 code units
  });
});

describe('assertNoRawCredentials', () => {
  it('accepts references and non-secret values', () => {
    assert.doesNotThrow(() =>
      assertNoRawCredentials('args', { token: 'env:GITHUB_TOKEN', password: 'short', api_key: 42, nested: { secret: null } }),
    );
  });
  it('reports the path of a nested member', () => {
    assert.throws(() => assertNoRawCredentials('args', { headers: { token: SECRET } }), rejectsAt('args.headers.token'));
  });
  it('reports array indexes', () => {
    assert.throws(
      () => assertNoRawCredentials('context.auth_context', { items: [{}, {}, { api_key: 'sk-live' }] }),
      rejectsAt('context.auth_context.items[2].api_key'),
    );
  });
  it('walks keys in sorted order and stops at the first failure', () => {
    assert.throws(() => assertNoRawCredentials('args', { z: { token: SECRET }, a: { token: SECRET } }), rejectsAt('args.a.token'));
  });
  it('does not flag a suspicious key holding an object, but walks into it', () => {
    assert.throws(() => assertNoRawCredentials('args', { credentials: { user: 'x', password: SECRET } }), rejectsAt('args.credentials.password'));
  });
});
