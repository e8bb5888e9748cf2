/**
 * `gait verify session-chain` (artifacts.md §2.12) without file access: checkpoint indices 1..n,
 * `prev_checkpoint_digest` linkage, `sequence_start` after the previous `sequence_end`, recomputed
 * checkpoint digests, the chain's signature, and each checkpoint's runpack (full runpack verification,
 * its `manifest_digest` and run id). Every problem is a value in the report, never an exception.
 */
import { verifyRecordSignature } from '../../crypto/envelope.js';
import type { VerifyKey } from '../../crypto/keys.js';
import { verifyRunpack } from '../runpack/verify.js';
import type { SignatureStatus } from '../runpack/verify.js';
import type { ZipLimits } from '../zip/read.js';
import type { ParsedChain } from './chain.js';
import { checkpointDigest } from './checkpoint-digest.js';
import { checkpointRunId } from './names.js';
import type { SessionCheckpoint } from './types.js';

export interface VerifyChainOptions {
  /** reads the runpack a checkpoint names; throws (any error, its message is reported) when it cannot */
  readonly loadRunpack: (runpackPath: string) => Uint8Array;
  /** verifies the chain's and the runpacks' signatures; without one they report `skipped` */
  readonly key?: VerifyKey;
  /** `ok` then needs verified signatures on the chain and on every runpack */
  readonly requireSignature?: boolean;
  readonly limits?: Partial<ZipLimits>;
}

export interface SessionChainReport {
  readonly ok: boolean;
  readonly sessionId: string;
  readonly runId: string;
  readonly checkpointsChecked: number;
  /** problems of the chain itself (order, links, digests, signature), in checkpoint order */
  readonly linkageErrors: readonly string[];
  /** problems of the checkpoint runpacks, in checkpoint order */
  readonly checkpointErrors: readonly string[];
  /** the chain file's own signature */
  readonly signatureStatus: SignatureStatus;
}

function linkageErrorsOf(sessionId: string, runId: string, cp: SessionCheckpoint, position: number, previous: SessionCheckpoint | undefined): string[] {
  const label = `checkpoint ${position}`;
  const errors: string[] = [];
  if (cp.checkpointIndex !== position) errors.push(`${label}: checkpoint_index is ${cp.checkpointIndex}, expected ${position}`);
  if (cp.sessionId !== sessionId || cp.runId !== runId) errors.push(`${label}: belongs to session \`${cp.sessionId}\` run \`${cp.runId}\`, not the chain's`);
  const expectedPrev = previous?.checkpointDigest ?? '';
  if (cp.prevCheckpointDigest !== expectedPrev) {
    errors.push(previous === undefined ? `${label}: prev_checkpoint_digest must be empty` : `${label}: prev_checkpoint_digest does not match checkpoint ${position - 1}`);
  }
  if (cp.sequenceStart < 1 || cp.sequenceEnd < cp.sequenceStart) errors.push(`${label}: invalid sequence range ${cp.sequenceStart}..${cp.sequenceEnd}`);
  if (previous !== undefined && cp.sequenceStart <= previous.sequenceEnd) {
    errors.push(`${label}: sequence_start ${cp.sequenceStart} does not follow sequence_end ${previous.sequenceEnd} of checkpoint ${position - 1}`);
  }
  const digest = checkpointDigest(cp.manifestDigest, cp.prevCheckpointDigest, cp.checkpointIndex, cp.sequenceStart, cp.sequenceEnd);
  if (cp.checkpointDigest.toLowerCase() !== digest) errors.push(`${label}: checkpoint_digest does not match its recomputed value ${digest}`);
  return errors;
}

function runpackErrorsOf(runId: string, cp: SessionCheckpoint, position: number, options: VerifyChainOptions): string[] {
  const label = `checkpoint ${position}`;
  let bytes: Uint8Array;
  try {
    bytes = options.loadRunpack(cp.runpackPath);
  } catch (err) {
    return [`${label}: ${err instanceof Error ? err.message : String(err)}`];
  }
  const report = verifyRunpack(bytes, {
    ...(options.key === undefined ? {} : { key: options.key }),
    ...(options.requireSignature === undefined ? {} : { requireSignature: options.requireSignature }),
    ...(options.limits === undefined ? {} : { limits: options.limits }),
  });
  const errors: string[] = [];
  if (!report.ok) {
    const why = report.checks.filter((c) => !c.ok).map((c) => `${c.name}: ${c.why ?? 'failed'}`);
    errors.push(`${label}: runpack \`${cp.runpackPath}\` failed verification (${why.join('; ') || report.error})`);
  }
  if (report.runId !== '' && report.manifestDigest.toLowerCase() !== cp.manifestDigest.toLowerCase()) {
    errors.push(`${label}: manifest_digest does not match runpack \`${cp.runpackPath}\` (${report.manifestDigest})`);
  }
  const expectedRun = checkpointRunId(runId, cp.checkpointIndex);
  if (report.runId !== '' && report.runId !== expectedRun) errors.push(`${label}: runpack run_id is \`${report.runId}\`, expected \`${expectedRun}\``);
  return errors;
}

function chainSignature(parsed: ParsedChain, options: VerifyChainOptions): { status: SignatureStatus; error: string } {
  const required = options.requireSignature === true;
  if (parsed.signature === undefined) return { status: 'missing', error: required ? 'chain signature missing' : '' };
  if (options.key === undefined) return { status: 'skipped', error: required ? 'chain signature not checked: public key not configured' : '' };
  const check = verifyRecordSignature(parsed.raw, parsed.signature, options.key, { missingMessage: 'chain signature missing' });
  return check.ok ? { status: 'verified', error: '' } : { status: 'failed', error: `chain signature: ${check.error}` };
}

/**
 * Verifies a parsed chain (§2.12).
 * @returns the report; `ok` when there is at least one checkpoint and no linkage or checkpoint error
 * @example verifySessionChain(parseSessionChain(json), { loadRunpack: (p) => readFileSync(p), key }).ok
 */
export function verifySessionChain(parsed: ParsedChain, options: VerifyChainOptions): SessionChainReport {
  const { chain } = parsed;
  const linkageErrors: string[] = [];
  const checkpointErrors: string[] = [];
  if (chain.checkpoints.length === 0) linkageErrors.push('session chain has no checkpoints');
  chain.checkpoints.forEach((cp, i) => {
    linkageErrors.push(...linkageErrorsOf(chain.sessionId, chain.runId, cp, i + 1, chain.checkpoints[i - 1]));
    checkpointErrors.push(...runpackErrorsOf(chain.runId, cp, i + 1, options));
  });
  const signature = chainSignature(parsed, options);
  if (signature.error !== '') linkageErrors.push(signature.error);
  return {
    ok: linkageErrors.length === 0 && checkpointErrors.length === 0,
    sessionId: chain.sessionId,
    runId: chain.runId,
    checkpointsChecked: chain.checkpoints.length,
    linkageErrors,
    checkpointErrors,
    signatureStatus: signature.status,
  };
}
