/**
 * The file-system operations the JSONL appender uses, as a port so tests can inject faults (a disk
 * that fills: `writeSync` throwing ENOSPC). Defaults to `node:fs`.
 */
import * as fs from 'node:fs';

export interface AppendFs {
  openSync(path: string, flags: string, mode?: number): number;
  closeSync(fd: number): void;
  fstatSync(fd: number): { readonly size: number };
  readSync(fd: number, buffer: Uint8Array, offset: number, length: number, position: number): number;
  writeSync(fd: number, buffer: Uint8Array, offset: number, length: number): number;
  fsyncSync(fd: number): void;
  fchmodSync(fd: number, mode: number): void;
  existsSync(path: string): boolean;
  renameSync(from: string, to: string): void;
  unlinkSync(path: string): void;
  readdirSync(dir: string): string[];
}

export const nodeAppendFs: AppendFs = {
  openSync: (path, flags, mode) => fs.openSync(path, flags, mode),
  closeSync: (fd) => fs.closeSync(fd),
  fstatSync: (fd) => fs.fstatSync(fd),
  readSync: (fd, buffer, offset, length, position) => fs.readSync(fd, buffer, offset, length, position),
  writeSync: (fd, buffer, offset, length) => fs.writeSync(fd, buffer, offset, length),
  fsyncSync: (fd) => fs.fsyncSync(fd),
  fchmodSync: (fd, mode) => fs.fchmodSync(fd, mode),
  existsSync: (path) => fs.existsSync(path),
  renameSync: (from, to) => fs.renameSync(from, to),
  unlinkSync: (path) => fs.unlinkSync(path),
  readdirSync: (dir) => fs.readdirSync(dir),
};
