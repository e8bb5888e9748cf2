/**
 * `npm run bench`: the five benchmark figures, each a ratio to a baseline measured in the same
 * run (never a timed assertion). Prints a summary line per figure, the operations table and the
 * target checks; with `--json`, prints one JSON object instead (progress goes to stderr).
 *
 *   node --import tsx bench/run.ts [--json] [--rounds 5] [--time 400] [--runs 20] [--warmups 2]
 *                                  [--only evaluate,signed,verify,process,approval,mcp,runpack,serve,regress]
 *                                  [--serve-seconds 30] (or GAIT_BENCH_SERVE_SECONDS) [--serve-rate 1000]
 */
import { cpus, totalmem } from 'node:os';
import { parseArgs } from 'node:util';
import { approvalFigure } from './approval.js';
import { cedarVersion } from './cedar.js';
import type { MeasureOptions } from './measure.js';
import { mcpFigure } from './mcp.js';
import { evaluateFigure, signedDecisionFigure, traceVerifyFigure } from './micro.js';
import { processFigure } from './process.js';
import { regressFigure } from './regress.js';
import { runpackFigure } from './runpack.js';
import { serveFigure } from './serve.js';
import { formatChecks, formatTable } from './report.js';
import type { FigureResult } from './report.js';
import { buildWorkload } from './workloads.js';

const FIGURES = ['evaluate', 'signed', 'verify', 'process', 'approval', 'mcp', 'serve', 'runpack', 'regress'] as const;
type FigureName = (typeof FIGURES)[number];

interface Settings {
  readonly json: boolean;
  readonly measure: MeasureOptions;
  readonly runs: number;
  readonly warmups: number;
  readonly only: ReadonlySet<FigureName>;
  readonly serveSeconds: number;
  readonly serveRate: number;
}

function positiveInt(text: string, flag: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1) throw new Error(`invalid --${flag} \`${text}\`: expected a positive integer`);
  return n;
}

function parseOnly(text: string): Set<FigureName> {
  const names = text.split(',').map((s) => s.trim()).filter((s) => s !== '');
  for (const n of names) {
    if (!(FIGURES as readonly string[]).includes(n)) throw new Error(`invalid --only \`${n}\`: expected ${FIGURES.join(', ')}`);
  }
  return new Set(names as FigureName[]);
}

function parseSettings(argv: string[]): Settings {
  const { values } = parseArgs({
    args: argv,
    options: {
      json: { type: 'boolean', default: false },
      rounds: { type: 'string', default: '5' },
      time: { type: 'string', default: '400' },
      runs: { type: 'string', default: '20' },
      warmups: { type: 'string', default: '2' },
      only: { type: 'string', default: FIGURES.join(',') },
      'serve-seconds': { type: 'string', default: process.env['GAIT_BENCH_SERVE_SECONDS'] ?? '30' },
      'serve-rate': { type: 'string', default: '1000' },
    },
    strict: true,
  });
  const timeMs = positiveInt(values.time, 'time');
  const progress = (line: string): void => {
    process.stderr.write(`bench: ${line}\n`);
  };
  return {
    json: values.json,
    measure: { rounds: positiveInt(values.rounds, 'rounds'), timeMs, warmupMs: Math.max(50, Math.round(timeMs / 4)), progress },
    runs: positiveInt(values.runs, 'runs'),
    warmups: Number(values.warmups) >= 0 ? Math.trunc(Number(values.warmups)) : 2,
    only: parseOnly(values.only),
    serveSeconds: positiveInt(values['serve-seconds'], 'serve-seconds'),
    serveRate: positiveInt(values['serve-rate'], 'serve-rate'),
  };
}

function environment(settings: Settings): Record<string, unknown> {
  const cpu = cpus();
  return {
    date: new Date().toISOString(),
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
    cpu: cpu[0]?.model ?? 'unknown',
    cores: cpu.length,
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    cedar: cedarVersion(),
    rounds: settings.measure.rounds,
    timePerTaskMs: settings.measure.timeMs,
    processRuns: settings.runs,
    processWarmups: settings.warmups,
  };
}

function runFigures(settings: Settings): FigureResult[] {
  const workload = buildWorkload();
  const figures: FigureResult[] = [];
  if (settings.only.has('evaluate')) figures.push(evaluateFigure(workload, settings.measure));
  if (settings.only.has('signed')) figures.push(signedDecisionFigure(workload, settings.measure));
  if (settings.only.has('verify')) figures.push(traceVerifyFigure(workload, settings.measure));
  if (settings.only.has('process')) {
    figures.push(processFigure({ runs: settings.runs, warmups: settings.warmups, progress: settings.measure.progress }));
  }
  if (settings.only.has('approval')) figures.push(approvalFigure(workload, settings.measure));
  if (settings.only.has('mcp')) figures.push(mcpFigure(settings.measure));
  if (settings.only.has('runpack')) figures.push(runpackFigure(settings.measure));
  if (settings.only.has('regress')) figures.push(regressFigure(settings.measure));
  return figures;
}

function printText(env: Record<string, unknown>, figures: readonly FigureResult[], elapsedS: number): void {
  console.log(`gait benchmarks — ${String(env['date'])}`);
  console.log(`node ${String(env['node'])} on ${String(env['platform'])}, ${String(env['cores'])} × ${String(env['cpu'])}, cedar-wasm ${String(env['cedar'])}`);
  console.log(`in-process: median of ${String(env['rounds'])} rounds × ${String(env['timePerTaskMs'])} ms per operation (tinybench, hrtime, timer overhead subtracted)`);
  console.log(`process: ${String(env['processRuns'])} interleaved runs after ${String(env['processWarmups'])} warm-ups`);
  console.log('');
  figures.forEach((f, i) => {
    // the figure's own number (its table rows carry it), so that `--only` keeps the numbering
    console.log(`${f.rows[0]?.figure ?? String(i + 1)}. ${f.title}`);
    console.log(`   ${f.summary}`);
  });
  console.log('');
  for (const line of formatTable(figures)) console.log(line);
  console.log('');
  console.log('targets (ratios measured in this run; informational, never a test):');
  for (const line of formatChecks(figures)) console.log(line);
  console.log('');
  console.log(`total ${elapsedS.toFixed(1)} s`);
}

async function main(): Promise<void> {
  const settings = parseSettings(process.argv.slice(2));
  const started = performance.now();
  const env = environment(settings);
  const figures = runFigures(settings);
  if (settings.only.has('serve')) {
    const { serveSeconds: seconds, serveRate: rate } = settings;
    figures.push(await serveFigure({ seconds, rate, connections: 50, warmupSeconds: Math.min(10, seconds), progress: settings.measure.progress }));
  }
  const elapsedS = (performance.now() - started) / 1000;
  if (settings.json) {
    const checks = figures.flatMap((f) => f.checks.map((c) => ({ figure: f.id, ...c })));
    console.log(JSON.stringify({ environment: env, elapsedSeconds: elapsedS, figures, checks }, null, 2));
  } else {
    printText(env, figures, elapsedS);
  }
}

await main();
