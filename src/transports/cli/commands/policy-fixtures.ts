/**
 * Corpus discovery for `gait policy simulate` (gate.md §A12.7, extended by issue 4): a CSV of files
 * and directories. A listed file is an intent fixture (`.json`), a JSONL of intents (`.jsonl`), a
 * runpack (`.zip`) or a regress config (`.yaml`/`.yml`); a directory holding `fixture.json` is a
 * regress fixture; any other directory is walked recursively for all of these (extensions
 * case-insensitive; symlinked directories are not followed). Paths are cleaned, de-duplicated and
 * sorted by code point.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import type { Stats } from 'node:fs';
import { join, resolve } from 'node:path';
import { GaitError } from '../../../errors/error.js';
import { describeFsError } from '../../../storage/read-input.js';
import { cleanPath, compareCodePoints, trimSpec } from '../../../schema/v1/text.js';

/** What a corpus path holds. */
export type CorpusKind = 'intent' | 'intents_jsonl' | 'runpack' | 'regress_config' | 'regress_fixture';

export interface CorpusSource {
  readonly kind: CorpusKind;
  /** cleaned, relative to the same base as the user gave it */
  readonly path: string;
}

/** The extension as Go's `filepath.Ext` sees it: from the last `.` of the last element (so `.json` counts). */
function extensionOf(path: string): string {
  const name = path.slice(path.lastIndexOf('/') + 1);
  const dot = name.lastIndexOf('.');
  return dot < 0 ? '' : name.slice(dot).toLowerCase();
}

/** The kind of a listed file, or undefined for anything else. */
function listedKind(path: string): CorpusKind | undefined {
  switch (extensionOf(path)) {
    case '.json':
      return 'intent';
    case '.jsonl':
      return 'intents_jsonl';
    case '.zip':
      return 'runpack';
    case '.yaml':
    case '.yml':
      return 'regress_config';
    default:
      return undefined;
  }
}

/** The kind of a file met while walking a directory: intents and runpacks only. */
function walkedKind(name: string): CorpusKind | undefined {
  const ext = extensionOf(name);
  return ext === '.json' ? 'intent' : ext === '.zip' ? 'runpack' : undefined;
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

function isRegressFixtureDir(abs: string): boolean {
  return existsSync(join(abs, 'fixture.json'));
}

/** Every corpus file below `dir` (symlinked directories are not followed), as `given`-relative paths. */
function walk(abs: string, given: string, out: CorpusSource[]): void {
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
    const childAbs = `${abs}/${entry.name}`;
    if (entry.isDirectory()) {
      if (isRegressFixtureDir(childAbs)) out.push({ kind: 'regress_fixture', path: cleanPath(childGiven) });
      else walk(childAbs, childGiven, out);
      continue;
    }
    const kind = walkedKind(entry.name);
    if (kind !== undefined) out.push({ kind, path: cleanPath(childGiven) });
  }
}

/**
 * Resolves `--fixtures` to the sorted corpus sources, as paths relative to the same base as the user
 * gave them (relative paths resolve against `cwd` for reading).
 * @throws GaitError `input_usage` (no fixtures, a listed file of another kind), `input_path` (missing or unreadable path)
 */
export function resolveCorpusSources(csv: string, cwd: string): CorpusSource[] {
  const inputs = csv
    .split(',')
    .map(trimSpec)
    .filter((item) => item !== '');
  if (inputs.length === 0) throw new GaitError('input_usage', 'missing required --fixtures <csv files/dirs>');
  const found: CorpusSource[] = [];
  for (const given of inputs) {
    const abs = resolve(cwd, given);
    if (statFixture(abs, given).isDirectory()) {
      if (isRegressFixtureDir(abs)) found.push({ kind: 'regress_fixture', path: cleanPath(given) });
      else walk(abs, given, found);
      continue;
    }
    const cleaned = cleanPath(given);
    const kind = listedKind(cleaned);
    if (kind === undefined) {
      throw new GaitError('input_usage', `fixture file must be .json (intent), .jsonl (intents), .zip (runpack) or .yaml (regress config): \`${cleaned}\``);
    }
    found.push({ kind, path: cleaned });
  }
  const byPath = new Map<string, CorpusSource>();
  for (const source of found) if (!byPath.has(source.path)) byPath.set(source.path, source);
  const sources = [...byPath.values()].sort((a, b) => compareCodePoints(a.path, b.path));
  if (sources.length === 0) throw new GaitError('input_usage', 'no intent fixtures discovered from --fixtures');
  return sources;
}
