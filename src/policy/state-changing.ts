/**
 * Whether a tool call looks state-changing (mcp-and-export.md §5.6 "Auto-pack"): the decision
 * service emits a pack for such calls when `--pack-dir` is set and the request asked for no pack.
 * A heuristic over the call's names, not a verdict: it never changes what the gate decides. Pure.
 */
import { lowerSimple, trimSpec } from '../schema/v1/text.js';

/** §5.6 read-only operations. */
const READ_ONLY: ReadonlySet<string> = new Set(['read', 'list', 'query', 'search', 'inspect', 'get', 'fetch', 'head', 'describe']);

/** §5.6 write operations (whole tokens). */
const WRITE: ReadonlySet<string> = new Set([
  'write', 'create', 'update', 'delete', 'remove', 'insert', 'upsert', 'patch', 'set', 'put', 'post', 'commit', 'apply', 'approve', 'execute', 'exec', 'run',
]);

/** §5.6 write prefixes (`execute` is covered by `exec`). */
const WRITE_PREFIXES: readonly string[] = [
  'write', 'create', 'update', 'delete', 'remove', 'insert', 'upsert', 'patch', 'set', 'put', 'post', 'commit', 'apply', 'approve', 'exec', 'run',
];

/** §5.6 read prefixes (`head` is a read-only token but not a prefix). */
const READ_PREFIXES: readonly string[] = ['get', 'read', 'list', 'query', 'search', 'inspect', 'fetch', 'describe'];

/** Tokens that name the tool kind rather than what it does. */
const SKIP: ReadonlySet<string> = new Set(['tool', 'tools', 'mcp', 'function']);

const hasPrefix = (token: string, prefixes: readonly string[]): boolean => prefixes.some((p) => token.startsWith(p));

/** What the classifier reads of a call: its tool name and its targets' operations. */
export interface StateChangeInput {
  readonly toolName: string;
  readonly targets: readonly { readonly operation: string }[];
}

/**
 * The operation a tool name names (§5.6): among the `[a-z0-9]+` tokens of the lowercased name, the
 * first in the write or read-only set; else the first with a write or read prefix; else the first
 * that is not `tool`, `tools`, `mcp` or `function`; else ''.
 * @example toolNameOperation('mcp.tools.createUser') // 'createuser'
 */
export function toolNameOperation(toolName: string): string {
  const tokens = lowerSimple(toolName).match(/[a-z0-9]+/g) ?? [];
  return (
    tokens.find((t) => WRITE.has(t) || READ_ONLY.has(t)) ??
    tokens.find((t) => hasPrefix(t, WRITE_PREFIXES) || hasPrefix(t, READ_PREFIXES)) ??
    tokens.find((t) => !SKIP.has(t)) ??
    ''
  );
}

/**
 * §5.6 auto-pack classification. When some target has a non-blank operation, the call is
 * state-changing exactly when one of those operations (lowercased) is not read-only; blank
 * operations are ignored. Otherwise the tool name decides: its operation (`toolNameOperation`) is
 * state-changing when it is a write token or starts with a write prefix; a read-only token, a read
 * prefix, any other word or no operation at all is not.
 * @example isStateChanging({ toolName: 'tool.search', targets: [{ operation: 'delete' }] }) // true
 * @example isStateChanging({ toolName: 'fs_write_file', targets: [] }) // true
 */
export function isStateChanging(input: StateChangeInput): boolean {
  const operations = input.targets.map((t) => lowerSimple(trimSpec(t.operation))).filter((op) => op !== '');
  if (operations.length > 0) return operations.some((op) => !READ_ONLY.has(op));
  const operation = toolNameOperation(input.toolName);
  return WRITE.has(operation) || hasPrefix(operation, WRITE_PREFIXES);
}
