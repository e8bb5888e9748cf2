import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { signBytes, verifyBytes } from '../../../src/crypto/ed25519.js';
import { signingKeyFromSeed, verifyKeyFromRaw } from '../../../src/crypto/keys.js';

interface Rfc8032Vector {
  name: string;
  secret_key_hex: string;
  public_key_hex: string;
  message_hex: string;
  signature_hex: string;
}

const vectors = JSON.parse(
  readFileSync(new URL('../../fixtures/vectors/ed25519/rfc8032.json', import.meta.url), 'utf8'),
) as Rfc8032Vector[];

function hex(text: string): Uint8Array {
  return new Uint8Array(Buffer.from(text, 'hex'));
}

function toHex(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('hex');
}

function flipBit(bytes: Uint8Array, bit: number): Uint8Array {
  const out = new Uint8Array(bytes);
  out[bit >> 3] = (out[bit >> 3] as number) ^ (1 << (bit & 7));
  return out;
}

describe('Ed25519 (RFC 8032 §7.1)', () => {
  it('has the five vectors', () => {
    assert.deepEqual(
      vectors.map((v) => v.name),
      ['TEST 1', 'TEST 2', 'TEST 3', 'TEST 1024', 'TEST SHA(abc)'],
    );
  });

  for (const v of vectors) {
    describe(v.name, () => {
      const key = signingKeyFromSeed(hex(v.secret_key_hex));
      const message = hex(v.message_hex);
      const signature = hex(v.signature_hex);

      it('derives the public key', () => {
        assert.equal(toHex(key.publicRaw), v.public_key_hex);
        assert.equal(toHex(key.privateRaw), v.secret_key_hex + v.public_key_hex);
      });

      it('signs identically', () => {
        assert.equal(toHex(signBytes(key.privateKey, message)), v.signature_hex);
      });

      it('verifies with the raw public key', () => {
        assert.equal(verifyBytes(verifyKeyFromRaw(hex(v.public_key_hex)).publicKey, message, signature), true);
      });

      it('rejects flipped bits in message, signature and key', () => {
        const pub = verifyKeyFromRaw(hex(v.public_key_hex)).publicKey;
        if (message.length > 0) {
          for (const bit of [0, 7, message.length * 8 - 1]) {
            assert.equal(verifyBytes(pub, flipBit(message, bit), signature), false);
          }
        } else {
          assert.equal(verifyBytes(pub, new Uint8Array([0]), signature), false);
        }
        for (const bit of [0, 100, 255, 256, 300, 511]) {
          assert.equal(verifyBytes(pub, message, flipBit(signature, bit)), false);
        }
        for (const bit of [0, 77, 200]) {
          const other = verifyKeyFromRaw(flipBit(hex(v.public_key_hex), bit)).publicKey;
          assert.equal(verifyBytes(other, message, signature), false);
        }
      });

      it('returns false for wrong-length signatures', () => {
        const pub = key.publicKey;
        assert.equal(verifyBytes(pub, message, signature.subarray(0, 63)), false);
        assert.equal(verifyBytes(pub, message, new Uint8Array(65)), false);
        assert.equal(verifyBytes(pub, message, new Uint8Array(0)), false);
      });
    });
  }
});
