/**
 * Schema validation of the two approval records against our schemas (schemas/v1/gate/approval_*.json,
 * embedded in `schema/generated/schemas.ts`).
 */
import type { SchemaId } from '../../schema/generated/schemas.js';
import { validateRecord } from '../../schema/validate.js';
import type { RecordValidation } from '../../schema/validate.js';

/** `Extract` keeps this a compile error if either schema is missing from the generated module. */
export type ApprovalSchemaId = Extract<SchemaId, 'gait.gate.approval_token' | 'gait.gate.approval_audit_record'>;

// `RecordSchemaId` in schema/validate.ts does not list the approval ids yet (that file has another
// owner). `validateRecord` compiles whichever embedded schema the id names, so widening its parameter
// type is sound for every `SchemaId`; drop this once `RecordSchemaId` includes them.
const validateEmbedded = validateRecord as (schemaId: string, value: unknown) => RecordValidation;

/** Validates `value` against an approval schema (ajv 2020-12 with formats); never throws for bad values. */
export function validateApprovalRecord(schemaId: ApprovalSchemaId, value: unknown): RecordValidation {
  return validateEmbedded(schemaId, value);
}
