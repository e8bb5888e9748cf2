/**
 * The single table of error codes. Classifying an error is a lookup here, never a message match.
 * Categories map to exit codes in `transports/cli/exit.ts` (spec gate.md §A13).
 */
export type ErrorCategory =
  | 'invalid_input'
  | 'verification_failed'
  | 'internal_failure'
  | 'io_failure'
  | 'state_contention'
  | 'network_transient'
  | 'network_permanent'
  | 'dependency_missing'
  | 'unsafe_blocked';

interface CodeInfo {
  readonly category: ErrorCategory;
  readonly hint: string;
}

const INPUT_HINT = 'check command usage and input schema';

export const ERROR_CODES = {
  input_usage: { category: 'invalid_input', hint: INPUT_HINT },
  input_json: { category: 'invalid_input', hint: 'fix the JSON syntax at the reported position' },
  input_encoding: { category: 'invalid_input', hint: 'save the file as UTF-8' },
  input_too_large: { category: 'invalid_input', hint: 'raise the size cap with --max-input-bytes if the file is legitimate' },
  input_empty: { category: 'invalid_input', hint: 'the file must contain a JSON object or YAML mapping' },
  input_path: { category: 'invalid_input', hint: 'use a path inside the working directory or an absolute path' },
  input_intent: { category: 'invalid_input', hint: 'see docs/contracts/intent-request.md for the field rules' },
  input_unsupported_feature: {
    category: 'invalid_input',
    hint: 'this feature is specified for a later phase; remove it from the input until it is supported',
  },
  input_time: { category: 'invalid_input', hint: 'use RFC 3339, e.g. 2026-02-05T00:00:00Z' },
  input_tool_call: { category: 'invalid_input', hint: 'see docs/contracts/tool-calls.md for the adapter payload shapes' },
  policy_parse: { category: 'invalid_input', hint: 'check the policy against docs/contracts/policy.md' },
  policy_invalid: { category: 'invalid_input', hint: 'check the policy against docs/contracts/policy.md' },
  policy_legacy: {
    category: 'invalid_input',
    hint: 'use the repo-root `.gait.yaml` contract: `schema_id`, `schema_version`, `default_verdict`, optional `fail_closed`, optional `mcp_trust`, and `rules`',
  },
  policy_profile: { category: 'invalid_input', hint: 'adjust the policy or the flags to satisfy the profile' },
  jcs_invalid_value: { category: 'invalid_input', hint: 'only plain JSON values (finite numbers, well-formed strings) can be canonicalized' },
  sig_key_invalid: { category: 'invalid_input', hint: 'key files hold base64 of a 64-byte private or 32-byte public Ed25519 key' },
  sig_key_missing: { category: 'invalid_input', hint: 'pass --private-key, --private-key-env or run `gait keys init`' },
  storage_key_exists: { category: 'invalid_input', hint: 'pass --force to overwrite, or choose another --out-dir/--prefix' },
  sig_invalid_envelope: { category: 'invalid_input', hint: 'the signature object needs alg, key_id, sig and signed_digest' },
  artifact_invalid: { category: 'invalid_input', hint: INPUT_HINT },
  artifact_verification_failed: { category: 'verification_failed', hint: 're-run verify after checking artifact integrity' },
  artifact_zip_invalid: { category: 'verification_failed', hint: 'the file is not a complete zip archive; re-create or re-copy it' },
  artifact_zip_unsafe: { category: 'verification_failed', hint: 'the archive has unsafe entries; do not extract it, re-create it from trusted input' },
  artifact_zip_limit: {
    category: 'verification_failed',
    hint: 'raise --max-entry-bytes / --max-archive-bytes only for an archive from a trusted source',
  },
  storage_io: { category: 'io_failure', hint: 'retry after checking local environment and logs' },
  storage_contention: { category: 'state_contention', hint: 'retry after checking local environment and logs' },
  export_io: { category: 'io_failure', hint: 'check the export path, its permissions and free disk space' },
  internal_dependency_missing: { category: 'dependency_missing', hint: 'install or configure the missing dependency and retry' },
  internal_unsafe_operation: { category: 'unsafe_blocked', hint: 'pass explicit unsafe flags only for approved replay paths' },
  internal_failure: { category: 'internal_failure', hint: 'retry after checking local environment and logs' },
} as const satisfies Record<string, CodeInfo>;

export type ErrorCode = keyof typeof ERROR_CODES;

/** @returns whether errors of this category may succeed on retry (gate.md §A13). */
export function isRetryableCategory(category: ErrorCategory): boolean {
  return category === 'network_transient' || category === 'state_contention';
}
