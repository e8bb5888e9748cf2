/**
 * `gait`: the public library API (named exports only; a deliberate list, pinned in
 * test/pins/exports.test.ts). This entry is pure: no file, network or process access. File and key
 * loading live at `gait/node`.
 */
export { loadPolicy } from './api/policy.js';
export type { LoadPolicyOptions } from './api/policy.js';
export { evaluate, parseIntent } from './api/evaluate.js';
export type { EvaluateOptions } from './api/evaluate.js';
export { gateEval } from './api/gate.js';
export type { GateEvalOptions } from './api/gate.js';
export { signTrace, verifyTrace } from './api/trace.js';
export type { SignedTrace, SignTraceOptions } from './api/trace.js';
export { generateKeyPair, parsePrivateKey, parsePublicKey } from './api/keys.js';
export { mintApproval, verifyApproval } from './api/approvals.js';
export type { ApprovalVerification, MintApprovalInput, MintedApproval, VerifyApprovalOptions } from './api/approvals.js';
export type { GateApprovals } from './api/gate.js';
export { createMemoryLedger } from './storage/ledger/memory-ledger.js';
export type { ApprovalEntry, ApprovalLedger, ConsumeOutcome, ConsumptionRow } from './artifacts/approval/types.js';
export { parseContextEnvelope } from './schema/v1/context-envelope.js';
export type { ContextEnvelope } from './schema/v1/context-envelope.js';
export type { InstantInput } from './api/time.js';

export { encodePrivateKey, encodePublicKey, keyIdOf, verifyKeyOf } from './crypto/keys.js';
export type { SigningKey, VerifyKey } from './crypto/keys.js';
export { canonicalize } from './jcs/canonicalize.js';
export { digestJcs } from './crypto/digest.js';
export { mostRestrictive } from './policy/verdict.js';
export { GaitError, isGaitError } from './errors/error.js';
export type { ErrorCategory, ErrorCode } from './errors/codes.js';
export { fixedClock, systemClock } from './runtime/clock.js';
export type { Clock } from './runtime/clock.js';
export type { Random } from './runtime/random.js';
export { formatTimestamp, parseTimestamp } from './runtime/timestamp.js';
export type { Timestamp } from './runtime/timestamp-type.js';

export type { CompiledPolicy } from './policy/compile.js';
export type { Decision } from './policy/decision.js';
export type { Policy, Verdict } from './policy/model.js';
export type { Intent } from './schema/v1/intent-types.js';
export type { JsonObject, JsonValue } from './schema/v1/json-types.js';
export type { GateEvalResult, SimulatedView } from './artifacts/gate/gate-eval.js';
export type { TraceCheck, TraceVerifyReport } from './artifacts/trace/types.js';
export { buildPack, diffRunpacks, recordRunpack, verifyPack, verifyRunpack } from './api/runpack.js';
export type { RecordRunpackOptions, VerifyArtifactOptions } from './api/runpack.js';
export { readRunpack } from './artifacts/runpack/read.js';
export { buildRunpack } from './artifacts/runpack/build.js';
export { parseRunpackInput } from './artifacts/runpack/input.js';
export type { BuiltRunpack, BuildRunpackOptions } from './artifacts/runpack/build.js';
export type { RunpackInput } from './artifacts/runpack/input.js';
export type { IntentRecord, ManifestFile, RefReceipt, RefsRecord, ResultRecord, RunEnv, Runpack, RunpackManifest, RunRecord, TimelineEvent } from './artifacts/runpack/types.js';
export type { RunpackCheckName, RunpackVerifyReport, SignatureStatus, VerifyCheck } from './artifacts/runpack/verify.js';
export type { RunpackDiff, RunpackDiffSummary } from './artifacts/runpack/diff.js';
export type { BuiltPack } from './artifacts/pack/build.js';
export type { PackCheck, PackVerifyReport } from './artifacts/pack/verify.js';
export type { ZipLimits } from './artifacts/zip/read.js';

export { decodeToolCall } from './schema/v1/tool-call/index.js';
export type { AdapterName, ToolCallContextOverrides, ToolCallIntentOptions } from './schema/v1/tool-call/index.js';
export { buildDecisionEvent, toDecisionLogJson } from './exporters/decision-event.js';
export type { DecisionEventInput } from './exporters/decision-event.js';
export type { DecisionEvent, DecisionExporter, ExportOutcome, ExportStats, ExportWarning, McpEventAttributes, ServiceEvent, WarningSink } from './exporters/types.js';
export { runRegress } from './api/regress.js';
export type { RegressFixtureInput, RegressGraderResult, RegressReport, RunRegressOptions } from './api/regress.js';
