/**
 * `gait mcp verify --policy <p> --server <server.json> [--risk-class <c>]` (mcp-and-export.md §3.4):
 * the trust decision for one MCP server under a policy's `mcp_trust` block, from the local snapshot
 * only (no network). Exit 0 allowed, 3 or 4 when an enforced decision yields the policy's action.
 * Also `gait mcp-verify`, the legacy spelling, which only points to `gait mcp verify` (§10.2).
 */
import { resolve } from 'node:path';
import { GaitError, isGaitError } from '../../../errors/error.js';
import { MCP_TRUST_POLICY_VIOLATION, evaluateMcpTrust, toMcpTrustRecord, verifyRiskClass } from '../../../policy/mcp-trust.js';
import type { McpServerRef } from '../../../policy/mcp-trust.js';
import { trimSpec } from '../../../schema/v1/text.js';
import { parseToolCall } from '../../../schema/v1/tool-call/index.js';
import { parseJsonText, readInputFile } from '../../../storage/read-input.js';
import { loadTrustSnapshotFile } from '../../../storage/trust-snapshot.js';
import type { CommandContext, CommandOutcome, CommandSpec, OptionSpec } from '../command.js';
import { optString } from '../command.js';
import { exitCodeForVerdict } from '../exit.js';
import { loadPolicyFile, maxInputBytes } from '../input.js';
import { omitEmpty } from '../output.js';

const USAGE = 'expected --policy <policy.yaml> and --server <server.json>';

/** Reads the server description: a §1.1 `server` object that names `server_id` or `server_name`. */
function readServer(ctx: CommandContext, path: string): McpServerRef {
  const text = readInputFile(resolve(ctx.io.cwd, path), { label: 'server description', maxBytes: maxInputBytes(ctx), displayPath: path });
  const raw = parseJsonText(text, { label: 'server description', file: path });
  let server: McpServerRef | undefined;
  try {
    // The §1.1 `server` decoder of the mcp adapter, so the two readings never drift apart.
    server = parseToolCall('mcp', { name: 'mcp.verify', server: raw }).server;
  } catch (err) {
    if (!isGaitError(err)) throw err;
    throw new GaitError('input_usage', `server description \`${path}\`: ${err.message.replace(/^server\./, '')}`, { cause: err });
  }
  if (server === undefined || (trimSpec(server.serverId) === '' && trimSpec(server.serverName) === '')) {
    throw new GaitError('input_usage', 'server description requires server_id or server_name');
  }
  return server;
}

async function run(ctx: CommandContext): Promise<CommandOutcome> {
  await Promise.resolve();
  const positional = [...ctx.args];
  const policyPath = optString(ctx, 'policy').trim() || (positional.shift() ?? '');
  const serverPath = optString(ctx, 'server').trim() || (positional.shift() ?? '');
  if (policyPath === '' || serverPath === '') throw new GaitError('input_usage', USAGE);
  const policy = loadPolicyFile(ctx, policyPath);
  const server = readServer(ctx, serverPath);
  const config = policy.mcpTrust;
  const identity = { server_id: trimSpec(server.serverId), server_name: trimSpec(server.serverName) };
  if (config === undefined) {
    return { exitCode: 0, json: omitEmpty({ ok: true, ...identity, verdict: 'allow' }), human: ['mcp verify: verdict=allow'] };
  }
  const riskClass = verifyRiskClass(config, optString(ctx, 'riskClass'));
  const snapshot = loadTrustSnapshotFile(config.snapshot, { cwd: ctx.io.cwd }).state;
  const decision = evaluateMcpTrust(config, server, riskClass, snapshot, ctx.io.clock.now());
  const verdict = decision.enforced ? config.action : 'allow';
  const json = omitEmpty({
    ok: !decision.enforced,
    server_id: decision.serverId || identity.server_id,
    server_name: decision.serverName || identity.server_name,
    trust_model: 'local_snapshot',
    snapshot_path: config.snapshot,
    verdict,
    reason_codes: decision.reasonCodes,
    violations: decision.enforced ? [MCP_TRUST_POLICY_VIOLATION] : [],
    mcp_trust: toMcpTrustRecord(decision),
  });
  const human = [`mcp verify: verdict=${verdict}`, `trust: status=${decision.status} reasons=${decision.reasonCodes.join(',')}`];
  return { exitCode: exitCodeForVerdict(verdict), json, human };
}

const OPTIONS: readonly OptionSpec[] = [
  { flags: '--policy <path>', description: 'policy YAML with an mcp_trust block' },
  { flags: '--server <path>', description: 'server description JSON ({server_id, server_name, publisher, source, endpoint})' },
  { flags: '--risk-class <class>', description: 'risk class to evaluate at (default: the highest of mcp_trust.required_risk_classes)' },
  { flags: '--max-input-bytes <n>', description: 'size cap for the policy and server files (default 1048576)' },
];

export const mcpVerifyCommand: CommandSpec = {
  path: ['mcp', 'verify'],
  summary: 'check one MCP server against the policy trust snapshot (no network): exit 0 allowed, 3 block, 4 require_approval',
  args: ['[policy]', '[server]'],
  options: OPTIONS,
  run,
};

export const mcpVerifyLegacyCommand: CommandSpec = {
  path: ['mcp-verify'],
  summary: 'legacy spelling of `gait mcp verify`',
  args: ['[args...]'],
  options: OPTIONS,
  run: async () => {
    await Promise.resolve();
    throw new GaitError('input_usage', '`gait mcp-verify` is a legacy command; use `gait mcp verify`', { hint: 'run `gait mcp verify --help`' });
  },
};
