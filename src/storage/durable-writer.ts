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
 *
 * Files appended through a long-lived descriptor (held journals and JSONL exports, `held-append.ts`)
 * use `syncAppend` after each write with the same policy: `always` fsyncs before it resolves (appends
 * that arrive while an fsync of the descriptor runs share the next one); `batched` marks the
 * descriptor for the next flush without closing it; `never` does nothing. `releaseAppend` runs the
 * outstanding fsync before the owner closes the descriptor.
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
  /** files written and not yet fsynced (`batched`; appended descriptors included) */
  readonly pending: number;
  /** background fsyncs that failed since start */
  readonly syncFailures: number;
}

interface Pending {
  readonly fd: number;
  readonly path: string;
}

/** A long-lived descriptor appended to (`syncAppend`), owned by its caller. */
interface Appended {
  readonly path: string;
  /** written since the last fsync started */
  dirty: boolean;
  /** the file was created: its directory needs an fsync too */
  newEntry: boolean;
  running: Promise<void> | undefined;
  /** the fsync that starts when `running` ends, shared by the appends that arrive meanwhile */
  next: Promise<void> | undefined;
}

export interface SyncAppendOptions {
  /** the append created the file (its directory entry is synced too) */
  readonly newEntry?: boolean;
}

const noop = (): void => undefined;

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
  private readonly appended = new Map<number, Appended>();
  private readonly retiring = new Set<Promise<void>>();

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
    // Never rejects (the timer's flush has no one to catch it): a failure is counted and reported.
    const run = previous.then(() => this.syncBatch(batch)).catch((err: unknown) => {
      this.failures += 1;
      this.onSyncError(batch[0]?.path ?? '', describeFsError(err));
    });
    this.flushing = run;
    void run.finally(() => {
      if (this.flushing === run) this.flushing = undefined;
    });
    return run;
  }

  private async syncBatch(batch: readonly Pending[]): Promise<void> {
    const appends = [...this.appended].filter(([, a]) => a.dirty);
    if (batch.length === 0 && appends.length === 0) return;
    const dirs = new Set<string>();
    await Promise.all([
      ...batch.map(async ({ fd, path }) => {
        try {
          await this.fsyncFile(fd);
        } catch (err) {
          this.failures += 1;
          this.onSyncError(path, describeFsError(err));
        } finally {
          this.open -= 1;
          try {
            closeSync(fd);
          } catch (err) {
            this.failures += 1;
            this.onSyncError(path, describeFsError(err));
          }
        }
        dirs.add(dirname(path));
      }),
      ...appends.map(async ([fd, a]) => {
        if (a.newEntry) dirs.add(dirname(a.path));
        a.newEntry = false;
        await this.syncAppendedQuietly(fd, a);
      }),
    ]);
    await Promise.all([...dirs].map((d) => this.syncer.sync(d)));
  }

  /** The group fsync of an appended descriptor: starts now, or joins the one after the running one. */
  private syncAppended(fd: number, a: Appended): Promise<void> {
    if (a.running === undefined) {
      a.dirty = false;
      const run = this.fsyncFile(fd);
      a.running = run;
      const clear = (): void => {
        if (a.running === run) a.running = undefined;
      };
      run.then(clear, clear);
      return run;
    }
    a.next ??= a.running.then(noop, noop).then(() => {
      a.next = undefined;
      return this.syncAppended(fd, a);
    });
    return a.next;
  }

  /** As `syncAppended`, counting and reporting a failure instead of rejecting (background syncs). */
  private async syncAppendedQuietly(fd: number, a: Appended): Promise<void> {
    try {
      await this.syncAppended(fd, a);
    } catch (err) {
      this.failures += 1;
      this.onSyncError(a.path, describeFsError(err));
    }
  }

  /**
   * Applies the durability to bytes just appended to `fd` (a descriptor the caller keeps open and
   * owns; `path` names it in errors): `always` fsyncs (and the directory, for a new file) before it
   * resolves; `batched` marks `fd` for the next flush; `never` does nothing.
   * @throws GaitError `storage_io` naming the path (`always`: the fsync failed)
   */
  async syncAppend(fd: number, path: string, options: SyncAppendOptions = {}): Promise<void> {
    if (this.mode === 'never') return;
    let a = this.appended.get(fd);
    if (a === undefined) {
      a = { path, dirty: false, newEntry: false, running: undefined, next: undefined };
      this.appended.set(fd, a);
    }
    a.dirty = true;
    if (this.mode === 'batched') {
      if (options.newEntry === true) a.newEntry = true;
      this.timer ??= setTimeout(() => void this.flush(), this.intervalMs).unref();
      return;
    }
    try {
      await Promise.all([this.syncAppended(fd, a), options.newEntry === true ? this.syncer.sync(dirname(path)) : undefined]);
    } catch (err) {
      throw ioError(path, err);
    }
  }

  /**
   * Hands over an appended descriptor its owner no longer writes to (a rotated file): its outstanding
   * fsync runs in the background, then `closeFd(fd)`; `close()` waits for it.
   */
  retireAppend(fd: number, closeFd: (fd: number) => void = closeSync): void {
    const done = this.releaseAppend(fd).then(() => {
      try {
        closeFd(fd);
      } catch {
        // already closed
      }
    });
    this.retiring.add(done);
    void done.then(() => this.retiring.delete(done));
  }

  /**
   * Before the owner closes `fd`: fsyncs what was appended and not yet synced, waits for a running
   * fsync, and forgets the descriptor. Never rejects (a failure is counted and reported).
   */
  async releaseAppend(fd: number): Promise<void> {
    const a = this.appended.get(fd);
    if (a === undefined) return;
    try {
      while (a.running !== undefined || a.next !== undefined || a.dirty) {
        const waiting = a.next ?? a.running;
        if (waiting !== undefined) await waiting.then(noop, noop);
        else await this.syncAppendedQuietly(fd, a);
      }
      if (a.newEntry) await this.syncer.sync(dirname(a.path));
    } finally {
      this.appended.delete(fd);
    }
  }

  stats(): DurableWriterStats {
    let dirty = 0;
    for (const a of this.appended.values()) if (a.dirty) dirty += 1;
    return { pending: this.pending.length + dirty, syncFailures: this.failures };
  }

  /** Flushes pending writes and closes the directory handles. */
  async close(): Promise<void> {
    await Promise.all([...this.retiring]);
    await this.flush();
    await this.syncer.close();
  }
}
