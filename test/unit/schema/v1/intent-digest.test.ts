import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { canonicalize } from '../../../../src/jcs/canonicalize.js';
import { normalizeIntent, prepareIntent } from '../../../../src/schema/v1/intent.js';
import {
  argsDigest,
  credentialTargetBinding,
  delegationDigest,
  intentDigest,
  toIntentDigestObject,
} from '../../../../src/schema/v1/intent-digest.js';

const VECTORS = new URL('../../../fixtures/vectors/gait-v1/', import.meta.url);

function vector(path: string): string {
  return readFileSync(new URL(path, VECTORS), 'utf8');
}

const BASE_CONTEXT = { identity: 'alice', workspace: '/repo/gait', risk_class: 'high' };

describe('Gait v1 intent digest vectors', () => {
  it('integration/intent.json (V3)', () => {
    const intent = normalizeIntent(JSON.parse(vector('integration/intent.json')));
    assert.equal(canonicalize(toIntentDigestObject(intent)), vector('integration/intent.digest-payload.json'));
    assert.equal(intentDigest(intent), '74d4a052fd27c63f110e0879f227215aed15a8e522946d38a2fb515374fbafa8');
  });
  it('approval-token-valid/intent.json (V5)', () => {
    const intent = normalizeIntent(JSON.parse(vector('approval-token-valid/intent.json')));
    assert.equal(canonicalize(toIntentDigestObject(intent)), vector('approval-token-valid/intent.digest-payload.json'));
    assert.equal(intentDigest(intent), '4b53bb79e35105ac9170963ac6f84ed0ed15530c68f06a46fc1233c5ec766913');
  });
  it('V5 with /tmp/approve-expired.txt', () => {
    const raw = JSON.parse(vector('approval-token-valid/intent.json')) as {
      args: { path: string };
      targets: { value: string }[];
    };
    raw.args.path = '/tmp/approve-expired.txt';
    raw.targets[0]!.value = '/tmp/approve-expired.txt';
    assert.equal(intentDigest(normalizeIntent(raw)), '5560b84bd90ae0b84079bd0125a27d74750fb25f55a62a12a6b718eaca3dca51');
  });
  it('the prepared V3 intent keeps the digest (no claims to strip)', () => {
    const intent = prepareIntent(normalizeIntent(JSON.parse(vector('integration/intent.json'))));
    assert.equal(intentDigest(intent), '74d4a052fd27c63f110e0879f227215aed15a8e522946d38a2fb515374fbafa8');
  });
});

describe('toIntentDigestObject member rules', () => {
  it('targets always present ([] when empty); context always; no header fields', () => {
    const intent = normalizeIntent({
      schema_id: 'x', created_at: '2026-02-05T00:00:00Z', producer_version: '9', tool_name: 'T', context: BASE_CONTEXT,
      relationship: { parent_ref: { kind: 'session', id: 's' } },
    });
    assert.equal(
      canonicalize(toIntentDigestObject(intent)),
      '{"args":{},"context":{"identity":"alice","phase":"apply","risk_class":"high","workspace":"/repo/gait"},"targets":[],"tool_name":"t"}',
    );
  });
  it('target booleans appear only when true; destructive includes inference and destructive_hint', () => {
    const intent = normalizeIntent({
      tool_name: 't',
      targets: [
        { kind: 'path', value: '/a', operation: 'rm', read_only_hint: false },
        { kind: 'path', value: '/b', destructive_hint: true, open_world_hint: true, idempotent_hint: true, read_only_hint: true },
      ],
      context: BASE_CONTEXT,
    });
    assert.deepEqual(toIntentDigestObject(intent)['targets'], [
      { kind: 'path', value: '/a', operation: 'rm', endpoint_class: 'fs.delete', destructive: true, discovery_method: 'unknown' },
      {
        kind: 'path', value: '/b', endpoint_class: 'other', destructive: true, discovery_method: 'unknown',
        read_only_hint: true, destructive_hint: true, idempotent_hint: true, open_world_hint: true,
      },
    ]);
  });
  it('agent_identity, delegation timestamps follow the zero-time rule', () => {
    const intent = normalizeIntent({
      tool_name: 't',
      delegation: {
        requester_identity: 'c',
        chain: [{ delegator_identity: 'b', delegate_identity: 'c', issued_at: '2026-01-01T01:00:00+01:00' }],
      },
      context: { ...BASE_CONTEXT, agent_identity: {} },
    });
    const object = toIntentDigestObject(intent);
    assert.deepEqual(object['delegation'], {
      requester_identity: 'c',
      chain: [{
        delegator_identity: 'b', delegate_identity: 'c',
        issued_at: '2026-01-01T00:00:00Z', expires_at: '0001-01-01T00:00:00Z',
      }],
      issued_at: '0001-01-01T00:00:00Z',
      expires_at: '0001-01-01T00:00:00Z',
    });
    assert.deepEqual((object['context'] as Record<string, unknown>)['agent_identity'], {
      issued_at: '0001-01-01T00:00:00Z', approved_at: '0001-01-01T00:00:00Z', expires_at: '0001-01-01T00:00:00Z',
    });
  });
  it('context members: omit-empty, numbers only when non-zero, sandbox and auth_context as objects', () => {
    const intent = normalizeIntent({
      tool_name: 't',
      context: {
        ...BASE_CONTEXT, phase: 'PLAN', run_id: ' r ', credential_ttl_seconds: 0, credential_source: 'ENV',
        auth_context: { provider: ' oidc ' }, sandbox: { timeout_seconds: 30, writable_paths: ['/tmp/x/'] },
        credential_scopes: ['b', 'a'], context_refs: [' '], unknown_member: 'x',
      },
    });
    assert.equal(
      canonicalize(toIntentDigestObject(intent)['context']),
      '{"auth_context":{"provider":"oidc"},"credential_scopes":["a","b"],"credential_source":"env","identity":"alice",' +
        '"phase":"plan","risk_class":"high","run_id":"r","sandbox":{"timeout_seconds":30,"writable_paths":["/tmp/x"]},' +
        '"workspace":"/repo/gait"}',
    );
  });
});

describe('argsDigest, delegationDigest, credentialTargetBinding', () => {
  it('argsDigest is DigestJCS of the normalized args', () => {
    const intent = normalizeIntent(JSON.parse(vector('integration/intent.json')));
    // sha256 of {"path":"/tmp/out.txt"}
    assert.equal(argsDigest(intent), '1bb68c85c9c51b9b733114cb635626545b38b115a266f1ce490655bb2fbfa3ff');
  });
  it('delegationDigest is "" without delegation', () => {
    assert.equal(delegationDigest(normalizeIntent({ tool_name: 't', context: BASE_CONTEXT })), '');
  });
  it('delegationDigest hashes the delegation object', () => {
    const intent = normalizeIntent({ tool_name: 't', delegation: { requester_identity: 'a' }, context: BASE_CONTEXT });
    // sha256 of {"expires_at":"0001-01-01T00:00:00Z","issued_at":"0001-01-01T00:00:00Z","requester_identity":"a"}
    assert.equal(delegationDigest(intent), '13fa9a3e2075a2208958278d1fb48a4bc4f1a70fbcbdfb7e7b47b0bb368d9124');
  });
  it('credentialTargetBinding of no targets digests []', () => {
    // sha256 of "[]"
    assert.equal(
      credentialTargetBinding(normalizeIntent({ tool_name: 't', context: BASE_CONTEXT })),
      '4f53cda18c2baa0c0354bb5f9a3ecbe5ed12ab4d8e11ba873c2f11161202b945',
    );
  });
  it('credentialTargetBinding hashes the normalized targets array', () => {
    const intent = normalizeIntent(JSON.parse(vector('integration/intent.json')));
    // sha256 of [{"discovery_method":"unknown","endpoint_class":"net.http","endpoint_domain":"api.external.com","kind":"host","value":"api.external.com"}]
    assert.equal(credentialTargetBinding(intent), '9a81248dfb607277acf11a010ec06239ee9f3495fec92eb1d946333e00f20698');
  });
});
