/**
 * The deterministic zip writer (artifacts.md §1.3, ADR 0010): entries sorted by UTF-8 name, no
 * directory entries, deflate (method 8) made of stored blocks, 1980-01-01 00:00 (DOS date 0x0021,
 * time 0), no extra fields, Unix creator with a regular-file mode 0644 or 0755. No clock, no timezone,
 * no zlib: the bytes depend only on the entries.
 */
import { crc32 } from 'node:zlib';
import { GaitError } from '../../errors/error.js';
import { compareEntryNames, isSafeEntryName } from './names.js';
import { deflateStoredBlocks } from './stored.js';

export interface ZipEntryInput {
  /** Relative name with `/` separators (artifacts.md §1.4 rules). */
  readonly name: string;
  readonly data: Uint8Array;
  /** Source file mode; any execute bit gives 0755, anything else (including 0 or absent) 0644. */
  readonly mode?: number;
}

const VERSION_MADE_BY = 0x0314; // creator Unix (3), zip 2.0
const VERSION_NEEDED = 20;
const FLAG_UTF8 = 0x0800;
const DOS_DATE_1980 = 0x0021;
const S_IFREG = 0o100000;

/** §1.3: `0755` when any execute bit was set, else `0644` (a zero mode too). */
export function normalizedEntryMode(mode: number | undefined): number {
  return mode !== undefined && (mode & 0o111) !== 0 ? 0o755 : 0o644;
}

class ByteSink {
  private buf: Uint8Array;
  length = 0;

  constructor(size: number) {
    this.buf = new Uint8Array(size);
  }

  u16(v: number): void {
    this.buf[this.length++] = v & 0xff;
    this.buf[this.length++] = (v >>> 8) & 0xff;
  }

  u32(v: number): void {
    this.u16(v & 0xffff);
    this.u16((v >>> 16) & 0xffff);
  }

  bytes(b: Uint8Array): void {
    this.buf.set(b, this.length);
    this.length += b.length;
  }

  result(): Uint8Array {
    return this.length === this.buf.length ? this.buf : this.buf.subarray(0, this.length);
  }
}

interface Prepared {
  readonly name: Uint8Array;
  readonly utf8: boolean;
  readonly crc: number;
  readonly size: number;
  readonly deflated: Uint8Array;
  readonly mode: number;
  offset: number;
}

function prepare(entry: ZipEntryInput): Prepared {
  if (!isSafeEntryName(entry.name)) throw new GaitError('artifact_invalid', `unsafe zip entry name: ${entry.name}`);
  const name = Buffer.from(entry.name, 'utf8');
  if (name.length > 0xffff || entry.data.length > 0xfffffff0) {
    throw new GaitError('artifact_invalid', `zip entry ${entry.name} is too large for a zip without zip64`);
  }
  return {
    name,
    // eslint-disable-next-line no-control-regex -- an ASCII test
    utf8: !/^[\x00-\x7f]*$/.test(entry.name),
    crc: crc32(entry.data) >>> 0,
    size: entry.data.length,
    deflated: deflateStoredBlocks(entry.data),
    mode: normalizedEntryMode(entry.mode),
    offset: 0,
  };
}

/** The fields local and central headers share, from "version needed" to the name length. */
function commonFields(out: ByteSink, p: Prepared): void {
  out.u16(VERSION_NEEDED);
  out.u16(p.utf8 ? FLAG_UTF8 : 0);
  out.u16(8);
  out.u16(0); // DOS time 00:00:00
  out.u16(DOS_DATE_1980);
  out.u32(p.crc);
  out.u32(p.deflated.length);
  out.u32(p.size);
  out.u16(p.name.length);
  out.u16(0); // extra field length
}

/**
 * Writes a byte-stable zip of `entries` (artifacts.md §1.3).
 * @returns the archive; an empty entry list gives zero bytes, which callers MUST treat as an error
 * @throws GaitError `artifact_invalid` for an unsafe or duplicate name or an entry too large for zip32
 * @example writeZip([{ name: 'run.json', data: bytes }])
 */
export function writeZip(entries: readonly ZipEntryInput[]): Uint8Array {
  if (entries.length === 0) return new Uint8Array(0);
  const sorted = [...entries].sort((a, b) => compareEntryNames(a.name, b.name));
  for (let i = 1; i < sorted.length; i++) {
    if ((sorted[i] as ZipEntryInput).name === (sorted[i - 1] as ZipEntryInput).name) {
      throw new GaitError('artifact_invalid', `duplicate zip entry name: ${(sorted[i] as ZipEntryInput).name}`);
    }
  }
  if (sorted.length > 0xffff) throw new GaitError('artifact_invalid', 'too many entries for a zip without zip64');
  const prepared = sorted.map(prepare);
  const size = prepared.reduce((n, p) => n + 30 + 46 + 2 * p.name.length + p.deflated.length, 22);
  if (size > 0xfffffff0) throw new GaitError('artifact_invalid', 'archive too large for a zip without zip64');
  const out = new ByteSink(size);
  for (const p of prepared) {
    p.offset = out.length;
    out.u32(0x04034b50);
    commonFields(out, p);
    out.bytes(p.name);
    out.bytes(p.deflated);
  }
  const cdOffset = out.length;
  for (const p of prepared) {
    out.u32(0x02014b50);
    out.u16(VERSION_MADE_BY);
    commonFields(out, p);
    out.u16(0); // comment length
    out.u16(0); // disk number start
    out.u16(0); // internal attributes
    out.u32(((S_IFREG | p.mode) << 16) >>> 0);
    out.u32(p.offset);
    out.bytes(p.name);
  }
  const cdSize = out.length - cdOffset;
  out.u32(0x06054b50);
  out.u16(0);
  out.u16(0);
  out.u16(prepared.length);
  out.u16(prepared.length);
  out.u32(cdSize);
  out.u32(cdOffset);
  out.u16(0);
  return out.result();
}
