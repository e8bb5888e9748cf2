/**
 * A located, alias-free view of a policy document, shared by the YAML reader (positions known) and the
 * plain-object reader (no positions). The strict schema decoder only ever sees this shape.
 */

/** 1-based position in the policy text. */
export interface Pos {
  readonly line: number;
  readonly col: number;
}

export interface SourceEntry {
  readonly key: string;
  readonly keyPos: Pos | undefined;
  readonly value: SourceNode;
}

export type SourceNode =
  | { readonly kind: 'map'; readonly pos: Pos | undefined; readonly entries: readonly SourceEntry[] }
  | { readonly kind: 'seq'; readonly pos: Pos | undefined; readonly items: readonly SourceNode[] }
  | {
      readonly kind: 'scalar';
      readonly pos: Pos | undefined;
      /** string, number, boolean or null for well-formed input; anything else is a type error later */
      readonly value: unknown;
      /** the scalar as written (YAML source text), used when a string is expected */
      readonly text: string;
      /** unquoted YAML scalar (YAML 1.1 booleans such as `yes` are accepted only when plain) */
      readonly plain: boolean;
    };

/** One problem found while reading a policy; `path` is like `rules[0].match.tool_names`. */
export interface PolicyProblem {
  readonly message: string;
  readonly path: string;
  readonly line?: number;
  readonly col?: number;
  readonly hint?: string;
}

/** Appends a problem, attaching `pos` when known (exactOptionalPropertyTypes-safe). */
export function pushProblem(problems: PolicyProblem[], message: string, path: string, pos: Pos | undefined, hint?: string): void {
  const problem: { -readonly [K in keyof PolicyProblem]: PolicyProblem[K] } = { message, path };
  if (pos !== undefined) {
    problem.line = pos.line;
    problem.col = pos.col;
  }
  if (hint !== undefined) problem.hint = hint;
  problems.push(problem);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/**
 * Converts an already-parsed value (e.g. from `JSON.parse`) to a source node without positions.
 * Cycles are cut: a repeated container becomes a scalar that fails type checks.
 */
export function sourceFromValue(value: unknown, stack: Set<object> = new Set()): SourceNode {
  if (Array.isArray(value) || isPlainObject(value)) {
    if (stack.has(value)) return { kind: 'scalar', pos: undefined, value: stack, text: '[cycle]', plain: false };
    stack.add(value);
    try {
      if (Array.isArray(value)) {
        return { kind: 'seq', pos: undefined, items: value.map((item: unknown) => sourceFromValue(item, stack)) };
      }
      const entries = Object.entries(value).map(([key, v]) => ({ key, keyPos: undefined, value: sourceFromValue(v, stack) }));
      return { kind: 'map', pos: undefined, entries };
    } finally {
      stack.delete(value);
    }
  }
  const text = typeof value === 'string' ? value : typeof value === 'number' || typeof value === 'boolean' ? String(value) : '';
  return { kind: 'scalar', pos: undefined, value: value === undefined ? null : value, text, plain: false };
}
