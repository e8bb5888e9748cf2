/**
 * `gait/http` (package.json `exports`; `createDecisionService` is also re-exported from `gait/node`):
 * the decision service of `gait mcp serve` as a fetch-style handler, and the socket binding.
 */
export { createDecisionService, DEFAULT_MAX_CONCURRENT, DEFAULT_MAX_REQUEST_BYTES } from './app.js';
export type { DecisionService, DecisionServiceOptions, HealthReport, ServiceLogEvent } from './app.js';
export { isLoopbackListen, parseListen, startServer, DEFAULT_TIMEOUTS } from './serve.js';
export type { ListenAddress, RunningServer, ServeOptions, ServerTimeouts } from './serve.js';
