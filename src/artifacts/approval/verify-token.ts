/**
 * Approval token validation (gate.md §A9.5 steps 1–10; step 11, replay, belongs to the ledger, D4)
 * and the bindings `gate eval` expects (§A9.4). Every failure is a value: the first failing step's
 * code becomes the entry's `errorCode`.
 */
import { verifyRecordSignature } from '../../crypto/envelope.js';
import type { VerifyKey } from '../../crypto/keys.js';
import { compareTimestamps } from '../../runtime/timestamp.js';
import type { Timestamp } from '../../runtime/timestamp-type.js';
import { delegationDigest } from '../../schema/v1/intent-digest.js';
import type { Intent } from '../../schema/v1/intent-types.js';
import { loweredList, lowerSimple, trimSpec } from '../../schema/v1/text.js';
import { approvalTokenPartial, normalizeApprovalToken, toApprovalTokenRecord } from './token.js';
import type { ApprovalEntry, ApprovalExpectation, ApprovalToken, ApprovalTokenCode } from './types.js';

/** One checked token: its audit entry, why it failed ('' when valid) and the token when it normalized. */
export type ApprovalCheck = ApprovalEntry & {
  readonly token?: ApprovalToken;
  readonly detail: string;
};

interface Failure {
  readonly code: ApprovalTokenCode;
  readonly detail: string;
}

interface CheckContext {
  readonly token: ApprovalToken;
  readonly expected: ApprovalExpectation;
  readonly key: VerifyKey | undefined;
  readonly now: Timestamp;
}

type Step = (ctx: CheckContext) => Failure | undefined;

function fail(code: ApprovalTokenCode, detail: string): Failure {
  return { code, detail };
}

/** §A8 verification of the normalized token; '' when the signature verifies, else the §A8 error. */
function signatureError(token: ApprovalToken, key: VerifyKey): string {
  const check = verifyRecordSignature(toApprovalTokenRecord(token), token.signature, key, {
    missingMessage: 'approval token signature missing',
  });
  return check.ok ? '' : check.error;
}

/** Steps 2 and 3: a verify key, a signature, and the signature over the normalized token. */
const signatureStep: Step = ({ token, key }) => {
  if (key === undefined) return fail('approval_token_signature_invalid', 'verification public key is required');
  if (token.signature === undefined) return fail('approval_token_signature_missing', 'approval token signature missing');
  const error = signatureError(token, key);
  return error === '' ? undefined : fail('approval_token_signature_invalid', error);
};

const intentStep: Step = ({ token, expected }) =>
  token.intentDigest === lowerSimple(trimSpec(expected.intentDigest))
    ? undefined
    : fail('approval_token_intent_mismatch', 'intent digest mismatch');

const policyStep: Step = ({ token, expected }) =>
  token.policyDigest === lowerSimple(trimSpec(expected.policyDigest))
    ? undefined
    : fail('approval_token_policy_mismatch', 'policy digest mismatch');

/** Step 6: only a non-empty expected binding is enforced. */
const delegationStep: Step = ({ token, expected }) => {
  const binding = lowerSimple(trimSpec(expected.delegationBinding));
  if (binding === '' || binding === token.delegationBindingDigest) return undefined;
  return fail('approval_token_delegation_binding_mismatch', 'delegation binding digest mismatch');
};

/** Step 7: expired when now ≥ `expires_at` (instants). */
const expiryStep: Step = ({ token, now }) =>
  compareTimestamps(now, token.expiresAt) >= 0 ? fail('approval_token_expired', 'token expired') : undefined;

/** Step 8: every required item is in the token scope, or the token scope holds `*`. */
const scopeStep: Step = ({ token, expected }) => {
  if (token.scope.includes('*')) return undefined;
  const granted = new Set(token.scope);
  const missing = loweredList(expected.requiredScope).filter((item) => !granted.has(item));
  return missing.length === 0 ? undefined : fail('approval_token_scope_mismatch', `scope mismatch: missing ${missing.join(',')}`);
};

const maxTargetsStep: Step = ({ token, expected }) =>
  token.maxTargets > 0 && expected.targetCount > token.maxTargets
    ? fail('approval_token_max_targets_exceeded', 'target count exceeds token max_targets')
    : undefined;

const maxOpsStep: Step = ({ token, expected }) =>
  token.maxOps > 0 && expected.opCount > token.maxOps
    ? fail('approval_token_max_ops_exceeded', 'operation count exceeds token max_ops')
    : undefined;

/** §A9.5 steps 2–10 in order; the first failure wins. */
const STEPS: readonly Step[] = [
  signatureStep,
  intentStep,
  policyStep,
  delegationStep,
  expiryStep,
  scopeStep,
  maxTargetsStep,
  maxOpsStep,
];

/**
 * Checks one parsed token file against the expected bindings (gate.md §A9.5 steps 1–10, first failure
 * wins). `key` undefined means no verify key was configured (step 2). `now` is the wall clock. The
 * single-use check (step 11) is the ledger's: run it on the valid results only. Never throws.
 */
export function checkApprovalToken(
  raw: unknown,
  expected: ApprovalExpectation,
  key: VerifyKey | undefined,
  now: Timestamp,
): ApprovalCheck {
  const normalized = normalizeApprovalToken(raw);
  if (!normalized.ok) {
    return { ...normalized.partial, valid: false, errorCode: normalized.code, detail: normalized.detail };
  }
  const { token } = normalized;
  const ctx: CheckContext = { token, expected, key, now };
  for (const step of STEPS) {
    const failure = step(ctx);
    if (failure !== undefined) {
      return { ...approvalTokenPartial(token), valid: false, errorCode: failure.code, detail: failure.detail, token };
    }
  }
  return { ...approvalTokenPartial(token), valid: true, errorCode: '', detail: '', token };
}

/**
 * Whether a parsed token file normalizes and its signature verifies with `key` (§A9.5 steps 1–3),
 * ignoring bindings and expiry. False for anything malformed; never throws.
 */
export function verifyApprovalTokenSignature(raw: unknown, key: VerifyKey): boolean {
  const normalized = normalizeApprovalToken(raw);
  if (!normalized.ok || normalized.token.signature === undefined) return false;
  return signatureError(normalized.token, key) === '';
}

/**
 * The bindings `gate eval` checks tokens against (gate.md §A9.4), from the prepared intent (§A3.6),
 * the policy digest and the prepared intent's digest. Scripts (§B1) are refused before this runs,
 * so target and op counts are those of a single intent.
 */
export function expectedApprovalBindings(
  preparedIntent: Intent,
  policyDigest: string,
  intentDigest: string,
): ApprovalExpectation {
  const destructiveApply = preparedIntent.context.phase === 'apply' && preparedIntent.targets.some((t) => t.destructive);
  const scope = [`tool:${preparedIntent.toolName}`, ...(destructiveApply ? ['phase:apply', 'destructive:apply'] : [])];
  const targetCount = preparedIntent.targets.length;
  return {
    intentDigest: lowerSimple(trimSpec(intentDigest)),
    policyDigest: lowerSimple(trimSpec(policyDigest)),
    delegationBinding: delegationDigest(preparedIntent),
    requiredScope: loweredList(scope),
    targetCount,
    opCount: Math.max(targetCount, 1),
  };
}
