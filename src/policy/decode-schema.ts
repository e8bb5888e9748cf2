/**
 * Strict, schema-driven decoding of a policy source tree (gate.md §A4.1 step 2): unknown keys at any
 * depth and values of the wrong type are problems. Null values count as absent (like Go zero values).
 * The result is a plain tree of typed values plus the source position of every decoded value.
 */
import { closestKey } from './policy-keys.js';
import type { FieldTable, FieldType } from './policy-keys.js';
import { pushProblem } from './source-node.js';
import type { PolicyProblem, Pos, SourceNode } from './source-node.js';

export type DecodedValue = string | number | boolean | readonly string[] | DecodedMap | readonly DecodedMap[];
export interface DecodedMap {
  readonly [key: string]: DecodedValue | undefined;
}

export interface DecodeResult {
  readonly value: DecodedMap;
  /** source position per value path (`rules[0].effect`, `rules[0]`), when the source has positions */
  readonly positions: ReadonlyMap<string, Pos>;
  readonly problems: readonly PolicyProblem[];
}

interface Decoder {
  readonly problems: PolicyProblem[];
  readonly positions: Map<string, Pos>;
}

// YAML 1.1 spellings that Go's yaml.v3 still accepts for typed bool fields (plain scalars only).
const YAML11_TRUE = new Set(['yes', 'Yes', 'YES', 'on', 'On', 'ON']);
const YAML11_FALSE = new Set(['no', 'No', 'NO', 'off', 'Off', 'OFF']);

function typeError(d: Decoder, path: string, node: SourceNode, expected: string): undefined {
  pushProblem(d.problems, `${path} must be ${expected}`, path, node.pos);
  return undefined;
}

function isNull(node: SourceNode): boolean {
  return node.kind === 'scalar' && node.value === null;
}

/** Scalar as string; numbers and booleans keep their source spelling (yaml.v3 decodes them into strings). */
function decodeString(d: Decoder, path: string, node: SourceNode): string | undefined {
  if (node.kind !== 'scalar') return typeError(d, path, node, 'a string');
  const v = node.value;
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') return node.text;
  return typeError(d, path, node, 'a string');
}

function decodeInt(d: Decoder, path: string, node: SourceNode): number | undefined {
  if (node.kind === 'scalar' && typeof node.value === 'number' && Number.isSafeInteger(node.value)) return node.value;
  return typeError(d, path, node, 'an integer');
}

function decodeNumber(d: Decoder, path: string, node: SourceNode): number | undefined {
  if (node.kind === 'scalar' && typeof node.value === 'number' && Number.isFinite(node.value)) return node.value;
  return typeError(d, path, node, 'a number');
}

function decodeBool(d: Decoder, path: string, node: SourceNode): boolean | undefined {
  if (node.kind === 'scalar') {
    if (typeof node.value === 'boolean') return node.value;
    if (node.plain && typeof node.value === 'string') {
      if (YAML11_TRUE.has(node.value)) return true;
      if (YAML11_FALSE.has(node.value)) return false;
    }
  }
  return typeError(d, path, node, 'a boolean');
}

function decodeStrings(d: Decoder, path: string, node: SourceNode): string[] | undefined {
  if (node.kind !== 'seq') return typeError(d, path, node, 'a list of strings');
  const out: string[] = [];
  node.items.forEach((item, i) => {
    if (isNull(item)) {
      out.push('');
      return;
    }
    const itemPath = `${path}[${i}]`;
    if (item.pos !== undefined) d.positions.set(itemPath, item.pos);
    const text = decodeString(d, itemPath, item);
    if (text !== undefined) out.push(text);
  });
  return out;
}

function decodeObjects(d: Decoder, path: string, node: SourceNode, table: FieldTable): DecodedMap[] | undefined {
  if (node.kind !== 'seq') return typeError(d, path, node, 'a list of mappings');
  const out: DecodedMap[] = [];
  node.items.forEach((item, i) => {
    const decoded = decodeMap(d, `${path}[${i}]`, item, table);
    if (decoded !== undefined) out.push(decoded);
  });
  return out;
}

function decodeField(d: Decoder, path: string, node: SourceNode, type: FieldType): DecodedValue | undefined {
  switch (type) {
    case 'string':
      return decodeString(d, path, node);
    case 'int':
      return decodeInt(d, path, node);
    case 'number':
      return decodeNumber(d, path, node);
    case 'bool':
      return decodeBool(d, path, node);
    case 'strings':
      return decodeStrings(d, path, node);
    default:
      return 'object' in type ? decodeMap(d, path, node, type.object) : decodeObjects(d, path, node, type.objects);
  }
}

function decodeMap(d: Decoder, path: string, node: SourceNode, table: FieldTable): DecodedMap | undefined {
  if (node.kind !== 'map') return typeError(d, path === '' ? 'policy' : path, node, 'a mapping');
  if (node.pos !== undefined) d.positions.set(path, node.pos);
  const out: Record<string, DecodedValue> = {};
  for (const entry of node.entries) {
    const childPath = path === '' ? entry.key : `${path}.${entry.key}`;
    const type = Object.hasOwn(table, entry.key) ? table[entry.key] : undefined;
    if (type === undefined) {
      const near = closestKey(entry.key, table);
      const where = path === '' ? '' : `${path}: `;
      const hint = near === undefined ? undefined : `did you mean \`${near}\`?`;
      pushProblem(d.problems, `${where}unknown field \`${entry.key}\``, childPath, entry.keyPos ?? node.pos, hint);
      continue;
    }
    if (isNull(entry.value)) continue;
    if (entry.value.pos !== undefined) d.positions.set(childPath, entry.value.pos);
    const value = decodeField(d, childPath, entry.value, type);
    if (value !== undefined) out[entry.key] = value;
  }
  return out;
}

/** Decodes the document root against the policy key table. */
export function decodeWithTable(root: SourceNode, table: FieldTable): DecodeResult {
  const d: Decoder = { problems: [], positions: new Map() };
  const value = decodeMap(d, '', root, table) ?? {};
  return { value, positions: d.positions, problems: d.problems };
}
