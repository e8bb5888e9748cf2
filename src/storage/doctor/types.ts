/** The `gait doctor` result model (artifacts.md §6). */

export type CheckStatus = 'pass' | 'warn' | 'fail';
export type CheckScope = 'universal' | 'repo_checkout' | 'production_readiness';

export interface DoctorCheck {
  readonly name: string;
  readonly scope: CheckScope;
  readonly status: CheckStatus;
  readonly message: string;
  /** a command that fixes a warn or fail */
  readonly fixCommand?: string;
  /** gait cannot fix this (a missing dependency): exit 7 */
  readonly nonFixable?: boolean;
}

export interface DoctorOptions {
  /** absolute working directory checked (`--workdir`) */
  readonly workdir: string;
  /** `--workdir` as given, for messages */
  readonly workdirShown: string;
  /** `--output-dir` as given, relative to the workdir */
  readonly outputDir: string;
  /** `--policy` as given, relative to the workdir (default `.gait.yaml`) */
  readonly policyPath: string;
  /** '' (dev default), `dev` or `prod` */
  readonly keyMode: string;
  readonly privateKeyPath: string;
  readonly privateKeyEnv: string;
  readonly publicKeyPath: string;
  readonly publicKeyEnv: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** `process.version` */
  readonly nodeVersion: string;
  /** the OS temp directory */
  readonly tempDir: string;
}
