/** Reading and rewriting `gait.yaml` (artifacts.md §4.1, §4.2 step 7). */
import { existsSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { parseRegressConfig, formatRegressConfig } from '../../artifacts/regress/config.js';
import { FIXTURE_FILE, FIXTURE_RUNPACK_FILE, parseFixture } from '../../artifacts/regress/fixture.js';
import { isFixtureName } from '../../artifacts/regress/names.js';
import type { RegressConfig, RegressConfigFixture } from '../../artifacts/regress/types.js';
import { GaitError } from '../../errors/index.js';
import { compareCodePoints } from '../../schema/v1/text.js';
import { writeFileAtomic } from '../atomic-write.js';
import { parseJsonText, readInputFile } from '../read-input.js';

export const DEFAULT_REGRESS_CONFIG = 'gait.yaml';
export const FIXTURES_DIR = 'fixtures';

export interface LoadedRegressConfig {
  readonly config: RegressConfig;
  /** as the user gave it */
  readonly path: string;
  /** absolute directory of the config: fixture paths resolve against it */
  readonly dir: string;
}

/**
 * Loads `gait.yaml`.
 * @throws GaitError `input_path` (`regress config not found: <p>`, unreadable), `artifact_invalid` (parse)
 */
export function loadRegressConfig(path: string, cwd: string, maxBytes?: number): LoadedRegressConfig {
  const abs = resolve(cwd, path);
  if (!existsSync(abs)) {
    throw new GaitError('input_path', `regress config not found: ${path}`, {
      hint: 'create it with `gait regress init --from <runpack> --intents <file>` or pass --config',
      details: { path },
    });
  }
  const text = readInputFile(abs, { label: 'regress config', allowEmpty: true, displayPath: path, ...(maxBytes === undefined ? {} : { maxBytes }) });
  return { config: parseRegressConfig(text, path), path, dir: dirname(abs) };
}

/** Loads `gait.yaml` when it exists, else an empty config (for `regress init`). */
export function loadOrEmptyRegressConfig(path: string, cwd: string): LoadedRegressConfig {
  if (existsSync(resolve(cwd, path))) return loadRegressConfig(path, cwd);
  return { config: { fixtureSet: '', policy: '', fixtures: [] }, path, dir: dirname(resolve(cwd, path)) };
}

/** Every `fixtures/*\/fixture.json` under `dir` as config entries, sorted by name. */
export function scanFixtureEntries(dir: string): RegressConfigFixture[] {
  const root = join(dir, FIXTURES_DIR);
  if (!existsSync(root)) return [];
  const out: RegressConfigFixture[] = [];
  for (const entry of readdirSync(root, { withFileTypes: true })) {
    if (!entry.isDirectory() || !isFixtureName(entry.name)) continue;
    const file = join(root, entry.name, FIXTURE_FILE);
    if (!existsSync(file)) continue;
    const shown = `${FIXTURES_DIR}/${entry.name}/${FIXTURE_FILE}`;
    const fixture = parseFixture(parseJsonText(readInputFile(file, { label: 'regress fixture', displayPath: shown }), { label: 'regress fixture', file: shown }), shown);
    out.push({ name: fixture.name, runId: fixture.runId, runpack: `${FIXTURES_DIR}/${entry.name}/${fixture.runpack || FIXTURE_RUNPACK_FILE}` });
  }
  return out.sort((a, b) => compareCodePoints(a.name, b.name));
}

/**
 * Rewrites `gait.yaml` from all fixture directories, keeping `fixture_set` and `policy` (§4.2 step 7).
 * @throws GaitError `storage_io`, `artifact_invalid` (an unreadable fixture.json)
 */
export function rewriteRegressConfig(loaded: LoadedRegressConfig, absPath: string): RegressConfig {
  const config: RegressConfig = { ...loaded.config, fixtures: scanFixtureEntries(loaded.dir) };
  writeFileAtomic(absPath, formatRegressConfig(config), { mode: 0o644 });
  return config;
}
