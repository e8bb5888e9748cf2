/**
 * The JSONL append discipline of mcp-and-export.md §6.3, for every JSONL export (decision events,
 * OTEL-style lines, `--intents-out`):
 * - lock `<path>.lock` by exclusive create, retry every 10 ms, give up after 30 s, a lock older than
 *   2 min is stale;
 * - under the lock, a non-empty file whose last byte is not `\n` first gets a `\n` (the torn fragment
 *   stays a separate invalid line; warning `export_partial_line_terminated`), then the line plus `\n`
 *   in one write, fsync of the file, and of the directory when the file was created or rotated;
 * - files are created 0600 and never truncated; optional rotation by size (§12).
 *
 * `appendJsonlLine` takes the lock per line (one-shot commands). A long-running service uses
 * `HeldJsonlFile` instead (ADR 0012 "Journals and exports"): the lock is taken once and kept while
 * lines keep coming, each line is one write, the fsync follows the service's durability, rotation
 * happens under the held lock.
 */
import { basename, dirname, join } from 'node:path';
import { GaitError } from '../errors/error.js';
import { formatTimestamp } from '../runtime/timestamp.js';
import type { Timestamp } from '../runtime/timestamp-type.js';
import { ensureDir } from '../storage/atomic-write.js';
import { appendLinesLocked } from '../storage/jsonl-line.js';
import { withFileLock } from '../storage/ledger/file-lock.js';
import type { DurableWriter } from '../storage/durable-writer.js';
import { HeldAppender } from '../storage/held-append.js';
import type { HeldFile } from '../storage/held-append.js';
import { describeFsError } from '../storage/read-input.js';
import type { AppendFs } from './fs-port.js';
import { nodeAppendFs } from './fs-port.js';

export const PARTIAL_LINE_WARNING = 'export_partial_line_terminated';

export interface AppendOptions {
  /** injected file system (tests); default `node:fs` */
  readonly fs?: AppendFs;
  /** rotate when appending would exceed this many bytes (0 = off; `--export-max-bytes`) */
  readonly maxBytes?: number;
  /** keep this many newest rotated files (0 = all; `--export-max-files`) */
  readonly maxFiles?: number;
  /** rotation timestamp source (UTC wall clock) */
  readonly now?: () => Timestamp;
  /** lock timings (defaults 10 ms / 30 s / 2 min, §6.3) */
  readonly lockRetryMs?: number;
  readonly lockTimeoutMs?: number;
  readonly lockStaleMs?: number;
}

export interface AppendResult {
  /** `export_partial_line_terminated` when a torn last line was terminated first */
  readonly warnings: readonly string[];
  readonly created: boolean;
  /** the rotated file, when this append rotated */
  readonly rotatedTo: string | undefined;
}

function exportError(path: string, err: unknown): GaitError {
  if (err instanceof GaitError) {
    // Lock contention stays `storage_contention`; other storage errors become export I/O errors.
    if (err.code !== 'storage_io') return err;
    return new GaitError('export_io', err.message, { details: { ...err.details, path }, cause: err });
  }
  const errno = (err as NodeJS.ErrnoException | undefined)?.code;
  const reason = errno === 'ENOSPC' ? 'no space left on device (ENOSPC)' : describeFsError(err);
  return new GaitError('export_io', `cannot append to \`${path}\`: ${reason}`, {
    details: { path, ...(errno === undefined ? {} : { errno }) },
    cause: err,
  });
}

/** `<path>.<UTC YYYYMMDDTHHMMSS.nnnnnnnnnZ>`, `-<k>` on collision (never overwriting). */
function rotationTarget(fs: AppendFs, path: string, now: Timestamp): string {
  const text = formatTimestamp({ ...now, offsetMinutes: 0 });
  const date = text.slice(0, 19).replace(/[-:]/g, '');
  const stamp = `${date}.${String(now.nanos).padStart(9, '0')}Z`;
  // Same stamp: the next free suffix above every existing one, so names stay in age order even
  // after older rotations were pruned.
  const prefix = `${basename(path)}.${stamp}`;
  let max = -1;
  for (const name of fs.readdirSync(dirname(path))) {
    if (name === prefix) max = Math.max(max, 0);
    const m = name.startsWith(`${prefix}-`) ? /^-(\d+)$/.exec(name.slice(prefix.length)) : null;
    if (m !== null) max = Math.max(max, Number(m[1]));
  }
  return max < 0 ? `${path}.${stamp}` : `${path}.${stamp}-${max + 1}`;
}

const ROTATED = /^\d{8}T\d{6}\.\d{9}Z(-\d+)?$/;

/** Oldest first: by stamp, then by numeric collision suffix (none = 0). */
function byRotationAge(a: string, b: string): number {
  const key = (name: string): [string, number] => {
    const m = /\.(\d{8}T\d{6}\.\d{9}Z)(?:-(\d+))?$/.exec(name);
    return [m?.[1] ?? '', Number(m?.[2] ?? 0)];
  };
  const [sa, ka] = key(a);
  const [sb, kb] = key(b);
  return sa < sb ? -1 : sa > sb ? 1 : ka - kb;
}

/**
 * Removes the oldest rotated files beyond `keep`. Best effort: the file was already rotated, so a
 * failed clean-up must not cost the line being appended; the next rotation tries again.
 */
function pruneRotated(fs: AppendFs, path: string, keep: number): void {
  const dir = dirname(path);
  const prefix = `${basename(path)}.`;
  let rotated: string[];
  try {
    rotated = fs
      .readdirSync(dir)
      .filter((name) => name.startsWith(prefix) && ROTATED.test(name.slice(prefix.length)))
      .sort(byRotationAge);
  } catch {
    return;
  }
  for (const name of rotated.slice(0, Math.max(0, rotated.length - keep))) {
    try {
      fs.unlinkSync(join(dir, name));
    } catch {
      // left for the next rotation
    }
  }
}

function systemNow(): Timestamp {
  const ms = Date.now();
  return { seconds: Math.floor(ms / 1000), nanos: (ms % 1000) * 1_000_000, offsetMinutes: 0 };
}

function sizeOf(fs: AppendFs, path: string): number {
  if (!fs.existsSync(path)) return 0;
  const fd = fs.openSync(path, 'r');
  try {
    return fs.fstatSync(fd).size;
  } finally {
    fs.closeSync(fd);
  }
}

/** Rotation (§12): renames a non-empty file that the append would take past `maxBytes`. */
function rotateIfFull(fs: AppendFs, path: string, adding: number, options: AppendOptions): string | undefined {
  const maxBytes = options.maxBytes ?? 0;
  if (maxBytes <= 0) return undefined;
  const size = sizeOf(fs, path);
  if (size === 0 || size + adding <= maxBytes) return undefined;
  const rotatedTo = rotationTarget(fs, path, (options.now ?? systemNow)());
  fs.renameSync(path, rotatedTo);
  if ((options.maxFiles ?? 0) > 0) pruneRotated(fs, path, options.maxFiles ?? 0);
  return rotatedTo;
}

function appendUnderLock(fs: AppendFs, path: string, bytes: Uint8Array, options: AppendOptions): AppendResult {
  const rotatedTo = rotateIfFull(fs, path, bytes.length, options);
  // The line rules (torn-line termination, one write, fsyncs) are shared with session journals.
  const appended = appendLinesLocked(path, bytes, fs);
  return { warnings: appended.terminatedPartialLine ? [PARTIAL_LINE_WARNING] : [], created: appended.created, rotatedTo };
}

/**
 * Appends one line (`line` must not contain `\n`; one is added) under the §6.3 discipline.
 * @throws GaitError `export_io` naming the path (ENOSPC, permission, …), `storage_contention` when the
 *   lock stays busy for 30 s, `internal_failure` for a line with a newline
 */
export function appendJsonlLine(path: string, line: string, options: AppendOptions = {}): AppendResult {
  if (line.includes('\n')) throw new GaitError('internal_failure', 'a JSONL line must not contain a newline');
  const fs = options.fs ?? nodeAppendFs;
  const bytes = Buffer.from(`${line}\n`, 'utf8');
  try {
    ensureDir(dirname(path));
    return withFileLock(`${path}.lock`, () => appendUnderLock(fs, path, bytes, options), {
      retryMs: options.lockRetryMs ?? 10,
      timeoutMs: options.lockTimeoutMs ?? 30_000,
      staleMs: options.lockStaleMs ?? 120_000,
    });
  } catch (err) {
    throw exportError(path, err);
  }
}

/** Rotation (§12) under a held lock: the size is read from the open file (other writers included). */
function rotateHeld(fs: AppendFs, file: HeldFile, adding: number, options: AppendOptions): string | undefined {
  const maxBytes = options.maxBytes ?? 0;
  if (maxBytes <= 0) return undefined;
  file.resize();
  if (file.size === 0 || file.size + adding <= maxBytes) return undefined;
  const rotatedTo = rotationTarget(fs, file.path, (options.now ?? systemNow)());
  fs.renameSync(file.path, rotatedTo);
  if ((options.maxFiles ?? 0) > 0) pruneRotated(fs, file.path, options.maxFiles ?? 0);
  file.replaceFile();
  return rotatedTo;
}

export interface HeldJsonlOptions extends AppendOptions {
  /** the service's writer: each line's fsync follows its durability (ADR 0012) */
  readonly writer: DurableWriter;
  /** hold timings (defaults in `storage/held-append.ts`) */
  readonly idleMs?: number;
  readonly refreshMs?: number;
  readonly maxHoldMs?: number;
}

/**
 * One JSONL file of a long-running service under the §6.3 discipline with a held lock (see the
 * module comment). Lines are written in call order.
 */
export class HeldJsonlFile {
  private readonly appender: HeldAppender<undefined>;
  private readonly fs: AppendFs;

  constructor(
    readonly path: string,
    private readonly options: HeldJsonlOptions,
  ) {
    this.fs = options.fs ?? nodeAppendFs;
    this.appender = new HeldAppender<undefined>(path, {
      writer: options.writer,
      hooks: { opened: () => undefined },
      lock: { retryMs: options.lockRetryMs ?? 10, timeoutMs: options.lockTimeoutMs ?? 30_000, staleMs: options.lockStaleMs ?? 120_000 },
      fs: this.fs,
      ...(options.idleMs === undefined ? {} : { idleMs: options.idleMs }),
      ...(options.refreshMs === undefined ? {} : { refreshMs: options.refreshMs }),
      ...(options.maxHoldMs === undefined ? {} : { maxHoldMs: options.maxHoldMs }),
    });
  }

  /**
   * Appends one line (no `\n` in it) once the lock is held, with the writer's durability (`always`:
   * resolves after the fsync).
   * @throws GaitError `export_io` naming the path, `storage_contention` (the lock stays busy for 30 s),
   *   `internal_failure` (a line with a newline, a closed file)
   */
  async append(line: string): Promise<AppendResult> {
    const bytes = lineBytes(line);
    try {
      return await this.appender.run((file) => this.appendHeld(file, bytes));
    } catch (err) {
      throw exportError(this.path, err);
    }
  }

  /**
   * Appends one line now when that needs no waiting (the lock is held, or free and taken at once,
   * and no earlier line is waiting); undefined otherwise (use `append`). The fsync is not awaited:
   * use it with `batched` or `never` durability.
   * @throws as `append`
   */
  appendNow(line: string): AppendResult | undefined {
    const bytes = lineBytes(line);
    try {
      return this.appender.tryRunNow((file) => this.appendHeld(file, bytes))?.value;
    } catch (err) {
      throw exportError(this.path, err);
    }
  }

  /** Lines waiting for the lock. */
  get pending(): number {
    return this.appender.pending;
  }

  /** Resolves when every line handed over so far was written or failed. */
  drain(): Promise<void> {
    return this.appender.drain();
  }

  /** Writes what is waiting, fsyncs, releases the lock; later appends fail. Never rejects. */
  close(): Promise<void> {
    return this.appender.close();
  }

  private appendHeld(file: HeldFile, bytes: Uint8Array): AppendResult {
    const rotatedTo = rotateHeld(this.fs, file, bytes.length, this.options);
    const created = file.created && file.appends === 0;
    const torn = file.append(bytes);
    return { warnings: torn ? [PARTIAL_LINE_WARNING] : [], created, rotatedTo };
  }
}

function lineBytes(line: string): Uint8Array {
  if (line.includes('\n')) throw new GaitError('internal_failure', 'a JSONL line must not contain a newline');
  return Buffer.from(`${line}\n`, 'utf8');
}
