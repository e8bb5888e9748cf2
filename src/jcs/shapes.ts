/**
 * Member order for JCS objects (RFC 8785 §3.2.3), remembered per object shape. Canonicalizing a
 * signed record meets the same few member-name lists (a trace, its relationship nodes, an intent)
 * on every call; sorting each list and quoting each name again was a third of the canonicalizer's
 * time. A shape is the member-name list exactly as `Object.keys` returns it, so a hit is exact; a
 * bounded cache keeps the sorted names with their ready `{"name":` / `,"name":` prefixes, also in the
 * forms that carry the quotes around string values (see `writeObject`).
 */
import { quote } from './strings.js';

export interface Shape {
  /** Member names as `Object.keys` returned them (the cache key). */
  readonly keys: readonly string[];
  /** The same names in JCS order. */
  readonly sorted: readonly string[];
  /** For each sorted name: `{"name":` for the first, `,"name":` for the others. */
  readonly prefixes: readonly string[];
  /** `prefixes` with the opening quote of a string value: `,"name":"` */
  readonly stringPrefixes: readonly string[];
  /** `prefixes` after a string value, so with its closing quote first: `","name":` */
  readonly prefixesAfterString: readonly string[];
  /** both: `","name":"` */
  readonly stringPrefixesAfterString: readonly string[];
}

const MAX_SHAPES = 512;
const MAX_SHAPE_NAMES = 64;
const MAX_SHAPE_CHARS = 2048;
const MAX_BUCKET = 4;

// Shapes by their first member name; a bucket holds a few shapes that share it.
const shapes = new Map<string, Shape[]>();
let shapeCount = 0;

/**
 * Sorts member names by UTF-16 code units, the JCS member order, as the default `sort` does. For
 * the few dozen names of an object an insertion sort with `<` (also a code-unit comparison) is
 * several times cheaper than the generic sort.
 */
export function sortNames(names: string[]): void {
  const n = names.length;
  if (n > 32) {
    names.sort();
    return;
  }
  for (let i = 1; i < n; i++) {
    const name = names[i] as string;
    let j = i - 1;
    while (j >= 0 && (names[j] as string) > name) {
      names[j + 1] = names[j] as string;
      j--;
    }
    names[j + 1] = name;
  }
}

function sameNames(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Whether a name list may be cached: well-formed names (else the writer reports them), bounded size. */
function cacheable(keys: readonly string[]): boolean {
  if (keys.length > MAX_SHAPE_NAMES) return false;
  let chars = 0;
  for (const key of keys) {
    if (!key.isWellFormed()) return false;
    chars += key.length;
  }
  return chars <= MAX_SHAPE_CHARS;
}

function addShape(keys: readonly string[], bucket: Shape[] | undefined): Shape {
  const sorted = keys.slice();
  sortNames(sorted);
  const prefixes = sorted.map((name, i) => (i === 0 ? '{' : ',') + quote(name) + ':');
  const shape: Shape = {
    keys: keys.slice(),
    sorted,
    prefixes,
    stringPrefixes: prefixes.map((p) => p + '"'),
    prefixesAfterString: prefixes.map((p) => '"' + p),
    stringPrefixesAfterString: prefixes.map((p) => '"' + p + '"'),
  };
  if (shapeCount >= MAX_SHAPES) {
    shapes.clear();
    shapeCount = 0;
    bucket = undefined;
  }
  if (bucket === undefined) shapes.set(keys[0] as string, [shape]);
  else {
    if (bucket.length >= MAX_BUCKET) bucket.shift();
    bucket.push(shape);
  }
  shapeCount++;
  return shape;
}

/**
 * The shape of a non-empty member-name list, from the cache or added to it; undefined when the list
 * cannot be cached (a lone surrogate in a name, or a very large object): the caller then sorts.
 */
export function shapeOf(keys: readonly string[]): Shape | undefined {
  const bucket = shapes.get(keys[0] as string);
  if (bucket !== undefined) {
    for (const shape of bucket) if (sameNames(shape.keys, keys)) return shape;
  }
  return cacheable(keys) ? addShape(keys, bucket) : undefined;
}
