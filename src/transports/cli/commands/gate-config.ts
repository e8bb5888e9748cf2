/** Config precedence for `gate eval` (gate.md §A12.2): flags the user set win; config fills the rest. */
import { GaitError } from '../../../errors/error.js';
import { loadGateConfig } from '../../../storage/config.js';
import type { GateConfig } from '../../../storage/config.js';
import type { CommandContext } from '../command.js';
import { optString } from '../command.js';

export interface GateFlags {
  readonly policy: string;
  readonly intent: string;
  readonly traceOut: string;
  readonly profile: string;
  readonly keyMode: string;
  readonly privateKey: string;
  readonly privateKeyEnv: string;
  readonly approvalPublicKey: string;
  readonly approvalPublicKeyEnv: string;
  readonly approvalPrivateKey: string;
  readonly approvalPrivateKeyEnv: string;
  /** the approval ledger (`--state`, config `gate.state`); '' = default `.gait/state.db` */
  readonly state: string;
}

function loadConfig(ctx: CommandContext): GateConfig | undefined {
  const config = ctx.opts['config'];
  if (config === false) return undefined;
  if (typeof config === 'string' && config !== '') return loadGateConfig({ path: config, explicit: true, cwd: ctx.io.cwd });
  return loadGateConfig({ explicit: false, cwd: ctx.io.cwd });
}

/**
 * Config keys of features not built yet, with the feature they belong to. Like their flags, they
 * are refused (exit 6), never silently ignored (gate.md phase rule, ADR 0004).
 */
const UNBUILT_CONFIG: readonly (readonly [keyof GateConfig, string, string])[] = [
  ['killSwitchState', 'kill_switch_state', 'the kill switch (gate.md §B7)'],
  ['credentialEnvPrefix', 'credential_env_prefix', 'the credential broker (gate.md §B4)'],
  ['credentialRef', 'credential_ref', 'the credential broker (gate.md §B4)'],
  ['credentialScopes', 'credential_scopes', 'the credential broker (gate.md §B4)'],
  ['credentialCommand', 'credential_command', 'the credential broker (gate.md §B4)'],
  ['credentialCommandArgs', 'credential_command_args', 'the credential broker (gate.md §B4)'],
  ['credentialEvidencePath', 'credential_evidence_path', 'the credential broker (gate.md §B4)'],
  ['wrkrInventoryPath', 'wrkr_inventory_path', 'tool-inventory enrichment (gate.md §B3)'],
];

function isSet(value: unknown): boolean {
  return Array.isArray(value) ? value.length > 0 : typeof value === 'string' && value.trim() !== '';
}

/** @throws GaitError `input_unsupported_feature` for the first config key of an unbuilt feature */
function refuseUnbuiltConfig(config: GateConfig): void {
  for (const [member, key, feature] of UNBUILT_CONFIG) {
    if (isSet(config[member])) {
      throw new GaitError('input_unsupported_feature', `config key \`gate.${key}\` is not supported yet: ${feature}`);
    }
  }
  const broker = config.credentialBroker?.trim().toLowerCase() ?? '';
  if (!['', 'off', 'none'].includes(broker)) {
    throw new GaitError('input_unsupported_feature', `config key \`gate.credential_broker\` \`${broker}\` is not supported yet: the credential broker (gate.md §B4)`);
  }
}

/** Resolves the flags `gate eval` needs from the command line and the config file. */
export function applyGateConfig(ctx: CommandContext): GateFlags {
  const config = loadConfig(ctx);
  if (config !== undefined) refuseUnbuiltConfig(config);
  const pick = (flag: string, fromConfig: string | undefined): string => {
    const own = optString(ctx, flag);
    if (ctx.setFlags.has(flag) || own !== '') return own;
    return fromConfig ?? '';
  };
  return {
    policy: pick('policy', config?.policy),
    intent: optString(ctx, 'intent'),
    traceOut: pick('traceOut', config?.tracePath),
    profile: pick('profile', config?.profile),
    keyMode: pick('keyMode', config?.keyMode),
    privateKey: pick('privateKey', config?.privateKey),
    privateKeyEnv: pick('privateKeyEnv', config?.privateKeyEnv),
    approvalPublicKey: pick('approvalPublicKey', config?.approvalPublicKey),
    approvalPublicKeyEnv: pick('approvalPublicKeyEnv', config?.approvalPublicKeyEnv),
    approvalPrivateKey: pick('approvalPrivateKey', config?.approvalPrivateKey),
    approvalPrivateKeyEnv: pick('approvalPrivateKeyEnv', config?.approvalPrivateKeyEnv),
    state: pick('state', config?.state),
  };
}
