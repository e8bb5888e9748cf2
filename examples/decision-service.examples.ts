/**
 * Type-checked examples of the decision service (`docs/contracts/decision-service.md`);
 * `test/unit/transports/http/examples.test.ts` runs them. Import from `gait/node` in your own code.
 */
import { generateKeyPair } from '../src/index.js';
import { createDecisionService } from '../src/node.js';
import type { DecisionService } from '../src/node.js';
import { startServer } from '../src/transports/http/index.js';

/** In-process: one decision through the fetch handler, as a test or an edge runtime would call it. */
export async function decideOverHttpHandler(policyPath: string, traceDir: string): Promise<{ status: number; verdict: unknown }> {
  const service: DecisionService = createDecisionService({ policyPath, signingKey: generateKeyPair(), traceDir, watchPolicy: false });
  try {
    const res = await service.fetch(
      new Request('http://127.0.0.1/v1/evaluate', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ adapter: 'anthropic', call: { type: 'tool_use', name: 'fs.read_file', input: { path: '/srv/app/README.md' } } }),
      }),
    );
    const body = (await res.json()) as Record<string, unknown>;
    return { status: res.status, verdict: body['verdict'] };
  } finally {
    await service.close();
  }
}

/** On a loopback socket (what `gait mcp serve` does), stopped gracefully. */
export async function serveOnLoopback(policyPath: string, traceDir: string): Promise<number> {
  const service = createDecisionService({ policyPath, signingKey: generateKeyPair(), traceDir });
  const server = await startServer(service, { listen: { host: '127.0.0.1', port: 0 } });
  try {
    return (await fetch(`${server.url}/healthz`)).status;
  } finally {
    await server.stop();
  }
}
