/**
 * 2-space indented JSON text for the standalone regress files (`fixture.json`, `regress_result.json`,
 * artifacts.md §4.1/§4.4), in the member order the caller built: Gait v1 writes these with Go's
 * `json.MarshalIndent`, which keeps struct field order. Scalars are rendered by the RFC 8785 writer
 * (strings and numbers as ECMAScript `JSON.stringify` does), so no `JSON.stringify` in artifacts/.
 */
import { canonicalize } from '../../jcs/canonicalize.js';
import type { JsonValue } from '../../schema/v1/json-types.js';

function render(value: JsonValue, indent: string, out: string[]): void {
  if (Array.isArray(value)) {
    if (value.length === 0) {
      out.push('[]');
      return;
    }
    const inner = `${indent}  `;
    out.push('[\n');
    value.forEach((item, i) => {
      out.push(inner);
      render(item, inner, out);
      out.push(i === value.length - 1 ? '\n' : ',\n');
    });
    out.push(`${indent}]`);
    return;
  }
  if (value !== null && typeof value === 'object') {
    const keys = Object.keys(value);
    if (keys.length === 0) {
      out.push('{}');
      return;
    }
    const inner = `${indent}  `;
    out.push('{\n');
    keys.forEach((key, i) => {
      out.push(`${inner}${canonicalize(key)}: `);
      render(value[key] as JsonValue, inner, out);
      out.push(i === keys.length - 1 ? '\n' : ',\n');
    });
    out.push(`${indent}}`);
    return;
  }
  out.push(canonicalize(value));
}

/**
 * `value` as 2-space indented JSON followed by one newline, members in insertion order.
 * @throws GaitError `jcs_invalid_value` for anything that is not plain JSON
 * @example formatJsonPretty({ a: [1] }) // '{\n  "a": [\n    1\n  ]\n}\n'
 */
export function formatJsonPretty(value: JsonValue): string {
  const out: string[] = [];
  render(value, '', out);
  out.push('\n');
  return out.join('');
}
