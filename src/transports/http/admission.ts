/**
 * Admission of evaluate requests: the concurrency cap (`--max-concurrent`, 503 `server busy`) and
 * the drain state of a graceful stop (503 `server shutting down`, then wait for in-flight requests).
 */
export class Admission {
  private running = 0;
  private draining = false;
  private readonly idle: (() => void)[] = [];

  constructor(private readonly maxConcurrent: number) {}

  /** Requests being evaluated now. */
  get inFlight(): number {
    return this.running;
  }

  /** Why a new request is refused (`busy`, `draining`), or undefined when it is admitted (and counted). */
  enter(): 'busy' | 'draining' | undefined {
    if (this.draining) return 'draining';
    if (this.running >= this.maxConcurrent) return 'busy';
    this.running += 1;
    return undefined;
  }

  /** Marks an admitted request as finished. */
  leave(): void {
    this.running -= 1;
    if (this.running === 0) for (const wake of this.idle.splice(0)) wake();
  }

  /** Refuses new requests from now on; resolves true once none is in flight, false at the deadline. */
  drain(timeoutMs: number): Promise<boolean> {
    this.draining = true;
    if (this.running === 0) return Promise.resolve(true);
    return new Promise<boolean>((resolveDrain) => {
      const timer = setTimeout(() => resolveDrain(false), timeoutMs);
      this.idle.push(() => {
        clearTimeout(timer);
        resolveDrain(true);
      });
    });
  }
}
