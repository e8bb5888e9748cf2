import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { isGaitError } from '../../../src/errors/error.js';
import {
  encodePrivateKey,
  encodePublicKey,
  generateSigningKey,
  keyIdOf,
  parsePrivateKeyText,
  parsePublicKeyText,
  signingKeyFromRaw,
  verifyKeyOf,
} from '../../../src/crypto/keys.js';
import { signBytes, verifyBytes } from '../../../src/crypto/ed25519.js';
import type { Random } from '../../../src/runtime/random.js';

const KEYS = new URL('../../fixtures/vectors/gait-v1/keys/', import.meta.url);
const PRIVATE_TEXT = readFileSync(new URL('approval_private.key', KEYS), 'utf8');
const PUBLIC_TEXT = readFileSync(new URL('approval_public.key', KEYS), 'utf8');
const V4_KEY_ID = '8393424682c702d59a923d26924b2d4827711e6c585117077766645e22efeb52';

function rejects(fn: () => unknown, message: string): void {
  assert.throws(fn, (e: unknown) => isGaitError(e, 'sig_key_invalid') && e.message === message);
}

function b64(length: number, fill = 7): string {
  return Buffer.alloc(length, fill).toString('base64');
}

describe('V4 committed key pair (gate.md §A11, Part D)', () => {
  it('public key file gives the V4 key_id', () => {
    assert.equal(PUBLIC_TEXT, '2452IFcJJprSJUSaASiKpWRN4bzs7KbckliBk2cKGeg=\n');
    const key = parsePublicKeyText(PUBLIC_TEXT, 'approval_public.key');
    assert.equal(key.keyId, V4_KEY_ID);
    assert.equal(Buffer.from(key.publicRaw).toString('base64'), '2452IFcJJprSJUSaASiKpWRN4bzs7KbckliBk2cKGeg=');
  });

  it("private key file's public half matches and re-encodes byte for byte", () => {
    const key = parsePrivateKeyText(PRIVATE_TEXT, 'approval_private.key');
    assert.equal(key.keyId, V4_KEY_ID);
    assert.equal(encodePublicKey(key), PUBLIC_TEXT);
    assert.equal(encodePrivateKey(key), PRIVATE_TEXT);
    assert.equal(encodePublicKey(verifyKeyOf(key)), PUBLIC_TEXT);
    assert.equal(verifyKeyOf(key).keyId, V4_KEY_ID);
  });

  it('keyIdOf hashes the raw 32 bytes', () => {
    assert.equal(keyIdOf(new Uint8Array(Buffer.from('2452IFcJJprSJUSaASiKpWRN4bzs7KbckliBk2cKGeg=', 'base64'))), V4_KEY_ID);
  });
});

describe('key text parsing', () => {
  it('trims only space, tab, CR and LF', () => {
    assert.equal(parsePublicKeyText(` \t\r\n${PUBLIC_TEXT.trim()}\r\n \t`).keyId, V4_KEY_ID);
    assert.equal(parsePrivateKeyText(`\n\n${PRIVATE_TEXT}\n\n`).keyId, V4_KEY_ID);
    rejects(() => parsePublicKeyText(`\u00a0${PUBLIC_TEXT}`), 'invalid public key encoding: expected standard base64');
    rejects(() => parsePublicKeyText(`\ufeff${PUBLIC_TEXT}`), 'invalid public key encoding: expected standard base64');
    rejects(() => parsePublicKeyText(`${PUBLIC_TEXT.trim()}\v`), 'invalid public key encoding: expected standard base64');
  });

  it('gives the exact length messages', () => {
    rejects(() => parsePrivateKeyText(b64(32)), 'invalid private key length: 32');
    rejects(() => parsePrivateKeyText(b64(65)), 'invalid private key length: 65');
    rejects(() => parsePrivateKeyText(''), 'invalid private key length: 0');
    rejects(() => parsePublicKeyText(b64(64)), 'invalid public key length: 64');
    rejects(() => parsePublicKeyText(b64(31)), 'invalid public key length: 31');
    rejects(() => parsePublicKeyText('\n'), 'invalid public key length: 0');
  });

  it('rejects junk base64', () => {
    const junk = [
      '2452IFcJJprSJUSaASiKpWRN4bzs7KbckliBk2cKGeg', // unpadded
      '2452IFcJJprSJUSaASiKpWRN4bzs7KbckliBk2cKGeg==',
      '2452IFcJJprSJUSaASiKpWRN4bzs7Kbc kliBk2cKGeg=',
      '2452IFcJJprSJUSaASiKpWRN4bzs7KbckliBk2cKGeg=!',
      '2452IFcJJprSJUSaASiKpWRN4bzs7KbckliBk2cK-_g=', // URL-safe alphabet
      '-----BEGIN PUBLIC KEY-----',
    ];
    for (const text of junk) {
      rejects(() => parsePublicKeyText(text), 'invalid public key encoding: expected standard base64');
    }
    rejects(() => parsePrivateKeyText('not base64!'), 'invalid private key encoding: expected standard base64');
  });

  it('rejects a private key whose public half does not match its seed', () => {
    const raw = new Uint8Array(Buffer.from(PRIVATE_TEXT.trim(), 'base64'));
    raw[63] = (raw[63] as number) ^ 1;
    rejects(() => signingKeyFromRaw(raw), 'private key public half does not match its seed');
    rejects(() => parsePrivateKeyText(Buffer.from(raw).toString('base64')), 'private key public half does not match its seed');
  });

  it('records the label in the error details', () => {
    assert.throws(
      () => parsePublicKeyText(b64(3), 'keys/x.pub'),
      (e: unknown) => isGaitError(e, 'sig_key_invalid') && e.details['source'] === 'keys/x.pub',
    );
  });
});

describe('generateSigningKey', () => {
  it('draws the seed from the injected Random and round-trips through the file format', () => {
    const seed = Buffer.from('9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60', 'hex');
    const random: Random = { bytes: (n) => new Uint8Array(seed.subarray(0, n)) };
    const key = generateSigningKey(random);
    assert.equal(Buffer.from(key.publicRaw).toString('hex'), 'd75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a');
    const again = parsePrivateKeyText(encodePrivateKey(key));
    assert.equal(again.keyId, key.keyId);
    assert.equal(parsePublicKeyText(encodePublicKey(key)).keyId, key.keyId);
    const msg = new Uint8Array([1, 2, 3]);
    assert.equal(verifyBytes(verifyKeyOf(again).publicKey, msg, signBytes(key.privateKey, msg)), true);
  });

  it('rejects a Random that returns the wrong length', () => {
    rejects(() => generateSigningKey({ bytes: () => new Uint8Array(31) }), 'invalid private key seed length: 31');
  });
});
