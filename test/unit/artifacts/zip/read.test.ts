/**
 * The safe zip reader (artifacts.md §1.4): each hostile construction is its own test and must be
 * refused with a verification-failure code (exit 2) and the spec's message.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { deflateRawSync } from 'node:zlib';
import fc from 'fast-check';
import { openZip } from '../../../../src/artifacts/zip/read.js';
import { writeZip } from '../../../../src/artifacts/zip/write.js';
import { GaitError } from '../../../../src/errors/error.js';
import { craftZip, extendedTimestampExtra } from '../../../helpers/zip-craft.js';

const MiB = 1_048_576;

function refused(bytes: Uint8Array, code: string, message: RegExp | string, limits = {}): void {
  assert.throws(
    () => {
      const zip = openZip(bytes, limits);
      for (const e of zip.entries) zip.read(e.name);
    },
    (err: unknown) => {
      assert.ok(err instanceof GaitError, String(err));
      assert.equal(err.code, code);
      assert.equal(err.category, 'verification_failed');
      if (typeof message === 'string') assert.equal(err.message, message);
      else assert.match(err.message, message);
      return true;
    },
  );
}

describe('openZip(): names (zip-slip)', () => {
  for (const name of ['../x', '../../etc/passwd', 'a/../../b', 'a/..', './x', 'a/./b', 'a//b', '/x', '/etc/passwd', '\\x', '..\\x', 'a\\..\\..\\b', 'C:x', 'c:/x', 'x\u0000y', '']) {
    it(`refuses ${JSON.stringify(name)}`, () => {
      refused(craftZip([{ name: 'ok.json', data: '{}' }, { name, data: 'evil' }]), 'artifact_zip_unsafe', `unsafe zip entry name: ${name}`);
    });
  }

  it('refuses a name that is not UTF-8', () => {
    const bytes = Buffer.from(craftZip([{ name: 'a', data: 'x', method: 0 }]));
    bytes[30] = 0xff; // the local header's name
    bytes[bytes.lastIndexOf(Buffer.from('a'))] = 0xff; // the central record's name
    refused(bytes, 'artifact_zip_unsafe', /^unsafe zip entry name: /);
  });

  it('ignores directory entries with safe names', () => {
    const zip = openZip(craftZip([{ name: 'dir/', data: '', method: 0 }, { name: 'dir/a.json', data: '{}' }]));
    assert.deepEqual(zip.entries.map((e) => e.name), ['dir/a.json']);
  });
});

describe('openZip(): entry kinds', () => {
  it('refuses duplicate entry names, listing them sorted', () => {
    const bytes = craftZip([
      { name: 'run.json', data: '{}' },
      { name: 'b', data: '1' },
      { name: 'run.json', data: '{"x":1}' },
      { name: 'b', data: '2' },
    ]);
    refused(bytes, 'artifact_zip_unsafe', 'zip contains duplicate entries: b, run.json');
  });

  it('refuses an encrypted entry', () => {
    refused(craftZip([{ name: 'a', data: 'x', flags: 0x0001 }]), 'artifact_zip_unsafe', 'zip entry a is encrypted');
  });

  it('refuses a symlink', () => {
    refused(craftZip([{ name: 'link', data: '/etc/passwd', method: 0, externalAttrs: (0o120777 << 16) >>> 0 }]), 'artifact_zip_unsafe', 'zip entry link is a symlink');
  });

  it('refuses a compression method other than stored or deflate', () => {
    refused(craftZip([{ name: 'a', data: 'x', method: 12 }]), 'artifact_zip_unsafe', 'zip entry a uses unsupported compression method 12');
  });
});

describe('openZip(): sizes and zip bombs', () => {
  it('stops a deflate entry whose real size exceeds its declared size', () => {
    refused(craftZip([{ name: 'a', data: 'x'.repeat(5000), declaredSize: 100 }]), 'artifact_zip_limit', 'zip entry a decompresses to more than its declared 100 bytes');
  });

  it('stops a stored-block deflate entry whose real size exceeds its declared size', () => {
    const real = writeZip([{ name: 'a', data: Buffer.from('y'.repeat(5000)) }]);
    const zip = openZip(real);
    const data = real.subarray(zip.entries[0]!.dataOffset, zip.entries[0]!.dataOffset + zip.entries[0]!.compressedSize);
    refused(craftZip([{ name: 'a', data: 'y'.repeat(5000), declaredSize: 10, compressed: data }]), 'artifact_zip_limit', 'zip entry a decompresses to more than its declared 10 bytes');
  });

  it('refuses a stored entry whose sizes disagree', () => {
    refused(craftZip([{ name: 'a', data: 'abc', method: 0, declaredSize: 2 }]), 'artifact_zip_invalid', 'zip entry a is stored with different compressed and uncompressed sizes');
  });

  it('refuses an entry that declares more than the per-entry cap (default 100 MiB) before inflating', () => {
    // A real bomb: 101 MiB of zeros deflates to about 100 KiB.
    const zeros = new Uint8Array(101 * MiB);
    const bomb = craftZip([{ name: 'bomb', data: new Uint8Array(0), declaredSize: zeros.length, compressed: deflateRawSync(zeros), crc: 0 }]);
    refused(bomb, 'artifact_zip_limit', `zip entry bomb declares ${101 * MiB} bytes, over the entry limit of ${100 * MiB} bytes`);
  });

  it('applies a configured per-entry cap', () => {
    refused(craftZip([{ name: 'a', data: 'x'.repeat(2000) }]), 'artifact_zip_limit', /over the entry limit of 1000 bytes/, { maxEntryBytes: 1000 });
  });

  it('refuses an archive whose declared total exceeds the archive cap', () => {
    const entries = ['a', 'b', 'c'].map((name) => ({ name, data: 'x'.repeat(400) }));
    refused(craftZip(entries), 'artifact_zip_limit', 'zip archive declares more than 1000 bytes in total, over the archive limit', { maxArchiveBytes: 1000 });
  });

  it('refuses more entries than the entry-count cap (default 10,000)', () => {
    const many = Array.from({ length: 10_001 }, (_, i) => ({ name: `f${i}`, data: '', method: 0 }));
    refused(craftZip(many), 'artifact_zip_limit', 'zip archive has 10001 entries, over the limit of 10000');
    refused(craftZip(many.slice(0, 3)), 'artifact_zip_limit', 'zip archive has 3 entries, over the limit of 2', { maxEntries: 2 });
  });

  it('refuses overlapping entries (one compressed stream shared by many names)', () => {
    const bytes = Buffer.from(craftZip([{ name: 'a', data: 'x'.repeat(1000) }, { name: 'b', data: 'x'.repeat(1000) }]));
    // Point the second central record at the first local header.
    const cd = bytes.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]));
    const second = bytes.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]), cd + 4);
    const firstLocalName = bytes.subarray(30, 31);
    bytes.writeUInt32LE(0, second + 42);
    bytes[second + 46] = firstLocalName[0] as number; // same name → passes the local/central name check, then collides
    refused(bytes, 'artifact_zip_unsafe', /^zip (entries a and a overlap|contains duplicate entries: a)$/);
  });
});

describe('openZip(): truncation and corruption', () => {
  const good = writeZip([
    { name: 'manifest.json', data: Buffer.from('{"a":1}') },
    { name: 'run.json', data: Buffer.from('{"run_id":"r"}') },
  ]);

  it('refuses an empty file and a file that is not a zip', () => {
    refused(new Uint8Array(0), 'artifact_zip_invalid', 'zip archive is truncated or not a zip file: 0 bytes');
    refused(Buffer.from('not a zip file at all, just text that is long enough'), 'artifact_zip_invalid', /^zip archive is truncated or not a zip file/);
  });

  it('refuses every truncation of a valid archive (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: good.length - 1 }), (n) => {
        refused(good.subarray(0, n), 'artifact_zip_invalid', /./);
      }),
      { numRuns: 200 },
    );
  });

  it('refuses a CRC-32 mismatch', () => {
    refused(craftZip([{ name: 'a', data: 'hello', crc: 1 }]), 'artifact_zip_invalid', 'zip entry a: crc32 mismatch');
  });

  it('refuses corrupt deflate data', () => {
    refused(craftZip([{ name: 'a', data: 'hello', compressed: Buffer.from([0xff, 0xff, 0xff]) }]), 'artifact_zip_invalid', 'zip entry a: corrupt deflate data');
  });

  it('refuses bytes after the end of a deflate stream', () => {
    const compressed = Buffer.concat([deflateRawSync(Buffer.from('hello')), Buffer.from([0])]);
    refused(craftZip([{ name: 'a', data: 'hello', compressed }]), 'artifact_zip_invalid', 'zip entry a: bytes after the end of the deflate stream');
  });

  it('refuses non-zero padding bits in a stored deflate block header', () => {
    const compressed = Buffer.from([0x09, 0x05, 0x00, 0xfa, 0xff, ...Buffer.from('hello')]);
    refused(craftZip([{ name: 'a', data: 'hello', compressed }]), 'artifact_zip_invalid', 'zip entry a: stored deflate block has non-zero padding bits');
  });

  it('refuses a zip64 end record', () => {
    const bytes = Buffer.from(good);
    bytes.writeUInt16LE(0xffff, bytes.length - 22 + 10);
    bytes.writeUInt16LE(0xffff, bytes.length - 22 + 8);
    refused(bytes, 'artifact_zip_invalid', 'zip64 archives are not supported');
  });

  it('refuses a local header that disagrees with the central directory', () => {
    const bytes = Buffer.from(good);
    bytes.writeUInt16LE(0x0022, 12); // local DOS date of the first entry
    refused(bytes, 'artifact_zip_invalid', 'zip entry manifest.json: local header modification time does not match the central directory');
  });

  it('refuses one entry whose headers leave the deterministic writer profile of the others', () => {
    const bytes = Buffer.from(good);
    const cd = bytes.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]));
    bytes.writeUInt16LE(1, cd + 36); // internal attributes: "text file"
    refused(bytes, 'artifact_zip_invalid', "zip entry manifest.json: headers differ from the deterministic writer's headers of every other entry");
  });
});

describe('openZip(): other writers', () => {
  it('reads Gait v1 style archives: data descriptors, native deflate, extended timestamps, DOS times', () => {
    const zip = openZip(
      craftZip([
        { name: 'intents.jsonl', data: 'a\n', descriptor: true, extra: extendedTimestampExtra(315_532_800), time: 0x6000, date: 0x5c45 },
        { name: 'run.json', data: '{"x":1}', descriptor: true, extra: extendedTimestampExtra(315_532_800), versionMadeBy: 0x0014, externalAttrs: 0 },
        { name: 'stored.txt', data: 'plain', method: 0 },
      ]),
    );
    assert.deepEqual(zip.entries.map((e) => [e.name, Buffer.from(zip.read(e.name)).toString()]), [
      ['intents.jsonl', 'a\n'],
      ['run.json', '{"x":1}'],
      ['stored.txt', 'plain'],
    ]);
    assert.deepEqual(zip.entries.map((e) => e.mode), [0o644, 0, 0o644]);
  });

  it('accepts an archive comment', () => {
    assert.equal(openZip(craftZip([{ name: 'a', data: 'x' }], { comment: 'made by hand' })).entries.length, 1);
  });
});
