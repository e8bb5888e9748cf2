/** `gait trace verify <path>` (gate.md §A12.5, D6): schema + signature, exit 0 verified, 2 failed, 6 bad input. */
import { resolve } from 'node:path';
import { GaitError } from '../../../errors/error.js';
import { verifyTrace } from '../../../artifacts/trace/verify.js';
import { parseJsonText, readInputFile } from '../../../storage/read-input.js';
import type { CommandContext, CommandOutcome, CommandSpec } from '../command.js';
import { optString } from '../command.js';
import { EXIT } from '../exit.js';
import { omitEmpty } from '../output.js';
import { loadVerifyKeyFromFlags, VERIFY_KEY_OPTIONS } from './verify-key.js';

/** Trace files are small; the cap only guards against pointing the verifier at something huge. */
const TRACE_MAX_BYTES = 4 * 1_048_576;

async function run(ctx: CommandContext): Promise<CommandOutcome> {
  const positional = ctx.args[0] ?? '';
  const flagPath = optString(ctx, 'path');
  if (positional !== '' && flagPath !== '' && positional !== flagPath) {
    throw new GaitError('input_usage', 'give the trace path either as an argument or with --path, not both');
  }
  const path = positional !== '' ? positional : flagPath;
  if (path === '') throw new GaitError('input_usage', 'trace path is required (gait trace verify <path>)');
  const text = readInputFile(resolve(ctx.io.cwd, path), { label: 'trace', maxBytes: TRACE_MAX_BYTES });
  const record = parseJsonText(text, { label: 'trace', file: path });
  const { key } = loadVerifyKeyFromFlags(ctx);
  const report = verifyTrace(record, key);
  const json = omitEmpty({
    ok: report.ok,
    path,
    trace_id: report.traceId,
    verdict: report.verdict,
    signature_status: report.signatureStatus,
    key_id: key.keyId,
    error: report.error,
  });
  const human = report.ok ? [`trace verify ok: ${path}`] : [`trace verify failed: ${path}`, `error: ${report.error}`];
  return { exitCode: report.ok ? EXIT.ok : EXIT.verificationFailed, json, human };
}

export const traceVerifyCommand: CommandSpec = {
  path: ['trace', 'verify'],
  summary: 'verify a signed trace offline: strict schema, signed digest, key id and Ed25519 signature (exit 0 ok, 2 failed)',
  args: ['[path]'],
  options: [{ flags: '--path <path>', description: 'trace file (alternative to the argument)' }, ...VERIFY_KEY_OPTIONS],
  run,
};
