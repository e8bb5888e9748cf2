/**
 * Type-checked examples of the tool-call and export API (docs/contracts/tool-calls.md, exports.md).
 * `test/unit/api/exporters-examples.test.ts` runs them. Import from `gait` and `gait/node` in your code.
 */
import { buildDecisionEvent, decodeToolCall, evaluate, gateEval, generateKeyPair, loadPolicy } from '../src/index.js';
import type { Decision, DecisionExporter, ExportWarning } from '../src/index.js';
import { createJsonlExporter, createOtlpExporter, resolveOtlpConfig } from '../src/node.js';

/** Decide an OpenAI function call: adapter → IntentRequest → evaluate. */
export function decideOpenAiCall(policyYaml: string, toolCall: unknown): Decision {
  const intent = decodeToolCall('openai', toolCall, { context: { identity: 'agent.builder', workspace: '/srv/app', riskClass: 'medium' } });
  return evaluate(loadPolicy(policyYaml), intent);
}

/** Sign the decision of a Claude Code hook call and append its §6.1 event to a JSONL file. */
export async function signAndExport(policyYaml: string, hookPayload: unknown, eventsPath: string, otlpEndpoint?: string): Promise<{ verdict: string; warnings: ExportWarning[] }> {
  const warnings: ExportWarning[] = [];
  const signingKey = generateKeyPair();
  const result = gateEval(loadPolicy(policyYaml), decodeToolCall('claude_code', hookPayload), { signingKey });
  const event = buildDecisionEvent({ trace: result.trace, runId: `run_${result.traceId}`, producerVersion: 'my-agent/1.0', verdict: result.verdict, reasonCodes: result.reasonCodes });
  const exporters: DecisionExporter[] = [createJsonlExporter({ path: eventsPath, format: 'log', onWarning: (w) => warnings.push(w) })];
  const otlp = resolveOtlpConfig({ endpoint: otlpEndpoint ?? '' }, {});
  if (otlp !== undefined) exporters.push(createOtlpExporter({ config: otlp, serviceVersion: 'my-agent/1.0', onWarning: (w) => warnings.push(w) }));
  for (const exporter of exporters) exporter.export(event); // never throws, never blocks
  await Promise.all(exporters.map((e) => e.close()));
  return { verdict: result.verdict, warnings };
}
