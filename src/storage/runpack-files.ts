/**
 * Runpack and pack files on disk (artifacts.md §1.5, §2.7): resolving `<run_id|path>`, size-capped
 * binary reads, atomic writes (mode 0600, parent directories 0750), and the host environment the
 * pure record pipeline takes as defaults.
 */
import { closeSync, existsSync, fstatSync, openSync, readSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import type { RunEnv } from '../artifacts/runpack/types.js';
import { GaitError } from '../errors/index.js';
import { writeFileAtomic } from './atomic-write.js';
import { describeFsError } from './read-input.js';

/** Largest artifact file read (the default 1 GiB archive cap plus room for zip headers). */
export const MAX_ARTIFACT_FILE_BYTES = 1_073_741_824 + 64 * 1_048_576;

export interface ResolvedRunpack {
  /** Absolute path to open. */
  readonly path: string;
  /** The path as shown to the user (`gait-out/runpack_<id>.zip`, or the value given). */
  readonly display: string;
}

export interface ResolveRunpackOptions {
  readonly cwd: string;
  /** The user's home directory ('' to skip `~/.gait/runpacks`). */
  readonly homeDir: string;
}

/** Whether a `<run_id|path>` value names a path (§2.7): it contains `/` or `\`, or ends in `.zip`. */
export function isRunpackPathRef(value: string): boolean {
  return value.includes('/') || value.includes('\\') || value.endsWith('.zip');
}

/**
 * Resolves `<run_id|path>` (§2.7): a path must exist; a run id is looked up as
 * `./gait-out/runpack_<id>.zip`, then `~/.gait/runpacks/runpack_<id>.zip`.
 * @throws GaitError `input_path` (`runpack not found: <v>`, `runpack not found for run_id: <id>`; exit 6)
 */
export function resolveRunpackRef(value: string, options: ResolveRunpackOptions): ResolvedRunpack {
  if (value === '') throw new GaitError('input_usage', 'runpack path or run_id is required');
  if (isRunpackPathRef(value)) {
    const path = resolve(options.cwd, value);
    if (!existsSync(path)) throw new GaitError('input_path', `runpack not found: ${value}`, { details: { path: value } });
    return { path, display: value };
  }
  const local = join('gait-out', `runpack_${value}.zip`);
  if (existsSync(resolve(options.cwd, local))) return { path: resolve(options.cwd, local), display: local };
  if (options.homeDir !== '') {
    const home = join(options.homeDir, '.gait', 'runpacks', `runpack_${value}.zip`);
    if (existsSync(home)) return { path: home, display: home };
  }
  throw new GaitError('input_path', `runpack not found for run_id: ${value}`, { details: { run_id: value } });
}

/** The home directory from the environment (`HOME`, else `USERPROFILE`), '' when unset. */
export function homeDirOf(env: Readonly<Record<string, string | undefined>>): string {
  return env['HOME'] ?? env['USERPROFILE'] ?? '';
}

/**
 * Reads a binary artifact, refusing it before reading when it is larger than `maxBytes`.
 * @throws GaitError `input_path` (missing, unreadable, a directory), `input_too_large`
 */
export function readArtifactFile(path: string, options: { readonly label: string; readonly display?: string; readonly maxBytes?: number }): Uint8Array {
  const shown = options.display ?? path;
  const cap = options.maxBytes ?? MAX_ARTIFACT_FILE_BYTES;
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (err) {
    throw new GaitError('input_path', `cannot read ${options.label} \`${shown}\`: ${describeFsError(err)}`, { details: { path: shown }, cause: err });
  }
  try {
    const st = fstatSync(fd);
    if (st.isDirectory()) throw new GaitError('input_path', `cannot read ${options.label} \`${shown}\`: is a directory`, { details: { path: shown } });
    if (st.size > cap) {
      throw new GaitError('input_too_large', `cannot read ${options.label} \`${shown}\`: file is ${st.size} bytes, over the ${cap}-byte limit`, {
        details: { path: shown, size: st.size, max_bytes: cap },
      });
    }
    const out = new Uint8Array(st.size);
    let at = 0;
    while (at < out.length) {
      const n = readSync(fd, out, at, out.length - at, at);
      if (n === 0) break;
      at += n;
    }
    return at === out.length ? out : out.subarray(0, at);
  } catch (err) {
    if (err instanceof GaitError) throw err;
    throw new GaitError('input_path', `cannot read ${options.label} \`${shown}\`: ${describeFsError(err)}`, { details: { path: shown }, cause: err });
  } finally {
    closeSync(fd);
  }
}

/**
 * Writes an artifact atomically, mode 0600, creating parent directories 0750 (§1.5).
 * @param path relative to `cwd` or absolute; a relative path with a `..` segment is refused
 * @throws GaitError `input_path` (`relative paths must not traverse parent directories`), `storage_io`
 */
export function writeArtifactFile(path: string, bytes: Uint8Array | string, cwd: string): string {
  if (!isAbsolute(path) && path.split(/[\\/]/).includes('..')) {
    throw new GaitError('input_path', 'relative paths must not traverse parent directories', { details: { path } });
  }
  const full = resolve(cwd, path);
  writeFileAtomic(full, bytes, { mode: 0o600, dirMode: 0o750 });
  return full;
}

const OS_NAMES: Readonly<Record<string, string>> = { win32: 'windows' };
const ARCH_NAMES: Readonly<Record<string, string>> = { x64: 'amd64', ia32: '386' };

/** The host environment with Gait v1 names (§2.2): `win32` → `windows`, `x64` → `amd64`, `ia32` → `386`; runtime `node` (§10). */
export function hostRunEnv(): RunEnv {
  return { os: OS_NAMES[process.platform] ?? process.platform, arch: ARCH_NAMES[process.arch] ?? process.arch, runtime: 'node' };
}

/** `bundle` as §2.5 shows it: `./` prepended to a relative path that does not start with `.`. */
export function displayBundlePath(path: string): string {
  return isAbsolute(path) || path.startsWith('.') ? path : `./${path}`;
}
