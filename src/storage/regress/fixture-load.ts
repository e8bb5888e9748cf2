/**
 * Loading one configured fixture for `regress run` (artifacts.md §4.3 step 1): `fixture.json` must
 * exist with the configured name and run id, the runpack file must exist and (when it reads) carry
 * the fixture's run id; `intents.jsonl` may be absent (a Gait v1 fixture). Integrity problems of the
 * runpack are not load errors: `schema_validation` grades them.
 */
import { isSafeEntryName } from '../../artifacts/zip/names.js';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { CandidateLoad, EvidenceDiff } from '../../artifacts/regress/candidate.js';
import type { RunpackLoad } from '../../artifacts/regress/evidence.js';
import { FIXTURE_FILE, parseFixture } from '../../artifacts/regress/fixture.js';
import { loadRunpackEvidence } from '../../artifacts/regress/from-runpack.js';
import { parseFixtureIntents } from '../../artifacts/regress/intents-input.js';
import type { Fixture, FixtureIntentLine, RegressConfigFixture } from '../../artifacts/regress/types.js';
import type { Runpack } from '../../artifacts/runpack/types.js';
import { GaitError } from '../../errors/index.js';
import { parseJsonText, readInputFile } from '../read-input.js';
import { readArtifactFile } from '../runpack-files.js';

export interface LoadedFixture {
  readonly entry: RegressConfigFixture;
  readonly fixture: Fixture;
  /** absolute fixture directory */
  readonly dir: string;
  readonly lines: readonly FixtureIntentLine[] | undefined;
  readonly runpack: RunpackLoad;
  readonly candidate: CandidateLoad;
}

/** Computes the `run diff` summary a candidate is graded on (artifacts.md §2.10). */
export type RunpackDiffer = (left: Runpack, right: Runpack) => EvidenceDiff;

function loadError(entry: RegressConfigFixture, reason: string): GaitError {
  return new GaitError('artifact_invalid', `regress fixture \`${entry.name}\`: ${reason}`, { details: { fixture: entry.name } });
}

/** A path written in a fixture: the zip entry-name rule (relative, no `..`, `.` or empty segment, no `\\`, NUL or drive; §1.4, §1.5). */
const isSafeRelative = isSafeEntryName;

function readFixtureJson(entry: RegressConfigFixture, dir: string, shownDir: string): Fixture {
  const file = join(dir, FIXTURE_FILE);
  const shown = `${shownDir}/${FIXTURE_FILE}`;
  if (!existsSync(file)) throw loadError(entry, `missing ${shown}`);
  const fixture = parseFixture(parseJsonText(readInputFile(file, { label: 'regress fixture', displayPath: shown }), { label: 'regress fixture', file: shown }), shown);
  if (fixture.name !== entry.name) throw loadError(entry, `${shown} names fixture \`${fixture.name}\``);
  if (entry.runId !== '' && fixture.runId !== entry.runId) throw loadError(entry, `${shown} has run_id \`${fixture.runId}\`, gait.yaml says \`${entry.runId}\``);
  if (!isSafeRelative(fixture.runpack) || !isSafeRelative(fixture.intents)) throw loadError(entry, `${shown}: runpack and intents must be relative paths inside the fixture directory`);
  return fixture;
}

function readLines(dir: string, shownDir: string, fixture: Fixture): FixtureIntentLine[] | undefined {
  const file = join(dir, fixture.intents);
  if (!existsSync(file)) return undefined;
  const shown = `${shownDir}/${fixture.intents}`;
  const text = readInputFile(file, { label: 'fixture intents', displayPath: shown, allowEmpty: true, maxBytes: 64 * 1_048_576 });
  return parseFixtureIntents(text, shown);
}

function loadCandidate(dir: string, fixture: Fixture, base: Runpack | undefined, differ: RunpackDiffer): CandidateLoad {
  const path = fixture.candidateRunpack;
  if (path === undefined) return { state: 'absent' };
  if (!isSafeRelative(path)) return { state: 'invalid_path', error: `candidate_runpack must be a relative path inside the fixture directory: ${path}` };
  let bytes: Uint8Array;
  try {
    bytes = readArtifactFile(join(dir, path), { label: 'candidate runpack', display: path });
  } catch (err) {
    return { state: 'invalid_path', error: err instanceof Error ? err.message : String(err) };
  }
  const { load, runpack } = loadRunpackEvidence(bytes);
  if (!load.ok || runpack === undefined) return { state: 'invalid', error: load.ok ? 'candidate runpack did not read' : load.error };
  if (base === undefined) return { state: 'ok', evidence: load.evidence, diff: { ok: false, error: 'the fixture runpack did not read' } };
  try {
    return { state: 'ok', evidence: load.evidence, diff: { ok: true, value: differ(base, runpack) } };
  } catch (err) {
    return { state: 'ok', evidence: load.evidence, diff: { ok: false, error: err instanceof Error ? err.message : String(err) } };
  }
}

/**
 * Loads one fixture of the config.
 * @param configDir absolute directory of `gait.yaml`
 * @throws GaitError `artifact_invalid` (missing or mismatched fixture.json, run id mismatch),
 *   `input_path` (runpack file missing or unreadable), `input_json`/`input_intent` (bad intents.jsonl)
 */
export function loadFixture(configDir: string, entry: RegressConfigFixture, differ: RunpackDiffer): LoadedFixture {
  const runpackPath = resolve(configDir, entry.runpack);
  const dir = resolve(runpackPath, '..');
  const shownDir = entry.runpack.includes('/') ? entry.runpack.slice(0, entry.runpack.lastIndexOf('/')) : '.';
  const fixture = readFixtureJson(entry, dir, shownDir);
  const bytes = readArtifactFile(runpackPath, { label: 'fixture runpack', display: entry.runpack });
  const { load, runpack } = loadRunpackEvidence(bytes);
  if (load.ok && load.evidence.runId !== fixture.runId) {
    throw loadError(entry, `runpack ${entry.runpack} has run_id \`${load.evidence.runId}\`, the fixture says \`${fixture.runId}\``);
  }
  return { entry, fixture, dir, lines: readLines(dir, shownDir, fixture), runpack: load, candidate: loadCandidate(dir, fixture, runpack, differ) };
}
