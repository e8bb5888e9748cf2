import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { canonicalize } from '../../../src/jcs/canonicalize.js';
import { digestJcs, sha256Bytes, sha256Hex, shortId } from '../../../src/crypto/digest.js';

const GAIT = new URL('../../fixtures/vectors/gait-v1/', import.meta.url);

function payload(path: string): Buffer {
  return readFileSync(new URL(path, GAIT));
}

describe('sha256Hex', () => {
  it('hashes strings as UTF-8 and bytes as given', () => {
    assert.equal(sha256Hex(''), 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    assert.equal(sha256Hex('abc'), 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    assert.equal(sha256Hex(new Uint8Array([0x61, 0x62, 0x63])), 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    assert.equal(sha256Hex('\u20ac'), sha256Hex(new Uint8Array([0xe2, 0x82, 0xac])));
  });

  it('sha256Bytes gives the 32 raw bytes', () => {
    assert.equal(Buffer.from(sha256Bytes('abc')).toString('hex'), 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });
});

describe('digestJcs (gate.md §A1.1, Part D)', () => {
  const cases: [string, string][] = [
    ['integration/policy.digest-payload.json', 'f4581f55c41a3ee69b316c95f66fbfc293ae7f06e6458491e3ca232dfb26608c'],
    ['integration/intent.digest-payload.json', '74d4a052fd27c63f110e0879f227215aed15a8e522946d38a2fb515374fbafa8'],
    ['approval-token-valid/policy.digest-payload.json', '07a528a879e4f0e0cd5a0e2ca801924746b47dac624862207ef21d4ec266f8f9'],
    ['approval-token-valid/intent.digest-payload.json', '4b53bb79e35105ac9170963ac6f84ed0ed15530c68f06a46fc1233c5ec766913'],
    ['approval-token-valid/approval-token.signed-payload.json', 'd470f2e63450ca56d772bebbe269db46318f309181444bb2522bb262061079c0'],
  ];
  for (const [path, digest] of cases) {
    it(`${path} -> ${digest.slice(0, 12)}…`, () => {
      const bytes = payload(path);
      assert.equal(sha256Hex(bytes), digest);
      const value: unknown = JSON.parse(bytes.toString('utf8'));
      assert.equal(canonicalize(value), bytes.toString('utf8'));
      assert.equal(digestJcs(value), digest);
    });
  }

  it('V1 minimal policy payload', () => {
    const v1 = {
      DefaultVerdict: 'require_approval',
      FailClosed: { Enabled: false, RequiredFields: [], RiskClasses: [] },
      Rules: [],
      SchemaID: 'gait.gate.policy',
      SchemaVersion: '1.0.0',
    };
    assert.equal(digestJcs(v1), '07a528a879e4f0e0cd5a0e2ca801924746b47dac624862207ef21d4ec266f8f9');
  });
});

describe('shortId (gate.md §A1.2)', () => {
  it('V3 trace_id', () => {
    assert.equal(
      shortId(
        'f4581f55c41a3ee69b316c95f66fbfc293ae7f06e6458491e3ca232dfb26608c:74d4a052fd27c63f110e0879f227215aed15a8e522946d38a2fb515374fbafa8:block',
      ),
      '9a714d67a491c4bd98dd7983',
    );
  });

  it('V5 token_id', () => {
    const text = [
      '4b53bb79e35105ac9170963ac6f84ed0ed15530c68f06a46fc1233c5ec766913',
      '07a528a879e4f0e0cd5a0e2ca801924746b47dac624862207ef21d4ec266f8f9',
      'human.reviewer',
      'MANUAL_APPROVAL',
      'tool:tool.write',
      '0',
      '0',
      '2036-02-22T12:42:58.228785Z',
    ].join(':');
    assert.equal(shortId(text), 'ec44f8948261811d131eb04a');
  });

  it('is 24 lowercase hex characters', () => {
    assert.match(shortId('x'), /^[0-9a-f]{24}$/);
  });
});
