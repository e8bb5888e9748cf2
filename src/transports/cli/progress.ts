/**
 * A one-line progress indicator on stderr for long work (regress over many fixtures, simulate over a
 * large corpus): `\r`-rewritten, throttled, and cleared when done. Silent under `--json` or when
 * stderr is not a terminal, so pipes, CI logs and JSON consumers never see it.
 */
import type { Clock } from '../../runtime/clock.js';
import type { CliIo } from './io.js';

export interface Progress {
  /** Reports `done` of `total` items; `label` names the current one. */
  readonly update: (done: number, total: number, label?: string) => void;
  /** Clears the line. Safe to call more than once. */
  readonly finish: () => void;
}

export interface ProgressOptions {
  /** `--json` was given */
  readonly json: boolean;
  /** what is being done, e.g. `regress` */
  readonly title: string;
  /** minimum milliseconds between redraws (default 100); the last item always draws */
  readonly intervalMs?: number;
  /** do not draw at all below this many items (default 2) */
  readonly minTotal?: number;
}

const SILENT: Progress = { update: () => undefined, finish: () => undefined };
const CLEAR_LINE = '\r\u001b[2K';
const MAX_LABEL = 48;

function nowMs(clock: Clock): number {
  const t = clock.now();
  return t.seconds * 1000 + t.nanos / 1e6;
}

/** The progress line text: `regress 3/100 fixture-name`. */
export function progressLine(title: string, done: number, total: number, label = ''): string {
  const shown = label.length > MAX_LABEL ? `${label.slice(0, MAX_LABEL - 1)}…` : label;
  return `${title} ${done}/${total}${shown === '' ? '' : ` ${shown}`}`;
}

/**
 * A progress line for `io`, or a silent one under `--json` or a non-TTY stderr.
 * @example const p = createProgress(ctx.io, { json: ctx.json, title: 'regress' }); p.update(1, 10, 'a'); p.finish();
 */
export function createProgress(io: CliIo, options: ProgressOptions): Progress {
  if (options.json || !io.isTty) return SILENT;
  const interval = options.intervalMs ?? 100;
  const minTotal = options.minTotal ?? 2;
  let last = Number.NEGATIVE_INFINITY;
  let drawn = false;
  return {
    update(done, total, label) {
      if (total < minTotal) return;
      const now = nowMs(io.clock);
      if (done < total && now - last < interval) return;
      last = now;
      drawn = true;
      io.stderr(`${CLEAR_LINE}${progressLine(options.title, done, total, label)}`);
    },
    finish() {
      if (!drawn) return;
      drawn = false;
      io.stderr(CLEAR_LINE);
    },
  };
}
