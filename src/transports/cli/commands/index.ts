/** The command registry: every `gait` command, in help order. */
import type { CommandSpec } from '../command.js';
import { approvalAuditVerifyCommand } from './approval-audit-verify.js';
import { approvalsListCommand } from './approvals-list.js';
import { approveCommand } from './approve.js';
import { demoCommand } from './demo.js';
import { gateEvalCommand } from './gate-eval.js';
import { keysInitCommand, keysRotateCommand, keysVerifyCommand } from './keys.js';
import { mcpBridgeCommand, mcpProxyCommand } from './mcp-proxy.js';
import { mcpServeCommand } from './mcp-serve.js';
import { mcpVerifyCommand, mcpVerifyLegacyCommand } from './mcp-verify.js';
import { policyFmtCommand } from './policy-fmt.js';
import { policyFromRegistryCommand } from './policy-from-registry.js';
import { policyInitCommand } from './policy-init.js';
import { policySimulateCommand } from './policy-simulate.js';
import { policyTestCommand } from './policy-test.js';
import { policyValidateCommand } from './policy-validate.js';
import { traceVerifyCommand } from './trace-verify.js';
import { packBuildCommand } from './pack-build.js';
import { packDiffCommand } from './pack-diff.js';
import { packInspectCommand } from './pack-inspect.js';
import { packVerifyCommand } from './pack-verify.js';
import { runDiffCommand } from './run-diff.js';
import { runInspectCommand } from './run-inspect.js';
import { runReceiptCommand } from './run-receipt.js';
import { runRecordCommand } from './run-record.js';
import { runReplayCommand } from './run-replay.js';
import { verifyCommand } from './verify.js';
import { verifySessionChainCommand } from './verify-session-chain.js';
import { regressBootstrapCommand } from './regress-bootstrap.js';
import { regressAddCommand, regressInitCommand } from './regress-init.js';
import { regressRunCommand } from './regress-run.js';
import { doctorCommand } from './doctor.js';
import { initCommand } from './init.js';
import { checkCommand } from './check.js';
import { versionCommand } from './version.js';

export const COMMANDS: readonly CommandSpec[] = [
  demoCommand,
  gateEvalCommand,
  traceVerifyCommand,
  approveCommand,
  approvalsListCommand,
  approvalAuditVerifyCommand,
  keysInitCommand,
  keysRotateCommand,
  keysVerifyCommand,
  policyInitCommand,
  policyValidateCommand,
  policyFmtCommand,
  policyTestCommand,
  policySimulateCommand,
  policyFromRegistryCommand,
  mcpProxyCommand,
  mcpBridgeCommand,
  mcpServeCommand,
  mcpVerifyCommand,
  mcpVerifyLegacyCommand,
  runRecordCommand,
  verifyCommand,
  verifySessionChainCommand,
  runInspectCommand,
  runDiffCommand,
  runReplayCommand,
  runReceiptCommand,
  packBuildCommand,
  packVerifyCommand,
  packInspectCommand,
  packDiffCommand,
  regressInitCommand,
  regressAddCommand,
  regressBootstrapCommand,
  regressRunCommand,
  initCommand,
  checkCommand,
  doctorCommand,
  versionCommand,
];
