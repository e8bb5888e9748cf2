/**
 * File names of session journals, checkpoints and chains (mcp-and-export.md §5.6 "Sessions",
 * artifacts.md §2.12). Pure string rules; the directories are the caller's.
 */
import { trimSpec } from '../../schema/v1/text.js';

/**
 * The journal base of a session id (§5.6): `/`, `\`, space and `:` become `_`, leading and
 * trailing `.` and `_` are trimmed, and an empty result is `session`. The base never contains a path
 * separator, so it cannot leave the session directory.
 * @example sessionFileBase(' ../team a:b ') // 'team_a_b'
 */
export function sessionFileBase(sessionId: string): string {
  const mapped = trimSpec(sessionId).replace(/[/\\ :]/g, '_');
  const trimmed = mapped.replace(/^[._]+|[._]+$/g, '');
  return trimmed === '' ? 'session' : trimmed;
}

/**
 * `<base>.journal.jsonl`, or `<base>_<run id>.journal.jsonl` for a session whose `<base>` journal
 * belongs to another run (§5.6). Run ids are `[A-Za-z0-9_-]` after normalization (§4 step 10).
 * @example journalFileName('sess', 'run_b') // 'sess_run_b.journal.jsonl'
 */
export function journalFileName(base: string, otherRunId = ''): string {
  return otherRunId === '' ? `${base}.journal.jsonl` : `${base}_${otherRunId}.journal.jsonl`;
}

/**
 * The chain file name next to a journal (§2.12): the journal's file name without its last extension,
 * plus `_chain.json` (`sess.journal.jsonl` → `sess.journal_chain.json`); `session` when nothing is left.
 * @example chainFileName('sess.journal.jsonl') // 'sess.journal_chain.json'
 */
export function chainFileName(journalName: string): string {
  const dot = journalName.lastIndexOf('.');
  const stem = dot < 0 ? journalName : journalName.slice(0, dot);
  return `${stem === '' ? 'session' : stem}_chain.json`;
}

/**
 * `<base>_cp_<sequence, 6 digits>.zip` (§5.6).
 * @example checkpointFileName('sess', 4) // 'sess_cp_000004.zip'
 */
export function checkpointFileName(base: string, sequence: number): string {
  return `${base}_cp_${String(sequence).padStart(6, '0')}.zip`;
}

/**
 * The run id of checkpoint `index` (§2.12): `<run_id>_cp_<NNNN>`.
 * @example checkpointRunId('run_demo', 1) // 'run_demo_cp_0001'
 */
export function checkpointRunId(runId: string, index: number): string {
  return `${runId}_cp_${String(index).padStart(4, '0')}`;
}
