/**
 * The safe zip reader (artifacts.md §1.4). Every zip gait reads goes through `openZip`, which checks
 * the whole central directory before a single byte is decompressed: entry count, names, duplicates,
 * encryption, symlinks, methods, declared sizes against the caps, and that every local header agrees
 * with its central-directory record and that no two entries overlap. `read` then decompresses one
 * entry, stopping as soon as its output passes the declared size, and checks its CRC-32.
 *
 * Strictness is deliberate: a field that two headers both carry must agree, and a deflate stream must
 * end exactly where the entry ends, so that a change to any byte of an archive this project wrote is
 * detected (issue 4, "a one-byte change anywhere"). Archives from other writers (data descriptors,
 * extra fields, any deflate encoder; Gait v1's Go writer) are accepted.
 */
import { crc32, inflateRawSync } from 'node:zlib';
import { GaitError } from '../../errors/error.js';
import {
  CREATOR_UNIX,
  fail,
  findEocd,
  FLAG_DESCRIPTOR,
  FLAG_ENCRYPTED,
  FLAG_STRONG_ENCRYPTION,
  LOC_LEN,
  LOC_SIG,
  readCentralDirectory,
  S_IFLNK,
  S_IFMT,
  truncated,
  u16,
  u32,
} from './directory.js';
import type { RawEntry } from './directory.js';
import { inflateStoredBlocks } from './stored.js';
import { isSafeEntryName } from './names.js';

/** Caps of the reader; all library options (and CLI flags on `verify` / `pack verify`, §10). */
export interface ZipLimits {
  /** Largest decompressed entry (default 100 MiB). */
  readonly maxEntryBytes: number;
  /** Largest decompressed total over all entries (default 1 GiB). */
  readonly maxArchiveBytes: number;
  /** Most entries in the central directory, directories included (default 10,000). */
  readonly maxEntries: number;
}

export const DEFAULT_ZIP_LIMITS: ZipLimits = Object.freeze({
  maxEntryBytes: 100 * 1_048_576,
  maxArchiveBytes: 1_073_741_824,
  maxEntries: 10_000,
});

/** One file entry, as the central directory describes it (directories are not listed). */
export interface ZipEntry {
  readonly name: string;
  /** 0 stored, 8 deflate */
  readonly method: 0 | 8;
  /** Unix permission bits (`0o644`); 0 when the creator is not Unix or wrote none. */
  readonly mode: number;
  readonly compressedSize: number;
  readonly uncompressedSize: number;
  readonly crc32: number;
  /** Offset of the compressed data in the archive. */
  readonly dataOffset: number;
}

/** An opened, checked archive. */
export interface ZipArchive {
  /** File entries in central-directory order. */
  readonly entries: readonly ZipEntry[];
  /** The entry named `name`, or undefined. */
  entry(name: string): ZipEntry | undefined;
  /**
   * The decompressed bytes of `name` (CRC-checked, never more than the declared size).
   * @throws GaitError `artifact_zip_limit` (output passes the declared size), `artifact_zip_invalid`
   *   (corrupt data, CRC mismatch, fewer bytes than declared), `input_usage` (no such entry)
   */
  read(name: string): Uint8Array;
}

function isDirectory(e: RawEntry): boolean {
  return e.name.endsWith('/') && e.uncompressedSize === 0 && e.compressedSize <= 2;
}

function unixMode(e: RawEntry): number {
  return e.creator === CREATOR_UNIX ? (e.externalAttrs >>> 16) & 0xffff : 0;
}

/** Names, duplicates, encryption, symlinks, methods (§1.4), in that order over all entries. */
function checkEntryKinds(entries: readonly RawEntry[]): void {
  for (const e of entries) {
    const name = isDirectory(e) ? e.name.slice(0, -1) : e.name;
    if (!isSafeEntryName(name)) throw fail('artifact_zip_unsafe', `unsafe zip entry name: ${e.name}`, { entry: e.name });
  }
  const seen = new Set<string>();
  const dups = new Set<string>();
  for (const e of entries) {
    if (seen.has(e.name)) dups.add(e.name);
    seen.add(e.name);
  }
  if (dups.size > 0) {
    const names = [...dups].sort();
    throw fail('artifact_zip_unsafe', `zip contains duplicate entries: ${names.join(', ')}`, { entries: names });
  }
  for (const e of entries) {
    if ((e.flags & (FLAG_ENCRYPTED | FLAG_STRONG_ENCRYPTION)) !== 0) {
      throw fail('artifact_zip_unsafe', `zip entry ${e.name} is encrypted`, { entry: e.name });
    }
    if ((unixMode(e) & S_IFMT) === S_IFLNK) throw fail('artifact_zip_unsafe', `zip entry ${e.name} is a symlink`, { entry: e.name });
    if (e.method !== 0 && e.method !== 8) {
      throw fail('artifact_zip_unsafe', `zip entry ${e.name} uses unsupported compression method ${e.method}`, { entry: e.name });
    }
  }
}

/** Declared sizes against the caps, before anything is decompressed (§1.4). */
function checkDeclaredSizes(files: readonly RawEntry[], limits: ZipLimits): void {
  let total = 0;
  for (const e of files) {
    if (e.uncompressedSize > limits.maxEntryBytes) {
      throw fail('artifact_zip_limit', `zip entry ${e.name} declares ${e.uncompressedSize} bytes, over the entry limit of ${limits.maxEntryBytes} bytes`, {
        entry: e.name,
      });
    }
    if (e.method === 0 && e.compressedSize !== e.uncompressedSize) {
      throw fail('artifact_zip_invalid', `zip entry ${e.name} is stored with different compressed and uncompressed sizes`, { entry: e.name });
    }
    total += e.uncompressedSize;
    if (total > limits.maxArchiveBytes) {
      throw fail('artifact_zip_limit', `zip archive declares more than ${limits.maxArchiveBytes} bytes in total, over the archive limit`, {
        declared_bytes: total,
      });
    }
  }
}

/**
 * The local header must repeat the central record (version, flags, method, time, date, name; CRC and
 * sizes too unless a data descriptor follows, in which case they are zero); returns the data offset.
 */
function checkLocalHeader(b: Uint8Array, e: RawEntry, cdOffset: number): { dataOffset: number; extraLen: number } {
  const at = e.localOffset;
  if (at + LOC_LEN > cdOffset || u32(b, at) !== LOC_SIG) throw truncated(`local header of ${e.name} is damaged`);
  const nameLen = u16(b, at + 26);
  const extraLen = u16(b, at + 28);
  const dataOffset = at + LOC_LEN + nameLen + extraLen;
  const mismatch = (what: string): GaitError =>
    fail('artifact_zip_invalid', `zip entry ${e.name}: local header ${what} does not match the central directory`, { entry: e.name });
  if (u16(b, at + 4) !== e.versionNeeded) throw mismatch('version');
  if (u16(b, at + 6) !== e.flags) throw mismatch('flags');
  if (u16(b, at + 8) !== e.method) throw mismatch('method');
  if (u16(b, at + 10) !== e.time || u16(b, at + 12) !== e.date) throw mismatch('modification time');
  const descriptor = (e.flags & FLAG_DESCRIPTOR) !== 0;
  const sizes = [u32(b, at + 14), u32(b, at + 18), u32(b, at + 22)];
  const expected = descriptor ? [0, 0, 0] : [e.crc, e.compressedSize, e.uncompressedSize];
  // Writers that use a data descriptor may still fill in the local values; accept either form.
  const filled = sizes[0] === e.crc && sizes[1] === e.compressedSize && sizes[2] === e.uncompressedSize;
  if (!(sizes[0] === expected[0] && sizes[1] === expected[1] && sizes[2] === expected[2]) && !(descriptor && filled)) {
    throw mismatch('crc or size');
  }
  if (nameLen !== e.nameBytes.length || Buffer.compare(b.subarray(at + LOC_LEN, at + LOC_LEN + nameLen), e.nameBytes) !== 0) {
    throw mismatch('name');
  }
  if (dataOffset + e.compressedSize > cdOffset) throw truncated(`data of ${e.name} runs past the central directory`);
  return { dataOffset, extraLen };
}

const PROFILE_MODES: ReadonlySet<number> = new Set([0o100644, 0o100755]);

/**
 * Whether an entry has exactly the headers the deterministic writer emits (§1.3, ADR 0010): Unix
 * creator, version 2.0, no flags but UTF-8, deflate made of stored blocks, 1980-01-01 00:00, no
 * extra field or comment, a regular-file mode 0644 or 0755.
 */
function matchesWriterProfile(e: RawEntry, localExtraLen: number, firstDataByte: number | undefined): boolean {
  return (
    // A stream of stored deflate blocks starts with a block header byte 0x00 or 0x01 (ADR 0010).
    e.compressedSize >= 5 &&
    firstDataByte !== undefined &&
    (firstDataByte & 0xfe) === 0 &&
    e.versionMadeBy === 0x0314 &&
    e.versionNeeded === 20 &&
    (e.flags === 0 || e.flags === 0x0800) &&
    e.method === 8 &&
    e.time === 0 &&
    e.date === 0x0021 &&
    e.internalAttrs === 0 &&
    PROFILE_MODES.has(e.externalAttrs >>> 16) &&
    (e.externalAttrs & 0xffff) === 0 &&
    e.extraLen === 0 &&
    e.commentLen === 0 &&
    localExtraLen === 0
  );
}

/**
 * Header fields no content depends on (creator version, attributes) are covered by consistency: when
 * all entries but one have the deterministic writer's headers, the archive is ours and that one entry
 * was changed. Archives of other writers (no entry, or several, off the profile) are not affected.
 */
function checkWriterProfile(profile: readonly (readonly [string, boolean])[]): void {
  const off = profile.filter(([, ok]) => !ok);
  if (profile.length >= 2 && off.length === 1) {
    const name = (off[0] as readonly [string, boolean])[0];
    throw fail('artifact_zip_invalid', `zip entry ${name}: headers differ from the deterministic writer's headers of every other entry`, {
      entry: name,
    });
  }
}

/** Local records must not overlap (overlapping entries are a zip-bomb construction). */
function checkNoOverlap(spans: readonly (readonly [number, number, string])[]): void {
  const sorted = [...spans].sort((x, y) => x[0] - y[0]);
  for (let i = 1; i < sorted.length; i++) {
    const prev = sorted[i - 1] as readonly [number, number, string];
    const cur = sorted[i] as readonly [number, number, string];
    if (cur[0] < prev[1]) throw fail('artifact_zip_unsafe', `zip entries ${prev[2]} and ${cur[2]} overlap`, { entries: [prev[2], cur[2]] });
  }
}

function inflateEntry(e: ZipEntry, data: Uint8Array): Uint8Array {
  const stored = inflateStoredBlocks(data, e.uncompressedSize);
  if (stored.kind === 'ok') return stored.bytes;
  if (stored.kind === 'invalid') throw fail('artifact_zip_invalid', `zip entry ${e.name}: ${stored.why}`, { entry: e.name });
  if (stored.kind === 'overflow') throw overflow(e);
  let result: { buffer: Buffer; engine: { bytesWritten: number } };
  try {
    // Decompression stops as soon as the output would pass the declared size (§1.4).
    result = inflateRawSync(data, { maxOutputLength: Math.max(1, e.uncompressedSize), info: true }) as unknown as typeof result;
  } catch (err) {
    if ((err as { code?: unknown }).code === 'ERR_BUFFER_TOO_LARGE') throw overflow(e);
    throw fail('artifact_zip_invalid', `zip entry ${e.name}: corrupt deflate data`, { entry: e.name });
  }
  if (result.buffer.length > e.uncompressedSize) throw overflow(e);
  if (result.engine.bytesWritten !== data.length) {
    throw fail('artifact_zip_invalid', `zip entry ${e.name}: bytes after the end of the deflate stream`, { entry: e.name });
  }
  return new Uint8Array(result.buffer.buffer, result.buffer.byteOffset, result.buffer.length);
}

function overflow(e: ZipEntry): GaitError {
  return fail('artifact_zip_limit', `zip entry ${e.name} decompresses to more than its declared ${e.uncompressedSize} bytes`, { entry: e.name });
}

function readEntry(b: Uint8Array, e: ZipEntry): Uint8Array {
  const data = b.subarray(e.dataOffset, e.dataOffset + e.compressedSize);
  const out = e.method === 0 ? data : inflateEntry(e, data);
  if (out.length !== e.uncompressedSize) {
    throw fail('artifact_zip_invalid', `zip entry ${e.name} decompresses to ${out.length} bytes, not its declared ${e.uncompressedSize}`, {
      entry: e.name,
    });
  }
  if (crc32(out) >>> 0 !== e.crc32) throw fail('artifact_zip_invalid', `zip entry ${e.name}: crc32 mismatch`, { entry: e.name });
  return out;
}

/**
 * Opens `bytes` as a zip archive and checks it completely (artifacts.md §1.4) before any entry is read.
 * @param limits caps; missing members take `DEFAULT_ZIP_LIMITS`
 * @returns the checked archive; directory entries are dropped
 * @throws GaitError (all exit 2) `artifact_zip_invalid` (truncated, not a zip, zip64, headers that
 *   disagree), `artifact_zip_unsafe` (`unsafe zip entry name: <name>`, `zip contains duplicate entries:
 *   a, b`, encrypted, symlink, unsupported method, overlapping entries), `artifact_zip_limit` (entry
 *   count, declared entry size, declared total)
 * @example const zip = openZip(bytes); zip.read('run.json');
 */
export function openZip(bytes: Uint8Array, limits: Partial<ZipLimits> = {}): ZipArchive {
  const caps: ZipLimits = { ...DEFAULT_ZIP_LIMITS, ...limits };
  const eocd = findEocd(bytes);
  if (eocd.count > caps.maxEntries) {
    throw fail('artifact_zip_limit', `zip archive has ${eocd.count} entries, over the limit of ${caps.maxEntries}`, { entries: eocd.count });
  }
  const raw = readCentralDirectory(bytes, eocd);
  checkEntryKinds(raw);
  const files = raw.filter((e) => !isDirectory(e));
  checkDeclaredSizes(files, caps);
  const spans: [number, number, string][] = [];
  const profile: [string, boolean][] = [];
  const entries: ZipEntry[] = [];
  for (const e of raw) {
    const { dataOffset, extraLen } = checkLocalHeader(bytes, e, eocd.cdOffset);
    spans.push([e.localOffset, dataOffset + e.compressedSize, e.name]);
    if (isDirectory(e)) continue;
    profile.push([e.name, matchesWriterProfile(e, extraLen, bytes[dataOffset])]);
    entries.push({
      name: e.name,
      method: e.method as 0 | 8,
      mode: unixMode(e) & 0o7777,
      compressedSize: e.compressedSize,
      uncompressedSize: e.uncompressedSize,
      crc32: e.crc,
      dataOffset,
    });
  }
  checkNoOverlap(spans);
  checkWriterProfile(profile);
  const byName = new Map(entries.map((e) => [e.name, e]));
  return {
    entries,
    entry: (name) => byName.get(name),
    read(name: string): Uint8Array {
      const e = byName.get(name);
      if (e === undefined) throw new GaitError('input_usage', `zip has no entry ${name}`);
      return readEntry(bytes, e);
    },
  };
}
