/**
 * Argument parsing and dispatch only (STYLE.md §1): commander builds the parser from the command specs;
 * every outcome is rendered by `output.ts` and mapped to an exit code by `exit.ts`.
 */
import { Command, CommanderError, Option } from 'commander';
import { GaitError } from '../../errors/error.js';
import type { CommandOutcome, CommandSpec } from './command.js';
import { COMMANDS } from './commands/index.js';
import { correlationIdFor } from './correlation.js';
import type { CliIo } from './io.js';
import { renderJsonLine, toErrorReport, withErrorEnvelope } from './output.js';

/**
 * Accepts Go-style single-dash long flags (`-json`, `-policy=x`) by rewriting them to `--` form
 * (gate.md §A12.1). Single letters (`-h`) and negative numbers are left alone.
 */
export function normalizeArgv(argv: readonly string[]): string[] {
  const out: string[] = [];
  let passthrough = false;
  for (const arg of argv) {
    if (passthrough || arg === '--') {
      passthrough = true;
      out.push(arg);
    } else if (/^-[a-z][a-z0-9-]+(=.*)?$/s.test(arg)) {
      out.push(`-${arg}`);
    } else {
      out.push(arg);
    }
  }
  return out;
}

/**
 * artifacts.md §8: bare `gait`, `gait --version` and `gait -v` are `gait version` (with or without
 * `--json`).
 */
export function versionAlias(args: readonly string[]): string[] {
  const rest = args.filter((a) => a !== '--json');
  const isVersion = rest.length === 0 || (rest.length === 1 && (rest[0] === '--version' || rest[0] === '-v'));
  return isVersion ? ['version', ...(args.includes('--json') ? ['--json'] : [])] : [...args];
}

function commandLabel(path: readonly string[]): string {
  return path.join(' ');
}

interface RunState {
  outcome: CommandOutcome | undefined;
  explained: string | undefined;
  spec: CommandSpec | undefined;
}

function register(program: Command, spec: CommandSpec, state: RunState, io: CliIo, json: boolean, correlationId: string): void {
  let parent = program;
  for (const part of spec.path.slice(0, -1)) {
    const existing = parent.commands.find((c) => c.name() === part);
    // A command that is also a parent (`verify` and `verify session-chain`) must leave the options
    // after a subcommand name to the subcommand, even where both define them; commander needs this
    // on every ancestor, or the root hands those options to the parent.
    for (let c: Command | null = existing ?? null; c !== null; c = c.parent) c.enablePositionalOptions();
    parent = existing ?? parent.command(part).description(`${part} commands`);
  }
  const leaf = parent.command(spec.path[spec.path.length - 1] as string).description(spec.summary);
  for (const a of spec.args ?? []) leaf.argument(a);
  for (const o of spec.options) {
    const opt = new Option(o.flags, o.description);
    if (o.defaultValue !== undefined) opt.default(o.defaultValue);
    if (o.repeatable === true) opt.argParser((value: string, previous: unknown) => [...(Array.isArray(previous) ? (previous as string[]) : []), value]);
    leaf.addOption(opt);
  }
  leaf.option('--json', 'print one JSON object on one line').option('--explain', 'print what this command does and exit');
  leaf.allowExcessArguments(false);
  leaf.action(async (...actionArgs: unknown[]) => {
    const cmd = actionArgs[actionArgs.length - 1] as Command;
    const opts = cmd.opts<Record<string, unknown>>();
    state.spec = spec;
    if (opts['explain'] === true && !json) {
      state.explained = `${spec.summary}\n`;
      return;
    }
    const setFlags = new Set<string>();
    for (const key of Object.keys(opts)) {
      if (cmd.getOptionValueSource(key) === 'cli') setFlags.add(key);
    }
    const args = cmd.args.filter((a): a is string => typeof a === 'string');
    state.outcome = await spec.run({ io, opts, args, json, correlationId, setFlags });
  });
}

/**
 * commander's messages in our style (STYLE.md §4): one line, lower-case start, no trailing period,
 * the suggestion folded in: `unknown option '--polcy' (did you mean --policy?)`.
 */
export function usageMessage(commanderMessage: string): string {
  const oneLine = commanderMessage
    .replace(/^error: /, '')
    .split('\n')
    .map((line) => line.trim().replace(/^\((.*)\)$/, '($1)'))
    .filter((line) => line !== '')
    .join(' ');
  const lowered = oneLine.replace(/\(Did you mean/g, '(did you mean').replace(/\. (?=[A-Z])/g, ': ');
  const first = lowered.charAt(0).toLowerCase() + lowered.slice(1);
  return first.replace(/\.$/, '').replace(/: ([A-Z])/g, (_m, c: string) => `: ${c.toLowerCase()}`);
}

/** The command path named by the argv (for error labels before commander resolves it). */
function specFromArgv(args: readonly string[]): CommandSpec | undefined {
  const words = args.filter((a) => !a.startsWith('-'));
  return COMMANDS.find((spec) => spec.path.every((part, i) => words[i] === part));
}

/** Runs one gait invocation; returns the process exit code. Never throws. */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  const args = versionAlias(normalizeArgv(argv));
  const json = args.includes('--json');
  const correlationId = correlationIdFor(argv, io.env);
  try {
    return await runParsed(args, io, json, correlationId);
  } catch (err) {
    // Last resort: an output stream that throws (EPIPE) or a bug in rendering; report on stderr if it still works.
    try {
      io.stderr(`gait error: ${err instanceof Error ? err.message : String(err)}\n`);
    } catch {
      // nothing left to write to
    }
    return 1;
  }
}

async function runParsed(args: string[], io: CliIo, json: boolean, correlationId: string): Promise<number> {
  const state: RunState = { outcome: undefined, explained: undefined, spec: undefined };
  const program = new Command('gait');
  program
    .description('zero-trust execution gate for AI-agent tool calls')
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.stdout(s), writeErr: () => undefined })
    .showSuggestionAfterError(true);
  for (const spec of COMMANDS) register(program, spec, state, io, json, correlationId);
  try {
    await program.parseAsync(args, { from: 'user' });
  } catch (err) {
    if (err instanceof CommanderError) {
      if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version' || err.code === 'commander.help') return 0;
      if (err.code === 'commander.unknownCommand') return unknownCommand(err.message, program, io, json, correlationId);
      const usage = new GaitError('input_usage', usageMessage(err.message), { hint: 'run `gait --help` for usage' });
      return renderError(usage, io, json, correlationId, state.spec ?? specFromArgv(args));
    }
    return renderError(err, io, json, correlationId, state.spec);
  }
  if (state.explained !== undefined) {
    io.stdout(state.explained);
    return 0;
  }
  if (state.outcome === undefined) {
    // `gait` or `gait gate` alone: print help, usage error.
    io.stderr(program.helpInformation());
    return 6;
  }
  const { outcome } = state;
  if (json) io.stdout(renderJsonLine(withErrorEnvelope(outcome, correlationId)));
  else if (outcome.human.length > 0) io.stdout(`${outcome.human.join('\n')}\n`);
  return outcome.exitCode;
}

/** artifacts.md §8: `error: unknown command: <x>` plus usage, exit 6 (the envelope under --json). */
function unknownCommand(message: string, program: Command, io: CliIo, json: boolean, correlationId: string): number {
  const name = /'([^']*)'/.exec(message)?.[1] ?? '';
  if (!json) {
    io.stderr(`error: unknown command: ${name}\n${program.helpInformation()}`);
    return 6;
  }
  const usage = new GaitError('input_usage', `unknown command: ${name}`, { hint: 'run `gait --help` for usage' });
  return renderError(usage, io, json, correlationId, undefined);
}

function renderError(err: unknown, io: CliIo, json: boolean, correlationId: string, spec: CommandSpec | undefined): number {
  const report = toErrorReport(err, correlationId);
  if (json) {
    io.stdout(renderJsonLine(report.envelope));
  } else {
    const label = spec === undefined ? 'gait' : commandLabel(spec.path);
    io.stderr(`${label} error: ${String(report.envelope['error'])}\n`);
    const hint = report.envelope['hint'];
    if (typeof hint === 'string' && hint !== '') io.stderr(`hint: ${hint}\n`);
  }
  return report.exitCode;
}
