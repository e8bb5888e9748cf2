/**
 * Sorted, unique string lists for reason codes and violations (gate.md §A14: "sorted, unique").
 * Inputs that are already sorted and unique (normalized policy lists) merge in linear time.
 */
import { compareCodePoints } from '../schema/v1/text.js';

export const EMPTY: readonly string[] = Object.freeze([]);

/** Sorts by code point and removes duplicates and empty strings; returns a new array. */
export function sortUnique(items: readonly string[]): string[] {
  if (items.length <= 1) return items.length === 1 && items[0] !== '' ? [items[0]!] : [];
  const sorted = [...items].sort(compareCodePoints);
  const out: string[] = [];
  for (const item of sorted) if (item !== '' && item !== out[out.length - 1]) out.push(item);
  return out;
}

/** Union of two sorted unique lists, sorted and unique; returns one of the inputs when the other is empty. */
export function mergeSorted(a: readonly string[], b: readonly string[]): readonly string[] {
  if (b.length === 0) return a;
  if (a.length === 0) return b;
  const out: string[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const c = compareCodePoints(a[i]!, b[j]!);
    if (c < 0) out.push(a[i++]!);
    else if (c > 0) out.push(b[j++]!);
    else {
      out.push(a[i++]!);
      j++;
    }
  }
  while (i < a.length) out.push(a[i++]!);
  while (j < b.length) out.push(b[j++]!);
  return out;
}
