/** `gait approvals list` (gate.md §A9.7): the consumed approval tokens recorded in the single-use ledger. */
import { resolve } from 'node:path';
import { openApprovalLedger } from '../../../storage/ledger/open-ledger.js';
import type { CommandOutcome, CommandSpec } from '../command.js';
import { optString } from '../command.js';
import { EXIT } from '../exit.js';
import { DEFAULT_STATE_PATH } from './gate-approvals.js';

export const approvalsListCommand: CommandSpec = {
  path: ['approvals', 'list'],
  summary: 'list consumed approval tokens (token_id, intent_digest, consumed_at, trace_id) from the single-use ledger',
  options: [{ flags: '--state <path>', description: `ledger path (default ${DEFAULT_STATE_PATH})` }],
  run: async (ctx): Promise<CommandOutcome> => {
    const given = optString(ctx, 'state') || DEFAULT_STATE_PATH;
    const ledger = openApprovalLedger(resolve(ctx.io.cwd, given));
    try {
      const rows = ledger.list();
      const consumed = rows.map((r) => ({
        token_id: r.tokenId,
        intent_digest: r.intentDigest,
        policy_digest: r.policyDigest,
        consumed_at: r.consumedAt,
        trace_id: r.traceId,
      }));
      const human = rows.length === 0 ? ['no consumed approval tokens'] : rows.map((r) => `${r.consumedAt} ${r.tokenId} intent=${r.intentDigest} trace=${r.traceId}`);
      return { exitCode: EXIT.ok, json: { ok: true, state: given, backend: ledger.backend, count: rows.length, consumed }, human };
    } finally {
      ledger.close();
    }
  },
};
