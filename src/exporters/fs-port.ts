/**
 * The file-system operations the JSONL appender uses, as a port so tests can inject faults (a disk
 * that fills: `writeSync` throwing ENOSPC). Defaults to `node:fs`.
 */
import * as fs from 'node:fs';
import { nodeLineAppendFs } from '../storage/jsonl-line.js';
import type { LineAppendFs } from '../storage/jsonl-line.js';

/** The line-append operations plus what rotation needs. */
export interface AppendFs extends LineAppendFs {
  renameSync(from: string, to: string): void;
  unlinkSync(path: string): void;
  readdirSync(dir: string): string[];
}

export const nodeAppendFs: AppendFs = {
  ...nodeLineAppendFs,
  renameSync: (from, to) => fs.renameSync(from, to),
  unlinkSync: (path) => fs.unlinkSync(path),
  readdirSync: (dir) => fs.readdirSync(dir),
};
