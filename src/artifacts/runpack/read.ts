/**
 * Reading a runpack for inspect, diff, replay, regress and packs (artifacts.md §2.9–§2.11, §10): the
 * archive is opened with the safe reader, every declared file must be present and match its hash,
 * no undeclared file may be present, and every record must decode. Any failure is a verification
 * failure (exit 2). Signatures are not checked here (that needs a key): use `verifyRunpack`.
 *
 * STABLE: `readRunpack` is the reading API other commands build on; keep its signature.
 */
import { GaitError, isGaitError } from '../../errors/error.js';
import type { ZipLimits } from '../zip/read.js';
import { decodeIntent, decodeRefs, decodeResult, decodeRun } from './decode.js';
import type { DecodedRefs } from './decode.js';
import { checkRunpackFiles, openRunpack, parseJsonEntry } from './open.js';
import type { HashMismatch, OpenedRunpack } from './open.js';
import type { ContextEvidenceMode, IntentRecord, RefsRecord, ResultRecord, Runpack } from './types.js';

export interface ReadRunpackOptions {
  /** Caps of the safe reader (defaults: 100 MiB per entry, 1 GiB total, 10,000 entries). */
  readonly limits?: Partial<ZipLimits>;
}

function failed(message: string, details: Record<string, unknown> = {}): GaitError {
  return new GaitError('artifact_verification_failed', message, { details });
}

function entryOf(entries: ReadonlyMap<string, Uint8Array>, name: string): Uint8Array {
  return entries.get(name) as Uint8Array; // INVARIANT: the file findings list none of the four record files missing
}

function decodeEntry<T>(name: string, decode: () => T): T {
  try {
    return decode();
  } catch (err) {
    if (isGaitError(err) && err.code === 'artifact_verification_failed') throw err;
    throw failed(`runpack ${name}: ${err instanceof Error ? err.message : String(err)}`, { entry: name });
  }
}

const UTF8 = new TextDecoder('utf-8', { fatal: true });

/** Non-blank lines of a JSONL entry, each parsed. */
function jsonLines(bytes: Uint8Array, name: string): unknown[] {
  let text: string;
  try {
    text = UTF8.decode(bytes);
  } catch {
    throw failed(`runpack ${name} is not valid UTF-8`, { entry: name });
  }
  const out: unknown[] = [];
  text.split('\n').forEach((line, i) => {
    if (line.trim() === '') return;
    try {
      out.push(JSON.parse(line) as unknown);
    } catch {
      throw failed(`runpack ${name} line ${i + 1} is not valid JSON`, { entry: name, line: i + 1 });
    }
  });
  return out;
}

/** A stored refs record with its evidence mode checked (`best_effort|required`, case-insensitive). */
export function checkedRefs(refs: DecodedRefs): RefsRecord {
  const mode = refs.contextEvidenceMode.toLowerCase();
  if (mode !== '' && mode !== 'best_effort' && mode !== 'required') {
    throw failed(`runpack refs.json: context_evidence_mode must be best_effort or required, got \`${refs.contextEvidenceMode}\``);
  }
  return { ...refs, contextEvidenceMode: mode as '' | ContextEvidenceMode };
}

/**
 * Reads and integrity-checks a runpack zip.
 * @param zipBytes the runpack file
 * @returns the parsed manifest, run, intents, results and refs, and every entry's bytes
 * @throws GaitError, all verification failures (exit 2): `artifact_zip_invalid` / `artifact_zip_unsafe`
 *   / `artifact_zip_limit` (§1.4), `artifact_verification_failed` (`runpack has no manifest.json`, a
 *   malformed manifest, `missing runpack files: <csv>`, `runpack hash mismatch: <csv>`, `runpack has
 *   undeclared files: <csv>`, a record that does not decode)
 * @example const pack = await readRunpack(readFileSync('runpack_run_1.zip')); pack.intents.length;
 */
export async function readRunpack(zipBytes: Uint8Array, options: ReadRunpackOptions = {}): Promise<Runpack> {
  return readRunpackSync(zipBytes, options);
}

/** `readRunpack` without the promise, for callers that are synchronous (pack build and verify). */
export function readRunpackSync(zipBytes: Uint8Array, options: ReadRunpackOptions = {}): Runpack {
  const opened = openRunpack(zipBytes, options.limits ?? {});
  return decodeCheckedRunpack(opened, checkRunpackFiles(opened));
}

/** The file findings `decodeCheckedRunpack` needs: `checkRunpackFiles`, or a `verifyOpenedRunpack` report. */
export interface RunpackFileFindings {
  readonly missingFiles: readonly string[];
  readonly hashMismatches: readonly HashMismatch[];
  readonly undeclaredFiles: readonly string[];
}

/**
 * The records of an opened runpack whose files were already checked, so no entry is hashed again.
 * @param files the findings of that check; any finding fails as `readRunpack` does
 * @throws GaitError `artifact_verification_failed`, as `readRunpack` after opening
 */
export function decodeCheckedRunpack(opened: OpenedRunpack, files: RunpackFileFindings): Runpack {
  if (files.missingFiles.length > 0) throw failed(`missing runpack files: ${files.missingFiles.join(', ')}`, { missing_files: files.missingFiles });
  if (files.hashMismatches.length > 0) {
    const paths = files.hashMismatches.map((m) => m.path);
    throw failed(`runpack hash mismatch: ${paths.join(', ')}`, { hash_mismatches: paths });
  }
  if (files.undeclaredFiles.length > 0) {
    throw failed(`runpack has undeclared files: ${files.undeclaredFiles.join(', ')}`, { undeclared_files: files.undeclaredFiles });
  }
  const { entries } = opened;
  const code = 'artifact_invalid' as const; // re-thrown by decodeEntry as a verification failure
  const run = decodeEntry('run.json', () => decodeRun(parseJsonEntry(entryOf(entries, 'run.json'), 'run.json'), '', code));
  const intents: IntentRecord[] = decodeEntry('intents.jsonl', () =>
    jsonLines(entryOf(entries, 'intents.jsonl'), 'intents.jsonl').map((line, i) => decodeIntent(line, `intents.jsonl[${i}]`, code)),
  );
  const results: ResultRecord[] = decodeEntry('results.jsonl', () =>
    jsonLines(entryOf(entries, 'results.jsonl'), 'results.jsonl').map((line, i) => decodeResult(line, `results.jsonl[${i}]`, code)),
  );
  const refs = decodeEntry('refs.json', () => checkedRefs(decodeRefs(parseJsonEntry(entryOf(entries, 'refs.json'), 'refs.json'), '', code)));
  return { manifest: opened.manifest, run, intents, results, refs, entries };
}
