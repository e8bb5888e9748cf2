/** A synchronous sleep for retry loops in the synchronous gate pipeline (blocks the thread, no busy loop). */
const cell = new Int32Array(new SharedArrayBuffer(4));

export function sleepSync(ms: number): void {
  Atomics.wait(cell, 0, 0, ms);
}
