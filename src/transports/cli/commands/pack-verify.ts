/** `gait pack verify <pack.zip>` (artifacts.md §3.6): exit 0 ok, 2 failed, 6 not a pack or bad usage. */
import { verifyPack } from '../../../artifacts/pack/verify.js';
import type { PackVerifyReport } from '../../../artifacts/pack/verify.js';
import type { CommandContext, CommandOutcome, CommandSpec } from '../command.js';
import { EXIT } from '../exit.js';
import { omitEmpty } from '../output.js';
import { positionalOrFlag, VERIFY_OPTIONS, verifySettings } from './artifact-options.js';
import { loadPackFile, packOutput } from './pack-common.js';

function verifyJson(r: PackVerifyReport): Record<string, unknown> {
  return omitEmpty(
    {
      pack_id: r.packId,
      pack_type: r.packType,
      source_ref: r.sourceRef,
      files_checked: r.filesChecked,
      proof_records_verified: r.proofRecordsVerified,
      missing_files: r.missingFiles,
      hash_mismatches: r.hashMismatches.map((m) => ({ path: m.path, expected: m.expected, actual: m.actual })),
      undeclared_files: r.undeclaredFiles,
      signature_status: r.packId === '' ? '' : r.signatureStatus,
      signature_errors: r.signatureErrors,
      signatures_total: r.signaturesTotal,
      signatures_valid: r.signaturesValid,
      legacy_type: r.legacyType,
      checks: r.checks.map((c) => omitEmpty({ name: c.name, ok: c.ok, why: c.why }, ['name', 'ok'])),
    },
    ['pack_id', 'pack_type', 'source_ref', 'files_checked'],
  );
}

async function run(ctx: CommandContext): Promise<CommandOutcome> {
  const path = positionalOrFlag(ctx, 'path', '--path', 'pack path');
  const settings = verifySettings(ctx);
  const report = verifyPack(loadPackFile(ctx, path), {
    requireSignature: settings.requireSignature,
    limits: settings.limits,
    ...(settings.key === undefined ? {} : { key: settings.key }),
  });
  const failed = report.checks.filter((c) => !c.ok);
  const human = report.ok
    ? [`pack verify ok: ${path}`, `signature status: ${report.signatureStatus}`]
    : [`pack verify failed: ${path}`, ...failed.map((c) => `${c.name}: ${c.why ?? ''}`)];
  const body: Record<string, unknown> = { verify: verifyJson(report) };
  if (report.error !== '') body['error'] = report.error;
  return { exitCode: report.ok ? EXIT.ok : EXIT.verificationFailed, json: packOutput('verify', report.ok, body), human };
}

export const packVerifyCommand: CommandSpec = {
  path: ['pack', 'verify'],
  summary: 'verify a PackSpec pack (or a bare runpack) offline: files, pack_id, proof records, embedded runpack, signatures',
  args: ['[pack]'],
  options: [{ flags: '--path <path>', description: 'pack path (alternative to the argument)' }, ...VERIFY_OPTIONS],
  run,
};
