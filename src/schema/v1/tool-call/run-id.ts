/**
 * Run ids of MCP-path decisions (mcp-and-export.md §4 step 10). Pure.
 */
import { trimSpec } from '../text.js';

/**
 * §4 step 10 normalization: trim; characters outside `[A-Za-z0-9_-]` → `_`; trim `_`; add `run_`
 * unless present; empty stays empty.
 * @example normalizeRunId(' job 7/a ') // 'run_job_7_a'
 */
export function normalizeRunId(raw: string): string {
  const cleaned = trimSpec(raw)
    .replace(/[^A-Za-z0-9_-]/g, '_')
    .replace(/^_+|_+$/g, '');
  if (cleaned === '') return '';
  return cleaned.startsWith('run_') ? cleaned : `run_${cleaned}`;
}

/**
 * §4 step 10: `--run-id`, else `context.run_id`, else `run_mcp_<first 12 hex of intent_digest>`, normalized.
 * @example resolveRunId('', '', 'f03e7f2ec662…') // 'run_mcp_f03e7f2ec662'
 */
export function resolveRunId(flag: string, contextRunId: string, intentDigest: string): string {
  const chosen = trimSpec(flag) !== '' ? flag : trimSpec(contextRunId) !== '' ? contextRunId : `run_mcp_${intentDigest.slice(0, 12)}`;
  return normalizeRunId(chosen);
}
