/**
 * The Gait v1 approval vectors (gate.md Part D V4/V5) as test inputs. Every literal here comes from
 * the spec or the vector README, never from our code.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parsePrivateKeyText, parsePublicKeyText } from '../../../../src/crypto/keys.js';

export const VECTORS = join(process.cwd(), 'test/fixtures/vectors/gait-v1');

export function vectorText(path: string): string {
  return readFileSync(join(VECTORS, path), 'utf8');
}

export function vectorJson(path: string): Record<string, unknown> {
  return JSON.parse(vectorText(path)) as Record<string, unknown>;
}

/** V4 */
export const KEY_ID = '8393424682c702d59a923d26924b2d4827711e6c585117077766645e22efeb52';
export const SIGNING_KEY = parsePrivateKeyText(vectorText('keys/approval_private.key'));
export const VERIFY_KEY = parsePublicKeyText(vectorText('keys/approval_public.key'));

/** V1 */
export const POLICY_DIGEST = '07a528a879e4f0e0cd5a0e2ca801924746b47dac624862207ef21d4ec266f8f9';

/** V5, valid token */
export const VALID = {
  intentDigest: '4b53bb79e35105ac9170963ac6f84ed0ed15530c68f06a46fc1233c5ec766913',
  createdAt: '2026-02-24T12:42:58.228785Z',
  expiresAt: '2036-02-22T12:42:58.228785Z',
  tokenId: 'ec44f8948261811d131eb04a',
  signedDigest: 'd470f2e63450ca56d772bebbe269db46318f309181444bb2522bb262061079c0',
  sig: 'FfgS+OlPSQOvVTCvc+0NZ+HKwlhJcHXxygZQiVyn1artAmKuqYnhlRBM3kC4FCW4/kkceUImKFLLjy+z9JN5BA==',
} as const;

/** V5, expired token (intent path `/tmp/approve-expired.txt`) */
export const EXPIRED = {
  intentDigest: '5560b84bd90ae0b84079bd0125a27d74750fb25f55a62a12a6b718eaca3dca51',
  createdAt: '2026-02-24T12:42:58.274138Z',
  expiresAt: '2026-02-24T12:42:59.274138Z',
  tokenId: 'b68a3c0bd5a7af6eb3c47cea',
  signedDigest: 'dd3578d12548120721acf756ea331656feaff48f2c33edb9f0fd47ef40462796',
  sig: '33SvpGbmU/9+hk491sr4GtcJ7dFpQzBCAI3mWfbcuo2EQ4ry4/pIxtYNcBSZ7HOqDgBCM6QShjMZXBpmnBmFDg==',
} as const;

/** The V5 valid token file, parsed. */
export function validTokenFile(): Record<string, unknown> {
  return vectorJson('approval-token-valid/approval-token.json');
}

/** The V5 expired token, rebuilt from the spec's values in the valid token's shape. */
export function expiredTokenFile(): Record<string, unknown> {
  return {
    schema_id: 'gait.gate.approval_token',
    schema_version: '1.0.0',
    created_at: EXPIRED.createdAt,
    producer_version: '0.0.0-dev',
    token_id: EXPIRED.tokenId,
    approver_identity: 'human.reviewer',
    reason_code: 'MANUAL_APPROVAL',
    intent_digest: EXPIRED.intentDigest,
    policy_digest: POLICY_DIGEST,
    scope: ['tool:tool.write'],
    expires_at: EXPIRED.expiresAt,
    signature: { alg: 'ed25519', key_id: KEY_ID, sig: EXPIRED.sig, signed_digest: EXPIRED.signedDigest },
  };
}

/** The V5 intent, optionally with another `args.path` / target value. */
export function v5Intent(path = '/tmp/approve-valid.txt'): Record<string, unknown> {
  const intent = vectorJson('approval-token-valid/intent.json');
  const targets = intent['targets'] as Record<string, unknown>[];
  return { ...intent, args: { path }, targets: targets.map((t) => ({ ...t, value: path })) };
}
