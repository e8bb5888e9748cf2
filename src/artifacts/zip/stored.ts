/**
 * Deflate streams made only of stored blocks (RFC 1951 §3.2.4, BTYPE 00), which is what the
 * deterministic writer emits (ADR 0010). Decoding them here instead of in zlib lets the reader hash
 * the entry bytes without a copy and check what zlib ignores: the padding bits of each block header
 * must be zero and the stream must end exactly at the end of the entry, so that every byte of the
 * entry is significant.
 */

export type StoredInflate =
  | { readonly kind: 'ok'; readonly bytes: Uint8Array }
  /** The stream has a Huffman-coded block: the caller inflates it with zlib. */
  | { readonly kind: 'not_stored' }
  | { readonly kind: 'invalid'; readonly why: string }
  /** The output would pass `maxBytes`; decoding stopped there. */
  | { readonly kind: 'overflow' };

const MAX_STORED_BLOCK = 0xffff;

/** Splits `data` into stored blocks of at most 65,535 bytes, the last one final. */
export function deflateStoredBlocks(data: Uint8Array): Uint8Array {
  const blocks = Math.max(1, Math.ceil(data.length / MAX_STORED_BLOCK));
  const out = new Uint8Array(data.length + blocks * 5);
  let at = 0;
  for (let i = 0; i < blocks; i++) {
    const start = i * MAX_STORED_BLOCK;
    const len = Math.min(MAX_STORED_BLOCK, data.length - start);
    out[at] = i === blocks - 1 ? 1 : 0; // BFINAL, BTYPE 00, padding bits 0
    out[at + 1] = len & 0xff;
    out[at + 2] = len >>> 8;
    out[at + 3] = ~len & 0xff;
    out[at + 4] = (~len >>> 8) & 0xff;
    out.set(data.subarray(start, start + len), at + 5);
    at += 5 + len;
  }
  return out;
}

/**
 * Decodes a stream of stored blocks, producing at most `maxBytes` bytes.
 * @returns `not_stored` when a block is Huffman-coded (the caller falls back to zlib)
 */
export function inflateStoredBlocks(data: Uint8Array, maxBytes: number): StoredInflate {
  const chunks: Uint8Array[] = [];
  let total = 0;
  let at = 0;
  for (;;) {
    if (at >= data.length) return { kind: 'invalid', why: 'deflate stream ends before its final block' };
    const header = data[at] as number;
    if ((header & 0x06) !== 0) return { kind: 'not_stored' };
    if ((header & 0xf8) !== 0) return { kind: 'invalid', why: 'stored deflate block has non-zero padding bits' };
    if (at + 5 > data.length) return { kind: 'invalid', why: 'deflate stream is truncated' };
    const len = (data[at + 1] as number) | ((data[at + 2] as number) << 8);
    const nlen = (data[at + 3] as number) | ((data[at + 4] as number) << 8);
    if ((len ^ 0xffff) !== nlen) return { kind: 'invalid', why: 'stored deflate block length check failed' };
    if (at + 5 + len > data.length) return { kind: 'invalid', why: 'deflate stream is truncated' };
    total += len;
    if (total > maxBytes) return { kind: 'overflow' };
    chunks.push(data.subarray(at + 5, at + 5 + len));
    at += 5 + len;
    if ((header & 1) === 1) {
      if (at !== data.length) return { kind: 'invalid', why: 'bytes after the end of the deflate stream' };
      return { kind: 'ok', bytes: chunks.length === 1 ? (chunks[0] as Uint8Array) : concat(chunks, total) };
    }
  }
}

function concat(chunks: readonly Uint8Array[], total: number): Uint8Array {
  const out = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}
