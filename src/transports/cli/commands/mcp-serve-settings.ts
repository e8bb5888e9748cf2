/**
 * The flags of `gait mcp serve` (mcp-and-export.md §5.1) checked as §5.2 says, before anything
 * listens: every problem is `input_usage` / `input_unsupported_feature` (exit 6). Extension: a
 * runpack or pack retention limit without its directory is refused, never ignored.
 */
import { GaitError } from '../../../errors/error.js';
import { parseProfile } from '../../../policy/profile.js';
import type { Profile } from '../../../policy/profile.js';
import { parseDuration } from '../../../runtime/duration.js';
import { resolveAdapterName } from '../../../schema/v1/tool-call/index.js';
import { assertSafeRelativePath } from '../../../storage/atomic-write.js';
import { DEFAULT_SYNC_INTERVAL_MS, SYNC_MODES } from '../../../storage/durable-writer.js';
import type { SyncMode } from '../../../storage/durable-writer.js';
import { isWildcardHost } from '../../http/guards.js';
import { isLoopbackListen, parseListen } from '../../http/serve.js';
import type { ListenAddress } from '../../http/serve.js';
import type { CommandContext } from '../command.js';
import { optString, optStrings } from '../command.js';
import { readExportSettings } from './export-options.js';
import type { ExportSettings } from './export-options.js';

/** Flags of §5.1 whose features are not built yet: refused (exit 6), never ignored. */
const NOT_YET: readonly [string, string, string][] = [
  ['killSwitchState', '--kill-switch-state', 'the kill switch (gate.md §B7)'],
];

export interface Settings {
  readonly policy: string;
  readonly listen: ListenAddress;
  readonly listenText: string;
  readonly adapter: string;
  readonly profile: Profile;
  readonly authToken: string | undefined;
  readonly maxRequestBytes: number;
  readonly maxConcurrent: number;
  readonly verdictStatus: 'compat' | 'strict';
  readonly traceDir: string;
  readonly traceMaxAgeMs: number;
  readonly traceMaxCount: number;
  readonly traceMaxBytes: number;
  /** `--runpack-dir`, `--pack-dir` as given; '' = disabled (§5.1) */
  readonly runpackDir: string;
  readonly packDir: string;
  readonly runpackMaxAgeMs: number;
  readonly runpackMaxCount: number;
  readonly packMaxAgeMs: number;
  readonly packMaxCount: number;
  /** `--session-dir` as given ('' = the default, §5.1) and the session retention */
  readonly sessionDir: string;
  readonly sessionMaxAgeMs: number;
  readonly sessionMaxCount: number;
  readonly traceSync: SyncMode;
  readonly traceSyncIntervalMs: number;
  readonly intentsOut: string;
  readonly exports: ExportSettings;
}

function positiveInt(ctx: CommandContext, name: string, flag: string, fallback: number): number {
  const raw = optString(ctx, name).trim();
  if (raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isSafeInteger(n) || n <= 0) throw new GaitError('input_usage', `${flag} must be > 0`);
  return n;
}

function count(ctx: CommandContext, name: string): number {
  const raw = optString(ctx, name).trim();
  if (raw === '') return 0;
  const n = Number(raw);
  if (!Number.isSafeInteger(n) || n < 0) throw new GaitError('input_usage', 'retention max-count values must be >= 0');
  return n;
}

function durationMs(ctx: CommandContext, name: string, flag: string): number {
  const raw = optString(ctx, name).trim();
  if (raw === '' || raw === '0') return 0;
  let ns: number;
  try {
    ns = parseDuration(raw);
  } catch {
    throw new GaitError('input_usage', `parse ${flag}: invalid duration \`${raw}\``);
  }
  if (ns < 0) throw new GaitError('input_usage', `parse ${flag}: duration must be >= 0`);
  return ns / 1e6;
}

function authTokenOf(ctx: CommandContext): string | undefined {
  const mode = optString(ctx, 'authMode').trim().toLowerCase() || 'off';
  if (mode !== 'off' && mode !== 'token') throw new GaitError('input_usage', 'unsupported --auth-mode value (expected off or token)');
  if (mode === 'off') return undefined;
  const envName = optString(ctx, 'authTokenEnv').trim();
  if (envName === '') throw new GaitError('input_usage', '--auth-mode token requires --auth-token-env');
  const token = (ctx.io.env[envName] ?? '').trim();
  if (token === '') throw new GaitError('input_usage', '--auth-token-env did not resolve to a non-empty value');
  return token;
}

function verdictStatusOf(ctx: CommandContext): 'compat' | 'strict' {
  const v = optString(ctx, 'httpVerdictStatus').trim().toLowerCase() || 'compat';
  if (v !== 'compat' && v !== 'strict') throw new GaitError('input_usage', 'unsupported --http-verdict-status value (expected compat or strict)');
  return v;
}

function traceSyncOf(ctx: CommandContext): SyncMode {
  const v = optString(ctx, 'traceSync').trim().toLowerCase() || 'batched';
  if (!(SYNC_MODES as readonly string[]).includes(v)) throw new GaitError('input_usage', `unsupported --trace-sync value \`${v}\` (expected ${SYNC_MODES.join(', ')})`);
  return v as SyncMode;
}

function syncIntervalMs(ctx: CommandContext): number {
  if (optString(ctx, 'traceSyncInterval').trim() === '') return DEFAULT_SYNC_INTERVAL_MS;
  const ms = durationMs(ctx, 'traceSyncInterval', '--trace-sync-interval');
  if (!Number.isSafeInteger(ms) || ms < 1) throw new GaitError('input_usage', 'parse --trace-sync-interval: expected a whole number of milliseconds >= 1ms (e.g. 100ms)');
  return ms;
}

/**
 * Retention limits of the classes whose directory is off by default, in the order §5.1 lists them
 * (the max-age row, then the max-count row): a non-zero limit without its directory would be ignored.
 */
const NEEDS_DIR: readonly { readonly flag: string; readonly dirFlag: string; readonly ignored: (s: Settings) => boolean }[] = [
  { flag: '--runpack-max-age', dirFlag: '--runpack-dir', ignored: (s) => s.runpackMaxAgeMs !== 0 && s.runpackDir === '' },
  { flag: '--pack-max-age', dirFlag: '--pack-dir', ignored: (s) => s.packMaxAgeMs !== 0 && s.packDir === '' },
  { flag: '--runpack-max-count', dirFlag: '--runpack-dir', ignored: (s) => s.runpackMaxCount !== 0 && s.runpackDir === '' },
  { flag: '--pack-max-count', dirFlag: '--pack-dir', ignored: (s) => s.packMaxCount !== 0 && s.packDir === '' },
];

/**
 * Refuses the first retention limit (in §5.1 order) given without its directory.
 * @throws GaitError `input_usage` e.g. `--runpack-max-count requires --runpack-dir`
 */
function refuseLimitsWithoutDir(s: Settings): void {
  const first = NEEDS_DIR.find((n) => n.ignored(s));
  if (first !== undefined) throw new GaitError('input_usage', `${first.flag} requires ${first.dirFlag}`);
}

/**
 * Reads and checks the flags (§5.1, §5.2).
 * @throws GaitError `input_usage` / `input_unsupported_feature` (exit 6)
 */
export function readSettings(ctx: CommandContext): Settings {
  const settings = readFlags(ctx);
  refuseLimitsWithoutDir(settings);
  return settings;
}

function readFlags(ctx: CommandContext): Settings {
  for (const [attr, flag, feature] of NOT_YET) {
    if (ctx.setFlags.has(attr)) throw new GaitError('input_unsupported_feature', `flag \`${flag}\` is not supported yet: ${feature}`);
  }
  const policy = optString(ctx, 'policy').trim() || (ctx.args[0] ?? '');
  if (policy === '' || ctx.args.length > (optString(ctx, 'policy').trim() === '' ? 1 : 0)) {
    throw new GaitError('input_usage', 'expected --policy <policy.yaml>');
  }
  const listenText = optString(ctx, 'listen').trim() || '127.0.0.1:8787';
  const listen = parseListen(listenText);
  const authToken = authTokenOf(ctx);
  if (!isLoopbackListen(listen) && authToken === undefined) throw new GaitError('input_usage', 'non-loopback --listen requires --auth-mode token');
  const profile = parseProfile(optString(ctx, 'profile').trim());
  if (profile === 'oss-prod' && optString(ctx, 'keyMode').trim() !== 'prod') throw new GaitError('input_usage', 'oss-prod profile requires --key-mode prod');
  const adapter = resolveAdapterName(optString(ctx, 'adapter') || 'mcp');
  const traceDir = optString(ctx, 'traceDir').trim() || './gait-out/mcp-serve/traces';
  const intentsOut = optString(ctx, 'intentsOut').trim();
  if (intentsOut !== '') assertSafeRelativePath(intentsOut, 'intents');
  const runpackMaxCount = count(ctx, 'runpackMaxCount');
  const packMaxCount = count(ctx, 'packMaxCount');
  const sessionMaxCount = count(ctx, 'sessionMaxCount');
  const runpackMaxAgeMs = durationMs(ctx, 'runpackMaxAge', '--runpack-max-age');
  const packMaxAgeMs = durationMs(ctx, 'packMaxAge', '--pack-max-age');
  const sessionMaxAgeMs = durationMs(ctx, 'sessionMaxAge', '--session-max-age');
  return {
    policy,
    listen,
    listenText,
    adapter,
    profile,
    authToken,
    maxRequestBytes: positiveInt(ctx, 'maxRequestBytes', '--max-request-bytes', 1_048_576),
    maxConcurrent: positiveInt(ctx, 'maxConcurrent', '--max-concurrent', 64),
    verdictStatus: verdictStatusOf(ctx),
    traceDir,
    traceMaxAgeMs: durationMs(ctx, 'traceMaxAge', '--trace-max-age'),
    traceMaxCount: count(ctx, 'traceMaxCount'),
    traceMaxBytes: count(ctx, 'traceMaxBytes'),
    runpackDir: optString(ctx, 'runpackDir').trim(),
    packDir: optString(ctx, 'packDir').trim(),
    runpackMaxAgeMs,
    runpackMaxCount,
    packMaxAgeMs,
    packMaxCount,
    sessionDir: optString(ctx, 'sessionDir').trim(),
    sessionMaxAgeMs,
    sessionMaxCount,
    traceSync: traceSyncOf(ctx),
    traceSyncIntervalMs: syncIntervalMs(ctx),
    intentsOut,
    exports: readExportSettings(ctx),
  };
}

/** Host names the Host check accepts: loopback names always; a named non-loopback listen host; `*` for a wildcard listen. */
export function allowedHostsOf(ctx: CommandContext, listen: ListenAddress): string[] {
  const extra = optStrings(ctx, 'allowedHost').map((h) => h.trim().toLowerCase()).filter((h) => h !== '');
  if (isLoopbackListen(listen)) return extra;
  return isWildcardHost(listen.host) ? ['*'] : [listen.host.toLowerCase(), ...extra];
}
