/** `inspectPack` (artifacts.md §3.7): the manifest, the type's payload, and a lineage summary. */
import { isJsonObject } from '../../schema/v1/decode.js';
import type { JsonObject, JsonValue } from '../../schema/v1/json-types.js';
import type { OpenedPack } from './open.js';
import { buildRunPayload } from './run-payload.js';

export interface PackInspection {
  readonly packId: string;
  readonly packType: string;
  readonly sourceRef: string;
  readonly manifest: JsonObject;
  /** `run_payload`, `job_payload`, `call_payload` or `authorization_bundle`, as stored. */
  readonly payloads: Readonly<Record<string, JsonObject>>;
  readonly runLineage?: JsonObject;
  readonly jobLineage?: JsonObject;
  readonly legacyType: '' | 'runpack';
}

const UTF8 = new TextDecoder('utf-8', { fatal: true });

function jsonEntry(p: OpenedPack, name: string): JsonObject | undefined {
  const bytes = p.entries.get(name);
  if (bytes === undefined) return undefined;
  try {
    const v = JSON.parse(UTF8.decode(bytes)) as unknown;
    return isJsonObject(v) ? v : undefined;
  } catch {
    return undefined;
  }
}

function jsonLines(p: OpenedPack, name: string): JsonObject[] {
  const bytes = p.entries.get(name);
  if (bytes === undefined) return [];
  return UTF8.decode(bytes)
    .split('\n')
    .filter((l) => l.trim() !== '')
    .flatMap((l) => {
      try {
        const v = JSON.parse(l) as unknown;
        return isJsonObject(v) ? [v] : [];
      } catch {
        return [];
      }
    });
}

function runLineage(p: OpenedPack): JsonObject | undefined {
  const rp = p.runpack;
  if (rp === undefined) return undefined;
  const first = new Map<string, string>();
  for (const r of rp.results) if (!first.has(r.intentId)) first.set(r.intentId, r.status);
  return {
    timeline_events: rp.run.timeline?.length ?? 0,
    receipt_count: rp.refs.receipts.length,
    intent_results: rp.intents.map((i) => ({ intent_id: i.intentId, tool_name: i.toolName, status: first.get(i.intentId) ?? 'missing_result' })),
  };
}

function str(o: JsonObject, ...keys: string[]): string {
  for (const k of keys) if (typeof o[k] === 'string') return o[k];
  return '';
}

function jobLineage(p: OpenedPack): JsonObject | undefined {
  if (p.packType !== 'job') return undefined;
  const events = jsonLines(p, 'job_events.jsonl');
  const last = events[events.length - 1];
  const state = jsonEntry(p, 'job_state.json');
  const checkpoints: JsonValue = state !== undefined && Array.isArray(state['checkpoints']) ? state['checkpoints'] : [];
  return {
    event_count: events.length,
    last_event_type: last === undefined ? '' : str(last, 'type', 'event_type', 'event'),
    checkpoint_refs: (checkpoints as JsonValue[]).filter(isJsonObject).map((c) => ({
      checkpoint_id: str(c, 'checkpoint_id', 'id'),
      type: str(c, 'type'),
      reason_code: str(c, 'reason_code'),
    })),
  };
}

const PAYLOADS: readonly (readonly [string, string])[] = [
  ['run_payload', 'run_payload.json'],
  ['job_payload', 'job_payload.json'],
  ['call_payload', 'call_payload.json'],
  ['authorization_bundle', 'authorization_bundle.json'],
];

/** Summarizes an opened pack (§3.7); a bare runpack shows as a run pack with `legacyType: 'runpack'`. */
export function inspectPack(p: OpenedPack): PackInspection {
  const payloads: Record<string, JsonObject> = {};
  for (const [key, file] of PAYLOADS) {
    const v = jsonEntry(p, file);
    if (v !== undefined) payloads[key] = v;
  }
  if (p.legacyType === 'runpack' && p.runpack !== undefined) payloads['run_payload'] = buildRunPayload(p.runpack);
  const run = runLineage(p);
  const job = jobLineage(p);
  return {
    packId: p.packId,
    packType: p.packType,
    sourceRef: p.sourceRef,
    manifest: p.manifest,
    payloads,
    ...(run === undefined ? {} : { runLineage: run }),
    ...(job === undefined ? {} : { jobLineage: job }),
    legacyType: p.legacyType,
  };
}
