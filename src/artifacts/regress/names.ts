/** Fixture names and expectation verdicts (artifacts.md §4.1). */
import { GaitError } from '../../errors/error.js';
import { lowerSimple, trimSpec } from '../../schema/v1/text.js';
import type { ExpectedVerdict } from './types.js';

const FIXTURE_NAME_RE = /^[a-z0-9][a-z0-9._-]*$/;

/** Whether `name` is a valid fixture name: `^[a-z0-9][a-z0-9._-]*$`. */
export function isFixtureName(name: string): boolean {
  return FIXTURE_NAME_RE.test(name);
}

/**
 * Checks a fixture name given by the user or read from a file.
 * @throws GaitError `input_usage` `invalid fixture name \`<n>\`: …`
 */
export function assertFixtureName(name: string): string {
  if (!isFixtureName(name)) {
    throw new GaitError('input_usage', `invalid fixture name \`${name}\`: use lowercase letters, digits, \`.\`, \`_\` and \`-\`, starting with a letter or digit`);
  }
  return name;
}

/**
 * The default fixture name of a run: the run id lowercased, every run of other characters replaced by
 * `-`, leading and trailing `-`, `.`, `_` trimmed; `fixture` when nothing is left.
 * @example defaultFixtureName('Run_Demo 2') // 'run_demo-2'
 */
export function defaultFixtureName(runId: string): string {
  const replaced = lowerSimple(runId).replace(/[^a-z0-9._-]+/g, '-');
  const trimmed = replaced.replace(/^[-._]+/, '').replace(/[-._]+$/, '');
  return trimmed === '' ? 'fixture' : trimmed;
}

const VERDICT_ALIASES: Readonly<Record<string, ExpectedVerdict>> = {
  ok: 'allow',
  pass: 'allow',
  passed: 'allow',
  success: 'allow',
  allow: 'allow',
  block: 'block',
  blocked: 'block',
  deny: 'block',
  denied: 'block',
  require_approval: 'require_approval',
  approval_required: 'require_approval',
  needs_approval: 'require_approval',
  dry_run: 'dry_run',
  dryrun: 'dry_run',
  simulate: 'dry_run',
  simulated: 'dry_run',
  error: 'error',
  failed: 'error',
  failure: 'error',
};

/**
 * Normalizes a verdict string (§4.1): lowercase, `-` and space → `_`, then the alias table.
 * @returns the verdict, or undefined for anything else
 * @example normalizeVerdictText('Approval-Required') // 'require_approval'
 */
export function normalizeVerdictText(text: string): ExpectedVerdict | undefined {
  const key = lowerSimple(trimSpec(text)).replace(/[- ]/g, '_');
  return Object.hasOwn(VERDICT_ALIASES, key) ? VERDICT_ALIASES[key] : undefined;
}

/**
 * As `normalizeVerdictText`, failing on anything else.
 * @throws GaitError `input_usage` `invalid verdict \`<v>\` in <where>`
 */
export function parseVerdictText(text: string, where: string): ExpectedVerdict {
  const verdict = normalizeVerdictText(text);
  if (verdict === undefined) {
    throw new GaitError('input_usage', `invalid verdict \`${text}\` in ${where}: expected allow, block, require_approval, dry_run or error`);
  }
  return verdict;
}
