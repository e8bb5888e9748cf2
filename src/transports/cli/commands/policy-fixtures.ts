/**
 * Fixture discovery for `gait policy simulate` (gate.md §A12.7): a CSV of files and directories;
 * directories are walked recursively for `.json` files (extension case-insensitive), a listed file
 * must itself be `.json`; paths are cleaned, de-duplicated and sorted by code point.
 */
import { readdirSync, statSync } from 'node:fs';
import type { Stats } from 'node:fs';
import { resolve } from 'node:path';
import { GaitError } from '../../../errors/error.js';
import { describeFsError } from '../../../storage/read-input.js';
import { cleanPath, compareCodePoints, trimSpec } from '../../../schema/v1/text.js';

/** The extension as Go's `filepath.Ext` sees it: from the last `.` of the last element (so `.json` counts). */
function extensionOf(path: string): string {
  const name = path.slice(path.lastIndexOf('/') + 1);
  const dot = name.lastIndexOf('.');
  return dot < 0 ? '' : name.slice(dot);
}

function isJsonFile(path: string): boolean {
  return extensionOf(path).toLowerCase() === '.json';
}

function statFixture(abs: string, given: string): Stats {
  try {
    return statSync(abs);
  } catch (cause) {
    throw new GaitError('input_path', `cannot read fixtures path \`${given}\`: ${describeFsError(cause)}`, {
      details: { path: given },
      cause,
    });
  }
}

/** Every `.json` file below `dir` (symlinked directories are not followed), as `given`-relative paths. */
function walkJsonFiles(abs: string, given: string, out: string[]): void {
  let entries;
  try {
    entries = readdirSync(abs, { withFileTypes: true });
  } catch (cause) {
    throw new GaitError('input_path', `cannot read fixtures directory \`${given}\`: ${describeFsError(cause)}`, {
      details: { path: given },
      cause,
    });
  }
  for (const entry of entries) {
    const childGiven = `${given}/${entry.name}`;
    if (entry.isDirectory()) walkJsonFiles(`${abs}/${entry.name}`, childGiven, out);
    else if (isJsonFile(entry.name)) out.push(cleanPath(childGiven));
  }
}

/**
 * Resolves `--fixtures` to the sorted list of fixture files, as paths relative to the same base as
 * the user gave them (relative paths resolve against `cwd` for reading).
 * @throws GaitError `input_usage` (no fixtures, non-.json file), `input_path` (missing or unreadable path)
 */
export function resolveFixturePaths(csv: string, cwd: string): string[] {
  const inputs = csv
    .split(',')
    .map(trimSpec)
    .filter((item) => item !== '');
  if (inputs.length === 0) throw new GaitError('input_usage', 'missing required --fixtures <csv files/dirs>');
  const found: string[] = [];
  for (const given of inputs) {
    const abs = resolve(cwd, given);
    if (statFixture(abs, given).isDirectory()) {
      walkJsonFiles(abs, given, found);
      continue;
    }
    const cleaned = cleanPath(given);
    if (!isJsonFile(cleaned)) throw new GaitError('input_usage', `fixture file must be .json: \`${cleaned}\``);
    found.push(cleaned);
  }
  const paths = [...new Set(found)].sort(compareCodePoints);
  if (paths.length === 0) throw new GaitError('input_usage', 'no intent fixtures discovered from --fixtures');
  return paths;
}
