import { simulatorOptionsFromEnv } from './sim-config';
import { startSimulator } from './sim-server';

async function bootstrap(): Promise<void> {
  const sim = await startSimulator(simulatorOptionsFromEnv());
  console.log(`[simulator] OpenAI-compatible API on ${sim.url}`);
  const shutdown = (signal: string) => {
    console.log(`[simulator] ${signal}: closing`);
    sim.close().then(
      () => process.exit(0),
      (err: unknown) => {
        console.error(`[simulator] close failed: ${(err as Error).message}`);
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  process.once('SIGINT', () => shutdown('SIGINT'));
}

bootstrap().catch((err: unknown) => {
  console.error(`[simulator] failed to start: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
