/**
 * Normalization of free-form objects (`args`, `context.auth_context`), gate.md §A3.2 step 3: string
 * values and object keys trimmed, an empty key rejected, numbers/booleans/null kept, array order kept.
 */
import { GaitError } from '../../errors/error.js';
import type { JsonObject, JsonValue } from './json-types.js';
import { trimSpec } from './text.js';

/** Sets an own enumerable member, also for the key `__proto__` (plain assignment would set the prototype). */
export function setMember(out: JsonObject, key: string, value: JsonValue): void {
  if (key === '__proto__') {
    Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
  } else {
    out[key] = value;
  }
}

function normalizeValue(value: unknown, path: string, emptyKeyMessage: string): JsonValue | undefined {
  if (typeof value === 'string') return trimSpec(value);
  if (typeof value === 'boolean' || value === null) return value;
  if (value === undefined) return undefined;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new GaitError('input_intent', `${path} must be a finite number`, { details: { path } });
    return value;
  }
  if (Array.isArray(value)) {
    return value.map((item: unknown, i) => normalizeValue(item, `${path}[${i}]`, emptyKeyMessage) ?? null);
  }
  if (typeof value === 'object') return normalizeObjectMembers(value as Record<string, unknown>, path, emptyKeyMessage);
  throw new GaitError('input_intent', `${path} must be a JSON value`, { details: { path } });
}

function normalizeObjectMembers(obj: Record<string, unknown>, path: string, emptyKeyMessage: string): JsonObject {
  const out: JsonObject = {};
  for (const rawKey of Object.keys(obj)) {
    const key = trimSpec(rawKey);
    if (key === '') throw new GaitError('input_intent', emptyKeyMessage, { details: { path } });
    const value = normalizeValue(obj[rawKey], `${path}.${key}`, emptyKeyMessage);
    // Keys that collide after trimming: the later member wins (gate.md §A1.4 "last duplicate wins").
    if (value !== undefined) setMember(out, key, value);
  }
  return out;
}

/**
 * Normalizes a free-form object recursively (gate.md §A3.2 step 3).
 * @throws GaitError `input_intent` with `emptyKeyMessage` for an empty key (after trim), or for a non-JSON value
 */
export function normalizeFreeObject(obj: JsonObject, path: string, emptyKeyMessage: string): JsonObject {
  return normalizeObjectMembers(obj, path, emptyKeyMessage);
}
