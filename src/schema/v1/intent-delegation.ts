/**
 * `delegation` of an IntentRequest (gate.md §A3.2 step 8).
 */
import { GaitError } from '../../errors/error.js';
import type { ObjectReader } from './decode.js';
import { isAfter, readUtcTimestamp } from './intent-sandbox.js';
import type { Delegation, DelegationLink } from './intent-types.js';
import { lowerSimple, normalizedList, trimSpec } from './text.js';

function intentError(message: string, path: string): GaitError {
  return new GaitError('input_intent', message, { details: { path } });
}

function normalizeLink(reader: ObjectReader, index: number, previous: DelegationLink | undefined): DelegationLink {
  const delegatorIdentity = trimSpec(reader.string('delegator_identity'));
  const delegateIdentity = trimSpec(reader.string('delegate_identity'));
  if (delegatorIdentity === '' || delegateIdentity === '') {
    throw intentError(`delegation.chain[${index}] requires delegator_identity and delegate_identity`, reader.path);
  }
  if (previous !== undefined && previous.delegateIdentity !== delegatorIdentity) {
    throw intentError(
      `delegation.chain[${index}] delegator_identity must match delegation.chain[${index - 1}].delegate_identity`,
      reader.pathOf('delegator_identity'),
    );
  }
  const issuedAt = readUtcTimestamp(reader, 'issued_at');
  const expiresAt = readUtcTimestamp(reader, 'expires_at');
  if (issuedAt !== null && expiresAt !== null && !isAfter(expiresAt, issuedAt)) {
    throw intentError(`delegation.chain[${index}] expires_at must be after issued_at`, reader.pathOf('expires_at'));
  }
  return {
    delegatorIdentity,
    delegateIdentity,
    scopeClass: lowerSimple(trimSpec(reader.string('scope_class'))),
    tokenRef: trimSpec(reader.string('token_ref')),
    issuedAt,
    expiresAt,
  };
}

/**
 * Normalizes `delegation`; undefined when absent.
 * @throws GaitError `input_intent` `delegation.requester_identity is required`, broken chains, or timestamps out of order
 */
export function normalizeDelegation(reader: ObjectReader | undefined): Delegation | undefined {
  if (reader === undefined) return undefined;
  const requesterIdentity = trimSpec(reader.string('requester_identity'));
  if (requesterIdentity === '') {
    throw intentError('delegation.requester_identity is required', reader.pathOf('requester_identity'));
  }
  const scopeClass = lowerSimple(trimSpec(reader.string('scope_class')));
  const tokenRefs = normalizedList(reader.stringArray('token_refs'));
  const chain: DelegationLink[] = [];
  reader.objectArray('chain').forEach((link, i) => chain.push(normalizeLink(link, i, chain[i - 1])));
  const issuedAt = readUtcTimestamp(reader, 'issued_at');
  const expiresAt = readUtcTimestamp(reader, 'expires_at');
  if (issuedAt !== null && expiresAt !== null && !isAfter(expiresAt, issuedAt)) {
    throw intentError('delegation.expires_at must be after issued_at', reader.pathOf('expires_at'));
  }
  const last = chain[chain.length - 1];
  if (last !== undefined && last.delegateIdentity !== requesterIdentity) {
    throw intentError('delegation.chain last delegate_identity must match delegation.requester_identity', reader.pathOf('chain'));
  }
  return { requesterIdentity, scopeClass, tokenRefs, chain, issuedAt, expiresAt };
}
