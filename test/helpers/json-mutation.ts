/**
 * Structural JSON mutations for property tests: delete, duplicate or retype one member of a parsed
 * document (chosen by `pick`), in place. Used by the never-allow suites over intents and policies.
 */
import fc from 'fast-check';

export type Mutation = { readonly pick: number; readonly op: 'delete' | 'duplicate' | 'retype'; readonly value: unknown };

/** Mutations whose retype values come from `values` (default: any JSON up to depth 2). */
export function mutationArb(values: fc.Arbitrary<unknown> = fc.jsonValue({ maxDepth: 2 })): fc.Arbitrary<Mutation> {
  return fc.record({
    pick: fc.nat(),
    op: fc.constantFrom('delete', 'duplicate', 'retype') as fc.Arbitrary<Mutation['op']>,
    value: values,
  });
}

function containers(v: unknown, out: (Record<string, unknown> | unknown[])[]): void {
  if (Array.isArray(v)) {
    out.push(v);
    v.forEach((x) => containers(x, out));
  } else if (v !== null && typeof v === 'object') {
    out.push(v as Record<string, unknown>);
    Object.values(v).forEach((x) => containers(x, out));
  }
}

/** Applies `m` to `root` in place (a document without containers is left as it is). */
export function mutate(root: unknown, m: Mutation): void {
  const all: (Record<string, unknown> | unknown[])[] = [];
  containers(root, all);
  if (all.length === 0) return;
  const c = all[m.pick % all.length]!;
  const keys = Array.isArray(c) ? c.map((_, i) => i) : Object.keys(c);
  if (keys.length === 0) return;
  const key = keys[m.pick % keys.length]!;
  const rec = c as Record<string | number, unknown>;
  if (m.op === 'delete') {
    if (Array.isArray(c)) c.splice(key as number, 1);
    else delete rec[key];
  } else if (m.op === 'duplicate') {
    if (Array.isArray(c)) c.push(structuredClone(c[key as number]));
    else rec[`${String(key)}_copy`] = structuredClone(rec[key]);
  } else {
    rec[key] = m.value;
  }
}
