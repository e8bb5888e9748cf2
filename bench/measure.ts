/**
 * In-process timing with tinybench. A figure's operations (ours and its baseline) run in the same
 * rounds, alternating their order from round to round so that warm-up, JIT and thermal drift do
 * not favour one side; per operation we keep the median over rounds of the per-call p50 latency
 * and of the throughput.
 */
import { Bench } from 'tinybench';
import { median } from './stats.js';

export interface MeasureOptions {
  /** rounds per figure (the median over rounds is reported) */
  readonly rounds: number;
  /** tinybench time budget per task and round, ms */
  readonly timeMs: number;
  /** tinybench warm-up budget per task and round, ms */
  readonly warmupMs: number;
  /** progress sink (stderr), so that `--json` output stays one object */
  readonly progress: (line: string) => void;
}

/** One operation's figures: medians over rounds. */
export interface OpStats {
  readonly name: string;
  /** per-call median latency, µs (timer overhead subtracted) */
  readonly p50Us: number;
  /** per-call p99 latency, µs */
  readonly p99Us: number;
  /** per-call mean latency, µs */
  readonly meanUs: number;
  /** calls per second, `1e6 / meanUs` */
  readonly opsPerSec: number;
  /** samples over all rounds */
  readonly samples: number;
  /** worst relative margin of error of a round's mean, % */
  readonly rmePct: number;
}

export type Operation = () => unknown;

/** Keeps results observable (a module-level store the JIT cannot drop) so no measured call is elided. */
let _sink: unknown;

interface RoundFigures {
  p50Us: number;
  p99Us: number;
  meanUs: number;
  samples: number;
  rmePct: number;
}

function runRound(ops: ReadonlyArray<readonly [string, Operation]>, options: MeasureOptions): Map<string, RoundFigures> {
  const bench = new Bench({
    time: options.timeMs,
    warmupTime: options.warmupMs,
    timestampProvider: 'hrtimeNow',
    subtractTimerOverhead: true,
    throws: true,
  });
  for (const [name, op] of ops) {
    bench.add(name, () => {
      _sink = op();
    });
  }
  const out = new Map<string, RoundFigures>();
  for (const task of bench.runSync()) {
    const r = task.result;
    if (r.state !== 'completed') throw new Error(`bench task \`${task.name}\` ended ${r.state}`);
    out.set(task.name, {
      p50Us: r.latency.p50 * 1000,
      p99Us: r.latency.p99 * 1000,
      meanUs: r.latency.mean * 1000,
      samples: r.latency.samplesCount,
      rmePct: r.latency.rme,
    });
  }
  return out;
}

/**
 * Times every operation of one figure over `options.rounds` rounds.
 * @returns per operation name, the medians over rounds
 */
export function measure(label: string, ops: ReadonlyArray<readonly [string, Operation]>, options: MeasureOptions): Map<string, OpStats> {
  const perOp = new Map<string, RoundFigures[]>(ops.map(([name]) => [name, []]));
  for (let round = 0; round < options.rounds; round++) {
    options.progress(`${label}: round ${round + 1}/${options.rounds}`);
    const ordered = round % 2 === 0 ? ops : [...ops].reverse();
    for (const [name, figures] of runRound(ordered, options)) perOp.get(name)!.push(figures);
  }
  const result = new Map<string, OpStats>();
  for (const [name, rounds] of perOp) {
    const meanUs = median(rounds.map((r) => r.meanUs));
    result.set(name, {
      name,
      p50Us: median(rounds.map((r) => r.p50Us)),
      p99Us: median(rounds.map((r) => r.p99Us)),
      meanUs,
      opsPerSec: 1e6 / meanUs,
      samples: rounds.reduce((n, r) => n + r.samples, 0),
      rmePct: Math.max(...rounds.map((r) => r.rmePct)),
    });
  }
  return result;
}
