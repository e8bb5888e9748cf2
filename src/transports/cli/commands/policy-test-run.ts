/**
 * The evaluation step shared by `policy test` and `policy simulate` (gate.md §A12.7): policy
 * evaluation only, no tokens, rate limits, broker, kill switch or envelope.
 */
import { GaitError } from '../../../errors/error.js';
import type { CompiledPolicy } from '../../../policy/compile.js';
import { evaluate } from '../../../policy/evaluate.js';
import type { Verdict } from '../../../policy/model.js';
import type { Timestamp } from '../../../runtime/timestamp-type.js';
import { normalizeIntent } from '../../../schema/v1/intent.js';
import { intentDigest } from '../../../schema/v1/intent-digest.js';
import type { Intent } from '../../../schema/v1/intent-types.js';
import { withFile } from '../input.js';

export interface PolicyTestRun {
  /** digest of the raw normalized intent, before preparation (gate.md §A3.6) */
  readonly intentDigest: string;
  readonly verdict: Verdict;
  readonly reasonCodes: readonly string[];
  readonly violations: readonly string[];
  /** '' on the default path */
  readonly matchedRule: string;
}

export const SUMMARY_LIMIT_BYTES = 240;

/**
 * Normalizes a fixture intent. An unnormalizable intent is an input error even when fail-closed
 * would block it: it has no digest to report (gate.md §A5.2 step 2).
 * @throws GaitError `input_intent` / `input_unsupported_feature` naming `file`
 */
export function normalizeFixtureIntent(raw: unknown, file: string): Intent {
  try {
    return normalizeIntent(raw);
  } catch (err) {
    throw withFile(err, file);
  }
}

/**
 * Evaluates one normalized intent against one compiled policy.
 * @throws GaitError `input_intent` naming `file` when the intent cannot be prepared: the fail-closed
 *   `block` the library returns then has no digest to report (gate.md §A5.2 step 2)
 */
export function runPolicyTest(compiled: CompiledPolicy, intent: Intent, evaluationTime: Timestamp, file: string): PolicyTestRun {
  const decision = evaluate(compiled, intent, { evaluationTime });
  if (decision.intent === undefined) {
    throw new GaitError('input_intent', `intent is not evaluable: ${decision.diagnostics.join('; ')}`, { location: { file } });
  }
  return {
    intentDigest: intentDigest(intent),
    verdict: decision.verdict,
    reasonCodes: decision.reasonCodes,
    violations: decision.violations,
    matchedRule: decision.matchedRule,
  };
}

/** Bytes at the end of `bytes` that start a UTF-8 sequence the cut left incomplete. */
function danglingTail(bytes: Uint8Array): number {
  for (let back = 1; back <= Math.min(3, bytes.length); back += 1) {
    const b = bytes[bytes.length - back] as number;
    if ((b & 0xc0) === 0x80) continue; // continuation byte: keep looking for the lead
    const need = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : b >= 0xc0 ? 2 : 1;
    return need > back ? back : 0;
  }
  return 0;
}

/**
 * `policy test verdict=<v> reasons=<csv|none> violations=<csv|none>`, cut to 240 UTF-8 bytes
 * (gate.md §A12.7): first (240 − len(suffix)) bytes plus `...(+<overflow bytes>)`. Bytes of a
 * character the cut splits become U+FFFD each, as Gait v1's JSON encoder renders them.
 */
export function policyTestSummary(run: Pick<PolicyTestRun, 'verdict' | 'reasonCodes' | 'violations'>): string {
  const csv = (items: readonly string[]): string => (items.length === 0 ? 'none' : items.join(','));
  const raw = `policy test verdict=${run.verdict} reasons=${csv(run.reasonCodes)} violations=${csv(run.violations)}`;
  const bytes = Buffer.from(raw, 'utf8');
  if (bytes.length <= SUMMARY_LIMIT_BYTES) return raw;
  const suffix = `...(+${bytes.length - SUMMARY_LIMIT_BYTES})`;
  const kept = bytes.subarray(0, SUMMARY_LIMIT_BYTES - suffix.length);
  const tail = danglingTail(kept);
  const head = kept.subarray(0, kept.length - tail).toString('utf8');
  return `${head}${'\uFFFD'.repeat(tail)}${suffix}`;
}
