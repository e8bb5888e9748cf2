/**
 * `gateEval`: the whole `gait gate eval` pipeline in-process (gate.md §A12.3, Part A): evaluate,
 * the approval step, simulate presentation, and the signed trace. The CLI runs the same function.
 */
import { GaitError } from '../errors/error.js';
import { runGateEval } from '../artifacts/gate/gate-eval.js';
import type { GateEvalResult } from '../artifacts/gate/gate-eval.js';
import type { ApprovalStepInput } from '../artifacts/gate/approval-step.js';
import type { ApprovalLedger } from '../artifacts/approval/types.js';
import type { SigningKey, VerifyKey } from '../crypto/keys.js';
import { verifyKeyOf } from '../crypto/keys.js';
import type { CompiledPolicy } from '../policy/compile.js';
import type { Clock } from '../runtime/clock.js';
import { systemClock } from '../runtime/clock.js';
import { GAIT_VERSION } from '../runtime/version.js';
import type { Intent } from '../schema/v1/intent-types.js';
import { isParsedIntent, parseIntent, toContextEnvelope } from './evaluate.js';
import { resolveInstant } from './time.js';
import type { InstantInput } from './time.js';

export interface GateEvalOptions {
  /** Key the trace is signed with (`generateKeyPair`, `parsePrivateKey`, or `gait/node` key loading). */
  readonly signingKey: SigningKey;
  /** Wall clock for `observed_at` and `latency_ms` (and the default evaluation time). */
  readonly clock?: Clock;
  readonly evaluationTime?: InstantInput;
  /** Trace `correlation_id`; default ''. */
  readonly correlationId?: string;
  /** Trace `producer_version`; default this package's version. */
  readonly producerVersion?: string;
  /** Observe mode (gate.md §B12): the result presents a non-enforcing outcome; the trace keeps the real one (D8). */
  readonly simulate?: boolean;
  /** Recorded as the trace `approval_token_ref`. */
  readonly approvalTokenRef?: string;
  /** Approval tokens for a require_approval outcome (gate.md §A9.6). */
  readonly approvals?: GateApprovals;
  /** A context evidence envelope (`gait.context.envelope`, raw JSON or parsed) to bind (§B2). */
  readonly contextEnvelope?: unknown;
}

export interface GateApprovals {
  /** parsed token files (`JSON.parse`), in any order */
  readonly tokens: readonly unknown[];
  /** verifies the tokens; default: the public half of `signingKey` */
  readonly verifyKey?: VerifyKey;
  /**
   * The single-use ledger (D4): `openApprovalLedger(path)` from `gait/node` for a durable one shared
   * by processes, `createMemoryLedger()` for one process. Without it, single-use policies cannot
   * record consumption and the verdict stays require_approval (`approval_ledger_unavailable`).
   */
  readonly ledger?: ApprovalLedger;
}

function approvalInput(approvals: GateApprovals | undefined, signingKey: SigningKey): ApprovalStepInput | undefined {
  if (approvals === undefined) return undefined;
  const ledger = approvals.ledger;
  return {
    tokens: approvals.tokens.map((raw, i) => ({ source: `tokens[${i}]`, raw })),
    verifyKey: approvals.verifyKey ?? verifyKeyOf(signingKey),
    openLedger: () => {
      if (ledger === undefined) throw new GaitError('storage_io', 'no approval ledger was given (GateEvalOptions.approvals.ledger)');
      return ledger;
    },
  };
}


function normalizedIntentOf(intent: unknown): Intent {
  return isParsedIntent(intent) ? intent : parseIntent(intent);
}

/**
 * Evaluates one intent as `gait gate eval` does and signs the trace.
 * @param policy from `loadPolicy`
 * @param intent an intent from `parseIntent`, or the raw IntentRequest JSON value
 * @param options the signing key, and optionally clock, evaluation time, correlation id, simulate
 * @returns verdict, reason codes and violations (real and presented), approvals, `traceId` and the signed `trace`
 * @throws GaitError `input_intent` for an intent that cannot be normalized (no trace can describe it; the
 *   verdict is "no"), `input_unsupported_feature`, `input_usage` for a bad evaluation time,
 *   `artifact_invalid` for a malformed context envelope
 * @example const r = gateEval(policy, intent, { signingKey }); if (r.verdict !== 'allow') return;
 */
export function gateEval(policy: CompiledPolicy, intent: unknown, options: GateEvalOptions): GateEvalResult {
  const normalized = normalizedIntentOf(intent);
  const clock = options.clock ?? systemClock;
  if (options.signingKey === undefined) throw new GaitError('sig_key_missing', 'gateEval requires a signingKey');
  return runGateEval(policy, normalized, {
    evaluationTime: resolveInstant(options.evaluationTime, clock),
    clock,
    signingKey: options.signingKey,
    producerVersion: options.producerVersion ?? GAIT_VERSION,
    correlationId: options.correlationId ?? '',
    simulate: options.simulate ?? false,
    ...(options.approvalTokenRef === undefined ? {} : { approvalTokenRef: options.approvalTokenRef }),
    ...optional('approvals', approvalInput(options.approvals, options.signingKey)),
    ...optional('contextEnvelope', toContextEnvelope(options.contextEnvelope)),
  });
}

function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}
