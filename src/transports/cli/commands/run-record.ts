/**
 * `gait run record` (artifacts.md §2.5): run-record input → signed runpack `<out-dir>/runpack_<run_id>.zip`,
 * verified after writing. Exit 0 recorded, 2 the written file failed verification, 6 bad input.
 */
import { join, resolve } from 'node:path';
import { buildRunpackSync } from '../../../artifacts/runpack/build.js';
import { isTicketFooter, ticketFooter } from '../../../artifacts/runpack/footer.js';
import { parseRunpackInput } from '../../../artifacts/runpack/input.js';
import type { RunpackInput } from '../../../artifacts/runpack/input.js';
import type { RefReceipt } from '../../../artifacts/runpack/types.js';
import { verifyRunpack } from '../../../artifacts/runpack/verify.js';
import { verifyKeyOf } from '../../../crypto/keys.js';
import { GaitError, isGaitError } from '../../../errors/error.js';
import type { ContextEnvelope } from '../../../schema/v1/context-envelope.js';
import { lowerSimple, trimSpec } from '../../../schema/v1/text.js';
import { parseJsonText, readInputFile } from '../../../storage/read-input.js';
import { displayBundlePath, hostRunEnv, readArtifactFile, writeArtifactFile } from '../../../storage/runpack-files.js';
import type { CommandContext, CommandOutcome, CommandSpec } from '../command.js';
import { optBool, optString } from '../command.js';
import { EXIT } from '../exit.js';
import { omitEmpty } from '../output.js';
import { ARTIFACT_KEY_OPTIONS, loadArtifactSigner } from './artifact-options.js';
import { loadContextEnvelope } from './gate-context.js';

/** Run-record inputs may be large (every intent and result of a run). */
const MAX_RECORD_INPUT_BYTES = 256 * 1_048_576;

function readInput(ctx: CommandContext): RunpackInput {
  const positional = ctx.args[0] ?? '';
  const flag = optString(ctx, 'input');
  if (positional !== '' && flag !== '' && positional !== flag) throw new GaitError('input_usage', 'give the input either as an argument or with --input, not both');
  const path = positional !== '' ? positional : flag;
  if (path === '') throw new GaitError('input_usage', 'run record input is required (gait run record --input <run_record.json>)');
  const text = readInputFile(resolve(ctx.io.cwd, path), { label: 'run record input', maxBytes: MAX_RECORD_INPUT_BYTES, displayPath: path });
  return parseRunpackInput(parseJsonText(text, { label: 'run record input', file: path }));
}

/** §2.5 step 1: `--run-id` overrides the run, the refs and every intent and result. */
function withRunId(input: RunpackInput, runId: string): RunpackInput {
  if (runId === '') return input;
  return {
    ...input,
    run: { ...input.run, runId },
    refs: { ...input.refs, runId },
    intents: input.intents.map((i) => ({ ...i, runId })),
    results: input.results.map((r) => ({ ...r, runId })),
  };
}

function assertRunIdUsable(runId: string): void {
  if (trimSpec(runId) === '') throw new GaitError('input_usage', 'input run.run_id is required (or set --run-id)');
  if (/[\\/]/.test(runId) || runId.includes('\u0000') || runId === '.' || runId === '..') {
    throw new GaitError('input_usage', `run_id \`${runId}\` cannot name a file: it must not contain \`/\`, \`\\\` or NUL`);
  }
}

function evidenceMode(ctx: CommandContext, input: RunpackInput): 'best_effort' | 'required' {
  const raw = lowerSimple(trimSpec(optString(ctx, 'contextEvidenceMode') || input.refs.contextEvidenceMode)) || 'best_effort';
  if (raw !== 'best_effort' && raw !== 'required') throw new GaitError('input_usage', 'context evidence mode must be best_effort or required');
  return raw;
}

function receiptsOf(envelope: ContextEnvelope): RefReceipt[] {
  return envelope.records
    .map((r) => ({
      refId: r.refId,
      sourceType: r.sourceType,
      sourceLocator: r.sourceLocator,
      queryDigest: r.queryDigest,
      contentDigest: r.contentDigest,
      retrievedAt: r.retrievedAt,
      redactionMode: r.redactionMode,
      immutability: r.immutability,
      freshnessSlaSeconds: r.freshnessSlaSeconds,
      sensitivityLabel: r.sensitivityLabel,
      ...(r.retrievalParams === undefined ? {} : { retrievalParams: r.retrievalParams }),
    }))
    .sort((a, b) => (a.refId < b.refId ? -1 : a.refId > b.refId ? 1 : 0));
}

/** §2.5 steps 3–6: evidence mode, `--context-envelope`, raw redaction guard, required-mode digest. */
function applyContext(ctx: CommandContext, input: RunpackInput, warnings: string[]): RunpackInput {
  const mode = evidenceMode(ctx, input);
  let refs = { ...input.refs, contextEvidenceMode: mode };
  if (optString(ctx, 'contextEnvelope').trim() !== '') {
    let envelope: ContextEnvelope | undefined;
    try {
      envelope = loadContextEnvelope(ctx);
    } catch (err) {
      if (mode === 'required' || !isGaitError(err) || err.category !== 'invalid_input') throw err;
      warnings.push(`context envelope ignored: ${err.message}`);
    }
    if (envelope !== undefined) {
      refs = { ...refs, receipts: receiptsOf(envelope), contextSetDigest: envelope.contextSetDigest, contextRefCount: envelope.records.length };
    }
  }
  const raw = refs.receipts.find((r) => lowerSimple(trimSpec(r.redactionMode)) === 'raw');
  if (raw !== undefined && !optBool(ctx, 'unsafeContextRaw')) {
    throw new GaitError('input_usage', `context reference ${raw.refId} has redaction_mode raw; pass --unsafe-context-raw to record raw context`);
  }
  if (mode === 'required' && trimSpec(refs.contextSetDigest) === '') {
    throw new GaitError('input_usage', 'context evidence mode required but context_set_digest is missing');
  }
  return { ...input, refs };
}

async function run(ctx: CommandContext): Promise<CommandOutcome> {
  const decoded = readInput(ctx);
  const input0 = withRunId(decoded, optString(ctx, 'runId'));
  assertRunIdUsable(input0.run.runId);
  const captureMode = optString(ctx, 'captureMode') || input0.captureMode || 'reference';
  if (captureMode !== 'reference' && captureMode !== 'raw') throw new GaitError('input_usage', 'capture mode must be one of: reference, raw');
  const contextWarnings: string[] = [];
  const input = applyContext(ctx, { ...input0, captureMode }, contextWarnings);
  const signer = loadArtifactSigner(ctx);
  const built = buildRunpackSync(input, { clock: ctx.io.clock, hostEnv: hostRunEnv(), ...(signer === undefined ? {} : { signingKey: signer.key }) });
  const outDir = optString(ctx, 'outDir') || 'gait-out';
  const bundle = join(outDir, `runpack_${built.runId}.zip`);
  const full = writeArtifactFile(bundle, built.bytes, ctx.io.cwd);
  const report = verifyRunpack(readArtifactFile(full, { label: 'runpack', display: bundle }), {
    ...(signer === undefined ? {} : { key: verifyKeyOf(signer.key) }),
  });
  if (!report.ok || report.signatureStatus === 'failed') {
    throw new GaitError('artifact_verification_failed', 'recorded runpack failed verification', { details: { bundle } });
  }
  const warnings = [...built.warnings, ...contextWarnings, ...(signer?.warnings ?? [])];
  // A run id outside the footer alphabet (e.g. with `.`) still records; only the footer is left out.
  const footer = isTicketFooter(`GAIT run_id=${built.runId} manifest=sha256:${built.manifestDigest} verify="gait verify ${built.runId}"`)
    ? ticketFooter(built.runId, built.manifestDigest)
    : '';
  if (footer === '') warnings.push(`ticket footer omitted: run_id ${built.runId} is outside the footer contract (letters, digits, _ and -)`);
  const shown = displayBundlePath(bundle);
  const json = omitEmpty({
    ok: true,
    run_id: built.runId,
    bundle: shown,
    manifest_digest: built.manifestDigest,
    signature_status: built.signatureStatus,
    signature_key_id: built.keyId,
    warnings,
    ticket_footer: footer,
  });
  const human = [`run_id=${built.runId}`, `bundle=${shown}`, `signature_status=${built.signatureStatus}`];
  if (built.keyId !== '') human.push(`signature_key_id=${built.keyId}`);
  if (warnings.length > 0) human.push(`warnings=${warnings.join(';')}`);
  if (footer !== '') human.push(`ticket_footer=${footer}`);
  return { exitCode: EXIT.ok, json, human };
}

export const runRecordCommand: CommandSpec = {
  path: ['run', 'record'],
  summary: 'record a run (intents, results, context receipts) as a signed, verifiable runpack zip',
  args: ['[input]'],
  options: [
    { flags: '--input <path>', description: 'run record input JSON (alternative to the argument)' },
    { flags: '--out-dir <dir>', description: 'output directory (default ./gait-out)' },
    { flags: '--run-id <id>', description: 'override the run id of the run, refs, intents and results' },
    { flags: '--capture-mode <mode>', description: 'reference (default: args and results replaced by digests) or raw' },
    { flags: '--context-envelope <path>', description: 'context evidence envelope whose records become the refs receipts' },
    { flags: '--context-evidence-mode <mode>', description: 'best_effort (default) or required' },
    { flags: '--unsafe-context-raw', description: 'allow context records with redaction_mode raw' },
    ...ARTIFACT_KEY_OPTIONS,
  ],
  run,
};
