/**
 * Shared helpers for policy normalization (gate.md §0, §A4): typed reads of the decoded tree, list
 * normalization, enum checks, and problem collection with source positions.
 */
import { cleanPath, loweredList, lowerSimple, normalizedList, trimSpec } from '../schema/v1/text.js';
import type { DecodedMap } from './decode-schema.js';
import { pushProblem } from './source-node.js';
import type { PolicyProblem, Pos } from './source-node.js';

/** Collects normalization problems, locating each at the closest known source position. */
export class NormalizeContext {
  readonly problems: PolicyProblem[] = [];
  private readonly positions: ReadonlyMap<string, Pos>;

  constructor(positions: ReadonlyMap<string, Pos>) {
    this.positions = positions;
  }

  /** Records `message` for the value at `path` (or the nearest located ancestor). */
  fail(path: string, message: string): void {
    pushProblem(this.problems, message, path, this.locate(path));
  }

  private locate(path: string): Pos | undefined {
    let p = path;
    for (;;) {
      const pos = this.positions.get(p);
      if (pos !== undefined || p === '') return pos;
      const cut = Math.max(p.lastIndexOf('.'), p.lastIndexOf('['));
      p = cut <= 0 ? '' : p.slice(0, cut);
    }
  }
}

export function join(path: string, key: string): string {
  return path === '' ? key : `${path}.${key}`;
}

/** Trimmed string member, '' when absent. */
export function text(m: DecodedMap, key: string): string {
  const v = m[key];
  return typeof v === 'string' ? trimSpec(v) : '';
}

/** Trimmed and lowercased string member, '' when absent. */
export function lowerText(m: DecodedMap, key: string): string {
  return lowerSimple(text(m, key));
}

export function flag(m: DecodedMap, key: string): boolean {
  return m[key] === true;
}

export function intOf(m: DecodedMap, key: string): number | undefined {
  const v = m[key];
  return typeof v === 'number' ? v : undefined;
}

export function rawList(m: DecodedMap, key: string): readonly string[] {
  const v = m[key];
  return Array.isArray(v) ? (v as readonly unknown[]).filter((x): x is string => typeof x === 'string') : [];
}

export function mapOf(m: DecodedMap, key: string): DecodedMap | undefined {
  const v = m[key];
  return typeof v === 'object' && !Array.isArray(v) ? (v as DecodedMap) : undefined;
}

export function mapsOf(m: DecodedMap, key: string): readonly DecodedMap[] {
  const v = m[key];
  return Array.isArray(v) ? (v as readonly unknown[]).filter((x): x is DecodedMap => typeof x === 'object' && x !== null) : [];
}

/** Normalized list (trim, drop empty, de-duplicate, sort by code point). */
export function listOf(m: DecodedMap, key: string): string[] {
  return normalizedList(rawList(m, key));
}

/** Lowered list. */
export function loweredOf(m: DecodedMap, key: string): string[] {
  return loweredList(rawList(m, key));
}

/** Path list for sandbox keys: trim, clean like POSIX `path.Clean`, drop `.`, de-duplicate, sort (§A3.2 step 7). */
export function cleanedPathsOf(m: DecodedMap, key: string): string[] {
  const cleaned = rawList(m, key).map((item) => cleanPath(trimSpec(item)));
  return normalizedList(cleaned.filter((item) => item !== '.'));
}

/** Non-negative integer member; a negative value is a problem. */
export function nonNegative(ctx: NormalizeContext, m: DecodedMap, path: string, key: string): number {
  const v = intOf(m, key) ?? 0;
  if (v < 0) ctx.fail(join(path, key), `${join(path, key)} must be >= 0`);
  return v;
}

/** Checks each lowered item of `m[key]` against `allowed`; reports the first raw item that fails. */
export function checkListEnum(
  ctx: NormalizeContext,
  m: DecodedMap,
  path: string,
  key: string,
  items: readonly string[],
  allowed: readonly string[],
): void {
  const raw = rawList(m, key);
  for (const item of items) {
    if (allowed.includes(item)) continue;
    const index = raw.findIndex((r) => lowerSimple(trimSpec(r)) === item);
    const at = index < 0 ? join(path, key) : `${join(path, key)}[${index}]`;
    ctx.fail(at, `${at}: unsupported value \`${item}\` (expected ${allowed.join('|')})`);
  }
}

/** Checks a single lowered value against `allowed` ('' is accepted as unset). */
export function checkEnum(ctx: NormalizeContext, path: string, value: string, allowed: readonly string[]): void {
  if (value === '' || allowed.includes(value)) return;
  ctx.fail(path, `${path}: unsupported value \`${value}\` (expected ${allowed.join('|')})`);
}
