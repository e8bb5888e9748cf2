/**
 * The open file of one hold of a held appender (`held-append.ts`): the O_APPEND descriptor, its
 * identity at the path, the torn-last-line check at open (mcp-and-export.md §6.3) and the appends.
 */
import * as fs from 'node:fs';
import type { DurableWriter } from './durable-writer.js';

/** The file operations of a held appender, as a port so tests can inject faults (a full disk). */
export interface HeldAppendFs {
  openSync(path: string, flags: string, mode?: number): number;
  closeSync(fd: number): void;
  readSync(fd: number, buffer: Uint8Array, offset: number, length: number, position: number): number;
  writeSync(fd: number, buffer: Uint8Array, offset: number, length: number): number;
  fchmodSync(fd: number, mode: number): void;
  existsSync(path: string): boolean;
}

/** The open file of a hold, as the owner's functions see it. */
export interface HeldFile {
  /** absolute */
  readonly path: string;
  /** the file size after the last append */
  readonly size: number;
  /** appends made in this hold */
  readonly appends: number;
  /** whether this hold created the file (or replaced it after a rotation) */
  readonly created: boolean;
  /**
   * Appends `bytes` (complete lines, each ending in `\n`) in one write.
   * @returns whether a torn last line found when the lock was taken was terminated first (true once per hold)
   * @throws the file system's error; the hold then ends without the `closing` hook
   */
  append(bytes: Uint8Array): boolean;
  /** Re-reads the size (another descriptor or writer appended to the file). */
  resize(): void;
  /**
   * After the owner renamed the file away under the lock (rotation): the old descriptor gets its
   * fsync and is closed in the background, a new file is created at the path.
   * @throws the file system's error
   */
  replaceFile(): void;
  /** Ends the hold after this call (e.g. the file belongs to someone else). */
  releaseAfter(): void;
}

const NEWLINE = new Uint8Array([0x0a]);

function writeAll(f: HeldAppendFs, fd: number, bytes: Uint8Array): void {
  let off = 0;
  while (off < bytes.length) off += f.writeSync(fd, bytes, off, bytes.length - off);
}

function lastByteIsNewline(f: HeldAppendFs, fd: number, size: number): boolean {
  const buf = new Uint8Array(1);
  return f.readSync(fd, buf, 0, 1, size - 1) === 1 && buf[0] === 0x0a;
}

/** The `HeldFile` of one hold: the open descriptor and its identity at the path. */
export class FileView implements HeldFile {
  size = 0;
  appends = 0;
  release = false;
  /** the torn line terminated at the start of the hold, not yet reported */
  tornPending = false;
  created = false;
  /** the file is new since the last `syncAppend`: the directory needs an fsync too */
  newEntry = false;
  fd = -1;
  dev = 0;
  ino = 0;

  constructor(
    readonly path: string,
    private readonly f: HeldAppendFs,
    private readonly writer: DurableWriter,
  ) {}

  /** Opens (creates 0600) the file at the path; a torn last line is terminated. */
  open(): void {
    const created = !this.f.existsSync(this.path);
    const fd = this.f.openSync(this.path, 'a+', 0o600);
    try {
      // fchmod on create so the umask cannot change the mode
      if (created) this.f.fchmodSync(fd, 0o600);
      const st = fs.fstatSync(fd);
      this.size = st.size;
      if (st.size > 0 && !lastByteIsNewline(this.f, fd, st.size)) {
        writeAll(this.f, fd, NEWLINE);
        this.size += 1;
        this.tornPending = true;
      }
      this.fd = fd;
      this.dev = st.dev;
      this.ino = st.ino;
      this.created = created;
      this.newEntry = created;
    } catch (err) {
      this.f.closeSync(fd);
      throw err;
    }
  }

  close(): void {
    this.f.closeSync(this.fd);
  }

  append(bytes: Uint8Array): boolean {
    writeAll(this.f, this.fd, bytes);
    this.size += bytes.length;
    this.appends += 1;
    const torn = this.tornPending;
    this.tornPending = false;
    return torn;
  }

  resize(): void {
    this.size = fs.fstatSync(this.fd).size;
  }

  replaceFile(): void {
    // Open the new file first: if that fails, the old descriptor is still this hold's (closed once,
    // when the hold ends), never handed to the writer and then closed a second time.
    const old = this.fd;
    this.open();
    this.writer.retireAppend(old, (fd) => this.f.closeSync(fd));
  }

  releaseAfter(): void {
    this.release = true;
  }

  /** Whether the path still names the open file (not moved away or removed). */
  atPath(): boolean {
    const st = fs.statSync(this.path, { throwIfNoEntry: false });
    return st !== undefined && st.ino === this.ino && st.dev === this.dev;
  }
}
