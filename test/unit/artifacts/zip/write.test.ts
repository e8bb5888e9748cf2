import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import fc from 'fast-check';
import yauzl from 'yauzl';
import { writeZip } from '../../../../src/artifacts/zip/write.js';

interface ReadBack {
  readonly name: string;
  readonly data: Buffer;
  readonly mode: number;
  readonly method: number;
  readonly dosDate: number;
  readonly dosTime: number;
  readonly versionMadeBy: number;
  readonly extraLength: number;
}

/** Reads an archive with yauzl (an independent reader). */
function readWithYauzl(bytes: Uint8Array): Promise<ReadBack[]> {
  return new Promise((resolve, reject) => {
    yauzl.fromBuffer(Buffer.from(bytes), { lazyEntries: true, strictFileNames: true, validateEntrySizes: true }, (err, zip) => {
      if (err !== null || zip === undefined) return reject(err ?? new Error('no zip'));
      const out: ReadBack[] = [];
      zip.on('entry', (entry: yauzl.Entry) => {
        zip.openReadStream(entry, (e2, stream) => {
          if (e2 !== null || stream === undefined) return reject(e2 ?? new Error('no stream'));
          const chunks: Buffer[] = [];
          stream.on('data', (c: Buffer) => chunks.push(c));
          stream.on('end', () => {
            out.push({
              name: entry.fileName,
              data: Buffer.concat(chunks),
              mode: entry.externalFileAttributes >>> 16,
              method: entry.compressionMethod,
              dosDate: entry.lastModFileDate,
              dosTime: entry.lastModFileTime,
              versionMadeBy: entry.versionMadeBy,
              extraLength: entry.extraFieldLength,
            });
            zip.readEntry();
          });
        });
      });
      zip.on('end', () => resolve(out));
      zip.on('error', reject);
      zip.readEntry();
    });
  });
}

const text = (s: string): Uint8Array => Buffer.from(s, 'utf8');
const sha = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex');

describe('writeZip()', () => {
  it('writes entries sorted by UTF-8 name with the §1.3 headers (yauzl reads them back)', async () => {
    const bytes = writeZip([
      { name: 'run.json', data: text('{"a":1}') },
      { name: 'intents.jsonl', data: text('') },
      { name: 'dir/b.bin', data: new Uint8Array(70_000).fill(7), mode: 0o700 },
      { name: 'Zeta', data: text('z') },
    ]);
    const entries = await readWithYauzl(bytes);
    assert.deepEqual(entries.map((e) => e.name), ['Zeta', 'dir/b.bin', 'intents.jsonl', 'run.json']);
    for (const e of entries) {
      assert.equal(e.method, 8, 'deflate');
      assert.equal(e.dosDate, 0x0021, '1980-01-01');
      assert.equal(e.dosTime, 0);
      assert.equal(e.versionMadeBy, 0x0314, 'creator Unix');
      assert.equal(e.extraLength, 0, 'no extra fields');
    }
    assert.deepEqual(entries.map((e) => e.mode), [0o100644, 0o100755, 0o100644, 0o100644]);
    assert.equal(entries[1]?.data.length, 70_000);
    assert.equal(entries[3]?.data.toString(), '{"a":1}');
  });

  it('normalizes modes: any execute bit gives 0755, zero or absent 0644', async () => {
    const modes = [0, 0o600, 0o644, 0o100, 0o777, 0o1755];
    const bytes = writeZip(modes.map((mode, i) => ({ name: `f${i}`, data: text('x'), mode })));
    assert.deepEqual((await readWithYauzl(bytes)).map((e) => e.mode & 0o777), [0o644, 0o644, 0o644, 0o755, 0o755, 0o755]);
  });

  it('writes nothing for an empty entry list', () => {
    assert.equal(writeZip([]).length, 0);
  });

  it('refuses unsafe and duplicate names', () => {
    assert.throws(() => writeZip([{ name: '../x', data: text('') }]), /unsafe zip entry name: \.\.\/x/);
    assert.throws(() => writeZip([{ name: 'a', data: text('') }, { name: 'a', data: text('') }]), /duplicate zip entry name: a/);
  });

  it('pins the bytes of a small archive', () => {
    const bytes = writeZip([{ name: 'a.txt', data: text('hello') }, { name: 'b.txt', data: text('') }]);
    assert.equal(bytes.length, 209);
    assert.equal(sha(bytes), '134afeae814b20e74afce66fadd8ac79b03dbf74b466b58c1f3eedd0ab031388');
    // local header: version 20, no flags, deflate, time 0, date 0x0021, crc32("hello"), 10 bytes stored-block deflate, 5 bytes, "a.txt"
    assert.equal(Buffer.from(bytes.subarray(0, 35)).toString('hex'), '504b03041400000008000000210086a610360a0000000500000005000000612e747874');
    // the deflate stream: one final stored block (BFINAL=1, BTYPE=00), LEN 5, NLEN ~5
    assert.equal(Buffer.from(bytes.subarray(35, 45)).toString('hex'), '010500faff68656c6c6f');
  });

  it('is byte-deterministic and order-independent (property)', () => {
    const entry = fc.record({
      name: fc.stringMatching(/^[a-z][a-z0-9_.-]{0,12}(\/[a-z0-9_.-]{1,8})?$/).filter((n) => !n.split('/').some((s) => s === '.' || s === '..')),
      data: fc.uint8Array({ maxLength: 300 }),
      mode: fc.integer({ min: 0, max: 0o777 }),
    });
    fc.assert(
      fc.property(fc.uniqueArray(entry, { selector: (e) => e.name, minLength: 1, maxLength: 6 }), (entries) => {
        const a = writeZip(entries);
        const b = writeZip([...entries].reverse());
        assert.equal(sha(a), sha(b));
        assert.equal(sha(a), sha(writeZip(entries.map((e) => ({ ...e, data: new Uint8Array(e.data) })))));
      }),
    );
  });
});
