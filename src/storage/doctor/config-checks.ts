/**
 * The project checks of `gait doctor` (artifacts.md §6, §7): the repo policy `.gait.yaml` parses and
 * compiles, the regress config `gait.yaml` parses, and in a source checkout of gait the schema files
 * and the demo's example assets are present.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseRegressConfig } from '../../artifacts/regress/config.js';
import { policyDigest } from '../../policy/digest.js';
import { partBFeaturesEnabled } from '../../policy/part-b.js';
import { readPolicyFile } from '../input-files.js';
import { readInputFile } from '../read-input.js';
import type { DoctorCheck, DoctorOptions } from './types.js';

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** `policy`: the repo policy is valid (missing: warn, `gait init` writes one). */
export function checkPolicy(o: DoctorOptions): DoctorCheck {
  const abs = resolve(o.workdir, o.policyPath);
  if (!existsSync(abs)) {
    return { name: 'policy', scope: 'universal', status: 'warn', message: `no policy at ${o.policyPath}`, fixCommand: `gait init --out ${o.policyPath}` };
  }
  try {
    const policy = readPolicyFile(abs);
    const head = `${o.policyPath} is valid: default_verdict=${policy.defaultVerdict} rules=${policy.rules.length} digest=${policyDigest(policy)}`;
    const unsupported = partBFeaturesEnabled(policy);
    if (unsupported.length > 0) {
      return {
        name: 'policy',
        scope: 'universal',
        status: 'warn',
        message: `${head}; it enables features not supported yet, so evaluation refuses it: ${unsupported.join('; ')}`,
        fixCommand: `gait init --template baseline-mediumrisk --out ${o.policyPath} --force`,
      };
    }
    return { name: 'policy', scope: 'universal', status: 'pass', message: head };
  } catch (err) {
    return { name: 'policy', scope: 'universal', status: 'fail', message: `${o.policyPath} is invalid: ${message(err)}`, fixCommand: `gait policy validate ${o.policyPath} --json` };
  }
}

/** `regress_config`: `gait.yaml`, when present, parses (artifacts.md §4.1). */
export function checkRegressConfig(o: DoctorOptions): DoctorCheck {
  const abs = join(o.workdir, 'gait.yaml');
  if (!existsSync(abs)) return { name: 'regress_config', scope: 'universal', status: 'pass', message: 'no regress config (gait.yaml) yet' };
  try {
    const config = parseRegressConfig(readInputFile(abs, { label: 'regress config', allowEmpty: true, displayPath: 'gait.yaml' }), 'gait.yaml');
    return { name: 'regress_config', scope: 'universal', status: 'pass', message: `gait.yaml is valid: fixtures=${config.fixtures.length}` };
  } catch (err) {
    return { name: 'regress_config', scope: 'universal', status: 'fail', message: message(err), fixCommand: 'gait regress run --json' };
  }
}

/** Whether the workdir is a source checkout of gait itself. */
export function isRepoCheckout(workdir: string): boolean {
  const pkg = join(workdir, 'package.json');
  if (!existsSync(pkg) || !existsSync(join(workdir, 'schemas', 'v1'))) return false;
  try {
    return /"name"\s*:\s*"gait"/.test(readInputFile(pkg, { label: 'package.json' }));
  } catch {
    return false;
  }
}

function countSchemas(dir: string): number {
  if (!existsSync(dir)) return 0;
  return (readdirSync(dir, { recursive: true }) as string[]).filter((p) => p.endsWith('.schema.json')).length;
}

/** `schema_files` and `onboarding_assets` (source checkout only). */
export function repoChecks(o: DoctorOptions): DoctorCheck[] {
  const schemas = countSchemas(join(o.workdir, 'schemas', 'v1'));
  const schemaCheck: DoctorCheck =
    schemas > 0
      ? { name: 'schema_files', scope: 'repo_checkout', status: 'pass', message: `schemas/v1 holds ${schemas} schema files` }
      : { name: 'schema_files', scope: 'repo_checkout', status: 'fail', message: 'schemas/v1 holds no schema files', fixCommand: 'git checkout -- schemas' };
  const assets = ['examples/policy.yaml', 'examples/intents'].filter((p) => !existsSync(join(o.workdir, p)));
  const assetCheck: DoctorCheck =
    assets.length === 0
      ? { name: 'onboarding_assets', scope: 'repo_checkout', status: 'pass', message: 'examples/policy.yaml and examples/intents/ are present' }
      : { name: 'onboarding_assets', scope: 'repo_checkout', status: 'fail', message: `missing demo assets: ${assets.join(', ')}`, fixCommand: 'git checkout -- examples' };
  return [schemaCheck, assetCheck];
}
