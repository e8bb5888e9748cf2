import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { GaitError } from '../errors/index.js';

/** Default size cap for user-supplied inputs (intents, policies, config): 1 MiB. */
export const DEFAULT_MAX_INPUT_BYTES = 1_048_576;

export interface ReadInputOptions {
  /** What the file is, for messages: `intent`, `policy`, `config`. */
  readonly label: string;
  /** Refuse files larger than this many bytes (default 1 MiB). */
  readonly maxBytes?: number;
  /** Accept an empty or whitespace-only file (returns the text as is). */
  readonly allowEmpty?: boolean;
  /** Path shown in messages when it differs from the one opened (e.g. relative vs resolved). */
  readonly displayPath?: string;
}

const READ_CHUNK = 65_536;

/** Human reason for a failed open/read, without the raw errno text noise. */
export function describeFsError(err: unknown): string {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  if (code === undefined) return String((err as Error | undefined)?.message ?? err);
  switch (code) {
    case 'ENOENT':
      return 'no such file';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EISDIR':
      return 'is a directory';
    case 'ENOTDIR':
      return 'a parent path component is not a directory';
    case 'ELOOP':
      return 'too many symbolic links';
    case 'ENAMETOOLONG':
      return 'path is too long';
    default:
      return `i/o error (${code})`;
  }
}

function pathError(label: string, path: string, reason: string, cause?: unknown): GaitError {
  const hint =
    reason === 'no such file'
      ? 'check the path; relative paths resolve against the working directory'
      : reason === 'permission denied'
        ? 'make the file readable by the current user'
        : undefined;
  return new GaitError('input_path', `cannot read ${label} \`${path}\`: ${reason}`, {
    details: { path },
    ...(hint === undefined ? {} : { hint }),
    ...(cause === undefined ? {} : { cause }),
  });
}

/**
 * Reads at most `limit + 1` bytes from `fd`, so an oversized stream (a pipe, or a file that grew after
 * fstat) is detected without reading it whole.
 */
function readCapped(fd: number, limit: number): Uint8Array {
  const chunks: Buffer[] = [];
  let total = 0;
  for (;;) {
    const want = Math.min(READ_CHUNK, limit + 1 - total);
    if (want <= 0) break;
    const buf = Buffer.allocUnsafe(want);
    const n = readSync(fd, buf, 0, want, null);
    if (n === 0) break;
    chunks.push(buf.subarray(0, n));
    total += n;
  }
  return Buffer.concat(chunks, total);
}

function tooLarge(label: string, path: string, size: number, cap: number): GaitError {
  const shown = size > cap ? `${size} bytes` : `more than ${cap} bytes`;
  return new GaitError('input_too_large', `cannot read ${label} \`${path}\`: file is ${shown}, over the ${cap}-byte limit`, {
    details: { path, size, max_bytes: cap },
  });
}

/**
 * Offset of the first byte that breaks UTF-8 well-formedness (Unicode Table 3-7), or -1.
 * Rejects overlongs, surrogates and code points above U+10FFFF, as the fatal TextDecoder does.
 */
export function findInvalidUtf8Offset(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const b0 = bytes[i] as number;
    if (b0 < 0x80) {
      i += 1;
      continue;
    }
    let need: number;
    let lo = 0x80;
    let hi = 0xbf;
    if (b0 >= 0xc2 && b0 <= 0xdf) need = 1;
    else if (b0 >= 0xe0 && b0 <= 0xef) {
      need = 2;
      if (b0 === 0xe0) lo = 0xa0;
      if (b0 === 0xed) hi = 0x9f;
    } else if (b0 >= 0xf0 && b0 <= 0xf4) {
      need = 3;
      if (b0 === 0xf0) lo = 0x90;
      if (b0 === 0xf4) hi = 0x8f;
    } else return i;
    for (let k = 1; k <= need; k += 1) {
      const b = bytes[i + k];
      if (b === undefined) return i;
      if (k === 1 ? b < lo || b > hi : b < 0x80 || b > 0xbf) return i;
    }
    i += need + 1;
  }
  return -1;
}

/** Decodes strict UTF-8 and drops one leading BOM. */
function decodeUtf8(bytes: Uint8Array, label: string, path: string): string {
  try {
    // ignoreBOM: false (the default) makes the decoder strip one leading U+FEFF.
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch (cause) {
    const offset = findInvalidUtf8Offset(bytes);
    throw new GaitError('input_encoding', `cannot read ${label} \`${path}\`: invalid UTF-8 at byte offset ${offset}`, {
      details: { path, byte_offset: offset },
      cause,
    });
  }
}

/**
 * Reads a user-named input file as UTF-8 text, refusing it before reading when it exceeds the cap.
 * @param path file path as the user gave it (used verbatim in messages)
 * @returns the decoded text without a leading BOM
 * @throws GaitError `input_path` (missing, unreadable, a directory), `input_too_large` (over the cap),
 *   `input_encoding` (invalid UTF-8, with byte offset), `input_empty` (empty or whitespace-only)
 * @example readInputFile('intent.json', { label: 'intent' })
 */
export function readInputFile(openPath: string, options: ReadInputOptions): string {
  const { label } = options;
  const path = options.displayPath ?? openPath;
  const cap = options.maxBytes ?? DEFAULT_MAX_INPUT_BYTES;
  let fd: number;
  try {
    fd = openSync(openPath, 'r');
  } catch (cause) {
    throw pathError(label, path, describeFsError(cause), cause);
  }
  let bytes: Uint8Array;
  try {
    const st = fstatSync(fd);
    if (st.isDirectory()) throw pathError(label, path, 'is a directory');
    // Refuse by size before reading a single byte (regular files report an exact size).
    if (st.isFile() && st.size > cap) throw tooLarge(label, path, st.size, cap);
    bytes = readCapped(fd, cap);
  } catch (err) {
    if (err instanceof GaitError) throw err;
    throw pathError(label, path, describeFsError(err), err);
  } finally {
    closeSync(fd);
  }
  if (bytes.length > cap) throw tooLarge(label, path, bytes.length, cap);
  const text = decodeUtf8(bytes, label, path);
  if (options.allowEmpty !== true && /^\s*$/u.test(text)) {
    const what = text.length === 0 ? 'file is empty' : 'file contains only whitespace';
    throw new GaitError('input_empty', `cannot read ${label} \`${path}\`: ${what}`, { details: { path } });
  }
  return text;
}

export interface ParseJsonOptions {
  /** What the text is, for messages: `intent`, `trace`. */
  readonly label: string;
  /** File the text came from, for the message and `location.file`. */
  readonly file?: string;
}

const POSITION_RE = / at position (\d+)/u;
// Removed from V8's message: the position (we report line/column) and newer V8's `(line L column C)`.
const STRIP_RE = /(?: in JSON)? at position \d+(?: \(line \d+ column \d+\))?/u;

/** A prefix is viable when more text could still complete it: V8 then blames its end. */
function isViablePrefix(prefix: string): boolean {
  try {
    JSON.parse(prefix);
    return true;
  } catch (err) {
    const message = (err as Error).message;
    if (message.startsWith('Unexpected end of JSON input')) return true;
    const m = POSITION_RE.exec(message);
    return m !== null && Number(m[1]) >= prefix.length;
  }
}

/**
 * Index of the offending character. V8 (Node 20) reports `at position N` for most errors but not
 * for `Unexpected token 'x', "..." is not valid JSON`; viability of prefixes is monotone, so a
 * binary search for the longest viable prefix finds the first bad character.
 */
function errorPosition(text: string, message: string): number {
  const m = POSITION_RE.exec(message);
  if (m !== null) return Number(m[1]);
  if (message.startsWith('Unexpected end of JSON input')) return text.length;
  let lo = 0;
  let hi = text.length;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (isViablePrefix(text.slice(0, mid))) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** 1-based line and column (in code points) of UTF-16 index `pos`. */
export function lineColOf(text: string, pos: number): { line: number; col: number } {
  const before = text.slice(0, pos);
  const lineStart = before.lastIndexOf('\n') + 1;
  let line = 1;
  for (let i = before.indexOf('\n'); i !== -1; i = before.indexOf('\n', i + 1)) line += 1;
  return { line, col: Array.from(before.slice(lineStart)).length + 1 };
}

/** V8's reason without position or the echoed input, starting lower-case. */
function reasonOf(message: string): string {
  const trimmed = message.replace(STRIP_RE, '').replace(/, ".*" is not valid JSON$/su, '');
  return trimmed.charAt(0).toLowerCase() + trimmed.slice(1);
}

/**
 * Parses JSON text, turning syntax errors into located input errors.
 * @returns the parsed value
 * @throws GaitError `input_json` with `location {file, line, col}`
 * @example parseJsonText('{"a":1}', { label: 'intent', file: 'intent.json' })
 */
export function parseJsonText(text: string, options: ParseJsonOptions): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (cause) {
    const message = (cause as Error).message;
    const { line, col } = lineColOf(text, errorPosition(text, message));
    const where = options.file === undefined ? options.label : `${options.label} \`${options.file}\``;
    return failJson(`cannot parse ${where}: line ${line}, column ${col}: ${reasonOf(message)}`, options.file, line, col, cause);
  }
}

function failJson(message: string, file: string | undefined, line: number, col: number, cause: unknown): never {
  throw new GaitError('input_json', message, {
    location: { ...(file === undefined ? {} : { file }), line, col },
    details: { line, col },
    cause,
  });
}
