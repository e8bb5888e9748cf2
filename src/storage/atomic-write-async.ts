/**
 * Asynchronous atomic writes for long-running services (artifacts.md §1.5: temp file in the target
 * directory, fsync, rename, mode 0600): the same durability as `writeFileAtomic`, without blocking
 * the event loop, and with the directory fsync shared between concurrent writers (group commit):
 * a write resolves only after a directory fsync that started after its rename has completed.
 */
import { randomBytes } from 'node:crypto';
import { close as closeCb, fchmod, fsync, open as openCb, rename as renameCb, unlink as unlinkCb, write } from 'node:fs';
import { open } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { GaitError } from '../errors/index.js';
import { describeFsError } from './read-input.js';

interface DirState {
  /** the directory, opened once and kept open for fsync */
  handle: Promise<FileHandle> | undefined;
  /** the sync running now, if any */
  running: Promise<void> | undefined;
  /** the sync that starts when `running` ends, shared by everyone who asked meanwhile */
  queued: Promise<void> | undefined;
}

/**
 * Coalesces directory fsyncs: at most one running and one queued per directory, each on a directory
 * handle opened once. Close it when the writer is done (`close()`).
 */
export class DirectorySyncer {
  private readonly dirs = new Map<string, DirState>();

  /** Resolves after a directory fsync that started after this call; fsync failures are ignored (best effort, as `writeFileAtomic`). */
  sync(dir: string): Promise<void> {
    let state = this.dirs.get(dir);
    if (state === undefined) {
      state = { handle: undefined, running: undefined, queued: undefined };
      this.dirs.set(dir, state);
    }
    const s = state;
    if (s.running === undefined) {
      s.running = this.fsyncDir(dir, s).finally(() => {
        s.running = undefined;
      });
      return s.running;
    }
    if (s.queued === undefined) {
      s.queued = s.running.then(() => {
        s.queued = undefined;
        return this.sync(dir);
      });
    }
    return s.queued;
  }

  /** Closes the directory handles. */
  async close(): Promise<void> {
    const handles = [...this.dirs.values()].map((s) => s.handle);
    this.dirs.clear();
    await Promise.allSettled(handles.map(async (h) => (await h)?.close()));
  }

  private async fsyncDir(dir: string, state: DirState): Promise<void> {
    try {
      state.handle ??= open(dir, 'r');
      await (await state.handle).sync();
    } catch {
      // Some file systems refuse fsync on directories; durability of the rename is then best effort.
      // Forget the handle so a directory that was replaced is opened again next time.
      const stale = state.handle;
      state.handle = undefined;
      await stale?.then((h) => h.close()).catch(() => undefined);
    }
  }
}

const DEFAULT_SYNCER = new DirectorySyncer();

let cachedUmask: number | undefined;
let tempSeq = 0;
let tempTag: string | undefined;

/**
 * Whether the umask would narrow `mode` at create time, so an explicit chmod is needed. The umask is
 * read once (reading it sets it twice, DEP0139; a service changes it never).
 */
export function needsChmod(mode: number): boolean {
  cachedUmask ??= process.umask();
  return (cachedUmask & mode) !== 0;
}

export interface AsyncWriteOptions {
  /** file mode, applied with fchmod (default 0600) */
  readonly mode?: number;
  /** the directory-fsync coalescer (default: one per process) */
  readonly syncer?: DirectorySyncer;
}

/**
 * Writes `data` to `path` atomically. The parent directory must exist.
 * @throws GaitError `storage_io` naming the path
 * @example await writeFileAtomicAsync('traces/trace_run_1.json', text)
 */
function call<T>(fn: (cb: (err: NodeJS.ErrnoException | null, value: T) => void) => void): Promise<T> {
  return new Promise((resolveCall, reject) => {
    fn((err, value) => (err === null ? resolveCall(value) : reject(err)));
  });
}

/** Writes all of `bytes` at the current position of `fd`. */
async function writeAll(fd: number, bytes: Uint8Array): Promise<void> {
  let off = 0;
  while (off < bytes.length) off += await call<number>((cb) => write(fd, bytes, off, bytes.length - off, null, cb));
}

/**
 * Writes `data` to `path` atomically: a fresh temp file beside it (mode exact), fsync, rename, then
 * a shared directory fsync. The parent directory must exist. Uses the callback fs API, which costs
 * less per operation than `FileHandle` objects on the hot path of a service.
 * @throws GaitError `storage_io` naming the path
 * @example await writeFileAtomicAsync('traces/trace_run_1.json', text)
 */
export async function writeFileAtomicAsync(path: string, data: string | Uint8Array, options: AsyncWriteOptions = {}): Promise<void> {
  const mode = options.mode ?? 0o600;
  const dir = dirname(path);
  // pid, a per-process random tag and a counter: unique among writers (also after pid reuse), with
  // one CSPRNG call per process instead of one per write.
  tempSeq += 1;
  tempTag ??= randomBytes(4).toString('hex');
  const tmp = join(dir, `.${basename(path)}.${process.pid}.${tempTag}${tempSeq}.tmp`);
  const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
  try {
    const fd = await call<number>((cb) => openCb(tmp, 'wx', mode, cb));
    try {
      if (needsChmod(mode)) await call<void>((cb) => fchmod(fd, mode, (err) => cb(err, undefined)));
      await writeAll(fd, bytes);
      await call<void>((cb) => fsync(fd, (err) => cb(err, undefined)));
    } finally {
      await call<void>((cb) => closeCb(fd, (err) => cb(err, undefined)));
    }
    await call<void>((cb) => renameCb(tmp, path, (err) => cb(err, undefined)));
  } catch (err) {
    await call<void>((cb) => unlinkCb(tmp, () => cb(null, undefined)));
    const errno = (err as NodeJS.ErrnoException | undefined)?.code;
    throw new GaitError('storage_io', `cannot write \`${path}\`: ${describeFsError(err)}`, {
      details: { path, ...(errno === undefined ? {} : { errno }) },
      cause: err,
    });
  }
  await (options.syncer ?? DEFAULT_SYNCER).sync(dir);
}
