/**
 * The JSON-file approval ledger (gate.md §A9.7, D4): the fallback when the native SQLite module is
 * unavailable (see `open-ledger.ts`, which places it at `<state path>.json`, e.g.
 * `.gait/state.db.json`).
 *
 * `consume` is atomic across processes: under the exclusive lock file `<path>.lock` (`file-lock.ts`)
 * it reads the whole state, checks for replays, asks `accept`, and replaces the file atomically
 * (`writeFileAtomic`: temp file, fsync, rename). Readers (`list`) need no lock: they see the old file
 * or the new one, never a partial write. The directory is created 0700, the file written 0600.
 *
 * File format (2-space JSON + `\n`, rows in `list()` order):
 * `{"schema_id":"gait.state.approval_ledger","schema_version":1,"approval_consumptions":[{"token_id":…,
 * "intent_digest":…,"policy_digest":…,"trace_id":…,"consumed_at":…}]}`
 */
import { readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { ApprovalLedger, ConsumptionRow } from '../../artifacts/approval/types.js';
import { GaitError } from '../../errors/index.js';
import { ensureDir, writeFileAtomic } from '../atomic-write.js';
import { describeFsError } from '../read-input.js';
import { withFileLock } from './file-lock.js';
import type { FileLockOptions } from './file-lock.js';
import { copyRow, decideConsumption, planConsumption, sortRows } from './ledger-rows.js';

export const FILE_LEDGER_SCHEMA_ID = 'gait.state.approval_ledger';
export const FILE_LEDGER_SCHEMA_VERSION = 1;

export interface FileLedgerOptions {
  /** lock timing (defaults: retry every 15 ms, give up after 3 s, stale after 15 s) */
  readonly lock?: FileLockOptions;
}

const FIELDS = ['token_id', 'intent_digest', 'policy_digest', 'trace_id', 'consumed_at'] as const;

function invalid(path: string, why: string): GaitError {
  return new GaitError('storage_io', `cannot read approval ledger \`${path}\`: not a valid ledger file: ${why}`, {
    hint: 'restore the file from a backup, or move it aside to start an empty ledger (consumed tokens then become reusable)',
    details: { path },
  });
}

function parseRow(path: string, value: unknown, i: number): ConsumptionRow {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw invalid(path, `row ${String(i)} is not an object`);
  const o = value as Record<string, unknown>;
  for (const f of FIELDS) {
    if (typeof o[f] !== 'string') throw invalid(path, `row ${String(i)}: \`${f}\` must be a string`);
  }
  const s = o as Record<(typeof FIELDS)[number], string>;
  return { tokenId: s.token_id, intentDigest: s.intent_digest, policyDigest: s.policy_digest, traceId: s.trace_id, consumedAt: s.consumed_at };
}

function parseState(path: string, text: string): ConsumptionRow[] {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    throw invalid(path, (err as Error).message);
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) throw invalid(path, 'expected a JSON object');
  const o = doc as Record<string, unknown>;
  if (o['schema_id'] !== FILE_LEDGER_SCHEMA_ID) throw invalid(path, `\`schema_id\` must be \`${FILE_LEDGER_SCHEMA_ID}\``);
  if (o['schema_version'] !== FILE_LEDGER_SCHEMA_VERSION) {
    throw invalid(path, `unsupported \`schema_version\` \`${String(o['schema_version'])}\``);
  }
  const rows = o['approval_consumptions'];
  if (!Array.isArray(rows)) throw invalid(path, '`approval_consumptions` must be an array');
  const out = rows.map((r, i) => parseRow(path, r, i));
  if (new Set(out.map((r) => r.tokenId)).size !== out.length) throw invalid(path, 'duplicate `token_id`');
  return out;
}

/** @returns the rows in the file; [] when it does not exist yet */
function readState(path: string): ConsumptionRow[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw new GaitError('storage_io', `cannot read approval ledger \`${path}\`: ${describeFsError(err)}`, { details: { path }, cause: err });
  }
  return parseState(path, text);
}

function renderState(rows: readonly ConsumptionRow[]): string {
  const doc = {
    schema_id: FILE_LEDGER_SCHEMA_ID,
    schema_version: FILE_LEDGER_SCHEMA_VERSION,
    approval_consumptions: sortRows(rows).map((r) => ({
      token_id: r.tokenId,
      intent_digest: r.intentDigest,
      policy_digest: r.policyDigest,
      trace_id: r.traceId,
      consumed_at: r.consumedAt,
    })),
  };
  return `${JSON.stringify(doc, null, 2)}\n`;
}

/**
 * Opens the JSON-file approval ledger at `path` (no I/O until the first call).
 * @throws (from `consume`/`list`) GaitError `storage_io` (cannot read, write or lock; invalid file) or
 *   `storage_contention` (lock busy past its timeout), naming the path
 */
export function openFileLedger(path: string, options: FileLedgerOptions = {}): ApprovalLedger & { close(): void } {
  const lockPath = `${path}.lock`;
  return {
    consume(input, accept) {
      ensureDir(dirname(path), 0o700);
      return withFileLock(
        lockPath,
        () => {
          const rows = readState(path);
          const ids = new Set(rows.map((r) => r.tokenId));
          const plan = planConsumption(input, (id) => ids.has(id));
          return decideConsumption(plan, accept, (fresh) => {
            writeFileAtomic(path, renderState([...rows, ...fresh.map(copyRow)]), { mode: 0o600, dirMode: 0o700 });
          });
        },
        options.lock,
      );
    },
    list() {
      return sortRows(readState(path));
    },
    close() {
      // nothing held between calls
    },
  };
}
