// `npm start`: provisions Kafka and Redis, starts the model simulator and every service,
// runs the sample tasks, prints their results, and keeps serving until Ctrl-C.
import { GatewayClient, Stack } from '@baton/stack';
import { StateStore } from '@baton/state';
import { DEFAULT_TRACE_PROJECT } from '@baton/telemetry';
import { seedDemoFixtures } from '@baton/agent-tools';
import { infraDown, infraUp } from './infra';
import { SAMPLE_TASKS } from './samples';

const usd = (micros: number) => `$${(micros / 1e6).toFixed(6)}`;

async function main(): Promise<void> {
  const once = process.argv.includes('--once');
  console.log('Baton: starting local infrastructure (Kafka, Redis, the Phoenix trace viewer)…');
  const infra = infraUp();
  // Every service exports its spans to the trace viewer, unless an OTLP endpoint is configured already.
  const traceUrl = infra.env.BATON_TRACE_URL;
  const otlpConfigured = Boolean(process.env.OTEL_EXPORTER_OTLP_ENDPOINT || process.env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT);
  if (traceUrl && !otlpConfigured) infra.env.OTEL_EXPORTER_OTLP_ENDPOINT = traceUrl;
  // The sample tools' records (CRM accounts, leads, payments, knowledge base) for the demo tenants.
  const state = await StateStore.connect(infra.env.REDIS_URL ?? process.env.REDIS_URL ?? 'redis://127.0.0.1:6399', { name: 'baton-start' });
  await seedDemoFixtures(state.tools);
  await state.close();
  console.log('Baton: starting the model simulator and the services…');
  // BATON_SHADOW_ROUTING_CONFIG also starts a shadow pipeline running that candidate policy beside live.
  const shadowRouting = process.env.BATON_SHADOW_ROUTING_CONFIG;
  const shadowWorkflows = process.env.BATON_SHADOW_WORKFLOWS_DIR;
  const stack = await Stack.start({
    env: infra.env,
    ...(shadowRouting ? { shadow: { routingConfig: shadowRouting, ...(shadowWorkflows ? { workflowsDir: shadowWorkflows } : {}) } } : {}),
  });
  if (!stack.modelsOnSimulator) console.log('  models: the provider configured by OPENAI_BASE_URL / OPENAI_API_KEY');
  for (const s of stack.services) console.log(`  ${s.name.padEnd(18)} http://127.0.0.1:${s.port}  (pid ${s.pid})`);
  console.log(`  logs in ${stack.logDir}`);
  if (traceUrl && !otlpConfigured) console.log(`  traces in Phoenix: ${traceUrl}  (project "${process.env.BATON_TRACE_PROJECT ?? DEFAULT_TRACE_PROJECT}"; in a shell: npx baton trace <taskId>)`);
  console.log('');
  if (stack.shadowNamespace) console.log(`  shadow pipeline on: compare at ${stack.gatewayUrl}/v1/shadow/report\n`);

  let stopping = false;
  const stop = async (code: number) => {
    if (stopping) return;
    stopping = true;
    console.log('\nBaton: stopping…');
    await stack.stop();
    if (infra.started) infraDown();
    process.exit(code);
  };
  process.on('SIGINT', () => void stop(0));
  process.on('SIGTERM', () => void stop(0));

  const client = new GatewayClient(stack.gatewayUrl, process.env.BATON_API_KEY ?? 'dev-key-acme');
  let failures = 0;
  for (const sample of SAMPLE_TASKS) {
    const { taskId } = await client.submit(sample.body);
    const t = await client.waitForEnd(taskId);
    if (t.status !== 'completed') failures += 1;
    console.log(`■ ${sample.title}`);
    console.log(`  task ${t.taskId}: ${t.status} after ${t.attempts} attempt(s) by ${t.role ?? '?'} on ${t.model ?? '?'}`);
    console.log(`  cost ${usd(t.costMicros)}   trace ${t.traceId}   (npx baton trace ${t.taskId})`);
    const shown = t.status === 'completed' ? t.result : t.error;
    console.log(`  ${JSON.stringify(shown, null, 2).replace(/\n/g, '\n  ')}\n`);
  }
  if (once) return stop(failures ? 1 : 0);
  console.log(`Baton is running. Gateway: ${stack.gatewayUrl}  (API key dev-key-acme)`);
  console.log(`Try:  npx baton submit --type lead.qualify --text "Spoke with Sam at Acme, 30 seats, budget approved, wants to start in May"`);
  console.log('      npx baton audit <taskId>     npx baton spend     (docs/governance.md)');
  if (traceUrl && !otlpConfigured) console.log(`      npx baton trace <taskId>     or open ${traceUrl}     (docs/operations.md)`);
  console.log('Ctrl-C stops everything that was started.');
}

main().catch((err: unknown) => {
  console.error(`Baton failed to start: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
