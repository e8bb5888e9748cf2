import { shortId } from '../../crypto/digest.js';
import { trimSpec } from '../../schema/v1/text.js';

/**
 * `correlation_id` (gate.md §A1.2): short id of the arguments, each trimmed, joined with U+001F, the
 * program name `gait` first. `GAIT_CORRELATION_ID` overrides it (golden tests, callers that carry
 * their own id).
 */
export function correlationIdFor(args: readonly string[], env: Readonly<Record<string, string | undefined>>): string {
  const override = env['GAIT_CORRELATION_ID'];
  if (override !== undefined && override.trim() !== '') return override.trim();
  return shortId(['gait', ...args].map(trimSpec).join('\u001f'));
}
