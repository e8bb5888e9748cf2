/**
 * `gait run replay` stub mode (artifacts.md §2.11): recorded results are replayed as recorded, and
 * intents without one get a deterministic stub by tool class; nothing is executed.
 */
import { sha256Hex } from '../../crypto/digest.js';
import { GaitError } from '../../errors/error.js';
import { lowerSimple } from '../../schema/v1/text.js';
import type { Runpack } from './types.js';

export type StubType = 'http' | 'file' | 'db' | 'queue';

export interface ReplayStep {
  readonly intentId: string;
  readonly toolName: string;
  /** The recorded status, `stubbed` or `missing_result`. */
  readonly status: string;
  readonly execution: 'recorded' | 'stubbed' | 'missing';
  /** Only for stubbed steps. */
  readonly stubType?: StubType;
  /** '' for missing steps. */
  readonly resultDigest: string;
}

export interface ReplayOutcome {
  /** No missing results (else the CLI exits 2). */
  readonly ok: boolean;
  readonly runId: string;
  readonly mode: 'stub';
  readonly steps: readonly ReplayStep[];
  readonly missingResults: readonly string[];
}

const STUB_CLASSES: readonly (readonly [StubType, readonly string[]])[] = [
  ['http', ['http', 'fetch', 'url']],
  ['file', ['file', 'path', 'fs', 'write']],
  ['db', ['db', 'sql', 'query', 'table']],
  ['queue', ['queue', 'topic', 'publish', 'kafka']],
];

/** The stub class of a tool name by substring, first match wins (§2.11); undefined when none. */
export function stubTypeOf(toolName: string): StubType | undefined {
  const lower = lowerSimple(toolName);
  return STUB_CLASSES.find(([, needles]) => needles.some((n) => lower.includes(n)))?.[0];
}

/** The first id that occurs twice, or undefined. */
export function firstDuplicate(ids: readonly string[]): string | undefined {
  const seen = new Set<string>();
  for (const id of ids) {
    if (seen.has(id)) return id;
    seen.add(id);
  }
  return undefined;
}

/**
 * Replays a runpack in stub mode (§2.11).
 * @throws GaitError `artifact_invalid` (exit 6) `duplicate intent id <id>` / `duplicate result id <id>`
 * @example replayRunpackStub(await readRunpack(bytes)).steps
 */
export function replayRunpackStub(pack: Runpack): ReplayOutcome {
  const dupIntent = firstDuplicate(pack.intents.map((i) => i.intentId));
  if (dupIntent !== undefined) throw new GaitError('artifact_invalid', `replay requires unique intent ids: duplicate intent id ${dupIntent}`);
  const dupResult = firstDuplicate(pack.results.map((r) => r.intentId));
  if (dupResult !== undefined) throw new GaitError('artifact_invalid', `replay requires unique result ids: duplicate result id ${dupResult}`);
  const results = new Map(pack.results.map((r) => [r.intentId, r]));
  const runId = pack.manifest.runId;
  const missing: string[] = [];
  const steps = pack.intents.map((intent): ReplayStep => {
    const recorded = results.get(intent.intentId);
    const base = { intentId: intent.intentId, toolName: intent.toolName };
    if (recorded !== undefined) return { ...base, status: recorded.status, execution: 'recorded', resultDigest: recorded.resultDigest };
    const stubType = stubTypeOf(intent.toolName);
    if (stubType === undefined) {
      missing.push(intent.intentId);
      return { ...base, status: 'missing_result', execution: 'missing', resultDigest: '' };
    }
    const seed = `${runId}:${intent.intentId}:${lowerSimple(intent.toolName)}:${lowerSimple(intent.argsDigest)}:${stubType}`;
    return { ...base, status: 'stubbed', execution: 'stubbed', stubType, resultDigest: sha256Hex(seed) };
  });
  return { ok: missing.length === 0, runId, mode: 'stub', steps, missingResults: missing };
}
