/**
 * The approval inputs of `gate eval` (gate.md §A9.6, §A9.7): token files, the verify key and the
 * single-use ledger. I/O only; the decision is `runApprovalStep` in the gate pipeline.
 */
import { resolve } from 'node:path';
import type { PresentedToken, ApprovalStepInput } from '../../../artifacts/gate/approval-step.js';
import type { SigningKey } from '../../../crypto/keys.js';
import { GaitError } from '../../../errors/error.js';
import type { Profile } from '../../../policy/profile.js';
import { resolveVerifyKey } from '../../../storage/key-store.js';
import { openApprovalLedger } from '../../../storage/ledger/open-ledger.js';
import type { OpenedLedger } from '../../../storage/ledger/open-ledger.js';
import { parseJsonText, readInputFile } from '../../../storage/read-input.js';
import type { CommandContext, OptionSpec } from '../command.js';
import { optString } from '../command.js';
import type { GateFlags } from './gate-config.js';

/** Default ledger location, relative to the working directory (§A9.7). */
export const DEFAULT_STATE_PATH = '.gait/state.db';
const TOKEN_MAX_BYTES = 1_048_576;

export const APPROVAL_OPTIONS: readonly OptionSpec[] = [
  { flags: '--approval-token <path>', description: 'a signed approval token (gait approve) for this intent and policy' },
  { flags: '--approval-token-chain <csv>', description: 'more approval token files, comma-separated (min_approvals > 1)' },
  { flags: '--approval-audit-out <path>', description: 'where to write the signed approval audit record (default approval_audit_<trace_id>.json)' },
  { flags: '--state <path>', description: 'single-use approval ledger (default .gait/state.db)' },
  { flags: '--approval-public-key <path>', description: 'verify approval tokens with this public key (default: the signing key)' },
  { flags: '--approval-public-key-env <var>', description: 'environment variable holding the approval public key' },
  { flags: '--approval-private-key <path>', description: 'verify approval tokens with the public half of this private key' },
  { flags: '--approval-private-key-env <var>', description: 'environment variable holding that private key' },
];

/** `--approval-token` plus `--approval-token-chain` (CSV): trimmed, de-duplicated, sorted (§A9.6). */
export function approvalTokenPaths(ctx: CommandContext): string[] {
  const chain = optString(ctx, 'approvalTokenChain').split(',');
  const all = [optString(ctx, 'approvalToken'), ...chain].map((p) => p.trim()).filter((p) => p !== '');
  return [...new Set(all)].sort();
}

/** Reads one token file; unreadable or unparsable aborts with exit 6 (§A9.6). */
function readToken(ctx: CommandContext, path: string): PresentedToken {
  const text = readInputFile(resolve(ctx.io.cwd, path), { label: 'approval token', maxBytes: TOKEN_MAX_BYTES, displayPath: path });
  return { source: path, raw: parseJsonText(text, { label: 'approval token', file: path }) };
}

function hasExplicitApprovalKey(flags: GateFlags): boolean {
  return [flags.approvalPublicKey, flags.approvalPublicKeyEnv, flags.approvalPrivateKey, flags.approvalPrivateKeyEnv].some((v) => v !== '');
}

export interface LoadedApprovals {
  readonly input: ApprovalStepInput;
  /** closes the ledger if it was opened */
  readonly close: () => void;
}

/**
 * Loads the approval inputs. The ledger opens only when a consumption is attempted.
 * @throws GaitError `input_*` (unreadable or unparsable token file), `key_*` (approval verify key),
 *   `input_usage` (oss-prod without an explicit approval verify key)
 */
export function loadApprovals(ctx: CommandContext, flags: GateFlags, signer: SigningKey, profile: Profile): LoadedApprovals {
  const tokens = approvalTokenPaths(ctx).map((path) => readToken(ctx, path));
  const explicit = hasExplicitApprovalKey(flags);
  if (tokens.length > 0 && profile === 'oss-prod' && !explicit) {
    throw new GaitError(
      'input_usage',
      'oss-prod profile requires explicit approval verify key (--approval-public-key/--approval-public-key-env or private key source)',
    );
  }
  const verifyKey =
    tokens.length === 0
      ? undefined
      : resolveVerifyKey({
          publicKeyPath: flags.approvalPublicKey,
          publicKeyEnv: flags.approvalPublicKeyEnv,
          privateKeyPath: flags.approvalPrivateKey,
          privateKeyEnv: flags.approvalPrivateKeyEnv,
          cwd: ctx.io.cwd,
          env: ctx.io.env,
          fallback: signer,
        }).key;
  let ledger: OpenedLedger | undefined;
  const statePath = resolve(ctx.io.cwd, flags.state === '' ? DEFAULT_STATE_PATH : flags.state);
  return {
    input: {
      tokens,
      verifyKey,
      openLedger: () => {
        ledger ??= openApprovalLedger(statePath);
        return ledger;
      },
    },
    close: () => ledger?.close(),
  };
}
