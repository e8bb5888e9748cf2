/**
 * The zip container structures the safe reader parses itself (artifacts.md §1.4): the end of central
 * directory record and the central directory records, each bounded by its own extent.
 */
import { GaitError } from '../../errors/error.js';
import type { ErrorCode } from '../../errors/codes.js';

export const EOCD_SIG = 0x06054b50;
export const CEN_SIG = 0x02014b50;
export const LOC_SIG = 0x04034b50;
const EOCD_LEN = 22;
const CEN_LEN = 46;
export const LOC_LEN = 30;
const MAX_COMMENT = 0xffff;
export const S_IFMT = 0o170000;
export const S_IFLNK = 0o120000;
export const CREATOR_UNIX = 3;
export const FLAG_ENCRYPTED = 0x0001;
export const FLAG_DESCRIPTOR = 0x0008;
export const FLAG_STRONG_ENCRYPTION = 0x0040;

export function fail(code: ErrorCode, message: string, details: Record<string, unknown> = {}): GaitError {
  return new GaitError(code, message, { details });
}

export function truncated(detail: string): GaitError {
  return fail('artifact_zip_invalid', `zip archive is truncated or not a zip file: ${detail}`);
}

export function u16(b: Uint8Array, at: number): number {
  return (b[at] as number) | ((b[at + 1] as number) << 8);
}

export function u32(b: Uint8Array, at: number): number {
  return ((b[at] as number) | ((b[at + 1] as number) << 8) | ((b[at + 2] as number) << 16) | ((b[at + 3] as number) << 24)) >>> 0;
}

export interface Eocd {
  readonly offset: number;
  readonly count: number;
  readonly cdOffset: number;
  readonly cdSize: number;
}

/** The end-of-central-directory record; its comment must run exactly to the end of the file. */
export function findEocd(b: Uint8Array): Eocd {
  if (b.length < EOCD_LEN) throw truncated(`${b.length} bytes`);
  const lowest = Math.max(0, b.length - EOCD_LEN - MAX_COMMENT);
  for (let at = b.length - EOCD_LEN; at >= lowest; at--) {
    if (u32(b, at) !== EOCD_SIG || at + EOCD_LEN + u16(b, at + 20) !== b.length) continue;
    const disk = u16(b, at + 4);
    const cdDisk = u16(b, at + 6);
    const onDisk = u16(b, at + 8);
    const count = u16(b, at + 10);
    const cdSize = u32(b, at + 12);
    const cdOffset = u32(b, at + 16);
    if (count === 0xffff || cdSize === 0xffffffff || cdOffset === 0xffffffff) {
      throw fail('artifact_zip_invalid', 'zip64 archives are not supported');
    }
    if (disk !== 0 || cdDisk !== 0 || onDisk !== count) throw fail('artifact_zip_invalid', 'multi-disk zip archives are not supported');
    if (cdOffset + cdSize !== at) throw truncated('central directory does not end at the end record');
    return { offset: at, count, cdOffset, cdSize };
  }
  throw truncated('no end of central directory record');
}

export interface RawEntry {
  readonly name: string;
  readonly nameBytes: Uint8Array;
  readonly versionNeeded: number;
  readonly flags: number;
  readonly method: number;
  readonly time: number;
  readonly date: number;
  readonly crc: number;
  readonly compressedSize: number;
  readonly uncompressedSize: number;
  readonly versionMadeBy: number;
  readonly creator: number;
  readonly internalAttrs: number;
  readonly externalAttrs: number;
  readonly localOffset: number;
  /** extra field and comment lengths of the central record */
  readonly extraLen: number;
  readonly commentLen: number;
}

const UTF8 = new TextDecoder('utf-8', { fatal: true });

function decodeName(bytes: Uint8Array): string {
  try {
    return UTF8.decode(bytes);
  } catch {
    throw fail('artifact_zip_unsafe', `unsafe zip entry name: ${Buffer.from(bytes).toString('latin1')}`);
  }
}

/** Reads the central directory records, each bounded by the directory's own extent. */
export function readCentralDirectory(b: Uint8Array, eocd: Eocd): RawEntry[] {
  const out: RawEntry[] = [];
  let at = eocd.cdOffset;
  for (let i = 0; i < eocd.count; i++) {
    if (at + CEN_LEN > eocd.offset || u32(b, at) !== CEN_SIG) throw truncated(`central directory record ${i + 1} is damaged`);
    const nameLen = u16(b, at + 28);
    const extraLen = u16(b, at + 30);
    const commentLen = u16(b, at + 32);
    const end = at + CEN_LEN + nameLen + extraLen + commentLen;
    if (end > eocd.offset) throw truncated(`central directory record ${i + 1} is damaged`);
    if (u16(b, at + 34) !== 0) throw fail('artifact_zip_invalid', 'multi-disk zip archives are not supported');
    const nameBytes = b.subarray(at + CEN_LEN, at + CEN_LEN + nameLen);
    out.push({
      name: decodeName(nameBytes),
      nameBytes,
      versionMadeBy: u16(b, at + 4),
      creator: (b[at + 5] as number) & 0xff,
      internalAttrs: u16(b, at + 36),
      extraLen,
      commentLen,
      versionNeeded: u16(b, at + 6),
      flags: u16(b, at + 8),
      method: u16(b, at + 10),
      time: u16(b, at + 12),
      date: u16(b, at + 14),
      crc: u32(b, at + 16),
      compressedSize: u32(b, at + 20),
      uncompressedSize: u32(b, at + 24),
      externalAttrs: u32(b, at + 38),
      localOffset: u32(b, at + 42),
    });
    at = end;
  }
  if (at !== eocd.offset) throw truncated('central directory size does not match its records');
  return out;
}
