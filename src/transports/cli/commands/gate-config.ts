/** Config precedence for `gate eval` (gate.md §A12.2): flags the user set win; config fills the rest. */
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
}

function loadConfig(ctx: CommandContext): GateConfig | undefined {
  const config = ctx.opts['config'];
  if (config === false) return undefined;
  if (typeof config === 'string' && config !== '') return loadGateConfig({ path: config, explicit: true, cwd: ctx.io.cwd });
  return loadGateConfig({ explicit: false, cwd: ctx.io.cwd });
}

/** Resolves the flags `gate eval` needs from the command line and the config file. */
export function applyGateConfig(ctx: CommandContext): GateFlags {
  const config = loadConfig(ctx);
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
  };
}
