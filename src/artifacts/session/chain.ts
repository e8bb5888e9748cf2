/**
 * The session chain file (artifacts.md §2.12): `gait.runpack.session_chain` `{session_id, run_id,
 * checkpoints[]}` plus the header members, signed when a key is available (§1.2: a top-level
 * `signature` over the object without it).
 */
import { signRecord } from '../../crypto/envelope.js';
import type { SigningKey } from '../../crypto/keys.js';
import { GaitError } from '../../errors/error.js';
import { ObjectReader } from '../../schema/v1/decode.js';
import type { JsonObject } from '../../schema/v1/json-types.js';
import { ZERO_TIME } from '../../runtime/timestamp.js';
import { SESSION_CHAIN_SCHEMA_ID, SESSION_SCHEMA_VERSION } from './types.js';
import type { SessionChain, SessionJournal } from './types.js';
import { chainToWire, checkpointFromWire } from './wire.js';

/** The chain of a journal: its header's ids and time, and every checkpoint so far. */
export function chainOfJournal(journal: SessionJournal): SessionChain {
  return {
    createdAt: journal.header.createdAt,
    producerVersion: journal.header.producerVersion,
    sessionId: journal.header.sessionId,
    runId: journal.header.runId,
    checkpoints: journal.checkpoints,
  };
}

/**
 * The chain file object, signed with `key` when given.
 * @throws GaitError `jcs_invalid_value` (a member that is not plain JSON)
 */
export function buildChainFile(chain: SessionChain, key: SigningKey | undefined): JsonObject {
  const unsigned = chainToWire(chain);
  return key === undefined ? unsigned : { ...unsigned, signature: { ...signRecord(unsigned, key) } };
}

/** A chain file read back: the chain and, as written, its `signature` member. */
export interface ParsedChain {
  readonly chain: SessionChain;
  /** the `signature` member; undefined when the file is unsigned */
  readonly signature: unknown;
  /** the file's object, for the signature check (DigestJCS of everything but `signature`) */
  readonly raw: JsonObject;
}

/**
 * Decodes a parsed chain file. An empty `schema_id`/`schema_version` reads as the chain's own.
 * @throws GaitError `artifact_invalid` (exit 6): not an object, another schema, no `session_id` or
 *   `run_id`, or a member of the wrong JSON type (the message names its path)
 * @example parseSessionChain(JSON.parse(text)).chain.checkpoints.length
 */
export function parseSessionChain(value: unknown): ParsedChain {
  const r = ObjectReader.of(value, '', 'artifact_invalid', 'session chain must be a JSON object');
  const schemaId = r.string('schema_id') || SESSION_CHAIN_SCHEMA_ID;
  const schemaVersion = r.string('schema_version') || SESSION_SCHEMA_VERSION;
  if (schemaId !== SESSION_CHAIN_SCHEMA_ID || schemaVersion !== SESSION_SCHEMA_VERSION) {
    throw new GaitError('artifact_invalid', `not a session chain: schema \`${schemaId}\` version \`${schemaVersion}\` (expected ${SESSION_CHAIN_SCHEMA_ID} ${SESSION_SCHEMA_VERSION})`);
  }
  const sessionId = r.string('session_id');
  const runId = r.string('run_id');
  if (sessionId.trim() === '' || runId.trim() === '') throw new GaitError('artifact_invalid', 'session chain has no session_id or run_id');
  const checkpoints = r.array('checkpoints').map((item, i) => checkpointFromWire(item ?? {}, `checkpoints[${i}]`));
  return {
    chain: { createdAt: r.timestamp('created_at') ?? ZERO_TIME, producerVersion: r.string('producer_version'), sessionId, runId, checkpoints },
    signature: r.get('signature'),
    raw: value as JsonObject,
  };
}
