/**
 * The MCP trust snapshot (`gait.mcp.trust_snapshot` 1.0.0, mcp-and-export.md §3.2): a local file
 * listing MCP servers and their trust evidence. Decoded per gate.md §A1.4 (case-insensitive members,
 * unknown members ignored, a member of the wrong type is an error); entries normalized and keyed once.
 */
import { GaitError } from '../../errors/error.js';
import type { Timestamp } from '../../runtime/timestamp-type.js';
import { ObjectReader } from './decode.js';
import { lowerSimple, trimSpec } from './text.js';

export const TRUST_SNAPSHOT_SCHEMA_ID = 'gait.mcp.trust_snapshot';
export const TRUST_SNAPSHOT_SCHEMA_VERSION = '1.0.0';

/** The members of `registry_verification` that trust evaluation reads (§3.3 `require_registry`). */
export interface RegistryVerification {
  readonly signatureVerified: boolean;
  readonly publisherAllowed: boolean;
  readonly pinPresent: boolean;
  readonly pinVerified: boolean;
}

/** One normalized snapshot entry: ids and paths trimmed, publisher/source/status trimmed and lowercased. */
export interface TrustSnapshotEntry {
  /** lowercased `server_id`, else lowercased `server_name` (never empty) */
  readonly key: string;
  readonly serverId: string;
  readonly serverName: string;
  readonly publisher: string;
  readonly source: string;
  readonly endpoint: string;
  readonly status: string;
  /** undefined when absent (Go's zero time) */
  readonly updatedAt: Timestamp | undefined;
  readonly score: number;
  readonly evidencePath: string;
  readonly registryVerification: RegistryVerification | undefined;
}

export interface TrustSnapshot {
  readonly createdAt: Timestamp | undefined;
  readonly producerVersion: string;
  /** entries by key */
  readonly entries: ReadonlyMap<string, TrustSnapshotEntry>;
}

/** The lookup key of a server identity (§3.2): lowercased trimmed `server_id`, else `server_name`. */
export function trustServerKey(serverId: string, serverName: string): string {
  const id = lowerSimple(trimSpec(serverId));
  return id !== '' ? id : lowerSimple(trimSpec(serverName));
}

const CODE = 'artifact_invalid';

function registryOf(r: ObjectReader | undefined): RegistryVerification | undefined {
  if (r === undefined) return undefined;
  return {
    signatureVerified: r.boolean('signature_verified'),
    publisherAllowed: r.boolean('publisher_allowed'),
    pinPresent: r.boolean('pin_present'),
    pinVerified: r.boolean('pin_verified'),
  };
}

function entryOf(r: ObjectReader, index: number): TrustSnapshotEntry {
  const serverId = trimSpec(r.string('server_id'));
  const serverName = trimSpec(r.string('server_name'));
  const key = trustServerKey(serverId, serverName);
  if (key === '') throw new GaitError(CODE, `trust snapshot entries[${index}] requires server_id or server_name`);
  return {
    key,
    serverId,
    serverName,
    publisher: lowerSimple(trimSpec(r.string('publisher'))),
    source: lowerSimple(trimSpec(r.string('source'))),
    endpoint: trimSpec(r.string('endpoint')),
    status: lowerSimple(trimSpec(r.string('status'))),
    updatedAt: r.timestamp('updated_at'),
    score: r.number('score'),
    evidencePath: trimSpec(r.string('evidence_path')),
    registryVerification: registryOf(r.object('registry_verification')),
  };
}

function checkSchema(r: ObjectReader): void {
  const id = trimSpec(r.string('schema_id'));
  if (id !== '' && id !== TRUST_SNAPSHOT_SCHEMA_ID) throw new GaitError(CODE, `unsupported trust snapshot schema_id "${id}"`);
  const version = trimSpec(r.string('schema_version'));
  if (version !== '' && version !== TRUST_SNAPSHOT_SCHEMA_VERSION) {
    throw new GaitError(CODE, `unsupported trust snapshot schema_version "${version}"`);
  }
}

/**
 * Decodes and normalizes a trust snapshot (§3.2). Empty `schema_id`/`schema_version` are defaulted.
 * @param raw the parsed JSON of the snapshot file
 * @returns the snapshot with entries keyed by their normalized server key
 * @throws GaitError `artifact_invalid`: not an object, a member of the wrong type, another schema id
 *   or version, an entry without `server_id`/`server_name`, two entries with the same key
 * @example parseTrustSnapshot({ entries: [{ server_id: 'fs', status: 'trusted', updated_at: '2026-02-01T00:00:00Z' }] })
 */
export function parseTrustSnapshot(raw: unknown): TrustSnapshot {
  const r = ObjectReader.of(raw, '', CODE, 'trust snapshot must be a JSON object');
  checkSchema(r);
  const entries = new Map<string, TrustSnapshotEntry>();
  const firstIndex = new Map<string, number>();
  r.objectArray('entries').forEach((item, index) => {
    const entry = entryOf(item, index);
    const previous = firstIndex.get(entry.key);
    if (previous !== undefined) {
      throw new GaitError(CODE, `trust snapshot contains duplicate server identity "${entry.key}" at entries[${previous}] and entries[${index}]`);
    }
    firstIndex.set(entry.key, index);
    entries.set(entry.key, entry);
  });
  return { createdAt: r.timestamp('created_at'), producerVersion: trimSpec(r.string('producer_version')), entries };
}
