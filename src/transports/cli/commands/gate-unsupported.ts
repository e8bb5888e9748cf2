/**
 * `gate eval` flags whose features are specified but not built yet (gate.md Part B). They are
 * accepted by the parser so the user gets a precise refusal (exit 6) instead of "unknown option", and
 * are never silently ignored (gate.md preamble, phase rule).
 */
import { GaitError } from '../../../errors/error.js';
import type { CommandContext, OptionSpec } from '../command.js';

interface Unsupported {
  readonly flag: string;
  readonly attr: string;
  readonly feature: string;
  readonly takesValue: boolean;
}

function attrOf(flag: string): string {
  return flag.replace(/^--/, '').replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
}

function group(feature: string, flags: readonly string[]): Unsupported[] {
  return flags.map((flag) => ({ flag, attr: attrOf(flag), feature, takesValue: true }));
}

const UNSUPPORTED: readonly Unsupported[] = [
  ...group('delegation tokens (gate.md §B5)', [
    '--delegation-token',
    '--delegation-token-chain',
    '--delegation-audit-out',
    '--delegation-public-key',
    '--delegation-public-key-env',
    '--delegation-private-key',
    '--delegation-private-key-env',
  ]),
  ...group('the kill switch (gate.md §B7)', ['--kill-switch-state']),
  ...group('the credential broker (gate.md §B4)', [
    '--credential-env-prefix',
    '--credential-ref',
    '--credential-scopes',
    '--credential-command',
    '--credential-command-args',
    '--credential-evidence-out',
  ]),
  ...group('tool-inventory enrichment (gate.md §B3)', ['--wrkr-inventory']),
  ...group('approved scripts (gate.md §B10)', [
    '--approved-script-registry',
    '--approved-script-public-key',
    '--approved-script-public-key-env',
  ]),
];

/** Parser entries for the refused flags, plus the two Part B flags whose defaults are accepted. */
export const UNSUPPORTED_GATE_FLAGS: readonly OptionSpec[] = [
  ...UNSUPPORTED.map((u) => ({ flags: `${u.flag} <value>`, description: `not supported yet: ${u.feature}` })),
  { flags: '--credential-broker <name>', description: 'off (default); stub|env|command are not supported yet (gate.md §B4)' },
  { flags: '--rate-limit-state <path>', description: 'rate-limit state file (used once rate limits are supported, gate.md §B6)' },
];

/** @throws GaitError `input_unsupported_feature` naming the first refused flag that was given */
export function refuseUnsupportedFlags(ctx: CommandContext): void {
  for (const u of UNSUPPORTED) {
    if (ctx.setFlags.has(u.attr)) {
      throw new GaitError('input_unsupported_feature', `flag \`${u.flag}\` is not supported yet: ${u.feature}`);
    }
  }
  const broker = ctx.opts['credentialBroker'];
  if (typeof broker === 'string' && !['', 'off', 'none'].includes(broker.trim().toLowerCase())) {
    throw new GaitError('input_unsupported_feature', `--credential-broker \`${broker}\` is not supported yet: the credential broker (gate.md §B4)`);
  }
}
