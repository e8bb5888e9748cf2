/**
 * `gait doctor` (artifacts.md §6): checks the environment — Node version, working/output/state/temp
 * directories, key sources and key file permissions, the repo policy and the regress config — and
 * prints a stable `gait.doctor.result`. Exit 0 pass or warn, 2 fail (§10), 7 when a check is
 * non-fixable (a missing dependency).
 */
import { tmpdir } from 'node:os';
import { resolve } from 'node:path';
import { GaitError } from '../../../errors/error.js';
import { formatTimestamp, toUtc } from '../../../runtime/timestamp.js';
import { GAIT_VERSION } from '../../../runtime/version.js';
import { runDoctor } from '../../../storage/doctor/doctor.js';
import type { DoctorCheck, DoctorReport } from '../../../storage/doctor/doctor.js';
import type { CommandContext, CommandOutcome, CommandSpec } from '../command.js';
import { optBool, optString } from '../command.js';
import { EXIT } from '../exit.js';
import type { JsonOut } from '../output.js';
import { omitEmpty } from '../output.js';

export const DOCTOR_SCHEMA_ID = 'gait.doctor.result';

function checkJson(c: DoctorCheck): JsonOut {
  return omitEmpty({ name: c.name, scope: c.scope, status: c.status, message: c.message, fix_command: c.fixCommand, non_fixable: c.nonFixable }, [
    'name',
    'scope',
    'status',
    'message',
  ]);
}

function exitCodeOf(report: DoctorReport): number {
  if (report.nonFixable) return EXIT.dependencyMissing;
  return report.status === 'fail' ? EXIT.verificationFailed : EXIT.ok;
}

function humanLines(report: DoctorReport, onlyProblems: boolean): string[] {
  const lines = [report.summary];
  for (const c of report.checks) {
    if (onlyProblems && c.status === 'pass') continue;
    lines.push(`- ${c.name}: ${c.status} (${c.message})`);
    if (c.fixCommand !== undefined && c.status !== 'pass') lines.push(`  fix: ${c.fixCommand}`);
  }
  return lines;
}

async function run(ctx: CommandContext): Promise<CommandOutcome> {
  if (optBool(ctx, 'productionReadiness')) {
    throw new GaitError('input_unsupported_feature', 'doctor --production-readiness is not supported yet');
  }
  const workdirShown = optString(ctx, 'workdir').trim() || '.';
  const report = runDoctor({
    workdir: resolve(ctx.io.cwd, workdirShown),
    workdirShown,
    outputDir: optString(ctx, 'outputDir').trim() || './gait-out',
    policyPath: optString(ctx, 'policy').trim() || '.gait.yaml',
    keyMode: optString(ctx, 'keyMode').trim(),
    privateKeyPath: optString(ctx, 'privateKey'),
    privateKeyEnv: optString(ctx, 'privateKeyEnv'),
    publicKeyPath: optString(ctx, 'publicKey'),
    publicKeyEnv: optString(ctx, 'publicKeyEnv'),
    env: ctx.io.env,
    nodeVersion: process.version,
    tempDir: tmpdir(),
  });
  const json: JsonOut = {
    ok: report.status !== 'fail',
    schema_id: DOCTOR_SCHEMA_ID,
    schema_version: '1.0.0',
    created_at: formatTimestamp(toUtc(ctx.io.clock.now())),
    producer_version: GAIT_VERSION,
    onboarding_mode: report.onboardingMode,
    status: report.status,
    non_fixable: report.nonFixable,
    summary: report.summary,
    fix_commands: [...report.fixCommands],
    checks: report.checks.map(checkJson),
  };
  return { exitCode: exitCodeOf(report), json, human: humanLines(report, optBool(ctx, 'summary')) };
}

export const doctorCommand: CommandSpec = {
  path: ['doctor'],
  summary: 'check the environment: node version, directories, keys and their permissions, the policy and regress config',
  options: [
    { flags: '--workdir <dir>', description: 'directory to check (default .)' },
    { flags: '--output-dir <dir>', description: 'artifact directory, relative to the workdir (default ./gait-out)' },
    { flags: '--policy <path>', description: 'repo policy, relative to the workdir (default .gait.yaml)' },
    { flags: '--key-mode <mode>', description: 'dev (default) or prod' },
    { flags: '--private-key <path>', description: 'private key file to check' },
    { flags: '--private-key-env <var>', description: 'environment variable holding the private key' },
    { flags: '--public-key <path>', description: 'public key file' },
    { flags: '--public-key-env <var>', description: 'environment variable holding the public key' },
    { flags: '--production-readiness', description: 'production readiness checks (not supported yet)' },
    { flags: '--summary', description: 'print only the checks that did not pass' },
  ],
  run,
};
