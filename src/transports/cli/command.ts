/** The shape every CLI command module exports; `main.ts` turns these into the argument parser. */
import type { CliIo } from './io.js';
import type { JsonOut } from './output.js';

export interface OptionSpec {
  /** commander flag syntax, e.g. `--policy <path>` or `--force` */
  readonly flags: string;
  readonly description: string;
  readonly defaultValue?: string | boolean;
  /** the flag may be given several times; its value is then a string array */
  readonly repeatable?: boolean;
}

export interface CommandContext {
  readonly io: CliIo;
  /** option values keyed by commander's camelCase attribute names */
  readonly opts: Readonly<Record<string, unknown>>;
  readonly args: readonly string[];
  readonly json: boolean;
  readonly correlationId: string;
  /** the raw arguments after the command path (for config precedence: which flags were set) */
  readonly setFlags: ReadonlySet<string>;
}

export interface CommandOutcome {
  readonly exitCode: number;
  /** the --json object (without correlation_id, which the renderer adds) */
  readonly json: JsonOut;
  /** human-readable lines for stdout */
  readonly human: readonly string[];
}

export interface CommandSpec {
  /** e.g. ['gate', 'eval'] */
  readonly path: readonly string[];
  /** the one-line description printed by --explain and --help */
  readonly summary: string;
  /** commander argument syntax, e.g. ['[path]'] */
  readonly args?: readonly string[];
  readonly options: readonly OptionSpec[];
  readonly run: (ctx: CommandContext) => Promise<CommandOutcome>;
}

/** Reads a string option; '' and absent are the same. */
export function optString(ctx: CommandContext, name: string): string {
  const v = ctx.opts[name];
  return typeof v === 'string' ? v : '';
}

/** Reads a boolean flag. */
export function optBool(ctx: CommandContext, name: string): boolean {
  return ctx.opts[name] === true;
}

/** Reads a repeatable option (`repeatable: true`); [] when absent. */
export function optStrings(ctx: CommandContext, name: string): string[] {
  const v = ctx.opts[name];
  if (typeof v === 'string') return [v];
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
}
