/** `gait approval-audit verify <path>` (gate.md §A10, D5): strict schema + signature of an approval audit record. */
import { resolve } from 'node:path';
import { verifyApprovalAuditRecord } from '../../../artifacts/approval/audit.js';
import { GaitError } from '../../../errors/error.js';
import { parseJsonText, readInputFile } from '../../../storage/read-input.js';
import type { CommandContext, CommandOutcome, CommandSpec } from '../command.js';
import { optString } from '../command.js';
import { EXIT } from '../exit.js';
import { omitEmpty } from '../output.js';
import { loadVerifyKeyFromFlags, VERIFY_KEY_OPTIONS } from './verify-key.js';

const AUDIT_MAX_BYTES = 4 * 1_048_576;

async function run(ctx: CommandContext): Promise<CommandOutcome> {
  const path = ctx.args[0] ?? optString(ctx, 'path');
  if (path === '') throw new GaitError('input_usage', 'audit record path is required (gait approval-audit verify <path>)');
  const text = readInputFile(resolve(ctx.io.cwd, path), { label: 'approval audit record', maxBytes: AUDIT_MAX_BYTES, displayPath: path });
  const record = parseJsonText(text, { label: 'approval audit record', file: path });
  const { key } = loadVerifyKeyFromFlags(ctx);
  const report = verifyApprovalAuditRecord(record, key);
  const json = omitEmpty({
    ok: report.ok,
    path,
    trace_id: report.traceId,
    signature_status: report.signatureStatus,
    key_id: key.keyId,
    error: report.error,
  });
  const human = report.ok ? [`approval audit verify ok: ${path}`] : [`approval audit verify failed: ${path}`, `error: ${report.error}`];
  return { exitCode: report.ok ? EXIT.ok : EXIT.verificationFailed, json, human };
}

export const approvalAuditVerifyCommand: CommandSpec = {
  path: ['approval-audit', 'verify'],
  summary: 'verify a signed approval audit record offline: strict schema and Ed25519 signature (exit 0 ok, 2 failed)',
  args: ['[path]'],
  options: [{ flags: '--path <path>', description: 'audit record file (alternative to the argument)' }, ...VERIFY_KEY_OPTIONS],
  run,
};
