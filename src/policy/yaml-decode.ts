/**
 * YAML text -> located source nodes (gate.md §A4.1 step 2). Uses the `yaml` package's AST so every
 * problem carries the line and column of the offending key or value. Aliases and `<<` merge keys are
 * resolved here; duplicate keys, syntax errors, unresolved tags and non-string keys are problems.
 */
import { LineCounter, isAlias, isMap, isPair, isScalar, isSeq, parseDocument } from 'yaml';
import type { Document, Node as YamlNode, Pair, YAMLError } from 'yaml';
import { pushProblem } from './source-node.js';
import type { PolicyProblem, Pos, SourceEntry, SourceNode } from './source-node.js';

/** Hard cap on nodes produced while expanding aliases ("billion laughs" documents). */
const MAX_NODES = 200_000;

export type YamlReadResult =
  | { readonly ok: true; readonly root: SourceNode }
  | { readonly ok: false; readonly empty: boolean; readonly problems: readonly PolicyProblem[] };

interface Reader {
  readonly doc: Document.Parsed;
  readonly lines: LineCounter;
  readonly problems: PolicyProblem[];
  readonly active: Set<YamlNode>;
  nodes: number;
}

function posOf(reader: Reader, node: { range?: readonly number[] | null | undefined } | null | undefined): Pos | undefined {
  const start = node?.range?.[0];
  if (start === undefined) return undefined;
  return reader.lines.linePos(start);
}

/** First line of a `yaml` error message without the " at line L, column C:" tail and the snippet. */
function syntaxMessage(error: YAMLError): string {
  const first = error.message.split('\n')[0] ?? error.message;
  const text = first.replace(/ at line \d+, column \d+:?$/, '');
  return text.length > 0 ? text[0]?.toLowerCase() + text.slice(1) : 'invalid yaml';
}

function keyText(reader: Reader, pair: Pair<unknown, unknown>, path: string): string | undefined {
  const key = pair.key;
  if (isScalar(key) && (typeof key.value === 'string' || typeof key.value === 'number' || typeof key.value === 'boolean')) {
    return String(typeof key.value === 'string' ? key.value : (key.source ?? key.value));
  }
  pushProblem(reader.problems, `${path === '' ? 'policy' : path} has a key that is not a string`, path, posOf(reader, key as YamlNode));
  return undefined;
}

function childPath(path: string, key: string): string {
  return path === '' ? key : `${path}.${key}`;
}

/** Entries of the maps named by a `<<` merge value (a map, or a sequence of maps, possibly via aliases). */
function mergeSources(reader: Reader, value: unknown, path: string): SourceEntry[] {
  const node = toSource(reader, value, path);
  if (node === undefined) return [];
  const maps = node.kind === 'seq' ? node.items : [node];
  const out: SourceEntry[] = [];
  for (const map of maps) {
    if (map.kind !== 'map') {
      pushProblem(reader.problems, `${childPath(path, '<<')} must be a mapping or a list of mappings`, path, map.pos);
      continue;
    }
    out.push(...map.entries);
  }
  return out;
}

function mapToSource(reader: Reader, items: readonly Pair<unknown, unknown>[], pos: Pos | undefined, path: string): SourceNode {
  const entries: SourceEntry[] = [];
  const seen = new Set<string>();
  const merged: SourceEntry[] = [];
  for (const pair of items) {
    if (!isPair(pair)) continue;
    const key = keyText(reader, pair, path);
    if (key === undefined) continue;
    const keyPos = posOf(reader, pair.key as YamlNode);
    if (key === '<<' && isScalar(pair.key) && pair.key.type === 'PLAIN') {
      merged.push(...mergeSources(reader, pair.value, path));
      continue;
    }
    if (seen.has(key)) {
      pushProblem(reader.problems, `duplicate key \`${key}\`${path === '' ? '' : ` in ${path}`}`, childPath(path, key), keyPos);
      continue;
    }
    seen.add(key);
    const value = toSource(reader, pair.value, childPath(path, key)) ?? {
      kind: 'scalar' as const,
      pos: keyPos,
      value: null,
      text: '',
      plain: true,
    };
    entries.push({ key, keyPos, value });
  }
  // Merge semantics: explicit keys win, earlier merged maps win over later ones.
  for (const entry of merged) {
    if (seen.has(entry.key)) continue;
    seen.add(entry.key);
    entries.push(entry);
  }
  return { kind: 'map', pos, entries };
}

function toSource(reader: Reader, value: unknown, path: string): SourceNode | undefined {
  if (value === null || value === undefined) return undefined;
  if (++reader.nodes > MAX_NODES) {
    if (reader.nodes === MAX_NODES + 1) pushProblem(reader.problems, 'policy yaml expands too many aliases', path, undefined);
    return undefined;
  }
  if (isAlias(value)) {
    const target = value.resolve(reader.doc);
    if (target === undefined) {
      pushProblem(reader.problems, `unknown alias \`*${value.source}\``, path, posOf(reader, value));
      return undefined;
    }
    if (reader.active.has(target)) {
      pushProblem(reader.problems, `recursive alias \`*${value.source}\``, path, posOf(reader, value));
      return undefined;
    }
    reader.active.add(target);
    try {
      return toSource(reader, target, path);
    } finally {
      reader.active.delete(target);
    }
  }
  const node = value as YamlNode;
  const pos = posOf(reader, node);
  if (isMap(node)) return mapToSource(reader, node.items, pos, path);
  if (isSeq(node)) {
    const items = node.items.map((item, i) => {
      const itemPath = `${path}[${i}]`;
      return toSource(reader, item, itemPath) ?? { kind: 'scalar' as const, pos, value: null, text: '', plain: true };
    });
    return { kind: 'seq', pos, items };
  }
  if (isScalar(node)) {
    const v = node.value;
    const text = typeof v === 'string' ? v : (node.source ?? String(v));
    return { kind: 'scalar', pos, value: v, text, plain: node.type === 'PLAIN' || node.type === undefined };
  }
  pushProblem(reader.problems, `${path === '' ? 'policy' : path} has an unsupported yaml node`, path, pos);
  return undefined;
}

/**
 * Parses policy YAML text into source nodes. Syntax errors, duplicate keys, unresolved tags and alias
 * problems are returned as located problems; `empty` is set when the document holds no value.
 */
export function readPolicyYaml(text: string): YamlReadResult {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, uniqueKeys: true, prettyErrors: true, strict: true, version: '1.2' });
  const reader: Reader = { doc, lines, problems: [], active: new Set(), nodes: 0 };
  // Duplicate keys are reported by the walk below with the key's name.
  const issues = [...doc.errors.filter((e) => e.code !== 'DUPLICATE_KEY'), ...doc.warnings];
  for (const issue of issues) {
    const at = issue.linePos?.[0];
    pushProblem(reader.problems, syntaxMessage(issue), '', at === undefined ? undefined : { line: at.line, col: at.col });
  }
  if (reader.problems.length > 0) return { ok: false, empty: false, problems: reader.problems };
  const root = toSource(reader, doc.contents, '');
  if (reader.problems.length > 0) return { ok: false, empty: false, problems: reader.problems };
  if (root === undefined || (root.kind === 'scalar' && root.value === null)) return { ok: false, empty: true, problems: [] };
  return { ok: true, root };
}
