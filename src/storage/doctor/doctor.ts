/**
 * `gait doctor` without the CLI (artifacts.md §6): run the checks in a fixed order and fold them into
 * the `gait.doctor.result` record. Stable: the same environment gives the same record (checks name
 * paths relative to the working directory and never include the temp directory's path).
 */
import { compareCodePoints } from '../../schema/v1/text.js';
import { checkNodeVersion, checkOutputDir, checkStateDir, checkTempDir, checkWorkdir } from './env-checks.js';
import { checkKeyConfig, checkKeyPermissions, checkKeySourceAmbiguity } from './key-checks.js';
import { checkPolicy, checkRegressConfig, isRepoCheckout, repoChecks } from './config-checks.js';
import type { CheckStatus, DoctorCheck, DoctorOptions } from './types.js';

export type { DoctorCheck, DoctorOptions } from './types.js';

export interface DoctorReport {
  readonly onboardingMode: 'installed_binary' | 'repo_checkout';
  readonly status: CheckStatus;
  readonly nonFixable: boolean;
  readonly failed: number;
  readonly warned: number;
  /** deduplicated, sorted */
  readonly fixCommands: readonly string[];
  readonly summary: string;
  readonly checks: readonly DoctorCheck[];
}

/** Runs every check; never throws for a bad environment (each problem is a failing check). */
export function runDoctor(o: DoctorOptions): DoctorReport {
  const repo = isRepoCheckout(o.workdir);
  const checks: DoctorCheck[] = [
    checkNodeVersion(o.nodeVersion),
    checkWorkdir(o),
    checkOutputDir(o),
    checkStateDir(o),
    checkTempDir(o),
    checkKeySourceAmbiguity(o),
    checkKeyPermissions(o),
    checkKeyConfig(o),
    checkPolicy(o),
    checkRegressConfig(o),
    ...(repo ? repoChecks(o) : []),
  ];
  const failed = checks.filter((c) => c.status === 'fail').length;
  const warned = checks.filter((c) => c.status === 'warn').length;
  const nonFixable = checks.some((c) => c.nonFixable === true && c.status === 'fail');
  const status: CheckStatus = failed > 0 ? 'fail' : warned > 0 ? 'warn' : 'pass';
  const onboardingMode = repo ? 'repo_checkout' : 'installed_binary';
  const fixCommands = [...new Set(checks.flatMap((c) => (c.status !== 'pass' && c.fixCommand !== undefined ? [c.fixCommand] : [])))].sort(compareCodePoints);
  const summary = `doctor: onboarding_mode=${onboardingMode} status=${status} failed=${failed} warned=${warned} non_fixable=${nonFixable}`;
  return { onboardingMode, status, nonFixable, failed, warned, fixCommands, summary, checks };
}
