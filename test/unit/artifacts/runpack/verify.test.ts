/**
 * verifyRunpack() (artifacts.md §2.8, §2.14 negative behaviours, issue 4 safety list): every hostile
 * or damaged runpack fails with `ok: false` and a report naming the failing check.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { buildRunpackSync } from '../../../../src/artifacts/runpack/build.js';
import { parseRunpackInput } from '../../../../src/artifacts/runpack/input.js';
import { verifyRunpack } from '../../../../src/artifacts/runpack/verify.js';
import type { RunpackVerifyReport } from '../../../../src/artifacts/runpack/verify.js';
import { openZip } from '../../../../src/artifacts/zip/read.js';
import { generateSigningKey, parsePrivateKeyText, verifyKeyOf } from '../../../../src/crypto/keys.js';
import { canonicalize } from '../../../../src/jcs/canonicalize.js';
import { fixedClock } from '../../../../src/runtime/clock.js';
import { seededRandom } from '../../../helpers/cli-io.js';
import { craftZip } from '../../../helpers/zip-craft.js';
import type { CraftEntry } from '../../../helpers/zip-craft.js';
import { v1Input } from './vectors.js';

const clock = fixedClock({ seconds: 0, nanos: 0, offsetMinutes: 0 });
const KEY = parsePrivateKeyText(readFileSync(join(process.cwd(), 'test/fixtures/vectors/gait-v1/keys/approval_private.key'), 'utf8'));
const PUB = verifyKeyOf(KEY);
const signed = buildRunpackSync(parseRunpackInput(v1Input()), { clock, signingKey: KEY });
const unsigned = buildRunpackSync(parseRunpackInput(v1Input()), { clock });

/** The runpack's entries, for re-zipping with changes (a third-party writer: native deflate). */
function entriesOf(bytes: Uint8Array): CraftEntry[] {
  const zip = openZip(bytes);
  return zip.entries.map((e) => ({ name: e.name, data: zip.read(e.name) }));
}

function rezip(change: (entries: CraftEntry[]) => CraftEntry[], from = signed.bytes): Uint8Array {
  return craftZip(change(entriesOf(from)));
}

function failedCheck(report: RunpackVerifyReport): string[] {
  return report.checks.filter((c) => !c.ok).map((c) => c.name);
}

function manifestEdit(edit: (m: Record<string, unknown>) => void, from = signed.bytes): Uint8Array {
  return rezip((entries) =>
    entries.map((e) => {
      if (e.name !== 'manifest.json') return e;
      const m = JSON.parse(Buffer.from(e.data as Uint8Array).toString()) as Record<string, unknown>;
      edit(m);
      return { name: e.name, data: canonicalize(m) };
    }),
    from,
  );
}

describe('verifyRunpack(): a good runpack', () => {
  it('verifies, re-zipped by another writer too', () => {
    assert.equal(verifyRunpack(signed.bytes, { key: PUB, requireSignature: true }).ok, true);
    assert.equal(verifyRunpack(rezip((e) => e), { key: PUB, requireSignature: true }).ok, true);
  });
});

describe('verifyRunpack(): safety (each fails, naming its check)', () => {
  it('zip-slip entry name ../x', () => {
    const r = verifyRunpack(rezip((e) => [...e, { name: '../x', data: 'evil' }]), { key: PUB });
    assert.equal(r.ok, false);
    assert.deepEqual(failedCheck(r), ['zip']);
    assert.equal(r.error, 'unsafe zip entry name: ../x');
  });

  it('absolute entry name /etc/cron.d/x', () => {
    const r = verifyRunpack(rezip((e) => [...e, { name: '/etc/cron.d/x', data: 'evil' }]));
    assert.deepEqual([r.ok, failedCheck(r), r.error], [false, ['zip'], 'unsafe zip entry name: /etc/cron.d/x']);
  });

  it('backslash entry name ..\\x', () => {
    const r = verifyRunpack(rezip((e) => [...e, { name: '..\\x', data: 'evil' }]));
    assert.deepEqual([r.ok, failedCheck(r), r.error], [false, ['zip'], 'unsafe zip entry name: ..\\x']);
  });

  it('duplicate run.json', () => {
    const r = verifyRunpack(rezip((e) => [...e, { name: 'run.json', data: '{"run_id":"other"}' }]));
    assert.deepEqual([r.ok, failedCheck(r), r.error], [false, ['zip'], 'zip contains duplicate entries: run.json']);
  });

  it('an entry whose real size exceeds its declared size', () => {
    const r = verifyRunpack(rezip((e) => e.map((x) => (x.name === 'intents.jsonl' ? { ...x, declaredSize: 10 } : x))));
    assert.deepEqual([r.ok, failedCheck(r), r.error], [false, ['zip'], 'zip entry intents.jsonl decompresses to more than its declared 10 bytes']);
  });

  it('a zip bomb: an entry over the per-entry cap', () => {
    const r = verifyRunpack(signed.bytes, { limits: { maxEntryBytes: 100 } });
    assert.deepEqual([r.ok, failedCheck(r)], [false, ['zip']]);
    assert.match(r.error, /^zip entry \S+ declares \d+ bytes, over the entry limit of 100 bytes$/);
  });

  it('a zip bomb: the archive total over the archive cap', () => {
    const r = verifyRunpack(signed.bytes, { limits: { maxArchiveBytes: 1000 } });
    assert.deepEqual([r.ok, failedCheck(r), r.error], [false, ['zip'], 'zip archive declares more than 1000 bytes in total, over the archive limit']);
  });

  it('a zip bomb: too many entries', () => {
    const many = rezip((e) => [...e, ...Array.from({ length: 10_000 }, (_, i) => ({ name: `pad/${i}`, data: '' }))]);
    const r = verifyRunpack(many);
    assert.deepEqual([r.ok, failedCheck(r), r.error], [false, ['zip'], 'zip archive has 10005 entries, over the limit of 10000']);
  });

  it('a truncated zip', () => {
    const r = verifyRunpack(signed.bytes.subarray(0, signed.bytes.length - 30));
    assert.deepEqual([r.ok, failedCheck(r)], [false, ['zip']]);
    assert.match(r.error, /^zip archive is truncated or not a zip file/);
  });

  it('a manifest listing a missing file', () => {
    const r = verifyRunpack(rezip((e) => e.filter((x) => x.name !== 'refs.json')), { key: PUB });
    assert.deepEqual([r.ok, failedCheck(r), r.missingFiles], [false, ['declared_files'], ['refs.json']]);
  });

  it('a manifest that does not list a record file', () => {
    const bytes = manifestEdit((m) => {
      m['files'] = (m['files'] as { path: string }[]).filter((f) => f.path !== 'run.json');
    });
    const r = verifyRunpack(bytes, { key: PUB });
    assert.equal(r.ok, false);
    assert.deepEqual(r.missingFiles, ['run.json']);
    assert.deepEqual(r.undeclaredFiles, ['run.json']);
    assert.deepEqual(failedCheck(r), ['record_files', 'undeclared_files', 'manifest_digest', 'signature']);
  });

  it('an extra undeclared file', () => {
    const r = verifyRunpack(rezip((e) => [...e, { name: 'extra.txt', data: 'smuggled' }]), { key: PUB });
    assert.deepEqual([r.ok, failedCheck(r), r.undeclaredFiles], [false, ['undeclared_files'], ['extra.txt']]);
  });

  it('one byte of run.json changed (re-zipped with a valid CRC)', () => {
    const r = verifyRunpack(
      rezip((e) => e.map((x) => (x.name === 'run.json' ? { ...x, data: Buffer.from(Buffer.from(x.data as Uint8Array).toString().replace('go', 'gO')) } : x))),
      { key: PUB },
    );
    assert.deepEqual([r.ok, failedCheck(r)], [false, ['file_hashes']]);
    assert.deepEqual(r.hashMismatches.map((m) => [m.path, m.expected]), [['run.json', '54977f15b5587a596a64f55e92a98eec9c089506820ef834fa3738349a387fb6']]);
  });

  it('a changed manifest_digest', () => {
    const r = verifyRunpack(manifestEdit((m) => (m['manifest_digest'] = '0'.repeat(64)), unsigned.bytes));
    assert.deepEqual([r.ok, failedCheck(r)], [false, ['manifest_digest']]);
    assert.deepEqual(r.hashMismatches, [{ path: 'manifest.json', expected: '0'.repeat(64), actual: '5df30db691a7623bbad16c19ddda77f801ac9aad853a615ca6511c628f21f5d8' }]);
  });

  it('an unknown top-level manifest key', () => {
    const r = verifyRunpack(manifestEdit((m) => (m['claims'] = 'trust me')));
    assert.deepEqual([r.ok, failedCheck(r), r.error], [false, ['manifest'], 'manifest has unknown members: claims']);
  });

  it('no manifest.json', () => {
    const r = verifyRunpack(rezip((e) => e.filter((x) => x.name !== 'manifest.json')));
    assert.deepEqual([r.ok, failedCheck(r), r.error], [false, ['manifest'], 'runpack has no manifest.json']);
  });

  it('a manifest with the wrong schema_id', () => {
    const r = verifyRunpack(manifestEdit((m) => (m['schema_id'] = 'gait.runpack.other')));
    assert.deepEqual([r.ok, failedCheck(r)], [false, ['manifest']]);
  });

  it('signed, then a manifest field changed: signature failed', () => {
    const r = verifyRunpack(manifestEdit((m) => (m['producer_version'] = '9.9.9')), { key: PUB });
    assert.equal(r.ok, false);
    assert.equal(r.signatureStatus, 'failed');
    assert.deepEqual(r.signatureErrors, ['signed_digest mismatch']);
    assert.deepEqual(failedCheck(r), ['manifest_digest', 'signature']);
  });

  it('the wrong key: signature failed', () => {
    const other = verifyKeyOf(generateSigningKey(seededRandom('other')));
    const r = verifyRunpack(signed.bytes, { key: other });
    assert.deepEqual([r.ok, r.signatureStatus, r.signatureErrors, failedCheck(r)], [false, 'failed', ['key id mismatch'], ['signature']]);
  });

  it('signature required: unsigned is missing, signed without a key is skipped', () => {
    const missing = verifyRunpack(unsigned.bytes, { requireSignature: true });
    assert.deepEqual([missing.ok, missing.signatureStatus, missing.signatureErrors], [false, 'missing', ['manifest has no signatures']]);
    const skipped = verifyRunpack(signed.bytes, { requireSignature: true });
    assert.deepEqual([skipped.ok, skipped.signatureStatus, skipped.signatureErrors], [false, 'skipped', ['public key not configured']]);
    assert.equal(verifyRunpack(signed.bytes).ok, true, 'not required: skipped is fine');
  });
});

describe('verifyRunpack(): a one-byte change anywhere fails (property)', () => {
  const bytes = signed.bytes;
  const modeLowBytes = (() => {
    // The one change not detected: an entry's mode 0644 <-> 0755 (low byte of its external attributes
    // 0xa4 <-> 0xed); the mode is not evidence (ADR 0010). Everything else must fail.
    const out = new Set<number>();
    for (let at = 0; at + 4 <= bytes.length; at++) {
      if (bytes[at] === 0x50 && bytes[at + 1] === 0x4b && bytes[at + 2] === 0x01 && bytes[at + 3] === 0x02) out.add(at + 40);
    }
    return out;
  })();

  it('over every byte position with random replacement values', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: bytes.length - 1 }), fc.integer({ min: 1, max: 255 }), (pos, delta) => {
        const copy = new Uint8Array(bytes);
        copy[pos] = ((copy[pos] as number) + delta) & 0xff;
        if (modeLowBytes.has(pos) && copy[pos] === 0xed) return;
        const report = verifyRunpack(copy, { key: PUB });
        assert.equal(report.ok, false, `byte ${pos} changed to ${copy[pos]} went undetected`);
        assert.ok(report.checks.some((c) => !c.ok));
      }),
      { numRuns: 2000 },
    );
  });

  it('at every single position (exhaustive, one replacement each)', () => {
    for (let pos = 0; pos < bytes.length; pos++) {
      const copy = new Uint8Array(bytes);
      copy[pos] = (copy[pos] as number) ^ 0x01;
      assert.equal(verifyRunpack(copy, { key: PUB }).ok, false, `byte ${pos} flipped went undetected`);
    }
  });
});
