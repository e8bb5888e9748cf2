/**
 * Figure 9: `regress run` over 100 fixtures (issue 4 performance; artifacts.md §9 names the whole-CLI
 * `gait regress run --json` budget). Setup, outside every timed loop: 100 runpacks recorded in
 * reference mode (run ids `run_bench_000` …, the three demo intents of artifacts.md §5 each), made into
 * fixtures with `regress init` (intents, demo policy) in a temp directory. Then, in the same rounds:
 *   (a) ours: `runRegress` from gait.yaml — read the config, every fixture.json, intents.jsonl and
 *       runpack from disk, verify and decode each runpack, replay every intent through the policy, run
 *       the graders — and write regress_result.json and JUnit XML;
 *   (b) baseline: the irreducible part of (a): read each runpack file, decode it (`readRunpackSync`),
 *       parse and evaluate its three intents. Ratio (a)/(b) is the cost of grading and reporting.
 * Plus whole processes: `node dist/gait.mjs regress run --json` over 1 fixture (the demo case of §9)
 * and over 100, against `node -e 0`, interleaved; Gait v1's 1-fixture budget is p50 2000 / p95 3000 ms.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { diffForRegress } from '../src/artifacts/regress/from-runpack.js';
import { buildRunpackSync } from '../src/artifacts/runpack/build.js';
import { parseRunpackInput } from '../src/artifacts/runpack/input.js';
import { readRunpackSync } from '../src/artifacts/runpack/read.js';
import { compilePolicy } from '../src/policy/compile.js';
import { evaluate } from '../src/policy/evaluate.js';
import { parsePolicyYaml } from '../src/policy/parse.js';
import { fixedClock } from '../src/runtime/clock.js';
import { parseTimestamp } from '../src/runtime/timestamp.js';
import { normalizeIntent } from '../src/schema/v1/intent.js';
import { initFixture } from '../src/storage/regress/init-fixture.js';
import { runRegress, writeRegressOutputs } from '../src/storage/regress/run-regress.js';
import { measure } from './measure.js';
import type { MeasureOptions, OpStats } from './measure.js';
import { CLI_BIN } from './process.js';
import { check } from './report.js';
import type { FigureResult, Row } from './report.js';
import { mean, median, percentile, sig } from './stats.js';

export const FIXTURES = 100;
const PROCESS_RUNS = 7;
const T = '2026-02-05T00:00:00Z';
const TOOLS = ['tool.search', 'tool.fetch', 'tool.summarize'] as const;
const ARGS = [{ query: 'gait demo: offline verification' }, { url: 'https://example.local/demo' }, { input_ref: 'ref_1' }];
const POLICY = `schema_id: gait.gate.policy
schema_version: 1.0.0
default_verdict: block
rules:
  - name: allow-demo-tools
    priority: 10
    effect: allow
    match:
      tool_names: [tool.fetch, tool.search, tool.summarize]
    reason_codes: [demo_tool_allowed]
`;

function intentRequest(i: number): Record<string, unknown> {
  return { created_at: T, tool_name: TOOLS[i], args: ARGS[i], context: { identity: 'demo.user', workspace: '/tmp/demo', risk_class: 'low' } };
}

function runInput(runId: string): unknown {
  return {
    run: { run_id: runId, created_at: T, producer_version: '0.0.0-bench', env: { os: 'bench', arch: 'bench', runtime: 'go' }, timeline: [{ event: 'start', ts: T }] },
    intents: TOOLS.map((tool, i) => ({ intent_id: `intent_${i + 1}`, tool_name: tool, args: ARGS[i] })),
    results: TOOLS.map((_t, i) => ({ intent_id: `intent_${i + 1}`, status: 'ok', result: { ok: true, message: `demo result ${i + 1}` } })),
    refs: { receipts: [] },
  };
}

/** `count` fixtures under `dir/<name>/` (gait.yaml, fixtures/, policy.yaml). */
function prepare(dir: string, count: number): void {
  writeFileSync(join(dir, 'policy.yaml'), POLICY);
  writeFileSync(join(dir, 'intents.jsonl'), TOOLS.map((_t, i) => `${JSON.stringify(intentRequest(i))}\n`).join(''));
  const clock = fixedClock(parseTimestamp(T));
  for (let n = 0; n < count; n++) {
    const runId = `run_bench_${String(n).padStart(3, '0')}`;
    const built = buildRunpackSync(parseRunpackInput(runInput(runId)), { clock });
    writeFileSync(join(dir, `${runId}.zip`), built.bytes);
    initFixture({ from: `${runId}.zip`, intents: 'intents.jsonl', cwd: dir, configPath: 'gait.yaml', policyPath: 'policy.yaml' });
    rmSync(join(dir, `${runId}.zip`));
  }
}

function regressOnce(dir: string): 'pass' | 'fail' {
  const run = runRegress({ configPath: 'gait.yaml', cwd: dir, producerVersion: '0.0.0-bench', differ: diffForRegress });
  writeRegressOutputs(run, { outputPath: join(dir, 'regress_result.json'), junitPath: join(dir, 'junit.xml') });
  return run.status;
}

/** (b): read, decode and evaluate every recorded intent, nothing else. */
function baselineOnce(dir: string, policy: ReturnType<typeof compilePolicy>): number {
  let allowed = 0;
  for (let n = 0; n < FIXTURES; n++) {
    const fixtureDir = join(dir, 'fixtures', `run_bench_${String(n).padStart(3, '0')}`);
    readRunpackSync(readFileSync(join(fixtureDir, 'runpack.zip')));
    for (const line of readFileSync(join(fixtureDir, 'intents.jsonl'), 'utf8').trimEnd().split('\n')) {
      const wrapped = JSON.parse(line) as { intent: unknown };
      const intent = normalizeIntent(wrapped.intent);
      if (evaluate(policy, intent, { evaluationTime: intent.createdAt }).verdict === 'allow') allowed++;
    }
  }
  return allowed;
}

interface ProcessRuns {
  readonly name: string;
  readonly times: number[];
}

function spawnTimed(args: readonly string[], cwd: string, expectJson: boolean): number {
  const env = { ...process.env };
  delete env['NODE_OPTIONS'];
  const started = performance.now();
  const r = spawnSync(process.execPath, args, { cwd, env, encoding: 'utf8' });
  const elapsed = performance.now() - started;
  if (r.status !== 0) throw new Error(`${args.join(' ')} exited ${String(r.status)}: ${r.stderr}${r.stdout}`);
  if (expectJson && (JSON.parse(r.stdout) as { status?: unknown }).status !== 'pass') throw new Error(`regress run did not pass: ${r.stdout}`);
  return elapsed;
}

function processRuns(one: string, many: string, progress: (line: string) => void): ProcessRuns[] {
  const cmds: [string, readonly string[], string, boolean][] = [
    ['gait regress run --json, 1 fixture (process)', [CLI_BIN, 'regress', 'run', '--json'], one, true],
    [`gait regress run --json, ${FIXTURES} fixtures (process)`, [CLI_BIN, 'regress', 'run', '--json'], many, true],
    ['node -e 0 (process)', ['-e', '0'], one, false],
  ];
  for (const [, args, cwd, json] of cmds) spawnTimed(args, cwd, json); // warm-up
  const runs = cmds.map(([name]) => ({ name, times: [] as number[] }));
  for (let i = 0; i < PROCESS_RUNS; i++) {
    progress(`figure 9 regress: process run ${i + 1}/${PROCESS_RUNS}`);
    cmds.forEach(([, args, cwd, json], k) => runs[k]!.times.push(spawnTimed(args, cwd, json)));
  }
  return runs;
}

function row(s: OpStats, role: Row['role']): Row {
  return { figure: '9', operation: s.name, role, p50: s.p50Us / 1000, mean: s.meanUs / 1000, unit: 'ms', opsPerSec: s.opsPerSec, samples: s.samples };
}

function processRow(r: ProcessRuns, role: Row['role']): Row {
  return { figure: '9', operation: r.name, role, p50: median(r.times), mean: mean(r.times), unit: 'ms', opsPerSec: 1000 / mean(r.times), samples: r.times.length };
}

const OURS = `gait runRegress, ${FIXTURES} fixtures from disk + outputs`;
const BASELINE = `read + decode ${FIXTURES} runpacks + evaluate their ${FIXTURES * 3} intents`;

/** Figure 9: regress over 100 fixtures, in-process and as a process. */
export function regressFigure(options: MeasureOptions): FigureResult {
  const many = mkdtempSync(join(tmpdir(), 'gait-bench-regress-'));
  const one = mkdtempSync(join(tmpdir(), 'gait-bench-regress1-'));
  try {
    options.progress(`figure 9 regress: preparing ${FIXTURES} fixtures`);
    prepare(many, FIXTURES);
    prepare(one, 1);
    const policy = compilePolicy(parsePolicyYaml(POLICY, { file: 'policy.yaml' }));
    if (regressOnce(many) !== 'pass') throw new Error('regress over the bench fixtures did not pass');
    if (baselineOnce(many, policy) !== FIXTURES * 3) throw new Error('baseline: not every intent was allowed');
    const stats = measure('figure 9 regress', [
      [OURS, () => regressOnce(many)],
      [BASELINE, () => baselineOnce(many, policy)],
    ], options);
    const o = stats.get(OURS)!;
    const b = stats.get(BASELINE)!;
    const proc = processRuns(one, many, options.progress);
    const [p1, p100, noop] = proc as [ProcessRuns, ProcessRuns, ProcessRuns];
    const ratio = check('runRegress ÷ (read + decode + evaluate) p50', o.p50Us / b.p50Us, '×');
    const perFixture = check('runRegress per fixture p50', o.p50Us / FIXTURES, 'µs');
    const cli1 = check('gait regress run, 1 fixture, process p50 (Gait v1 budget 2000 ms)', median(p1.times), 'ms', { max: 2000 });
    const cli1p95 = check('gait regress run, 1 fixture, process p95 (Gait v1 budget 3000 ms)', percentile(p1.times, 95), 'ms', { max: 3000 });
    const cli100 = check(`gait regress run, ${FIXTURES} fixtures, process p50`, median(p100.times), 'ms');
    const overNode = check(`gait regress run, ${FIXTURES} fixtures ÷ node -e 0, process p50`, median(p100.times) / median(noop.times), '×');
    return {
      id: 'regress_100',
      title: `regress run over ${FIXTURES} fixtures (in-process and process)`,
      summary:
        `runRegress ${sig(o.p50Us / 1000)} ms p50 (${sig(o.p50Us / FIXTURES)} µs/fixture) = ${sig(ratio.value)}× the bare read+decode+evaluate ${sig(b.p50Us / 1000)} ms; ` +
        `process: 1 fixture ${sig(median(p1.times))} ms p50 / ${sig(percentile(p1.times, 95))} ms p95 (Gait v1 budget 2000/3000) ${cli1.verdict}, ` +
        `${FIXTURES} fixtures ${sig(median(p100.times))} ms p50, node -e 0 ${sig(median(noop.times))} ms`,
      checks: [ratio, perFixture, cli1, cli1p95, cli100, overNode],
      rows: [row(o, 'ours'), row(b, 'baseline'), processRow(p1, 'ours'), processRow(p100, 'ours'), processRow(noop, 'baseline')],
      details: {
        fixtures: FIXTURES,
        intentsPerFixture: 3,
        ours: o,
        baseline: b,
        process: proc.map((r) => ({ name: r.name, medianMs: median(r.times), p95Ms: percentile(r.times, 95), meanMs: mean(r.times), runs: r.times.length })),
      },
    };
  } finally {
    rmSync(many, { recursive: true, force: true });
    rmSync(one, { recursive: true, force: true });
  }
}
