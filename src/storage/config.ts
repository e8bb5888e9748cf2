import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { isMap, isScalar, isSeq, LineCounter, parseDocument } from 'yaml';
import type { Node, Pair } from 'yaml';
import { GaitError } from '../errors/index.js';
import { readInputFile } from './read-input.js';

/** Default config location, relative to the working directory (gate.md §A12.2). */
export const DEFAULT_CONFIG_PATH = '.gait/config.yaml';

/** The `gate:` section of `.gait/config.yaml`; each member fills a flag the user left unset. */
export interface GateConfig {
  readonly policy?: string;
  readonly profile?: string;
  readonly keyMode?: string;
  readonly privateKey?: string;
  readonly privateKeyEnv?: string;
  readonly approvalPublicKey?: string;
  readonly approvalPublicKeyEnv?: string;
  readonly approvalPrivateKey?: string;
  readonly approvalPrivateKeyEnv?: string;
  readonly killSwitchState?: string;
  readonly rateLimitState?: string;
  readonly credentialBroker?: string;
  readonly credentialEnvPrefix?: string;
  readonly credentialRef?: string;
  readonly credentialScopes?: readonly string[];
  readonly credentialCommand?: string;
  readonly credentialCommandArgs?: readonly string[];
  readonly credentialEvidencePath?: string;
  readonly tracePath?: string;
  readonly wrkrInventoryPath?: string;
  /** Extension: state directory. */
  readonly state?: string;
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** Config key → GateConfig member; the allowed set is exactly §A12.2 plus `state`. */
const STRING_KEYS = {
  policy: 'policy',
  profile: 'profile',
  key_mode: 'keyMode',
  private_key: 'privateKey',
  private_key_env: 'privateKeyEnv',
  approval_public_key: 'approvalPublicKey',
  approval_public_key_env: 'approvalPublicKeyEnv',
  approval_private_key: 'approvalPrivateKey',
  approval_private_key_env: 'approvalPrivateKeyEnv',
  kill_switch_state: 'killSwitchState',
  rate_limit_state: 'rateLimitState',
  credential_broker: 'credentialBroker',
  credential_env_prefix: 'credentialEnvPrefix',
  credential_ref: 'credentialRef',
  credential_command: 'credentialCommand',
  credential_evidence_path: 'credentialEvidencePath',
  trace_path: 'tracePath',
  wrkr_inventory_path: 'wrkrInventoryPath',
  state: 'state',
} as const satisfies Record<string, keyof GateConfig>;

/** Keys whose value is a CSV string or a list of strings. */
const LIST_KEYS = {
  credential_scopes: 'credentialScopes',
  credential_command_args: 'credentialCommandArgs',
} as const satisfies Record<string, keyof GateConfig>;

export interface LoadGateConfigOptions {
  /** Config path as the user gave it; default `.gait/config.yaml`. */
  readonly path?: string;
  /** True when the user named the file (`--config`): then a missing file is an error. */
  readonly explicit: boolean;
  /** Directory relative paths resolve against. */
  readonly cwd: string;
  /** Size cap (default 1 MiB). */
  readonly maxBytes?: number;
}

interface Ctx {
  readonly file: string;
  readonly lines: LineCounter;
}

function configError(ctx: Ctx, offset: number | undefined, reason: string): GaitError {
  if (offset === undefined) {
    return new GaitError('input_usage', `cannot load config \`${ctx.file}\`: ${reason}`, { location: { file: ctx.file } });
  }
  const { line, col } = ctx.lines.linePos(offset);
  return new GaitError('input_usage', `cannot load config \`${ctx.file}\`: line ${line}, column ${col}: ${reason}`, {
    location: { file: ctx.file, line, col },
    hint: `allowed keys under \`gate:\`: ${[...Object.keys(STRING_KEYS), ...Object.keys(LIST_KEYS)].sort().join(', ')}`,
  });
}

function offsetOf(node: unknown): number | undefined {
  return (node as Node | null | undefined)?.range?.[0];
}

function keyName(ctx: Ctx, pair: Pair): string {
  if (!isScalar(pair.key) || typeof pair.key.value !== 'string') throw configError(ctx, offsetOf(pair.key), 'keys must be strings');
  return pair.key.value;
}

/** CSV flag semantics (gate.md §0): split on `,`, trim, drop empty items. */
function splitCsv(text: string): string[] {
  return text
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

function readList(ctx: Ctx, key: string, node: unknown): string[] {
  if (isScalar(node) && typeof node.value === 'string') return splitCsv(node.value);
  if (!isSeq(node)) throw configError(ctx, offsetOf(node), `\`gate.${key}\` must be a string or a list of strings`);
  return node.items.map((item) => {
    if (!isScalar(item) || typeof item.value !== 'string') {
      throw configError(ctx, offsetOf(item), `\`gate.${key}\` items must be strings`);
    }
    return item.value.trim();
  }).filter((s) => s !== '');
}

function isNullNode(node: unknown): boolean {
  return node === null || node === undefined || (isScalar(node) && node.value === null);
}

function readGateSection(ctx: Ctx, node: unknown): GateConfig {
  const out: Mutable<GateConfig> = {};
  if (isNullNode(node)) return out;
  if (!isMap(node)) throw configError(ctx, offsetOf(node), '`gate` must be a mapping');
  for (const pair of node.items) {
    const key = keyName(ctx, pair);
    // A key left blank (`policy:`) counts as unset.
    if (isNullNode(pair.value)) continue;
    if (Object.hasOwn(LIST_KEYS, key)) {
      out[LIST_KEYS[key as keyof typeof LIST_KEYS]] = readList(ctx, key, pair.value);
    } else if (Object.hasOwn(STRING_KEYS, key)) {
      const value = pair.value;
      if (!isScalar(value) || typeof value.value !== 'string') {
        throw configError(ctx, offsetOf(value), `\`gate.${key}\` must be a string`);
      }
      out[STRING_KEYS[key as keyof typeof STRING_KEYS]] = value.value;
    } else {
      throw configError(ctx, offsetOf(pair.key), `unknown key \`gate.${key}\``);
    }
  }
  return out;
}

/** Parses config YAML text; `file` is used in messages only. */
export function parseGateConfig(text: string, file: string): GateConfig {
  const ctx: Ctx = { file, lines: new LineCounter() };
  const doc = parseDocument(text, { lineCounter: ctx.lines, prettyErrors: false, uniqueKeys: true });
  const first = doc.errors[0];
  if (first !== undefined) throw configError(ctx, first.pos[0], first.message.charAt(0).toLowerCase() + first.message.slice(1));
  const root = doc.contents;
  if (isNullNode(root)) return {};
  if (!isMap(root)) throw configError(ctx, offsetOf(root), 'the file must be a mapping with a `gate` key');
  let gate: GateConfig = {};
  for (const pair of root.items) {
    const key = keyName(ctx, pair);
    if (key !== 'gate') throw configError(ctx, offsetOf(pair.key), `unknown key \`${key}\` (only \`gate\` is allowed)`);
    gate = readGateSection(ctx, pair.value);
  }
  return gate;
}

/**
 * Loads the `gate:` section of the config file (gate.md §A12.2).
 * @returns the configured values; `{}` when the default file does not exist
 * @throws GaitError `input_path` (explicit file missing or unreadable), `input_too_large`, `input_encoding`,
 *   `input_usage` (YAML syntax, not a mapping, unknown key, wrong value type; with file:line:col)
 * @example loadGateConfig({ explicit: false, cwd: process.cwd() })
 */
export function loadGateConfig(options: LoadGateConfigOptions): GateConfig {
  const shown = options.path ?? DEFAULT_CONFIG_PATH;
  const full = resolve(options.cwd, shown);
  if (!options.explicit && !existsSync(full)) return {};
  const cap = options.maxBytes === undefined ? {} : { maxBytes: options.maxBytes };
  const text = readInputFile(full, { label: 'config', allowEmpty: true, displayPath: shown, ...cap });
  return parseGateConfig(text, shown);
}
