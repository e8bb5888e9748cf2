// Standard alphabet with mandatory padding (RFC 4648 §4), as key files and `sig` use (gate.md §A8, §A11);
// no URL-safe characters and no whitespace inside.
const STD_BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** Decodes strict standard padded base64; undefined for anything else. */
export function decodeStdBase64(text: string): Uint8Array | undefined {
  if (!STD_BASE64.test(text)) return undefined;
  return new Uint8Array(Buffer.from(text, 'base64'));
}

/** Standard padded base64 of `bytes`. */
export function encodeStdBase64(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
}
