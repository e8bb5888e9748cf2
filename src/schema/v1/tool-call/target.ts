/**
 * Target and provenance decoding of a ToolCall (mcp-and-export.md §1.1, §2 steps 2–3): hints are the
 * snake-case value OR the camel-case value, then `annotations` override them.
 */
import type { ObjectReader } from '../decode.js';
import type { JsonObject } from '../json-types.js';
import { lowerSimple, trimSpec } from '../text.js';
import type { ToolCallProvenance, ToolCallTarget } from './types.js';

type HintName = 'readOnlyHint' | 'destructiveHint' | 'idempotentHint' | 'openWorldHint';

/** [snake-case member, camel-case member (folded, as §A1.4 matches members case-insensitively)]. */
const HINTS: readonly (readonly [HintName, string, string])[] = [
  ['readOnlyHint', 'read_only_hint', 'readOnlyHint'],
  ['destructiveHint', 'destructive_hint', 'destructiveHint'],
  ['idempotentHint', 'idempotent_hint', 'idempotentHint'],
  ['openWorldHint', 'open_world_hint', 'openWorldHint'],
];

/**
 * §1.1: the annotation keys are tried snake-case first, then camel-case (exact keys: `annotations` is a
 * free-form object); a boolean, or the string `true`/`false` (trimmed, case-insensitive), decides; any
 * other value type is skipped.
 */
function annotationBoolean(annotations: JsonObject, keys: readonly string[]): boolean | undefined {
  for (const key of keys) {
    if (!Object.hasOwn(annotations, key)) continue;
    const value = annotations[key];
    if (typeof value === 'boolean') return value;
    if (typeof value === 'string') {
      const text = lowerSimple(trimSpec(value));
      if (text === 'true') return true;
      if (text === 'false') return false;
    }
  }
  return undefined;
}

/** §1.1: `discovery_method`/`discoveryMethod` string annotation; a blank string is skipped (no information). */
function annotationString(annotations: JsonObject, keys: readonly string[]): string | undefined {
  for (const key of keys) {
    const value = annotations[key];
    if (Object.hasOwn(annotations, key) && typeof value === 'string' && trimSpec(value) !== '') return trimSpec(value);
  }
  return undefined;
}

/** Decodes one §1.1 Target with its hints resolved; strings trimmed (§2 step 2). */
export function decodeTarget(reader: ObjectReader): ToolCallTarget {
  const hints: Record<HintName, boolean> = { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: false };
  for (const [name, snake, camel] of HINTS) hints[name] = reader.boolean(snake) || reader.boolean(camel.toLowerCase());
  let discoveryMethod = trimSpec(reader.string('discovery_method')) || trimSpec(reader.string('discoverymethod'));
  const annotations = reader.rawObject('annotations');
  if (annotations !== undefined) {
    for (const [name, snake, camel] of HINTS) hints[name] = annotationBoolean(annotations, [snake, camel]) ?? hints[name];
    discoveryMethod = annotationString(annotations, ['discovery_method', 'discoveryMethod']) ?? discoveryMethod;
  }
  return {
    kind: trimSpec(reader.string('kind')),
    value: trimSpec(reader.string('value')),
    operation: trimSpec(reader.string('operation')),
    sensitivity: trimSpec(reader.string('sensitivity')),
    discoveryMethod,
    ...hints,
  };
}

/** Decodes one provenance entry, trimmed field by field (§2 step 3). */
export function decodeProvenance(reader: ObjectReader): ToolCallProvenance {
  return {
    argPath: trimSpec(reader.string('arg_path')),
    source: trimSpec(reader.string('source')),
    sourceRef: trimSpec(reader.string('source_ref')),
    integrityDigest: trimSpec(reader.string('integrity_digest')),
  };
}

/** A target with only kind, value and operation set (no hints, sensitivity or discovery method). */
export function plainTarget(kind: string, value: string, operation: string): ToolCallTarget {
  return {
    kind,
    value,
    operation,
    sensitivity: '',
    discoveryMethod: '',
    readOnlyHint: false,
    destructiveHint: false,
    idempotentHint: false,
    openWorldHint: false,
  };
}

/** §2 step 2: the legacy single `target`, inferred as `url` (contains `://`), `path` (contains `/`) or `host`. */
export function legacyTarget(value: string): ToolCallTarget | undefined {
  const trimmed = trimSpec(value);
  if (trimmed === '') return undefined;
  const kind = trimmed.includes('://') ? 'url' : trimmed.includes('/') ? 'path' : 'host';
  return plainTarget(kind, trimmed, '');
}

/** Decodes `targets` and `arg_provenance` of an object (the call or a script step). */
export function decodeTargetsAndProvenance(reader: ObjectReader): { targets: ToolCallTarget[]; argProvenance: ToolCallProvenance[] } {
  return {
    targets: reader.objectArray('targets').map(decodeTarget),
    argProvenance: reader.objectArray('arg_provenance').map(decodeProvenance),
  };
}
