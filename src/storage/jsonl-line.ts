/**
 * The line-level JSONL file rules of mcp-and-export.md §6.3, shared by the exports and the session
 * journals (artifacts.md §2.12):
 * - appending, under a lock the caller holds: a non-empty file whose last byte is not `\n` first gets
 *   a `\n` (the torn fragment stays a separate, invalid line), then the line plus `\n` in one write,
 *   fsync of the file, and of the directory when the file was created; files are created 0600 and
 *   never truncated;
 * - reading: lines that are not complete JSON objects, including a final line without `\n`, are
 *   skipped and counted, never joined with the next line.
 */
import * as fs from 'node:fs';
import { dirname } from 'node:path';
import { isJsonObject } from '../schema/v1/decode.js';
import type { JsonObject } from '../schema/v1/json-types.js';

/** The file operations of an append, as a port so tests can inject faults (a full disk). */
export interface LineAppendFs {
  openSync(path: string, flags: string, mode?: number): number;
  closeSync(fd: number): void;
  fstatSync(fd: number): { readonly size: number };
  readSync(fd: number, buffer: Uint8Array, offset: number, length: number, position: number): number;
  writeSync(fd: number, buffer: Uint8Array, offset: number, length: number): number;
  fsyncSync(fd: number): void;
  fchmodSync(fd: number, mode: number): void;
  existsSync(path: string): boolean;
}

export const nodeLineAppendFs: LineAppendFs = {
  openSync: (path, flags, mode) => fs.openSync(path, flags, mode),
  closeSync: (fd) => fs.closeSync(fd),
  fstatSync: (fd) => fs.fstatSync(fd),
  readSync: (fd, buffer, offset, length, position) => fs.readSync(fd, buffer, offset, length, position),
  writeSync: (fd, buffer, offset, length) => fs.writeSync(fd, buffer, offset, length),
  fsyncSync: (fd) => fs.fsyncSync(fd),
  fchmodSync: (fd, mode) => fs.fchmodSync(fd, mode),
  existsSync: (path) => fs.existsSync(path),
};

export interface LineAppendResult {
  /** whether this append created the file */
  readonly created: boolean;
  /** whether a torn last line was terminated with `\n` first */
  readonly terminatedPartialLine: boolean;
  /** the file size after the append */
  readonly size: number;
}

const NEWLINE = new Uint8Array([0x0a]);

function writeAll(f: LineAppendFs, fd: number, bytes: Uint8Array): void {
  let off = 0;
  while (off < bytes.length) off += f.writeSync(fd, bytes, off, bytes.length - off);
}

/** fsync of a directory, best effort: some file systems refuse it. */
export function fsyncDirQuietly(f: LineAppendFs, dir: string): void {
  let fd: number | undefined;
  try {
    fd = f.openSync(dir, 'r');
    f.fsyncSync(fd);
  } catch {
    // the new entry's durability is then best effort
  } finally {
    if (fd !== undefined) f.closeSync(fd);
  }
}

function lastByteIsNewline(f: LineAppendFs, fd: number, size: number): boolean {
  const buf = new Uint8Array(1);
  return f.readSync(fd, buf, 0, 1, size - 1) === 1 && buf[0] === 0x0a;
}

/**
 * Appends `bytes` (one or more complete lines, each ending in `\n`) under the §6.3 rules. The caller
 * holds `<path>.lock` and has created the directory.
 * @throws the file system's error (callers wrap it with their own code and path)
 */
export function appendLinesLocked(path: string, bytes: Uint8Array, f: LineAppendFs = nodeLineAppendFs): LineAppendResult {
  const created = !f.existsSync(path);
  const fd = f.openSync(path, 'a+', 0o600);
  let terminatedPartialLine = false;
  let size: number;
  try {
    // fchmod on create so the umask cannot change the mode
    if (created) f.fchmodSync(fd, 0o600);
    size = f.fstatSync(fd).size;
    if (size > 0 && !lastByteIsNewline(f, fd, size)) {
      writeAll(f, fd, NEWLINE);
      terminatedPartialLine = true;
      size += 1;
    }
    writeAll(f, fd, bytes);
    f.fsyncSync(fd);
    size += bytes.length;
  } finally {
    f.closeSync(fd);
  }
  if (created) fsyncDirQuietly(f, dirname(path));
  return { created, terminatedPartialLine, size };
}

export interface JsonlRead {
  readonly records: JsonObject[];
  /** lines skipped: invalid JSON, not an object, or the unterminated last line */
  readonly skipped: number;
}

/** Parses JSONL text under the §6.3 reader rules. */
export function parseJsonl(text: string): JsonlRead {
  const records: JsonObject[] = [];
  let skipped = 0;
  const lines = text.split('\n');
  const tail = lines.pop() ?? '';
  if (tail !== '') skipped++; // INVARIANT: an unterminated last line is a torn write, never a record
  for (const line of lines) {
    if (line.trim() === '') continue;
    try {
      const value: unknown = JSON.parse(line);
      if (isJsonObject(value)) records.push(value);
      else skipped++;
    } catch {
      skipped++;
    }
  }
  return { records, skipped };
}
