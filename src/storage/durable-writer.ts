/**
 * Artifact writes of a long-running service with a chosen durability (ADR 0012, the trace `sync`
 * setting of mcp-gateway.md §8.1):
 * - `always`: artifacts.md §1.5 as written: temp file, fsync, rename, directory fsync, all before the
 *   write resolves (asynchronous, directory fsyncs shared between concurrent writers);
 * - `batched`: temp file and rename before the write resolves, so the file is complete and visible
 *   at its path; the file and directory fsyncs run in the background at least every `intervalMs`. A
 *   process crash loses nothing; a power loss can lose the writes of the last interval;
 * - `never`: temp file and rename; syncing is left to the operating system.
 * In `batched` and `never` the write itself is synchronous: a few small system calls on the page
 * cache cost less than the thread-pool round trips of the asynchronous API.
 */
import { randomBytes } from 'node:crypto';
import { closeSync, fchmodSync, fsync, openSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { GaitError } from '../errors/index.js';
import { DirectorySyncer, needsChmod, writeFileAtomicAsync } from './atomic-write-async.js';
import { describeFsError } from './read-input.js';

export const SYNC_MODES = ['always', 'batched', 'never'] as const;
export type SyncMode = (typeof SYNC_MODES)[number];
export const DEFAULT_SYNC_INTERVAL_MS = 100;
const DEFAULT_MAX_OPEN = 256;

export interface DurableWriterOptions {
  readonly mode: SyncMode;
  /** `batched`: the longest a written file waits for its fsync (default 100 ms) */
  readonly intervalMs?: number;
  /** a background fsync failed (the file is written; its durability is not assured) */
  readonly onSyncError?: (path: string, message: string) => void;
  /** `batched`: written files held open for their fsync before a write waits for a flush (default 256) */
  readonly maxOpen?: number;
  /** the file fsync (default `fs.fsync`; tests inject failures) */
  readonly fsync?: (fd: number) => Promise<void>;
}

export interface DurableWriterStats {
  /** files written and not yet fsynced (`batched`) */
  readonly pending: number;
  /** background fsyncs that failed since start */
  readonly syncFailures: number;
}

interface Pending {
  readonly fd: number;
  readonly path: string;
}

let tempSeq = 0;
let tempTag: string | undefined;

function tempPathFor(path: string): string {
  // pid, a per-process random tag and a counter: unique among writers, one CSPRNG call per process.
  tempSeq += 1;
  tempTag ??= randomBytes(4).toString('hex');
  return join(dirname(path), `.${basename(path)}.${process.pid}.${tempTag}${tempSeq}.tmp`);
}

function ioError(path: string, err: unknown): GaitError {
  const errno = (err as NodeJS.ErrnoException | undefined)?.code;
  return new GaitError('storage_io', `cannot write \`${path}\`: ${describeFsError(err)}`, {
    details: { path, ...(errno === undefined ? {} : { errno }) },
    cause: err,
  });
}

function fsyncFd(fd: number): Promise<void> {
  return new Promise((resolveSync, reject) => {
    fsync(fd, (err) => (err === null ? resolveSync() : reject(err)));
  });
}

/** One service's artifact writer; `close()` flushes what is pending. */
export class DurableWriter {
  readonly mode: SyncMode;
  private readonly intervalMs: number;
  private readonly syncer = new DirectorySyncer();
  private readonly onSyncError: (path: string, message: string) => void;
  private pending: Pending[] = [];
  private timer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> | undefined;
  private failures = 0;
  /** descriptors held for a pending or running fsync */
  private open = 0;
  private readonly maxOpen: number;
  private readonly fsyncFile: (fd: number) => Promise<void>;

  constructor(options: DurableWriterOptions) {
    this.mode = options.mode;
    this.intervalMs = options.intervalMs ?? DEFAULT_SYNC_INTERVAL_MS;
    if (!Number.isSafeInteger(this.intervalMs) || this.intervalMs <= 0) {
      throw new GaitError('input_usage', `sync interval must be a positive number of milliseconds, got ${String(options.intervalMs)}`);
    }
    this.onSyncError = options.onSyncError ?? (() => undefined);
    this.fsyncFile = options.fsync ?? fsyncFd;
    this.maxOpen = options.maxOpen ?? DEFAULT_MAX_OPEN;
  }

  /**
   * Writes `data` to `path` atomically with this writer's durability. The parent directory must exist.
   * @throws GaitError `storage_io` naming the path; no temp file is left behind
   */
  async write(path: string, data: string | Uint8Array, fileMode = 0o600): Promise<void> {
    if (this.mode === 'always') {
      await writeFileAtomicAsync(path, data, { mode: fileMode, syncer: this.syncer });
      return;
    }
    const fd = this.writeSyncKeepOpen(path, data, fileMode);
    if (this.mode === 'never') {
      closeSync(fd);
      return;
    }
    this.pending.push({ fd, path });
    this.open += 1;
    // Bounded: with too many files waiting for their fsync, the writer waits for a flush (the
    // `always` cost) instead of holding more descriptors.
    if (this.open >= this.maxOpen) {
      await this.flush();
      return;
    }
    this.timer ??= setTimeout(() => void this.flush(), this.intervalMs).unref();
  }

  /** Temp file (exact mode), rename over `path`; returns the still open descriptor. */
  private writeSyncKeepOpen(path: string, data: string | Uint8Array, fileMode: number): number {
    const tmp = tempPathFor(path);
    const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
    let fd: number | undefined;
    try {
      fd = openSync(tmp, 'wx', fileMode);
      if (needsChmod(fileMode)) fchmodSync(fd, fileMode);
      let off = 0;
      while (off < bytes.length) off += writeSync(fd, bytes, off, bytes.length - off);
      renameSync(tmp, path);
      return fd;
    } catch (err) {
      if (fd !== undefined) closeSync(fd);
      try {
        unlinkSync(tmp);
      } catch {
        // never created, or already renamed
      }
      throw ioError(path, err);
    }
  }

  /** fsyncs every pending file, then their directories; resolves when done (never rejects). */
  flush(): Promise<void> {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    const batch = this.pending;
    this.pending = [];
    const previous = this.flushing ?? Promise.resolve();
    const run = previous.then(() => this.syncBatch(batch));
    this.flushing = run;
    void run.finally(() => {
      if (this.flushing === run) this.flushing = undefined;
    });
    return run;
  }

  private async syncBatch(batch: readonly Pending[]): Promise<void> {
    if (batch.length === 0) return;
    const dirs = new Set<string>();
    await Promise.all(
      batch.map(async ({ fd, path }) => {
        try {
          await this.fsyncFile(fd);
        } catch (err) {
          this.failures += 1;
          this.onSyncError(path, describeFsError(err));
        } finally {
          closeSync(fd);
          this.open -= 1;
        }
        dirs.add(dirname(path));
      }),
    );
    await Promise.all([...dirs].map((d) => this.syncer.sync(d)));
  }

  stats(): DurableWriterStats {
    return { pending: this.pending.length, syncFailures: this.failures };
  }

  /** Flushes pending writes and closes the directory handles. */
  async close(): Promise<void> {
    await this.flush();
    await this.syncer.close();
  }
}
