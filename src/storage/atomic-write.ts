import { randomBytes } from 'node:crypto';
import {
  chmodSync,
  closeSync,
  fchmodSync,
  fsyncSync,
  linkSync,
  lstatSync,
  mkdirSync,
  openSync,
  renameSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { GaitError } from '../errors/index.js';
import { describeFsError } from './read-input.js';

export interface WriteFileAtomicOptions {
  /** File mode, applied with fchmod so the umask cannot widen or narrow it (default 0600). */
  readonly mode?: number;
  /** Mode of parent directories this call creates (default 0750); existing ones are left alone. */
  readonly dirMode?: number;
  /** Fail with `storage_io` (details.exists = true) when the target already exists. */
  readonly exclusive?: boolean;
}

function errnoOf(err: unknown): string | undefined {
  return (err as NodeJS.ErrnoException | undefined)?.code;
}

function ioError(path: string, err: unknown, extra: Record<string, unknown> = {}): GaitError {
  const errno = errnoOf(err);
  return new GaitError('storage_io', `cannot write \`${path}\`: ${describeFsError(err)}`, {
    details: { path, ...(errno === undefined ? {} : { errno }), ...extra },
    cause: err,
  });
}

function existsNoFollow(path: string): boolean {
  try {
    lstatSync(path);
    return true;
  } catch {
    return false;
  }
}

/**
 * Creates `dir` and any missing ancestors, each with exactly `mode` (chmod after mkdir, since the
 * umask applies to mkdir). Directories that already exist keep their mode.
 * @throws GaitError `storage_io`
 */
export function ensureDir(dir: string, mode = 0o750): void {
  const missing: string[] = [];
  let cur = dir;
  while (!existsNoFollow(cur)) {
    missing.push(cur);
    const parent = dirname(cur);
    if (parent === cur) break;
    cur = parent;
  }
  for (const d of missing.reverse()) {
    try {
      mkdirSync(d, { mode });
      chmodSync(d, mode);
    } catch (err) {
      // Another process may have created it in between; that is fine.
      if (errnoOf(err) === 'EEXIST' && lstatSync(d).isDirectory()) continue;
      throw ioError(d, err);
    }
  }
}

function fsyncDir(dir: string): void {
  let fd: number | undefined;
  try {
    fd = openSync(dir, 'r');
    fsyncSync(fd);
  } catch {
    // Some file systems refuse fsync on directories; durability of the rename is then best effort.
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

function removeQuietly(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    // already gone
  }
}

/** Writes `bytes` to a fresh temp file beside the target, fsynced, with exactly `mode`. */
function writeTemp(tmp: string, bytes: Uint8Array, mode: number): void {
  const fd = openSync(tmp, 'wx', mode);
  try {
    fchmodSync(fd, mode);
    let off = 0;
    while (off < bytes.length) off += writeSync(fd, bytes, off, bytes.length - off);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/**
 * Writes a file atomically: temp file in the same directory, fsync, rename (or link, when
 * exclusive) over the target, fsync of the directory. Readers see the old file or the whole new one.
 * @throws GaitError `storage_io` naming the path (details.exists = true when `exclusive` and the target exists)
 * @example writeFileAtomic('out/trace.json', text, { mode: 0o600 })
 */
export function writeFileAtomic(path: string, data: string | Uint8Array, options: WriteFileAtomicOptions = {}): void {
  const mode = options.mode ?? 0o600;
  const dir = dirname(path);
  ensureDir(dir, options.dirMode ?? 0o750);
  const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
  const tmp = join(dir, `.${basename(path)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    writeTemp(tmp, bytes, mode);
    if (options.exclusive === true) {
      // link(2) fails with EEXIST instead of replacing: exclusive create with complete contents.
      linkSync(tmp, path);
      unlinkSync(tmp);
    } else {
      renameSync(tmp, path);
    }
  } catch (err) {
    removeQuietly(tmp);
    if (options.exclusive === true && errnoOf(err) === 'EEXIST') {
      throw new GaitError('storage_io', `cannot write \`${path}\`: file already exists`, {
        details: { path, errno: 'EEXIST', exists: true },
        cause: err,
      });
    }
    throw ioError(path, err);
  }
  fsyncDir(dir);
}

/**
 * Creates a file that must not exist yet; the contents appear at once and completely.
 * @throws GaitError `storage_key_exists` (``file already exists: `p` ``), `storage_io`
 */
export function createFileExclusive(path: string, data: string | Uint8Array, mode = 0o600): void {
  try {
    writeFileAtomic(path, data, { mode, exclusive: true });
  } catch (err) {
    if (err instanceof GaitError && err.details['exists'] === true) {
      throw new GaitError('storage_key_exists', `file already exists: \`${path}\``, { details: { path }, cause: err });
    }
    throw err;
  }
}

/**
 * Rejects a relative path with a `..` segment (gate.md §A7.2). Paths are POSIX: `/` is the only separator.
 * @param what the kind of path, e.g. `trace` → `relative trace path must not traverse parent directories`
 * @throws GaitError `input_path`
 */
export function assertSafeRelativePath(path: string, what: string): void {
  if (path.startsWith('/')) return;
  if (path.split('/').includes('..')) {
    throw new GaitError('input_path', `relative ${what} path must not traverse parent directories`, { details: { path } });
  }
}
