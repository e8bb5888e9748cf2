/**
 * JSON Schema 2020-12 validation of gait records against our own schemas (schemas/v1/, embedded
 * by scripts/gen-schemas.mjs because this pure layer reads no files). Used by `trace verify`
 * (gate.md §A12.5, D6) and wherever a record must be checked against its published contract.
 */
import { createRequire } from 'node:module';
import type { Ajv2020, ErrorObject, ValidateFunction } from 'ajv/dist/2020.js';
import type addFormatsModule from 'ajv-formats';
import { SCHEMAS } from './generated/schemas.js';

export type RecordSchemaId = 'gait.gate.intent_request' | 'gait.gate.policy' | 'gait.gate.result' | 'gait.gate.trace';

export interface RecordValidation {
  readonly ok: boolean;
  /** `<instancePath or />: <message>` per error, in ajv order; empty when ok. */
  readonly errors: string[];
}

let ajv: Ajv2020 | undefined;
const compiled = new Map<string, ValidateFunction>();

interface AjvModules {
  readonly Ajv2020: typeof Ajv2020;
  readonly addFormats: typeof addFormatsModule.default;
}

/**
 * ajv is loaded on first validation, not at import: it costs 20–35 ms of start-up that `gate eval`
 * never needs (docs/benchmarks.md, figure 4). Both packages are CommonJS, so `require` is synchronous.
 */
function loadAjv(): AjvModules {
  const require = createRequire(import.meta.url);
  const ajvModule = require('ajv/dist/2020.js') as { Ajv2020: typeof Ajv2020 };
  const formats = require('ajv-formats') as { default: typeof addFormatsModule.default };
  return { Ajv2020: ajvModule.Ajv2020, addFormats: formats.default };
}

function getAjv(): Ajv2020 {
  if (ajv === undefined) {
    const modules = loadAjv();
    // strict: a typo in our own schemas is a bug, not a silently ignored keyword.
    ajv = new modules.Ajv2020({ strict: true, allErrors: true });
    modules.addFormats(ajv, ['date-time']);
  }
  return ajv;
}

function validatorFor(schemaId: RecordSchemaId): ValidateFunction {
  let validate = compiled.get(schemaId);
  if (validate === undefined) {
    validate = getAjv().compile(SCHEMAS[schemaId]);
    compiled.set(schemaId, validate);
  }
  return validate;
}

/** Renders one ajv error; additional-property errors name the extra member. */
function formatError(error: ErrorObject): string {
  const path = error.instancePath === '' ? '/' : error.instancePath;
  const message = error.message ?? 'is invalid';
  if (error.keyword === 'additionalProperties') {
    const extra = (error.params as { additionalProperty?: unknown }).additionalProperty;
    return `${path}: ${message} (\`${String(extra)}\`)`;
  }
  return `${path}: ${message}`;
}

/**
 * Validates `value` against the schema of the record `schemaId`; each schema is compiled once, on
 * first use. Never throws for bad values.
 */
export function validateRecord(schemaId: RecordSchemaId, value: unknown): RecordValidation {
  const validate = validatorFor(schemaId);
  if (validate(value)) return { ok: true, errors: [] };
  return { ok: false, errors: (validate.errors ?? []).map(formatError) };
}
