/**
 * The recorded calls `policy simulate` replays (issue 4): intent fixture files, JSONL intent files
 * (`--intents-out`), runpacks (their intent records: tool name, arguments when captured raw) and
 * regress fixtures (their `intents.jsonl`, the full IntentRequests). Each call is named by its file,
 * plus `#<intent_id>` when the file holds many.
 */
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { FIXTURE_FILE, parseFixture } from '../../../artifacts/regress/fixture.js';
import { parseIntentInputs } from '../../../artifacts/regress/intents-input.js';
import { readRunpackSync } from '../../../artifacts/runpack/read.js';
import { formatTimestamp } from '../../../runtime/timestamp.js';
import type { JsonObject } from '../../../schema/v1/json-types.js';
import { parseJsonText, readInputFile } from '../../../storage/read-input.js';
import { loadRegressConfig } from '../../../storage/regress/config-file.js';
import { runpackOfSource } from '../../../storage/regress/resolve-runpack.js';
import { readArtifactFile } from '../../../storage/runpack-files.js';
import type { CommandContext } from '../command.js';
import { readIntentJson } from '../input.js';
import type { CorpusSource } from './policy-fixtures.js';

export interface CorpusCall {
  /** `fixture_path` in the output: the file, or `<file>#<intent_id>` */
  readonly path: string;
  /** the IntentRequest as recorded (raw JSON) */
  readonly raw: unknown;
}

export interface Corpus {
  readonly calls: CorpusCall[];
  readonly warnings: string[];
}

const MAX_JSONL_BYTES = 64 * 1_048_576;

/**
 * A runpack intent record carries a tool name and (raw capture only) arguments, but no IntentRequest
 * context; the call is evaluated with a fixed stand-in context, the same under both policies, and the
 * output says so. A regress fixture keeps the full IntentRequests for exact replay.
 */
export const RUNPACK_CONTEXT = { identity: 'gait.runpack', workspace: '.', risk_class: 'low' } as const;

function runpackCalls(abs: string, shown: string, warnings: string[]): CorpusCall[] {
  const pack = readRunpackSync(runpackOfSource(readArtifactFile(abs, { label: 'runpack', display: shown })));
  const noArgs = pack.intents.some((i) => i.args === undefined);
  warnings.push(
    `${shown}: runpack intents carry no IntentRequest context; evaluated as identity ${RUNPACK_CONTEXT.identity}, workspace ${RUNPACK_CONTEXT.workspace}, risk_class ${RUNPACK_CONTEXT.risk_class}` +
      `${noArgs ? ' and without arguments (reference capture)' : ''}; use a regress fixture for exact replay`,
  );
  return pack.intents.map((i) => {
    const raw: JsonObject = { tool_name: i.toolName, created_at: formatTimestamp(i.createdAt), context: { ...RUNPACK_CONTEXT } };
    if (i.args !== undefined) raw['args'] = i.args;
    return { path: `${shown}#${i.intentId}`, raw };
  });
}

function jsonlCalls(abs: string, shown: string): CorpusCall[] {
  const inputs = parseIntentInputs(readInputFile(abs, { label: 'intents', displayPath: shown, maxBytes: MAX_JSONL_BYTES, allowEmpty: true }), shown);
  return inputs.map((input, i) => ({ path: `${shown}#${input.intentId === '' ? `line_${i + 1}` : input.intentId}`, raw: input.intent }));
}

/** A regress fixture directory: its `intents.jsonl`, else (a Gait v1 fixture) its runpack's records. */
function fixtureCalls(absDir: string, shownDir: string, warnings: string[]): CorpusCall[] {
  const shownFile = `${shownDir}/${FIXTURE_FILE}`;
  const fixture = parseFixture(parseJsonText(readInputFile(join(absDir, FIXTURE_FILE), { label: 'regress fixture', displayPath: shownFile }), { label: 'regress fixture', file: shownFile }), shownFile);
  const intents = join(absDir, fixture.intents);
  if (existsSync(intents)) return jsonlCalls(intents, `${shownDir}/${fixture.intents}`).map((c) => ({ ...c, path: c.path.replace(`/${fixture.intents}#`, '#') }));
  warnings.push(`${shownDir}: no ${fixture.intents}; replaying the runpack's intent records`);
  return runpackCalls(join(absDir, fixture.runpack), `${shownDir}/${fixture.runpack}`, warnings);
}

function configCalls(ctx: CommandContext, source: CorpusSource, warnings: string[]): CorpusCall[] {
  const loaded = loadRegressConfig(source.path, ctx.io.cwd);
  const base = dirname(source.path);
  return loaded.config.fixtures.flatMap((f) => {
    const dir = dirname(f.runpack);
    const shown = base === '.' ? dir : `${base}/${dir}`;
    return fixtureCalls(resolve(loaded.dir, dir), shown, warnings);
  });
}

/**
 * Reads every call of the corpus, in source order.
 * @throws GaitError as the readers: `input_*` (unreadable, bad JSON), `artifact_invalid` (a bad
 *   fixture or config), `artifact_verification_failed` (a runpack that fails its integrity checks, exit 2)
 */
export function loadCorpus(ctx: CommandContext, sources: readonly CorpusSource[]): Corpus {
  const warnings: string[] = [];
  const calls = sources.flatMap((source): CorpusCall[] => {
    const abs = resolve(ctx.io.cwd, source.path);
    switch (source.kind) {
      case 'intent':
        return [{ path: source.path, raw: readIntentJson(ctx, source.path) }];
      case 'intents_jsonl':
        return jsonlCalls(abs, source.path);
      case 'runpack':
        return runpackCalls(abs, source.path, warnings);
      case 'regress_fixture':
        return fixtureCalls(abs, source.path, warnings);
      case 'regress_config':
        return configCalls(ctx, source, warnings);
      default: {
        const never: never = source.kind;
        return never;
      }
    }
  });
  // The same call reached twice (a fixture directory and the gait.yaml naming it) counts once.
  const byPath = new Map<string, CorpusCall>();
  for (const call of calls) if (!byPath.has(call.path)) byPath.set(call.path, call);
  return { calls: [...byPath.values()], warnings };
}
