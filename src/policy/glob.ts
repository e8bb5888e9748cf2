/**
 * Endpoint path and domain patterns (gate.md §A5.6 step 2). Each pattern is compiled once into a
 * matcher; evaluation never re-parses. Glob semantics follow POSIX `path.Match`: `*` is any run
 * of non-`/` characters, `?` one non-`/` character, `[...]` a class (`[^...]` negated, `a-z`
 * ranges), `\` escapes. A malformed pattern (checked over the whole pattern) matches nothing.
 */

export type StringMatcher = (value: string) => boolean;

type Item =
  | { readonly kind: 'literal'; readonly unit: number }
  | { readonly kind: 'any_one' }
  | { readonly kind: 'class'; readonly negated: boolean; readonly ranges: readonly number[] };

interface Chunk {
  readonly star: boolean;
  readonly items: readonly Item[];
}

const SLASH = 0x2f;
const NEVER: StringMatcher = () => false;

/** Splits at unescaped `*` outside classes, like path.Match's chunk scanner. */
function scanChunks(pattern: string): { star: boolean; text: string }[] {
  const out: { star: boolean; text: string }[] = [];
  let i = 0;
  while (i < pattern.length) {
    let star = false;
    while (i < pattern.length && pattern[i] === '*') {
      star = true;
      i++;
    }
    let inRange = false;
    const start = i;
    for (; i < pattern.length; i++) {
      const c = pattern[i];
      if (c === '\\') {
        if (i + 1 < pattern.length) i++;
      } else if (c === '[') inRange = true;
      else if (c === ']') inRange = false;
      else if (c === '*' && !inRange) break;
    }
    out.push({ star, text: pattern.slice(start, i) });
  }
  return out;
}

/** One class endpoint: rejects empty, `-`, `]`; honours `\`; must not end the chunk. */
function classChar(text: string, i: number): { cp: number; next: number } | undefined {
  if (i >= text.length || text[i] === '-' || text[i] === ']') return undefined;
  if (text[i] === '\\') {
    i++;
    if (i >= text.length) return undefined;
  }
  const cp = text.codePointAt(i)!;
  const next = i + (cp > 0xffff ? 2 : 1);
  return next >= text.length ? undefined : { cp, next };
}

function parseClass(text: string, i: number): { item: Item; next: number } | undefined {
  let negated = false;
  if (text[i] === '^') {
    negated = true;
    i++;
  }
  const ranges: number[] = [];
  for (;;) {
    if (i < text.length && text[i] === ']' && ranges.length > 0) return { item: { kind: 'class', negated, ranges }, next: i + 1 };
    const lo = classChar(text, i);
    if (lo === undefined) return undefined;
    let hi = lo;
    if (text[lo.next] === '-') {
      const h = classChar(text, lo.next + 1);
      if (h === undefined) return undefined;
      hi = h;
    }
    ranges.push(lo.cp, hi.cp);
    i = hi.next;
  }
}

/** Parses one chunk; undefined when malformed. */
function parseChunk(text: string): Item[] | undefined {
  const items: Item[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (c === '[') {
      const parsed = parseClass(text, i + 1);
      if (parsed === undefined) return undefined;
      items.push(parsed.item);
      i = parsed.next;
    } else if (c === '?') {
      items.push({ kind: 'any_one' });
      i++;
    } else {
      if (c === '\\') {
        i++;
        if (i >= text.length) return undefined;
      }
      items.push({ kind: 'literal', unit: text.charCodeAt(i) });
      i++;
    }
  }
  return items;
}

function cpLength(s: string, pos: number): number {
  const c = s.charCodeAt(pos);
  return c >= 0xd800 && c <= 0xdbff && pos + 1 < s.length ? 2 : 1;
}

/** Matches a chunk at `pos`; returns the position after it, or -1. */
function matchChunk(items: readonly Item[], s: string, pos: number): number {
  for (const item of items) {
    if (pos >= s.length) return -1;
    switch (item.kind) {
      case 'literal':
        if (s.charCodeAt(pos) !== item.unit) return -1;
        pos++;
        break;
      case 'any_one':
        if (s.charCodeAt(pos) === SLASH) return -1;
        pos += cpLength(s, pos);
        break;
      case 'class': {
        const cp = s.codePointAt(pos)!;
        let hit = false;
        for (let r = 0; r < item.ranges.length; r += 2) {
          if (item.ranges[r]! <= cp && cp <= item.ranges[r + 1]!) {
            hit = true;
            break;
          }
        }
        if (hit === item.negated) return -1;
        pos += cp > 0xffff ? 2 : 1;
        break;
      }
      default: {
        const unreachable: never = item;
        return unreachable;
      }
    }
  }
  return pos;
}

function matchChunks(chunks: readonly Chunk[], s: string): boolean {
  let pos = 0;
  outer: for (let c = 0; c < chunks.length; c++) {
    const { star, items } = chunks[c]!;
    const last = c === chunks.length - 1;
    if (star && items.length === 0) return s.indexOf('/', pos) < 0;
    const t = matchChunk(items, s, pos);
    if (t >= 0 && (t === s.length || !last)) {
      pos = t;
      continue;
    }
    if (star) {
      // Retry after skipping one more non-`/` character each time.
      for (let i = pos; i < s.length && s.charCodeAt(i) !== SLASH; ) {
        i += cpLength(s, i);
        const t2 = matchChunk(items, s, i);
        if (t2 >= 0) {
          if (last && t2 < s.length) continue;
          pos = t2;
          continue outer;
        }
      }
    }
    return false;
  }
  return pos === s.length;
}

/**
 * Compiles a `path.Match`-style glob.
 * @returns the matcher, or undefined when the pattern is malformed
 */
export function compileGlob(pattern: string): StringMatcher | undefined {
  const chunks: Chunk[] = [];
  for (const { star, text } of scanChunks(pattern)) {
    const items = parseChunk(text);
    if (items === undefined) return undefined;
    chunks.push({ star, items });
  }
  if (!/[*?[\\]/.test(pattern)) return (v) => v === pattern;
  return (v) => matchChunks(chunks, v);
}

/**
 * Compiles an endpoint path pattern (gate.md §A5.6 step 2): equal; `P/**` matches P and anything
 * under `P/`; else a glob (malformed → only equality).
 * @example compilePathPattern('/repo/**')('/repo/a/b') // true
 */
export function compilePathPattern(pattern: string): StringMatcher {
  const glob = compileGlob(pattern) ?? NEVER;
  if (pattern.endsWith('/**')) {
    const prefix = pattern.slice(0, -3);
    const under = prefix + '/';
    return (v) => v === pattern || v === prefix || v.startsWith(under) || glob(v);
  }
  return (v) => v === pattern || glob(v);
}

/**
 * Compiles a lowercased endpoint domain pattern: equal; `*.x` matches names ending in `.x` (not
 * `x` itself); else a glob.
 * @example compileDomainPattern('*.example.com')('a.b.example.com') // true
 */
export function compileDomainPattern(pattern: string): StringMatcher {
  const glob = compileGlob(pattern) ?? NEVER;
  if (pattern.startsWith('*.')) {
    const suffix = pattern.slice(1);
    return (v) => v === pattern || v.endsWith(suffix) || glob(v);
  }
  return (v) => v === pattern || glob(v);
}

/** One matcher over a list of patterns: true when any pattern matches. */
export function compileAny(patterns: readonly string[], compile: (p: string) => StringMatcher): StringMatcher {
  const matchers = patterns.map(compile);
  if (matchers.length === 0) return NEVER;
  if (matchers.length === 1) return matchers[0]!;
  return (v) => {
    for (const m of matchers) if (m(v)) return true;
    return false;
  };
}
