/**
 * A zip writer for tests that can lie: any name, method, flags, declared sizes, CRC, extra fields,
 * data descriptors, creator and attributes. It writes what it is told (no sorting, no checks), so
 * tests can build hostile archives and archives in other writers' styles (Gait v1's Go writer uses
 * data descriptors, native deflate and an extended-timestamp extra field). Independent of src/.
 */
import { crc32, deflateRawSync } from 'node:zlib';

export interface CraftEntry {
  readonly name: string;
  readonly data: Uint8Array | string;
  /** 0 stored, 8 deflate (native zlib), anything else written as is over the raw bytes. Default 8. */
  readonly method?: number;
  readonly flags?: number;
  /** Declared uncompressed size (default: the real one). */
  readonly declaredSize?: number;
  readonly crc?: number;
  /** Write a data descriptor after the data (flag bit 3, zero local CRC and sizes). */
  readonly descriptor?: boolean;
  readonly extra?: Uint8Array;
  /** Version made by (default 0x0314, Unix 2.0). */
  readonly versionMadeBy?: number;
  readonly externalAttrs?: number;
  /** Replace the compressed bytes entirely. */
  readonly compressed?: Uint8Array;
  readonly time?: number;
  readonly date?: number;
}

function u16(n: number): Buffer {
  const b = Buffer.alloc(2);
  b.writeUInt16LE(n & 0xffff);
  return b;
}

function u32(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(n >>> 0);
  return b;
}

/** An extended-timestamp extra field (0x5455) with one mtime, as Go's archive/zip writes. */
export function extendedTimestampExtra(unixSeconds: number): Uint8Array {
  return Buffer.concat([u16(0x5455), u16(5), Buffer.from([1]), u32(unixSeconds)]);
}

/** Builds the archive exactly as described. */
export function craftZip(entries: readonly CraftEntry[], options: { readonly comment?: string } = {}): Uint8Array {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const e of entries) {
    const data = typeof e.data === 'string' ? Buffer.from(e.data, 'utf8') : Buffer.from(e.data);
    const method = e.method ?? 8;
    const compressed = e.compressed !== undefined ? Buffer.from(e.compressed) : method === 8 ? deflateRawSync(data) : data;
    const crc = e.crc ?? crc32(data) >>> 0;
    const size = e.declaredSize ?? data.length;
    const flags = (e.flags ?? 0) | (e.descriptor === true ? 0x0008 : 0);
    const name = Buffer.from(e.name, 'utf8');
    const extra = Buffer.from(e.extra ?? new Uint8Array(0));
    const time = e.time ?? 0;
    const date = e.date ?? 0x21;
    const local = Buffer.concat([
      u32(0x04034b50), u16(20), u16(flags), u16(method), u16(time), u16(date),
      u32(e.descriptor === true ? 0 : crc), u32(e.descriptor === true ? 0 : compressed.length), u32(e.descriptor === true ? 0 : size),
      u16(name.length), u16(extra.length), name, extra, compressed,
      e.descriptor === true ? Buffer.concat([u32(0x08074b50), u32(crc), u32(compressed.length), u32(size)]) : Buffer.alloc(0),
    ]);
    centrals.push(Buffer.concat([
      u32(0x02014b50), u16(e.versionMadeBy ?? 0x0314), u16(20), u16(flags), u16(method), u16(time), u16(date),
      u32(crc), u32(compressed.length), u32(size), u16(name.length), u16(extra.length), u16(0), u16(0), u16(0),
      u32(e.externalAttrs ?? (0o100644 << 16) >>> 0), u32(offset), name, extra,
    ]));
    locals.push(local);
    offset += local.length;
  }
  const cd = Buffer.concat(centrals);
  const comment = Buffer.from(options.comment ?? '', 'utf8');
  const eocd = Buffer.concat([u32(0x06054b50), u16(0), u16(0), u16(entries.length), u16(entries.length), u32(cd.length), u32(offset), u16(comment.length), comment]);
  return new Uint8Array(Buffer.concat([...locals, cd, eocd]));
}
