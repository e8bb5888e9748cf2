/**
 * IntentRequest targets, argument provenance and skill provenance (gate.md §A3.2 steps 4–6).
 */
import { GaitError } from '../../errors/error.js';
import type { ObjectReader } from './decode.js';
import { inferDestructive, inferEndpointClass, inferEndpointDomain } from './intent-inference.js';
import { DISCOVERY_METHODS, ENDPOINT_CLASSES, PROVENANCE_SOURCES, TARGET_KINDS } from './intent-types.js';
import type { DiscoveryMethod, EndpointClass, Provenance, ProvenanceSource, SkillProvenance, Target, TargetKind } from './intent-types.js';
import { compareCodePoints, isHex64, lowerSimple, trimSpec } from './text.js';

const TARGET_KIND_SET: ReadonlySet<string> = new Set(TARGET_KINDS);
const ENDPOINT_CLASS_SET: ReadonlySet<string> = new Set(ENDPOINT_CLASSES);
const DISCOVERY_METHOD_SET: ReadonlySet<string> = new Set(DISCOVERY_METHODS);
const PROVENANCE_SOURCE_SET: ReadonlySet<string> = new Set(PROVENANCE_SOURCES);

function intentError(message: string, path?: string): GaitError {
  return new GaitError('input_intent', message, path === undefined ? {} : { details: { path } });
}

function lowerTrim(s: string): string {
  return lowerSimple(trimSpec(s));
}

/** gate.md §A3.2 step 4: trimmed, lowercased, `-` and space → `_`, empty → `unknown`. */
function normalizeDiscoveryMethod(value: string, path: string): DiscoveryMethod {
  const method = lowerTrim(value).replace(/[- ]/g, '_');
  if (method === '') return 'unknown';
  if (!DISCOVERY_METHOD_SET.has(method)) throw intentError(`unsupported discovery method: ${method}`, path);
  return method as DiscoveryMethod;
}

function normalizeTarget(reader: ObjectReader, toolName: string): Target {
  const kind = lowerTrim(reader.string('kind'));
  const value = trimSpec(reader.string('value'));
  const operation = lowerTrim(reader.string('operation'));
  const sensitivity = lowerTrim(reader.string('sensitivity'));
  let endpointClass = lowerTrim(reader.string('endpoint_class'));
  let endpointDomain = lowerTrim(reader.string('endpoint_domain'));
  const discoveryInput = reader.string('discovery_method');
  if (kind === '' || value === '') throw intentError('targets require kind and value', reader.path);
  if (!TARGET_KIND_SET.has(kind)) throw intentError(`unsupported target kind: ${kind}`, reader.pathOf('kind'));
  if (endpointClass === '') endpointClass = inferEndpointClass(kind, operation, toolName);
  if (!ENDPOINT_CLASS_SET.has(endpointClass)) {
    throw intentError(`unsupported endpoint class: ${endpointClass}`, reader.pathOf('endpoint_class'));
  }
  if (endpointDomain === '') endpointDomain = inferEndpointDomain(kind, value);
  const destructiveHint = reader.boolean('destructive_hint');
  return {
    kind: kind as TargetKind,
    value,
    operation,
    sensitivity,
    endpointClass: endpointClass as EndpointClass,
    endpointDomain,
    destructive: reader.boolean('destructive') || destructiveHint || inferDestructive(endpointClass, operation),
    discoveryMethod: normalizeDiscoveryMethod(discoveryInput, reader.pathOf('discovery_method')),
    readOnlyHint: reader.boolean('read_only_hint'),
    destructiveHint,
    idempotentHint: reader.boolean('idempotent_hint'),
    openWorldHint: reader.boolean('open_world_hint'),
  };
}

function flag(b: boolean): string {
  return b ? '1' : '0';
}

/** The 12 members in sort order; booleans as `0`/`1` so false sorts first (gate.md §A3.2 step 4). */
function targetKey(t: Target): string[] {
  return [
    t.kind, t.value, t.operation, t.sensitivity, t.endpointClass, t.endpointDomain, flag(t.destructive),
    t.discoveryMethod, flag(t.readOnlyHint), flag(t.destructiveHint), flag(t.idempotentHint), flag(t.openWorldHint),
  ];
}

function compareKeys(a: readonly string[], b: readonly string[]): number {
  for (let i = 0; i < a.length; i++) {
    const c = compareCodePoints(a[i] ?? '', b[i] ?? '');
    if (c !== 0) return c;
  }
  return 0;
}

/** Removes exact duplicates (first kept) and sorts by the given key, in code-point order. */
function dedupSort<T>(items: readonly T[], key: (item: T) => string[]): T[] {
  const seen = new Set<string>();
  const keyed: { item: T; key: string[] }[] = [];
  for (const item of items) {
    const k = key(item);
    const joined = k.join('\u0000');
    if (seen.has(joined)) continue;
    seen.add(joined);
    keyed.push({ item, key: k });
  }
  keyed.sort((a, b) => compareKeys(a.key, b.key));
  return keyed.map((entry) => entry.item);
}

/**
 * gate.md §A3.2 step 4: normalizes, infers, de-duplicates and sorts targets.
 * @throws GaitError `input_intent` with the spec messages
 */
export function normalizeTargets(readers: readonly ObjectReader[], toolName: string): Target[] {
  return dedupSort(
    readers.map((reader) => normalizeTarget(reader, toolName)),
    targetKey,
  );
}

function normalizeProvenanceEntry(reader: ObjectReader): Provenance {
  const argPath = trimSpec(reader.string('arg_path'));
  const source = lowerTrim(reader.string('source'));
  const sourceRef = trimSpec(reader.string('source_ref'));
  const integrityDigest = lowerTrim(reader.string('integrity_digest'));
  if (argPath === '' || source === '') throw intentError('arg provenance requires arg_path and source', reader.path);
  if (!PROVENANCE_SOURCE_SET.has(source)) throw intentError(`unsupported provenance source: ${source}`, reader.pathOf('source'));
  if (integrityDigest !== '' && !isHex64(integrityDigest)) {
    throw intentError(`invalid provenance integrity_digest: ${integrityDigest}`, reader.pathOf('integrity_digest'));
  }
  return { argPath, source: source as ProvenanceSource, sourceRef, integrityDigest };
}

/**
 * gate.md §A3.2 step 5: normalizes, de-duplicates and sorts argument provenance entries.
 * @throws GaitError `input_intent` with the spec messages
 */
export function normalizeArgProvenance(readers: readonly ObjectReader[]): Provenance[] {
  return dedupSort(readers.map(normalizeProvenanceEntry), (p) => [p.argPath, p.source, p.sourceRef, p.integrityDigest]);
}

/**
 * gate.md §A3.2 step 6: skill provenance; undefined when absent.
 * @throws GaitError `input_intent` `skill provenance requires skill_name, source, and publisher`, or a bad digest
 */
export function normalizeSkillProvenance(reader: ObjectReader | undefined): SkillProvenance | undefined {
  if (reader === undefined) return undefined;
  const skillName = trimSpec(reader.string('skill_name'));
  const source = lowerTrim(reader.string('source'));
  const publisher = trimSpec(reader.string('publisher'));
  if (skillName === '' || source === '' || publisher === '') {
    throw intentError('skill provenance requires skill_name, source, and publisher', reader.path);
  }
  const digest = lowerTrim(reader.string('digest'));
  if (digest !== '' && !isHex64(digest)) throw intentError(`invalid skill provenance digest: ${digest}`, reader.pathOf('digest'));
  return {
    skillName,
    skillVersion: trimSpec(reader.string('skill_version')),
    source,
    publisher,
    digest,
    signatureKeyId: trimSpec(reader.string('signature_key_id')),
  };
}
