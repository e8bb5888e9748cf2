/**
 * Policy loading (gate.md §A4.1): legacy-field check, strict decode, normalization. Validation happens
 * once, here, and reports every problem found (`details.problems`); the first one is the message.
 */
import { GaitError } from '../errors/error.js';
import type { ErrorCode } from '../errors/codes.js';
import type { SourceLocation } from '../errors/error.js';
import { decodeWithTable } from './decode-schema.js';
import type { Policy } from './model.js';
import { NormalizeContext } from './normalize-context.js';
import { normalizePolicy } from './normalize.js';
import { LEGACY_FIELDS, POLICY_KEYS } from './policy-keys.js';
import { sourceFromValue } from './source-node.js';
import type { PolicyProblem, SourceNode } from './source-node.js';
import { readPolicyYaml } from './yaml-decode.js';

export interface ParsePolicyOptions {
  /** file name for error locations (`file:line:col`) */
  readonly file?: string;
}

const PREFIX = 'parse policy yaml: ';

function locationOf(problem: { readonly line?: number; readonly col?: number } | undefined, file: string | undefined): SourceLocation {
  const loc: { file?: string; line?: number; col?: number } = {};
  if (file !== undefined) loc.file = file;
  if (problem?.line !== undefined) loc.line = problem.line;
  if (problem?.col !== undefined) loc.col = problem.col;
  return loc;
}

/** Problems in document order (unlocated ones keep their relative order, after located ones). */
function inDocumentOrder(problems: readonly PolicyProblem[]): PolicyProblem[] {
  const key = (p: PolicyProblem): number => (p.line === undefined ? Number.MAX_SAFE_INTEGER : p.line * 1e6 + (p.col ?? 0));
  return [...problems].sort((a, b) => key(a) - key(b));
}

function problemsError(code: ErrorCode, prefix: string, found: readonly PolicyProblem[], file: string | undefined): GaitError {
  const problems = inDocumentOrder(found).map((p) => ({ ...p, message: prefix + p.message }));
  const first = problems[0];
  const options = {
    details: { problems },
    location: locationOf(first, file),
    ...(first?.hint === undefined ? {} : { hint: first.hint }),
  };
  return new GaitError(code, first?.message ?? `${prefix}invalid policy`, options);
}

/** `schema_id|schema_version (set …)` → replacement fields and note; prose without fields → note only. */
function replacementOf(field: string, replacement: string): Record<string, unknown> {
  const m = /^([a-z_.]+(?:\|[a-z_.]+)*)(?: \((.*)\))?$/.exec(replacement);
  if (m === null) return { field, note: replacement };
  const fields = (m[1] as string).split('|');
  return m[2] === undefined ? { field, replacement_fields: fields } : { field, replacement_fields: fields, note: m[2] };
}

/** §A4.1 step 1: the pre-v1 proposal's top-level keys are refused with migration guidance (§A12.1 `migration`). */
function assertNotLegacy(root: SourceNode, file: string | undefined): void {
  if (root.kind !== 'map') return;
  const keys = new Set(root.entries.map((e) => e.key));
  const found = LEGACY_FIELDS.filter(([field]) => keys.has(field));
  if (found.length === 0) return;
  const fields = found.map(([field]) => field);
  const details = found.map(([field, replacement]) => `${field}->${replacement}`);
  const pos = root.entries.find((e) => e.key === fields[0])?.keyPos;
  throw new GaitError('policy_legacy', `${PREFIX}legacy policy proposal fields are not supported [${fields.join(', ')}]: ${details.join('; ')}`, {
    details: {
      deprecated_fields: fields,
      field_replacements: Object.fromEntries(found.map(([field, replacement]) => [field, replacement])),
      // Members the CLI adds to its JSON error envelope.
      envelope: {
        migration: {
          kind: 'policy_fields',
          deprecated_fields: fields,
          field_replacements: found.map(([field, replacement]) => replacementOf(field, replacement)),
        },
      },
    },
    location: locationOf(pos, file),
  });
}

function policyFromSource(root: SourceNode, file: string | undefined): Policy {
  if (root.kind !== 'map') {
    const pos = root.pos;
    const at: PolicyProblem = { message: 'policy must be a mapping at the top level', path: '', ...(pos ?? {}) };
    throw problemsError('policy_parse', PREFIX, [at], file);
  }
  assertNotLegacy(root, file);
  const decoded = decodeWithTable(root, POLICY_KEYS);
  if (decoded.problems.length > 0) throw problemsError('policy_parse', PREFIX, decoded.problems, file);
  const ctx = new NormalizeContext(decoded.positions);
  const policy = normalizePolicy(ctx, decoded.value);
  if (ctx.problems.length > 0) throw problemsError('policy_invalid', '', ctx.problems, file);
  return policy;
}

/**
 * Parses and normalizes policy YAML (or JSON, which is YAML) text.
 * @throws GaitError `policy_parse` (syntax, duplicate or unknown keys, wrong types, empty document),
 *   `policy_legacy` (§A4.1 step 1), `policy_invalid` (normalization and validation); each with
 *   `location` and every problem in `details.problems`
 */
export function parsePolicyYaml(text: string, options: ParsePolicyOptions = {}): Policy {
  const read = readPolicyYaml(text);
  if (!read.ok) {
    if (read.empty) {
      throw new GaitError('policy_parse', `${PREFIX}policy file is empty`, { location: locationOf(undefined, options.file) });
    }
    throw problemsError('policy_parse', PREFIX, read.problems, options.file);
  }
  return policyFromSource(read.root, options.file);
}

/**
 * Normalizes an already-parsed policy value (e.g. from `JSON.parse`), with the same strict rules as
 * `parsePolicyYaml` but without source positions.
 * @throws GaitError `policy_parse`, `policy_legacy`, `policy_invalid` as `parsePolicyYaml`
 */
export function parsePolicyObject(value: unknown, options: ParsePolicyOptions = {}): Policy {
  if (value === null || value === undefined) {
    throw new GaitError('policy_parse', `${PREFIX}policy file is empty`, { location: locationOf(undefined, options.file) });
  }
  return policyFromSource(sourceFromValue(value), options.file);
}
