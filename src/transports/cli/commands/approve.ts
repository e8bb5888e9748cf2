/** `gait approve` (gate.md §A12.4): mint a signed approval token bound to one intent and one policy. */
import { resolve } from 'node:path';
import { mintApprovalToken } from '../../../artifacts/approval/mint.js';
import { GaitError } from '../../../errors/error.js';
import { parseDuration } from '../../../runtime/duration.js';
import { formatTimestamp } from '../../../runtime/timestamp.js';
import { GAIT_VERSION } from '../../../runtime/version.js';
import { assertSafeRelativePath, writeFileAtomic } from '../../../storage/atomic-write.js';
import { resolveSigningKey } from '../../../storage/key-store.js';
import type { CommandContext, CommandOutcome, CommandSpec } from '../command.js';
import { optString } from '../command.js';
import { EXIT } from '../exit.js';
import { omitEmpty } from '../output.js';
import { KEY_OPTIONS } from './key-options.js';

function ttlNanos(ctx: CommandContext): number {
  const raw = optString(ctx, 'ttl').trim();
  let nanos = Number.NaN;
  try {
    nanos = raw === '' ? Number.NaN : parseDuration(raw);
  } catch {
    // reported below with the spec's message
  }
  if (!Number.isFinite(nanos) || nanos <= 0) throw new GaitError('input_usage', 'invalid --ttl, expected positive duration');
  return nanos;
}

function count(ctx: CommandContext, flag: string, attr: string): number {
  const raw = optString(ctx, attr).trim();
  if (raw === '') return 0;
  const n = Number(raw);
  if (!/^\d+$/.test(raw) || !Number.isSafeInteger(n)) throw new GaitError('input_usage', `invalid ${flag} \`${raw}\`: expected an integer >= 0`);
  return n;
}

function scopeOf(ctx: CommandContext): string[] {
  const scope = optString(ctx, 'scope').split(',').map((s) => s.trim()).filter((s) => s !== '');
  if (scope.length === 0) throw new GaitError('input_usage', 'scope is required');
  return scope;
}

/** `expires_at` for the output: UTC, whole seconds (fraction truncated). */
function wholeSeconds(iso: string): string {
  return iso.replace(/\.\d+Z$/, 'Z');
}

async function run(ctx: CommandContext): Promise<CommandOutcome> {
  const out = optString(ctx, 'out');
  if (out !== '') assertSafeRelativePath(out, 'approval token');
  const ttl = ttlNanos(ctx);
  const scope = scopeOf(ctx);
  const maxTargets = count(ctx, '--max-targets', 'maxTargets');
  const maxOps = count(ctx, '--max-ops', 'maxOps');
  const signer = resolveSigningKey({
    mode: optString(ctx, 'keyMode') || 'dev',
    privateKeyPath: optString(ctx, 'privateKey'),
    privateKeyEnv: optString(ctx, 'privateKeyEnv'),
    cwd: ctx.io.cwd,
    env: ctx.io.env,
    random: ctx.io.random,
  });
  const { token, record } = mintApprovalToken(
    {
      intentDigest: optString(ctx, 'intentDigest'),
      policyDigest: optString(ctx, 'policyDigest'),
      delegationBindingDigest: optString(ctx, 'delegationBindingDigest'),
      ttlNanos: ttl,
      scope,
      approverIdentity: optString(ctx, 'approver'),
      reasonCode: optString(ctx, 'reasonCode'),
      maxTargets,
      maxOps,
      producerVersion: GAIT_VERSION,
      createdAt: ctx.io.clock.now(),
    },
    signer.key,
  );
  const tokenPath = out === '' ? `approval_${token.tokenId}.json` : out;
  writeFileAtomic(resolve(ctx.io.cwd, tokenPath), `${JSON.stringify(record, null, 2)}\n`, { mode: 0o600 });
  const json = omitEmpty({
    ok: true,
    token_id: token.tokenId,
    token_path: tokenPath,
    expires_at: wholeSeconds(formatTimestamp(token.expiresAt)),
    reason_code: token.reasonCode,
    scope: token.scope,
    max_targets: token.maxTargets,
    max_ops: token.maxOps,
    key_id: signer.key.keyId,
    warnings: signer.warnings,
    description: 'signed approval token created',
  });
  return { exitCode: EXIT.ok, json, human: [`approval token created: ${tokenPath}`, ...signer.warnings.map((w) => `warning: ${w}`)] };
}

export const approveCommand: CommandSpec = {
  path: ['approve'],
  summary: 'mint a signed, single-use approval token for one intent digest under one policy digest',
  options: [
    { flags: '--intent-digest <hex>', description: 'intent_digest of the call being approved (gate eval --json prints it)' },
    { flags: '--policy-digest <hex>', description: 'policy_digest the approval is valid under' },
    { flags: '--delegation-binding-digest <hex>', description: 'bind to a delegation chain digest (optional)' },
    { flags: '--ttl <duration>', description: 'lifetime, e.g. 30m, 1h, 1h30m (must be > 0)' },
    { flags: '--scope <csv>', description: 'required: e.g. tool:tool.write (add phase:apply,destructive:apply for destructive calls)' },
    { flags: '--approver <identity>', description: 'who approves' },
    { flags: '--reason-code <text>', description: 'why (e.g. a change ticket)' },
    { flags: '--max-targets <n>', description: 'at most this many targets (0 = unbounded)' },
    { flags: '--max-ops <n>', description: 'at most this many operations (0 = unbounded)' },
    { flags: '--out <path>', description: 'token file (default approval_<token_id>.json)' },
    ...KEY_OPTIONS,
  ],
  run,
};
