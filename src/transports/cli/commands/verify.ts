/**
 * `gait verify <run_id|path>` (artifacts.md §2.8): safe reader, strict manifest, file hashes,
 * undeclared files, `manifest_digest`, signatures. Exit 0 ok, 2 failed, 6 usage or not found.
 */
import { verifyRunpack } from '../../../artifacts/runpack/verify.js';
import type { RunpackVerifyReport, SignatureStatus } from '../../../artifacts/runpack/verify.js';
import type { CommandContext, CommandOutcome, CommandSpec } from '../command.js';
import { EXIT } from '../exit.js';
import { omitEmpty } from '../output.js';
import { loadRunpackRef, positionalOrFlag, VERIFY_OPTIONS, verifySettings } from './artifact-options.js';

/** `signature_note` (§2.8). */
export function signatureNote(status: SignatureStatus, required: boolean): string {
  switch (status) {
    case 'missing':
      return required
        ? 'signatures are required in this mode; provide signing keys and re-run verify'
        : 'unsigned local/dev artifacts are expected by default; use --require-signature for strict verification';
    case 'skipped':
      return required
        ? 'signature checks were expected but skipped; provide a public key or private key source'
        : 'signature checks were skipped because no verify key was provided';
    case 'verified':
      return 'signatures verified';
    case 'failed':
      return 'signature verification failed; inspect signature_errors and re-run with the correct key';
    default: {
      const never: never = status;
      return never;
    }
  }
}

/** `next_commands` (§2.8, §10); `<intents.jsonl>` is a literal placeholder. */
export function verifyNextCommands(runId: string): string[] {
  return [
    `gait run inspect --from ${runId} --json`,
    `gait regress bootstrap --from ${runId} --intents <intents.jsonl> --json --junit ./gait-out/junit.xml`,
    'gait demo --durable',
    'gait demo --policy',
  ];
}

/** The §2.8 JSON members of a report (all omit-empty except `ok`), plus the checks. */
export function verifyReportJson(report: RunpackVerifyReport, path: string, required: boolean): Record<string, unknown> {
  const opened = report.runId !== '';
  return omitEmpty({
    ok: report.ok,
    path,
    run_id: report.runId,
    manifest_digest: report.manifestDigest,
    files_checked: report.filesChecked,
    missing_files: report.missingFiles,
    hash_mismatches: report.hashMismatches.map((m) => ({ path: m.path, expected: m.expected, actual: m.actual })),
    undeclared_files: report.undeclaredFiles,
    signature_status: opened ? report.signatureStatus : '',
    signature_errors: report.signatureErrors,
    signatures_total: report.signaturesTotal,
    signatures_valid: report.signaturesValid,
    signature_note: opened ? signatureNote(report.signatureStatus, required) : '',
    next_commands: opened ? verifyNextCommands(report.runId) : [],
    checks: report.checks.map((c) => omitEmpty({ name: c.name, ok: c.ok, why: c.why }, ['name', 'ok'])),
    error: report.error,
  });
}

function human(report: RunpackVerifyReport, path: string, required: boolean): string[] {
  if (report.runId === '') return [`verify error: ${report.error}`];
  const status = [`signature status: ${report.signatureStatus}`, `signature note: ${signatureNote(report.signatureStatus, required)}`];
  const next = `next: ${verifyNextCommands(report.runId).join(' | ')}`;
  if (report.ok) return [`verify ok: ${path}`, ...status, next];
  const lines = [`verify failed: ${path}`];
  if (report.missingFiles.length > 0) lines.push(`missing files: ${report.missingFiles.join(',')}`);
  if (report.hashMismatches.length > 0) lines.push(`hash mismatches: ${report.hashMismatches.length}`);
  if (report.undeclaredFiles.length > 0) lines.push(`undeclared files: ${report.undeclaredFiles.join(',')}`);
  lines.push(...status);
  if (report.signatureErrors.length > 0) lines.push(`signature errors: ${report.signatureErrors.join(',')}`);
  const failed = report.checks.filter((c) => !c.ok).map((c) => c.name);
  if (failed.length > 0) lines.push(`failed checks: ${failed.join(',')}`);
  lines.push(next);
  return lines;
}

async function run(ctx: CommandContext): Promise<CommandOutcome> {
  const ref = positionalOrFlag(ctx, 'path', '--path', 'runpack path or run_id');
  const settings = verifySettings(ctx);
  const file = loadRunpackRef(ctx, ref);
  const report = verifyRunpack(file.bytes, {
    requireSignature: settings.requireSignature,
    limits: settings.limits,
    ...(settings.key === undefined ? {} : { key: settings.key }),
  });
  return {
    exitCode: report.ok ? EXIT.ok : EXIT.verificationFailed,
    json: verifyReportJson(report, file.display, settings.requireSignature),
    human: human(report, file.display, settings.requireSignature),
  };
}

export const verifyCommand: CommandSpec = {
  path: ['verify'],
  summary: 'verify a runpack offline: safe zip reader, manifest, file hashes, undeclared files, signatures (exit 0 ok, 2 failed)',
  args: ['[run]'],
  options: [{ flags: '--path <path>', description: 'runpack path (alternative to the argument)' }, ...VERIFY_OPTIONS],
  run,
};
