/**
 * `gait.yaml`, the regress config (artifacts.md §4.1, §10): parsed as YAML 1.2 (JSON is valid input),
 * unknown keys rejected with their line and column; written back deterministically by `regress init`.
 */
import { isMap, isScalar, isSeq, LineCounter, parseDocument, stringify } from 'yaml';
import type { Node, Pair } from 'yaml';
import { GaitError } from '../../errors/error.js';
import { compareCodePoints, trimSpec } from '../../schema/v1/text.js';
import { isFixtureName } from './names.js';
import { REGRESS_CONFIG_SCHEMA_ID, REGRESS_SCHEMA_VERSION } from './types.js';
import type { RegressConfig, RegressConfigFixture } from './types.js';

const TOP_KEYS = ['schema_id', 'schema_version', 'fixture_set', 'policy', 'fixtures'] as const;
const FIXTURE_KEYS = ['name', 'run_id', 'runpack'] as const;

interface Ctx {
  readonly file: string;
  readonly lines: LineCounter;
}

function configError(ctx: Ctx, node: unknown, reason: string): GaitError {
  const offset = (node as Node | null | undefined)?.range?.[0];
  if (offset === undefined) {
    return new GaitError('artifact_invalid', `cannot load regress config \`${ctx.file}\`: ${reason}`, { details: { file: ctx.file } });
  }
  const { line, col } = ctx.lines.linePos(offset);
  // The message names file, line and column itself; a `location` would repeat them as a prefix.
  return new GaitError('artifact_invalid', `cannot load regress config \`${ctx.file}\`: line ${line}, column ${col}: ${reason}`, {
    details: { file: ctx.file, line, col },
  });
}

function isNullNode(node: unknown): boolean {
  return node === null || node === undefined || (isScalar(node) && node.value === null);
}

function keyOf(ctx: Ctx, pair: Pair, allowed: readonly string[], where: string): string {
  if (!isScalar(pair.key) || typeof pair.key.value !== 'string') throw configError(ctx, pair.key, 'keys must be strings');
  const key = pair.key.value;
  if (!allowed.includes(key)) throw configError(ctx, pair.key, `unknown key \`${where}${key}\` (allowed: ${allowed.join(', ')})`);
  return key;
}

/** A scalar as text: strings as written, numbers and booleans by their source (`run_id: 42` is "42"). */
function scalarText(ctx: Ctx, node: unknown, what: string): string {
  if (isNullNode(node)) return '';
  if (!isScalar(node)) throw configError(ctx, node, `\`${what}\` must be a string`);
  if (typeof node.value === 'string') return node.value;
  return typeof node.source === 'string' ? node.source : String(node.value);
}

function readFixture(ctx: Ctx, node: unknown, index: number): RegressConfigFixture {
  const where = `fixtures[${index}]`;
  if (!isMap(node)) throw configError(ctx, node, `\`${where}\` must be a mapping`);
  const values: Record<string, string> = { name: '', run_id: '', runpack: '' };
  for (const pair of node.items) {
    const key = keyOf(ctx, pair, FIXTURE_KEYS, `${where}.`);
    values[key] = trimSpec(scalarText(ctx, pair.value, `${where}.${key}`));
  }
  const name = values['name'] ?? '';
  if (name === '') throw configError(ctx, node, `\`${where}.name\` is required`);
  if (!isFixtureName(name)) throw configError(ctx, node, `\`${where}.name\` \`${name}\` is not a valid fixture name`);
  if ((values['runpack'] ?? '') === '') throw configError(ctx, node, `\`${where}.runpack\` is required`);
  return { name, runId: values['run_id'] ?? '', runpack: values['runpack'] ?? '' };
}

function readFixtures(ctx: Ctx, node: unknown): RegressConfigFixture[] {
  if (isNullNode(node)) return [];
  if (!isSeq(node)) throw configError(ctx, node, '`fixtures` must be a list');
  const fixtures = node.items.map((item, i) => readFixture(ctx, item, i));
  const seen = new Set<string>();
  for (const [i, f] of fixtures.entries()) {
    if (seen.has(f.name)) throw configError(ctx, node.items[i], `duplicate fixture name \`${f.name}\``);
    seen.add(f.name);
  }
  return fixtures;
}

function checkConstant(ctx: Ctx, node: unknown, key: string, expected: string): void {
  const value = trimSpec(scalarText(ctx, node, key));
  if (value !== '' && value !== expected) throw configError(ctx, node, `unsupported ${key} \`${value}\` (expected ${expected})`);
}

/**
 * Parses `gait.yaml` text.
 * @param file the path shown in messages
 * @throws GaitError `artifact_invalid` with file:line:col (YAML syntax, not a mapping, unknown key,
 *   wrong schema id or version, a fixture without `name` or `runpack`, duplicate names)
 * @example parseRegressConfig('fixtures: []\n', 'gait.yaml').fixtureSet // ''
 */
export function parseRegressConfig(text: string, file: string): RegressConfig {
  const ctx: Ctx = { file, lines: new LineCounter() };
  const doc = parseDocument(text, { lineCounter: ctx.lines, prettyErrors: false, uniqueKeys: true, version: '1.2' });
  const first = doc.errors[0];
  if (first !== undefined) {
    const { line, col } = ctx.lines.linePos(first.pos[0]);
    const reason = first.message.split('\n')[0] ?? 'invalid YAML';
    throw new GaitError('artifact_invalid', `cannot load regress config \`${file}\`: line ${line}, column ${col}: ${reason.charAt(0).toLowerCase()}${reason.slice(1)}`, {
      details: { file, line, col },
    });
  }
  const root = doc.contents;
  if (isNullNode(root)) return { fixtureSet: '', policy: '', fixtures: [] };
  if (!isMap(root)) throw configError(ctx, root, 'the file must be a mapping');
  let fixtureSet = '';
  let policy = '';
  let fixtures: RegressConfigFixture[] = [];
  for (const pair of root.items) {
    const key = keyOf(ctx, pair, TOP_KEYS, '');
    if (key === 'schema_id') checkConstant(ctx, pair.value, key, REGRESS_CONFIG_SCHEMA_ID);
    else if (key === 'schema_version') checkConstant(ctx, pair.value, key, REGRESS_SCHEMA_VERSION);
    else if (key === 'fixture_set') fixtureSet = trimSpec(scalarText(ctx, pair.value, key));
    else if (key === 'policy') policy = trimSpec(scalarText(ctx, pair.value, key));
    else fixtures = readFixtures(ctx, pair.value);
  }
  return { fixtureSet, policy, fixtures };
}

/** The fixture set name in effect: '' → `default` (§4.1). */
export function effectiveFixtureSet(config: RegressConfig): string {
  return config.fixtureSet === '' ? 'default' : config.fixtureSet;
}

/**
 * `gait.yaml` as `regress init` writes it (§4.1): `schema_id`, `schema_version`, `fixture_set`,
 * `policy` (when set), `fixtures` sorted by name, 2-space indent, trailing newline.
 * @example formatRegressConfig({ fixtureSet: '', policy: '', fixtures: [] })
 */
export function formatRegressConfig(config: RegressConfig): string {
  const fixtures = [...config.fixtures]
    .sort((a, b) => compareCodePoints(a.name, b.name))
    .map((f) => ({ name: f.name, run_id: f.runId, runpack: f.runpack }));
  const doc: Record<string, unknown> = {
    schema_id: REGRESS_CONFIG_SCHEMA_ID,
    schema_version: REGRESS_SCHEMA_VERSION,
    fixture_set: effectiveFixtureSet(config),
  };
  if (config.policy !== '') doc['policy'] = config.policy;
  doc['fixtures'] = fixtures;
  return stringify(doc, { indent: 2, lineWidth: 0, version: '1.2' });
}
