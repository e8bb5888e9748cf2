/** The command registry: every `gait` command, in help order. */
import type { CommandSpec } from '../command.js';
import { approvalAuditVerifyCommand } from './approval-audit-verify.js';
import { approvalsListCommand } from './approvals-list.js';
import { approveCommand } from './approve.js';
import { demoCommand } from './demo.js';
import { gateEvalCommand } from './gate-eval.js';
import { keysInitCommand, keysRotateCommand, keysVerifyCommand } from './keys.js';
import { policyFmtCommand } from './policy-fmt.js';
import { policyInitCommand } from './policy-init.js';
import { policySimulateCommand } from './policy-simulate.js';
import { policyTestCommand } from './policy-test.js';
import { policyValidateCommand } from './policy-validate.js';
import { traceVerifyCommand } from './trace-verify.js';
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
  versionCommand,
];
