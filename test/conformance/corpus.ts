/**
 * The conformance corpus loader (STYLE.md §5, "one corpus, every implementation"): reads every folder
 * under `scenarios/`, checks that it holds exactly `policy.yaml`, `intent.json`, `expected.yaml` and
 * `README.md`, and validates `expected.yaml` strictly: unknown keys (typos such as `reason_code`),
 * wrong types, unsorted lists and values that contradict the spec's exit-code table are load errors.
 * Every problem in the corpus is reported at once, then the load throws.
 *
 * Expected values are literals written by hand from the spec (gate.md); nothing here imports `src/`.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';

export type Verdict = 'allow' | 'block' | 'dry_run' | 'require_approval';

const VERDICTS: readonly string[] = ['allow', 'block', 'dry_run', 'require_approval'];

/** gate.md §A12.3 step 9 and §A13, as literals: block 3, require_approval 4, allow and dry_run 0. */
export const SPEC_EXIT_FOR_VERDICT: Readonly<Record<Verdict, number>> = { allow: 0, dry_run: 0, block: 3, require_approval: 4 };

/** gate.md §A13: invalid input, usage, parse, schema. */
export const SPEC_EXIT_INVALID_INPUT = 6;

/** The instant the corpus is evaluated at unless a scenario sets `evaluation_time` (the Gait v1 vector instant). */
export const CORPUS_NOW = '2026-02-05T00:00:00Z';

/** A scenario's `expected.yaml`, validated and camel-cased. */
export interface Expected {
  readonly exitCode: number;
  readonly verdict?: Verdict;
  readonly reasonCodes?: readonly string[];
  readonly violations?: readonly string[];
  readonly matchedRule?: string;
  readonly minApprovals?: number;
  /** gait error-registry code (`src/errors/codes.ts`) of a refusal (exit 6) */
  readonly errorCode?: string;
  /** gate.md §A5.2 step 2: what the library returns where `gate eval` refuses with exit 6 */
  readonly libraryVerdict?: Verdict;
  readonly policyDigest?: string;
  readonly intentDigest?: string;
}

export interface Scenario {
  readonly name: string;
  readonly dir: string;
  readonly policyPath: string;
  readonly intentPath: string;
  readonly policyText: string;
  readonly intentText: string;
  readonly readme: string;
  /** input, not an expectation: `--evaluation-time` for this scenario, when it sets one */
  readonly evaluationTime: string | undefined;
  readonly expected: Expected;
}

export const DEFAULT_SCENARIO_ROOT = fileURLToPath(new URL('./scenarios/', import.meta.url));

const SCENARIO_FILES = ['README.md', 'expected.yaml', 'intent.json', 'policy.yaml'] as const;

type KeyKind = 'verdict' | 'codes' | 'string' | 'exit' | 'count' | 'error_code' | 'hex64' | 'timestamp';

/** Every key `expected.yaml` may use; anything else is a typo and fails the load. */
const EXPECTED_KEYS: Readonly<Record<string, KeyKind>> = {
  verdict: 'verdict',
  reason_codes: 'codes',
  violations: 'codes',
  matched_rule: 'string',
  exit_code: 'exit',
  min_approvals: 'count',
  error_code: 'error_code',
  library_verdict: 'verdict',
  policy_digest: 'hex64',
  intent_digest: 'hex64',
  evaluation_time: 'timestamp',
};

/** Exit codes a gate evaluation can end with (gate.md §A13); anything else is not a corpus outcome. */
const CORPUS_EXIT_CODES: readonly number[] = [0, 3, 4, 6];

/** Ascending by code point (gate.md §0 "sorted"): UTF-8 byte order. */
export function compareCodePoints(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

function isSortedUnique(items: readonly string[]): boolean {
  return items.every((item, i) => i === 0 || compareCodePoints(items[i - 1] as string, item) < 0);
}

function checkValue(key: string, kind: KeyKind, value: unknown): string | undefined {
  switch (kind) {
    case 'verdict':
      return typeof value === 'string' && VERDICTS.includes(value) ? undefined : `\`${key}\` must be one of ${VERDICTS.join('|')}`;
    case 'codes':
      if (!Array.isArray(value) || !value.every((v) => typeof v === 'string' && /^\S+$/.test(v))) {
        return `\`${key}\` must be a list of non-empty strings`;
      }
      return isSortedUnique(value as string[]) ? undefined : `\`${key}\` must be sorted by code point and unique (gate.md §A14)`;
    case 'string':
      return typeof value === 'string' ? undefined : `\`${key}\` must be a string (quote it; "" for the default path)`;
    case 'exit':
      return typeof value === 'number' && CORPUS_EXIT_CODES.includes(value) ? undefined : `\`${key}\` must be one of ${CORPUS_EXIT_CODES.join(', ')}`;
    case 'count':
      return Number.isSafeInteger(value) && (value as number) >= 0 ? undefined : `\`${key}\` must be an integer >= 0`;
    case 'error_code':
      return typeof value === 'string' && /^[a-z]+(_[a-z]+)+$/.test(value) ? undefined : `\`${key}\` must be a snake_case gait error code`;
    case 'hex64':
      return typeof value === 'string' && /^[a-f0-9]{64}$/.test(value) ? undefined : `\`${key}\` must be 64 lowercase hex characters`;
    case 'timestamp':
      return typeof value === 'string' && /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/.test(value)
        ? undefined
        : `\`${key}\` must be an RFC 3339 timestamp`;
    default: {
      const never: never = kind;
      return never;
    }
  }
}

/** Cross-key rules: a refusal has an error code and no verdict; a verdict fixes the exit code. */
function checkConsistency(doc: Readonly<Record<string, unknown>>): string[] {
  const problems: string[] = [];
  const has = (k: string): boolean => doc[k] !== undefined;
  if (!has('exit_code')) problems.push('`exit_code` is required');
  if (doc['exit_code'] === SPEC_EXIT_INVALID_INPUT) {
    if (!has('error_code')) problems.push('a refusal (exit_code 6) needs `error_code`');
    for (const k of ['verdict', 'matched_rule', 'min_approvals', 'policy_digest', 'intent_digest']) {
      if (has(k)) problems.push(`a refusal (exit_code 6) must not set \`${k}\``);
    }
    const libraryKeys = ['library_verdict', 'reason_codes', 'violations'].filter(has);
    if (libraryKeys.length > 0 && libraryKeys.length < 3) {
      problems.push('`library_verdict`, `reason_codes` and `violations` go together on a refusal (gate.md §A5.2 step 2)');
    }
    return problems;
  }
  for (const k of ['error_code', 'library_verdict']) {
    if (has(k)) problems.push(`\`${k}\` is only for refusals (exit_code 6)`);
  }
  for (const k of ['verdict', 'reason_codes', 'violations']) {
    if (!has(k)) problems.push(`an evaluated scenario needs \`${k}\``);
  }
  const verdict = doc['verdict'] as Verdict | undefined;
  if (verdict !== undefined && VERDICTS.includes(verdict) && has('exit_code') && SPEC_EXIT_FOR_VERDICT[verdict] !== doc['exit_code']) {
    problems.push(`verdict \`${verdict}\` exits ${SPEC_EXIT_FOR_VERDICT[verdict]} (gate.md §A12.3 step 9), not ${String(doc['exit_code'])}`);
  }
  const min = doc['min_approvals'];
  if (typeof min === 'number' && verdict !== undefined) {
    // gate.md §A5.5 step 3 / §A5.6 step 9: 0 unless the verdict is require_approval, then >= 1.
    if (verdict === 'require_approval' ? min < 1 : min !== 0) problems.push(`\`min_approvals\` ${min} contradicts verdict \`${verdict}\``);
  }
  return problems;
}

/**
 * Validates the parsed `expected.yaml` of one scenario.
 * @returns the problems found (empty when valid)
 */
export function validateExpected(doc: unknown): string[] {
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) return ['expected.yaml must be a mapping'];
  const record = doc as Record<string, unknown>;
  const problems: string[] = [];
  for (const [key, value] of Object.entries(record)) {
    const kind = EXPECTED_KEYS[key];
    if (kind === undefined) {
      problems.push(`unknown key \`${key}\` (known: ${Object.keys(EXPECTED_KEYS).join(', ')})`);
      continue;
    }
    const problem = checkValue(key, kind, value);
    if (problem !== undefined) problems.push(problem);
  }
  return problems.length > 0 ? problems : checkConsistency(record);
}

function toExpected(doc: Readonly<Record<string, unknown>>): Expected {
  const out: Record<string, unknown> = {
    exitCode: doc['exit_code'],
    verdict: doc['verdict'],
    reasonCodes: doc['reason_codes'],
    violations: doc['violations'],
    matchedRule: doc['matched_rule'],
    minApprovals: doc['min_approvals'],
    errorCode: doc['error_code'],
    libraryVerdict: doc['library_verdict'],
    policyDigest: doc['policy_digest'],
    intentDigest: doc['intent_digest'],
  };
  for (const key of Object.keys(out)) if (out[key] === undefined) delete out[key];
  return out as unknown as Expected;
}

function parseExpectedText(text: string): { doc: unknown; problems: string[] } {
  try {
    return { doc: parseYaml(text, { uniqueKeys: true, prettyErrors: true }) as unknown, problems: [] };
  } catch (err) {
    return { doc: undefined, problems: [`does not parse: ${err instanceof Error ? err.message : String(err)}`] };
  }
}

function loadScenario(root: string, name: string, problems: string[]): Scenario | undefined {
  const dir = join(root, name);
  const report = (message: string): void => {
    problems.push(`${name}: ${message}`);
  };
  if (!/^[a-z0-9]+(-[a-z0-9]+)*$/.test(name)) report('scenario folder names are kebab-case');
  const files = readdirSync(dir).sort();
  for (const f of files) if (!(SCENARIO_FILES as readonly string[]).includes(f)) report(`unexpected file \`${f}\` (a scenario holds ${SCENARIO_FILES.join(', ')})`);
  const missing = SCENARIO_FILES.filter((f) => !files.includes(f));
  for (const f of missing) report(`missing \`${f}\``);
  if (missing.length > 0) return undefined;
  const readme = readFileSync(join(dir, 'README.md'), 'utf8').trim();
  if (readme === '') report('README.md must explain the scenario');
  const parsed = parseExpectedText(readFileSync(join(dir, 'expected.yaml'), 'utf8'));
  const expectedProblems = parsed.problems.length > 0 ? parsed.problems : validateExpected(parsed.doc);
  for (const p of expectedProblems) report(`expected.yaml: ${p}`);
  if (expectedProblems.length > 0) return undefined;
  const doc = parsed.doc as Record<string, unknown>;
  const policyPath = join(dir, 'policy.yaml');
  const intentPath = join(dir, 'intent.json');
  return {
    name,
    dir,
    policyPath,
    intentPath,
    policyText: readFileSync(policyPath, 'utf8'),
    intentText: readFileSync(intentPath, 'utf8'),
    readme,
    evaluationTime: doc['evaluation_time'] as string | undefined,
    expected: toExpected(doc),
  };
}

/**
 * Loads and validates every scenario under `root`, sorted by name.
 * @throws Error listing every problem in the corpus when any scenario is malformed
 */
export function loadCorpus(root: string = DEFAULT_SCENARIO_ROOT): readonly Scenario[] {
  if (!existsSync(root)) throw new Error(`conformance corpus not found: ${root}`);
  const problems: string[] = [];
  const scenarios: Scenario[] = [];
  for (const name of readdirSync(root).sort(compareCodePoints)) {
    if (!statSync(join(root, name)).isDirectory()) {
      if (name !== 'README.md') problems.push(`${name}: only scenario folders (and a README.md) belong in ${root}`);
      continue;
    }
    const scenario = loadScenario(root, name, problems);
    if (scenario !== undefined) scenarios.push(scenario);
  }
  if (problems.length > 0) throw new Error(`conformance corpus ${root} is invalid:\n  ${problems.join('\n  ')}`);
  if (scenarios.length === 0) throw new Error(`conformance corpus ${root} has no scenarios`);
  return scenarios;
}
