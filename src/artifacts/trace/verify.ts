/**
 * Verifies a signed TraceRecord (gate.md §A12.5): the record must match the trace schema with no
 * member outside it (D6), then its §A8 signature must verify over the record rebuilt with its
 * member rules. Failures are values in the report, never exceptions.
 */
import type { VerifyKey } from '../../crypto/keys.js';
import { validateRecord } from '../../schema/validate.js';
import { stringMember, verifySignedRecord } from '../signed/verify-record.js';
import type { SignedRecordKind } from '../signed/verify-record.js';
import { normalizedTrace } from './member-rules.js';
import type { TraceVerifyReport } from './types.js';

const TRACE: SignedRecordKind = {
  label: 'trace',
  validate: (record) => validateRecord('gait.gate.trace', record),
  rebuild: normalizedTrace,
};

/**
 * Verifies `record` (a parsed trace file) with `key`: schema check (D6), then signature (§A8).
 * Never throws for bad records.
 */
export function verifyTrace(record: unknown, key: VerifyKey): TraceVerifyReport {
  // Object.assign rather than `{ ...r, traceId, verdict }`: a spread followed by more members takes a
  // slow path on Node 20; this keeps every member of the shared report without listing them.
  return Object.assign(verifySignedRecord(record, key, TRACE), { traceId: stringMember(record, 'trace_id'), verdict: stringMember(record, 'verdict') });
}
