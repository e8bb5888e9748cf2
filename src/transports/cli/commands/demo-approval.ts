/**
 * The approval loop of `gait demo` (gate.md §A9, D4, D5): the write that needs approval gets a token
 * minted for its exact intent and policy digests, is allowed once with it, is refused as a replay the
 * second time, and the signed approval audit record of the allowed run verifies offline.
 */
import { join, relative } from 'node:path';
import { verifyApprovalAuditRecord } from '../../../artifacts/approval/audit.js';
import { mintApprovalToken } from '../../../artifacts/approval/mint.js';
import { runGateEval } from '../../../artifacts/gate/gate-eval.js';
import type { GateEvalResult } from '../../../artifacts/gate/gate-eval.js';
import type { SigningKey } from '../../../crypto/keys.js';
import { verifyKeyOf } from '../../../crypto/keys.js';
import type { CompiledPolicy } from '../../../policy/compile.js';
import { GAIT_VERSION } from '../../../runtime/version.js';
import type { Intent } from '../../../schema/v1/intent-types.js';
import { writeFileAtomic } from '../../../storage/atomic-write.js';
import { openApprovalLedger } from '../../../storage/ledger/open-ledger.js';
import type { CommandContext } from '../command.js';

export interface ApprovalLoopStep {
  readonly step: string;
  readonly verdict: string;
  readonly expected_verdict: string;
  readonly reason_codes: readonly string[];
  readonly path: string;
  readonly ok: boolean;
}

function writeJson(path: string, value: unknown): void {
  writeFileAtomic(path, `${JSON.stringify(value, null, 2)}\n`, { mode: 0o600 });
}

/** Runs the loop for `intent` (a require_approval call) and reports each step. */
export function runApprovalLoop(
  ctx: CommandContext,
  compiled: CompiledPolicy,
  intent: Intent,
  pending: GateEvalResult,
  key: SigningKey,
  outDir: string,
): ApprovalLoopStep[] {
  const rel = (p: string): string => relative(ctx.io.cwd, p);
  const { token, record } = mintApprovalToken(
    {
      intentDigest: pending.decision.intentDigest,
      policyDigest: pending.decision.policyDigest,
      ttlNanos: 3600e9,
      scope: [`tool:${intent.toolName}`],
      approverIdentity: 'demo.reviewer',
      reasonCode: 'DEMO-CHANGE-1',
      producerVersion: GAIT_VERSION,
      createdAt: ctx.io.clock.now(),
    },
    key,
  );
  const tokenPath = join(outDir, 'approval_token.json');
  writeJson(tokenPath, record);
  const ledger = openApprovalLedger(join(outDir, 'state.db'));
  const evaluateWithToken = (): GateEvalResult =>
    runGateEval(compiled, intent, {
      evaluationTime: ctx.io.clock.now(),
      clock: ctx.io.clock,
      signingKey: key,
      producerVersion: GAIT_VERSION,
      correlationId: ctx.correlationId,
      simulate: false,
      approvals: { tokens: [{ source: tokenPath, raw: JSON.parse(JSON.stringify(record)) as unknown }], verifyKey: verifyKeyOf(key), openLedger: () => ledger },
    });
  try {
    const granted = evaluateWithToken();
    const tracePath = join(outDir, 'trace_write-release-notes.approved.json');
    writeJson(tracePath, granted.trace);
    const auditPath = join(outDir, 'approval_audit.json');
    writeJson(auditPath, granted.approvalAudit);
    const replay = evaluateWithToken();
    const audit = verifyApprovalAuditRecord(JSON.parse(JSON.stringify(granted.approvalAudit)) as unknown, verifyKeyOf(key));
    return [
      { step: `approve ${token.tokenId}`, verdict: '', expected_verdict: '', reason_codes: [], path: rel(tokenPath), ok: true },
      stepOf('gate eval --approval-token', granted, 'allow', 'approval_granted', rel(tracePath)),
      stepOf('gate eval again (replay)', replay, 'require_approval', 'approval_token_replayed', ''),
      { step: 'approval-audit verify', verdict: '', expected_verdict: '', reason_codes: [], path: rel(auditPath), ok: audit.ok },
    ];
  } finally {
    ledger.close();
  }
}

function stepOf(step: string, r: GateEvalResult, expected: string, reason: string, path: string): ApprovalLoopStep {
  return { step, verdict: r.verdict, expected_verdict: expected, reason_codes: r.reasonCodes, path, ok: r.verdict === expected && r.reasonCodes.includes(reason) };
}
