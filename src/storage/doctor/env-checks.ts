/**
 * The environment checks of `gait doctor` (artifacts.md §6): Node version, working, output, state
 * and temp directories. Each check is a value; nothing is created or changed.
 */
import { accessSync, constants, existsSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { DoctorCheck, DoctorOptions } from './types.js';

/** The oldest Node.js this build supports (package.json `engines`). */
export const MIN_NODE = [20, 19] as const;

function writable(path: string): boolean {
  try {
    accessSync(path, constants.W_OK);
    return true;
  } catch {
    return false;
  }
}

function isDir(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/** `node_version`: at least 20.19 (a newer runtime is outside gait's reach, so non-fixable). */
export function checkNodeVersion(version: string): DoctorCheck {
  const m = /^v?(\d+)\.(\d+)/.exec(version);
  const major = Number(m?.[1] ?? 0);
  const minor = Number(m?.[2] ?? 0);
  const ok = major > MIN_NODE[0] || (major === MIN_NODE[0] && minor >= MIN_NODE[1]);
  const required = `>= ${MIN_NODE[0]}.${MIN_NODE[1]}`;
  if (ok) return { name: 'node_version', scope: 'universal', status: 'pass', message: `node ${version} (${required} required)` };
  return { name: 'node_version', scope: 'universal', status: 'fail', message: `node ${version} is too old (${required} required)`, nonFixable: true };
}

/** `workdir`: an existing, writable directory. */
export function checkWorkdir(o: DoctorOptions): DoctorCheck {
  if (!isDir(o.workdir)) {
    return { name: 'workdir', scope: 'universal', status: 'fail', message: `workdir ${o.workdirShown} is not a directory`, fixCommand: `mkdir -p ${o.workdirShown}` };
  }
  if (!writable(o.workdir)) {
    return { name: 'workdir', scope: 'universal', status: 'fail', message: `workdir ${o.workdirShown} is not writable`, fixCommand: `chmod u+w ${o.workdirShown}` };
  }
  return { name: 'workdir', scope: 'universal', status: 'pass', message: `workdir ${o.workdirShown} is writable` };
}

/** A directory gait writes into: writable when present, creatable (writable parent) when not. */
function checkWritableDir(name: string, abs: string, shown: string, mode: string, purpose: string): DoctorCheck {
  if (existsSync(abs)) {
    if (!isDir(abs)) return { name, scope: 'universal', status: 'fail', message: `${shown} exists but is not a directory`, fixCommand: `mv ${shown} ${shown}.bak` };
    if (!writable(abs)) return { name, scope: 'universal', status: 'fail', message: `${shown} is not writable`, fixCommand: `chmod ${mode} ${shown}` };
    return { name, scope: 'universal', status: 'pass', message: `${shown} is writable (${purpose})` };
  }
  let parent = dirname(abs);
  while (!existsSync(parent) && dirname(parent) !== parent) parent = dirname(parent);
  if (!writable(parent)) return { name, scope: 'universal', status: 'fail', message: `${shown} cannot be created: parent directory is not writable`, fixCommand: `mkdir -p ${shown}` };
  return { name, scope: 'universal', status: 'pass', message: `${shown} does not exist yet and will be created on first use (${purpose})` };
}

/** `output_dir`: where runpacks, traces and demo output go (`./gait-out`). */
export function checkOutputDir(o: DoctorOptions): DoctorCheck {
  return checkWritableDir('output_dir', resolve(o.workdir, o.outputDir), o.outputDir, 'u+w', 'artifacts');
}

/** `state_dir`: `.gait/` holds the development key pair and the approval ledger. */
export function checkStateDir(o: DoctorOptions): DoctorCheck {
  return checkWritableDir('state_dir', resolve(o.workdir, '.gait'), '.gait', '700', 'keys and approval state');
}

/** `temp_dir`: atomic writes stage beside their target, but tests and tools use the OS temp dir. */
export function checkTempDir(o: DoctorOptions): DoctorCheck {
  if (isDir(o.tempDir) && writable(o.tempDir)) return { name: 'temp_dir', scope: 'universal', status: 'pass', message: 'temp directory is writable' };
  return { name: 'temp_dir', scope: 'universal', status: 'fail', message: 'temp directory is not writable', fixCommand: 'export TMPDIR=<a writable directory>' };
}
