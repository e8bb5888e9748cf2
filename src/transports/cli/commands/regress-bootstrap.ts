/**
 * `gait regress bootstrap` (artifacts.md §4.2): `regress init` followed by `regress run` with all run
 * flags, in one step. The JSON has the init members plus the run summary; the exit code is the run's.
 */
import type { CommandContext, CommandOutcome, CommandSpec } from '../command.js';
import { omitEmpty } from '../output.js';
import { initFromFlags, initHuman, initJson, REGRESS_INIT_OPTIONS } from './regress-init.js';
import { REGRESS_RUN_OPTIONS, runRegressFromFlags } from './regress-run.js';

/** init's flags plus run's, each flag once (`--policy` serves both halves). */
const OPTIONS = [...REGRESS_INIT_OPTIONS, ...REGRESS_RUN_OPTIONS.filter((o) => !REGRESS_INIT_OPTIONS.some((i) => i.flags.split(' ')[0] === o.flags.split(' ')[0]))];

async function run(ctx: CommandContext): Promise<CommandOutcome> {
  const init = initFromFlags(ctx, true);
  const ran = runRegressFromFlags(ctx);
  const { ok: _ok, warnings: runWarnings, ...runJson } = ran.json;
  const warnings = [...init.warnings, ...((runWarnings as string[] | undefined) ?? [])];
  return {
    exitCode: ran.exitCode,
    json: omitEmpty({ ok: ran.json['ok'], ...initJson(init), ...runJson, warnings }, ['ok', 'status', 'fixture_set', 'graders', 'failed']),
    human: [...initHuman(init), ...ran.human],
  };
}

export const regressBootstrapCommand: CommandSpec = {
  path: ['regress', 'bootstrap'],
  summary: 'regress init then regress run: make a fixture from a recorded run and grade it at once',
  options: OPTIONS,
  run,
};
