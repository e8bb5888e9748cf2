/**
 * `regress init` steps 3–5 (artifacts.md §4.2): evaluate the given intents, bind each runpack intent
 * record to the first unused intent with the same tool and digest, and seed the expectations.
 */
import { GaitError } from '../../errors/error.js';
import type { CompiledPolicy } from '../../policy/compile.js';
import type { Timestamp } from '../../runtime/timestamp-type.js';
import { lowerSimple, trimSpec } from '../../schema/v1/text.js';
import type { EvidenceIntent, EvidenceResult } from './evidence.js';
import type { IntentInput } from './intents-input.js';
import { normalizeVerdictText } from './names.js';
import { replayIntent } from './replay.js';
import type { ReplayedDecision } from './replay.js';
import type { ExpectedDecision, ExpectedVerdict, FixtureIntentLine } from './types.js';

export const WARNING_SEEDED = 'expectation_seeded_from_current_policy';

export interface EvaluatedInput {
  readonly input: IntentInput;
  readonly decision: ReplayedDecision;
}

/**
 * Step 3: evaluates every input under the resolved policy.
 * @throws GaitError `input_intent` naming the input when an intent cannot be evaluated
 */
export function evaluateInputs(policy: CompiledPolicy, inputs: readonly IntentInput[], at: Timestamp | undefined): EvaluatedInput[] {
  return inputs.map((input) => {
    const decision = replayIntent(policy, input.intent, at);
    if (decision.verdict === 'error' || decision.argsDigest === '') {
      throw new GaitError('input_intent', `${input.source}: intent cannot be evaluated: ${decision.error}`);
    }
    return { input, decision };
  });
}

export interface BoundIntent {
  readonly intentId: string;
  readonly record: EvidenceIntent;
  readonly evaluated: EvaluatedInput;
}

/**
 * Step 4: each runpack intent record, in order, takes the first unused intent whose tool name matches
 * and whose `args_digest` (or, for checkpoint runpacks, `intent_digest`) equals the record's.
 * @returns the bound intents in record order and the number of inputs left unbound
 * @throws GaitError `input_usage` `no intent request matches runpack intent <id>`
 */
export function bindIntents(records: readonly EvidenceIntent[], evaluated: readonly EvaluatedInput[], checkpoint: boolean): { bound: BoundIntent[]; unbound: number } {
  const used = new Set<number>();
  const bound: BoundIntent[] = [];
  for (const record of records) {
    const tool = lowerSimple(trimSpec(record.toolName));
    const digest = lowerSimple(trimSpec(record.argsDigest));
    const index = evaluated.findIndex(
      (e, i) => !used.has(i) && e.decision.toolName === tool && (e.decision.argsDigest === digest || (checkpoint && e.decision.intentDigest === digest)),
    );
    const match = evaluated[index];
    if (match === undefined) {
      throw new GaitError('input_usage', `no intent request matches runpack intent ${record.intentId}`, {
        hint: 'pass the intent requests of this run with --intents (same tool_name and arguments as recorded)',
        details: { intent_id: record.intentId, tool_name: record.toolName, args_digest: record.argsDigest },
      });
    }
    used.add(index);
    bound.push({ intentId: record.intentId, record, evaluated: match });
  }
  return { bound, unbound: evaluated.length - used.size };
}

/** The recorded verdict of each intent: `verdict` in its first raw result payload, normalized (§4.2 step 5). */
export function recordedVerdicts(results: readonly EvidenceResult[]): Map<string, ExpectedVerdict> {
  const out = new Map<string, ExpectedVerdict>();
  for (const r of results) {
    if (out.has(r.intentId)) continue;
    const raw = r.result?.['verdict'];
    const verdict = typeof raw === 'string' ? normalizeVerdictText(raw) : undefined;
    if (verdict !== undefined) out.set(r.intentId, verdict);
  }
  return out;
}

export interface Expectations {
  readonly lines: FixtureIntentLine[];
  readonly expectedDecisions: ExpectedDecision[];
  readonly toolSequence: string[];
  readonly verdictSequence: ExpectedVerdict[];
  readonly warnings: string[];
}

/**
 * Step 5: the expected verdict per bound intent is `expect`, else the recorded verdict, else the one
 * just evaluated (warning `expectation_seeded_from_current_policy`). Reason codes, violations and the
 * intent digest are stored only when the evaluated verdict equals the expected one.
 */
export function buildExpectations(bound: readonly BoundIntent[], recorded: ReadonlyMap<string, ExpectedVerdict>, expect: ExpectedVerdict | undefined): Expectations {
  let seeded = false;
  const expectedDecisions = bound.map(({ intentId, record, evaluated }): ExpectedDecision => {
    const d = evaluated.decision;
    let verdict = expect ?? recorded.get(intentId);
    if (verdict === undefined) {
      verdict = d.verdict;
      seeded = true;
    }
    const base = { intentId, toolName: d.toolName, argsDigest: lowerSimple(trimSpec(record.argsDigest)), verdict };
    if (d.verdict !== verdict) return base;
    return { ...base, reasonCodes: [...d.reasonCodes], violations: [...d.violations], intentDigest: d.intentDigest };
  });
  return {
    lines: bound.map(({ intentId, evaluated }) => ({ intentId, intent: evaluated.input.intent })),
    expectedDecisions,
    toolSequence: expectedDecisions.map((d) => d.toolName),
    verdictSequence: expectedDecisions.map((d) => d.verdict),
    warnings: seeded ? [WARNING_SEEDED] : [],
  };
}
