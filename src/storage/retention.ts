/**
 * Retention of per-request artifacts (mcp-and-export.md §5.6 "Retention"): per class, over regular
 * files matched by lowercased name, files older than max-age are deleted and beyond max-count the
 * newest by mtime are kept (ties: larger path first). `maxBytes` (extension) also keeps the newest
 * files whose total size fits. The directory is scanned at start and every `rescanMs`; in between,
 * files this process writes are tracked in memory, so applying retention after each request costs
 * no directory listing.
 */
import { readdirSync, statSync, unlink as unlinkCb } from 'node:fs';
import { readdir, stat, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { describeFsError } from './read-input.js';

export type RetentionClassName = 'trace' | 'runpack' | 'pack' | 'session';

/** §5.6: which file names belong to a class (lowercased name). */
export function retentionMatches(cls: RetentionClassName, fileName: string): boolean {
  const lowered = fileName.trim().toLowerCase();
  switch (cls) {
    case 'trace':
      return lowered.endsWith('.json') && lowered.includes('trace');
    case 'runpack':
      return lowered.endsWith('.zip') && (lowered.startsWith('runpack_') || lowered.includes('_cp_'));
    case 'pack':
      return lowered.endsWith('.zip') && lowered.startsWith('pack_');
    case 'session':
      return lowered.endsWith('.json') || lowered.endsWith('.jsonl') || lowered.endsWith('.state');
    default: {
      const never: never = cls;
      return never;
    }
  }
}

export interface RetentionLimits {
  /** milliseconds; 0 disables */
  readonly maxAgeMs: number;
  /** 0 disables */
  readonly maxCount: number;
  /** total bytes; 0 disables (extension) */
  readonly maxBytes: number;
}

export interface RetentionOutcome {
  readonly removedAge: number;
  readonly removedCount: number;
  readonly removedBytes: number;
  /** '' when none */
  readonly error: string;
}

interface Tracked {
  readonly path: string;
  readonly mtimeMs: number;
  readonly size: number;
}

/** Oldest first; among equal mtimes the smaller path first (so the larger path is kept, §5.6). */
function olderFirst(a: Tracked, b: Tracked): number {
  if (a.mtimeMs !== b.mtimeMs) return a.mtimeMs - b.mtimeMs;
  return a.path < b.path ? -1 : a.path > b.path ? 1 : 0;
}

const STAT_BATCH = 16;
/** background removals wait this long so that one timer serves the removals of many requests */
const REMOVAL_BATCH_MS = 10;

export interface RetentionOptions {
  readonly rescanMs?: number;
  /** wall clock in ms (tests pass a fixed one) */
  readonly nowMs?: () => number;
}

/** One retention class over one directory. */
export class RetentionClass {
  readonly name: RetentionClassName;
  readonly dir: string;
  readonly limits: RetentionLimits;
  /** the tracked files are `files[start..]`, oldest first (an offset instead of a copy per removal) */
  private files: Tracked[] = [];
  private start = 0;
  private totalBytes = 0;
  private lastScanMs = Number.NEGATIVE_INFINITY;
  private readonly rescanMs: number;
  private scanning = false;
  private backgroundError = '';
  private readonly nowMs: () => number;
  /** chosen for removal, not yet unlinked; a path written again meanwhile is taken back out */
  private removals = new Set<string>();
  private removalTimer: NodeJS.Timeout | undefined;

  constructor(name: RetentionClassName, dir: string, limits: RetentionLimits, options: RetentionOptions = {}) {
    this.name = name;
    this.dir = dir;
    this.limits = limits;
    this.rescanMs = options.rescanMs ?? 30_000;
    this.nowMs = options.nowMs ?? (() => Date.now());
  }

  /** Whether any limit is set (otherwise nothing is tracked or removed). */
  get enabled(): boolean {
    return this.limits.maxAgeMs > 0 || this.limits.maxCount > 0 || this.limits.maxBytes > 0;
  }

  /**
   * Records a file this process just wrote (newest). Session files (journals, their state and chain)
   * are appended or replaced in place, so a path noted again replaces its earlier entry.
   */
  noteWritten(path: string, size: number): void {
    if (!this.enabled) return;
    // A file rewritten after it was chosen for removal (a session journal appended to) stays.
    this.removals.delete(path);
    if (this.name === 'session') this.forget(path);
    const entry = { path, mtimeMs: this.nowMs(), size };
    const last = this.files.length > this.start ? this.files[this.files.length - 1] : undefined;
    this.files.push(entry);
    if (last !== undefined && olderFirst(last, entry) > 0) this.replaceFiles(this.files.slice(this.start).sort(olderFirst));
    this.totalBytes += size;
  }

  private forget(path: string): void {
    let i = this.files.length - 1;
    while (i >= this.start && (this.files[i] as Tracked).path !== path) i -= 1;
    if (i < this.start) return;
    this.totalBytes -= (this.files[i] as Tracked).size;
    this.files.splice(i, 1);
  }

  /**
   * Lists the directory again (files written or removed by others), without blocking the event loop.
   * Files noted while the listing runs are kept.
   * @throws Error with the fs reason
   */
  async rescan(): Promise<void> {
    const started = this.nowMs();
    this.lastScanMs = started;
    const names = (await readdir(this.dir, { withFileTypes: true })).filter((e) => e.isFile() && retentionMatches(this.name, e.name)).map((e) => e.name);
    const found: Tracked[] = [];
    // In small batches, so a large directory never fills the libuv pool that request I/O shares.
    for (let i = 0; i < names.length; i += STAT_BATCH) {
      const batch = names.slice(i, i + STAT_BATCH).map(async (name) => ({ path: join(this.dir, name), st: await stat(join(this.dir, name)) }));
      for (const r of await Promise.allSettled(batch)) if (r.status === 'fulfilled') found.push({ path: r.value.path, mtimeMs: r.value.st.mtimeMs, size: r.value.st.size });
    }
    const listed = new Set(found.map((f) => f.path));
    for (let i = this.start; i < this.files.length; i += 1) {
      const f = this.files[i] as Tracked;
      if (!listed.has(f.path) && f.mtimeMs >= started) found.push(f);
    }
    this.replaceFiles(found.sort(olderFirst));
    this.totalBytes = found.reduce((n, f) => n + f.size, 0);
  }

  private replaceFiles(files: Tracked[]): void {
    this.files = files;
    this.start = 0;
  }

  /** Picks the files to remove now, oldest first, and forgets them. */
  private select(now: number): { age: Tracked[]; count: Tracked[]; bytes: Tracked[] } {
    const { maxAgeMs, maxCount, maxBytes } = this.limits;
    const age: Tracked[] = [];
    const count: Tracked[] = [];
    const bytes: Tracked[] = [];
    let head = this.start;
    const left = (): number => this.files.length - head;
    const take = (into: Tracked[]): void => {
      const f = this.files[head] as Tracked;
      head += 1;
      this.totalBytes -= f.size;
      into.push(f);
    };
    while (maxAgeMs > 0 && left() > 0 && now - (this.files[head] as Tracked).mtimeMs > maxAgeMs) take(age);
    while (maxCount > 0 && left() > maxCount) take(count);
    while (maxBytes > 0 && left() > 0 && this.totalBytes > maxBytes) take(bytes);
    this.start = head;
    // Compact once the removed prefix is large: amortized O(1) per removal, no copy per request.
    if (head >= 1024 && head * 2 >= this.files.length) this.replaceFiles(this.files.slice(head));
    return { age, count, bytes };
  }

  /**
   * Lists the directory now, synchronously (a service's start, before traffic).
   * @throws Error with the fs reason
   */
  prime(): void {
    const found: Tracked[] = [];
    for (const e of readdirSync(this.dir, { withFileTypes: true })) {
      if (!e.isFile() || !retentionMatches(this.name, e.name)) continue;
      try {
        const st = statSync(join(this.dir, e.name));
        found.push({ path: join(this.dir, e.name), mtimeMs: st.mtimeMs, size: st.size });
      } catch {
        // removed in between
      }
    }
    this.replaceFiles(found.sort(olderFirst));
    this.totalBytes = found.reduce((n, f) => n + f.size, 0);
    this.lastScanMs = this.nowMs();
  }

  /**
   * Applies the limits without waiting for the file system: the files to remove are chosen from the
   * tracked list now and unlinked in the background; a due rescan also runs in the background. The
   * outcome's counts are this call's; its error is the first background failure since the last call.
   * What a request pays is a few array operations, never a directory listing or an unlink.
   */
  applyInBackground(): RetentionOutcome {
    const pending = this.backgroundError;
    this.backgroundError = '';
    if (!this.enabled) return { removedAge: 0, removedCount: 0, removedBytes: 0, error: pending };
    const now = this.nowMs();
    if (now - this.lastScanMs >= this.rescanMs && !this.scanning) {
      this.scanning = true;
      this.rescan()
        .catch((err: unknown) => {
          this.backgroundError ||= describeFsError(err);
        })
        .finally(() => {
          this.scanning = false;
        });
    }
    const picked = this.select(now);
    for (const f of picked.age) this.removals.add(f.path);
    for (const f of picked.count) this.removals.add(f.path);
    for (const f of picked.bytes) this.removals.add(f.path);
    if (this.removals.size > 0) this.removalTimer ??= setTimeout(() => void this.flushRemovals(), REMOVAL_BATCH_MS).unref();
    return { removedAge: picked.age.length, removedCount: picked.count.length, removedBytes: picked.bytes.length, error: pending };
  }

  /** Unlinks the files chosen by `applyInBackground` now; resolves when done (never rejects). */
  flushRemovals(): Promise<void> {
    if (this.removalTimer !== undefined) clearTimeout(this.removalTimer);
    this.removalTimer = undefined;
    const paths = [...this.removals];
    this.removals.clear();
    return Promise.all(
      paths.map(
        (path) =>
          new Promise<void>((done) => {
            unlinkCb(path, (err) => {
              if (err !== null && err.code !== 'ENOENT') this.backgroundError ||= describeFsError(err);
              done();
            });
          }),
      ),
    ).then(() => undefined);
  }

  /** Applies the limits and waits for the removals; never throws (errors are reported in the outcome). */
  async apply(): Promise<RetentionOutcome> {
    const none = { removedAge: 0, removedCount: 0, removedBytes: 0, error: '' };
    if (!this.enabled) return none;
    const now = this.nowMs();
    try {
      if (now - this.lastScanMs >= this.rescanMs) await this.rescan();
    } catch (err) {
      return { ...none, error: describeFsError(err) };
    }
    const picked = this.select(now);
    const all = [...picked.age, ...picked.count, ...picked.bytes];
    const results = await Promise.allSettled(all.map((f) => unlink(f.path)));
    const failure = results.find((r): r is PromiseRejectedResult => r.status === 'rejected' && (r.reason as NodeJS.ErrnoException).code !== 'ENOENT');
    return {
      removedAge: picked.age.length,
      removedCount: picked.count.length,
      removedBytes: picked.bytes.length,
      error: failure === undefined ? '' : describeFsError(failure.reason),
    };
  }
}

/** The §5.6 warning for one class, or undefined when nothing happened. */
export function retentionWarning(cls: RetentionClass, outcome: RetentionOutcome): string | undefined {
  if (outcome.error !== '') return `retention_${cls.name}_error=${outcome.error}`;
  if (outcome.removedAge === 0 && outcome.removedCount === 0 && outcome.removedBytes === 0) return undefined;
  const base = `retention_${cls.name}_removed_age=${outcome.removedAge} removed_count=${outcome.removedCount}`;
  return cls.limits.maxBytes > 0 ? `${base} removed_bytes=${outcome.removedBytes}` : base;
}
