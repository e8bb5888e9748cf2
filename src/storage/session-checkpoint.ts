/**
 * Emitting a session checkpoint (artifacts.md §2.12, mcp-and-export.md §5.6), under the journal's
 * lock: the reference-mode runpack of the events since the previous checkpoint, recorded by the
 * runpack pipeline and signed with the given key, written as `<runpack-dir>/<base>_cp_<sequence>.zip`
 * (never over an existing file); then the checkpoint record appended to the journal and the chain
 * file `<journal dir>/<journal name without extension>_chain.json` rewritten from the journal.
 */
import { resolve } from 'node:path';
import { recordRunpack } from '../api/runpack.js';
import { buildChainFile, chainOfJournal } from '../artifacts/session/chain.js';
import { buildCheckpointRecord, checkpointRunInput, planCheckpoint } from '../artifacts/session/checkpoint.js';
import { chainFileName, checkpointFileName } from '../artifacts/session/names.js';
import type { SessionCheckpoint, SessionJournal } from '../artifacts/session/types.js';
import { checkpointToWire, journalLine } from '../artifacts/session/wire.js';
import type { RunEnv } from '../artifacts/runpack/types.js';
import type { SigningKey } from '../crypto/keys.js';
import { GaitError, isGaitError } from '../errors/index.js';
import type { Clock } from '../runtime/clock.js';
import { writeFileAtomic } from './atomic-write.js';
import { appendLinesLocked } from './jsonl-line.js';
import { describeFsError } from './read-input.js';

export interface CheckpointSettings {
  /** the runpack directory as shown (relative to `cwd` or absolute); it exists */
  readonly runpackDir: string;
  /** the file base of this journal's checkpoints (`<base>` of `<base>_cp_<sequence>.zip`) */
  readonly base: string;
  /** signs the runpack and the chain (artifacts.md §1.2); unsigned when undefined */
  readonly signingKey: SigningKey | undefined;
  /** `env` defaults of the runpack's `run.json` */
  readonly hostEnv?: RunEnv;
}

export interface EmittedCheckpoint {
  readonly record: SessionCheckpoint;
  /** as shown / absolute */
  readonly runpackPath: string;
  readonly runpackFile: string;
  readonly runpackSize: number;
  readonly chainPath: string;
  readonly chainFile: string;
  readonly chainSize: number;
  /** the journal's size after the checkpoint record */
  readonly journalSize: number;
}

/** `<journal dir>/<journal name without extension>_chain.json`, keeping the journal path's form. */
export function chainPathOf(journalShown: string): string {
  const slash = Math.max(journalShown.lastIndexOf('/'), journalShown.lastIndexOf('\\'));
  const name = chainFileName(journalShown.slice(slash + 1));
  return slash < 0 ? name : `${journalShown.slice(0, slash + 1)}${name}`;
}

function writeRunpackOnce(file: string, shown: string, bytes: Uint8Array): void {
  try {
    writeFileAtomic(file, bytes, { mode: 0o600, exclusive: true });
  } catch (err) {
    if (isGaitError(err) && err.details['exists'] === true) {
      throw new GaitError('storage_io', `cannot write session checkpoint \`${shown}\`: file already exists`, {
        hint: 'a checkpoint is never overwritten: move the old checkpoint away, or use a new session id',
        details: { path: shown },
        cause: err,
      });
    }
    throw err;
  }
}

/**
 * Emits the checkpoint of every event after the previous one. The caller holds the journal's lock.
 * @param journal the journal as it is on disk now (the event that triggers the checkpoint included)
 * @param journalShown / journalFile the journal path as shown and absolute
 * @param sequence the triggering event's sequence (the file name's number)
 * @throws GaitError `storage_io` (an existing checkpoint file, a write failure), `internal_failure`
 *   (no event to checkpoint, a runpack that cannot be recorded)
 */
export function emitCheckpoint(
  journal: SessionJournal,
  paths: { readonly journalShown: string; readonly journalFile: string; readonly cwd: string },
  sequence: number,
  settings: CheckpointSettings,
  clock: Clock,
  producerVersion: string,
): EmittedCheckpoint {
  const plan = planCheckpoint(journal);
  if (plan === undefined) throw new GaitError('internal_failure', `session journal \`${paths.journalShown}\` has no event to checkpoint`);
  const createdAt = clock.now();
  let built: ReturnType<typeof recordRunpack>;
  try {
    built = recordRunpack(checkpointRunInput(journal.header, plan, createdAt, producerVersion), {
      clock,
      ...(settings.signingKey === undefined ? {} : { signingKey: settings.signingKey }),
      ...(settings.hostEnv === undefined ? {} : { hostEnv: settings.hostEnv }),
    });
  } catch (err) {
    throw new GaitError('internal_failure', `cannot record session checkpoint ${plan.index}: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
  }
  const runpackPath = `${settings.runpackDir.replace(/[\\/]+$/, '')}/${checkpointFileName(settings.base, sequence)}`;
  const runpackFile = resolve(paths.cwd, runpackPath);
  writeRunpackOnce(runpackFile, runpackPath, built.bytes);
  const record = buildCheckpointRecord(journal.header, plan, { createdAt, producerVersion, runpackPath, manifestDigest: built.manifestDigest });
  let journalSize: number;
  try {
    journalSize = appendLinesLocked(paths.journalFile, Buffer.from(`${journalLine('checkpoint', checkpointToWire(record))}\n`, 'utf8')).size;
  } catch (err) {
    throw new GaitError('storage_io', `cannot append to session journal \`${paths.journalShown}\`: ${describeFsError(err)}`, { details: { path: paths.journalShown }, cause: err });
  }
  const chainPath = chainPathOf(paths.journalShown);
  const chainFile = resolve(paths.cwd, chainPath);
  const chain = buildChainFile(chainOfJournal({ ...journal, checkpoints: [...journal.checkpoints, record] }), settings.signingKey);
  const chainText = `${JSON.stringify(chain, null, 2)}\n`;
  writeFileAtomic(chainFile, chainText, { mode: 0o600 });
  return { record, runpackPath, runpackFile, runpackSize: built.bytes.length, chainPath, chainFile, chainSize: Buffer.byteLength(chainText), journalSize };
}
