/**
 * The run-record input (artifacts.md §2.5): `{run, intents, results, refs, capture_mode,
 * normalization}`, decoded per gate.md §A1.4 (unknown members ignored). Unset values stay unset
 * (zero time, ''); the record pipeline (`normalize.ts`) applies the defaults.
 */
import { GaitError } from '../../errors/error.js';
import { ObjectReader } from '../../schema/v1/decode.js';
import type { JsonObject } from '../../schema/v1/json-types.js';
import { decodeIntent, decodeRefs, decodeResult, decodeRun } from './decode.js';
import type { DecodedRefs } from './decode.js';
import type { IntentRecord, ResultRecord, RunRecord } from './types.js';
import { ZERO_TIME } from '../../runtime/timestamp.js';

/** Digest-normalization maps (§2.4 step 3), keyed by intent id. */
export interface RunpackNormalization {
  readonly intentArgs: ReadonlyMap<string, JsonObject>;
  readonly resultPayloads: ReadonlyMap<string, JsonObject>;
}

/**
 * What `buildRunpack` records. Unset strings are '', unset timestamps `ZERO_TIME`; `args`/`result`
 * are present (possibly `{}`) or absent.
 */
export interface RunpackInput {
  readonly run: RunRecord;
  readonly intents: readonly IntentRecord[];
  readonly results: readonly ResultRecord[];
  readonly refs: DecodedRefs;
  /** `reference`, `raw` or '' (= reference); anything else is refused by the pipeline. */
  readonly captureMode: string;
  readonly normalization: RunpackNormalization;
}

const CODE = 'artifact_invalid' as const;

function objectMap(reader: ObjectReader | undefined, field: string): Map<string, JsonObject> {
  const out = new Map<string, JsonObject>();
  const obj = reader?.rawObject(field);
  if (obj === undefined) return out;
  for (const key of Object.keys(obj)) {
    const value = obj[key];
    if (value === null || value === undefined) continue;
    if (typeof value !== 'object' || Array.isArray(value)) {
      throw new GaitError(CODE, `normalization.${field}.${key} must be an object`, { details: { path: `normalization.${field}.${key}` } });
    }
    out.set(key, value);
  }
  return out;
}

/** An empty refs record (no `refs` in the input). */
export function emptyRefs(): DecodedRefs {
  return {
    schemaId: '',
    schemaVersion: '',
    createdAt: ZERO_TIME,
    producerVersion: '',
    runId: '',
    contextSetDigest: '',
    contextEvidenceMode: '',
    contextRefCount: 0,
    receipts: [],
  };
}

/**
 * Decodes a run-record input file (§2.5).
 * @param raw the parsed JSON
 * @throws GaitError `artifact_invalid` (exit 6) for a member of the wrong JSON type or a bad timestamp,
 *   naming its path (`run.created_at must be an RFC 3339 timestamp, got …`)
 * @example buildRunpack(parseRunpackInput(JSON.parse(text)), { clock })
 */
export function parseRunpackInput(raw: unknown): RunpackInput {
  const r = ObjectReader.of(raw, '', CODE, 'run record input must be a JSON object');
  const norm = r.object('normalization');
  return {
    run: decodeRun(r.get('run') ?? {}, 'run', CODE),
    intents: r.array('intents').map((item, i) => decodeIntent(item ?? {}, `intents[${i}]`, CODE)),
    results: r.array('results').map((item, i) => decodeResult(item ?? {}, `results[${i}]`, CODE)),
    refs: r.has('refs') ? decodeRefs(r.get('refs'), 'refs', CODE) : emptyRefs(),
    captureMode: r.string('capture_mode'),
    normalization: { intentArgs: objectMap(norm, 'intent_args'), resultPayloads: objectMap(norm, 'result_payloads') },
  };
}
