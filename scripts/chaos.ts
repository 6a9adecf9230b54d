// `npm run chaos`: tasks through the gateway while services, the broker and Redis are
// killed, restarted and faulted; then every crash-safety invariant is checked and written to
// bench-results/chaos-*.json|md (see libs/chaos). Runs on its own ports: never the shared Kafka or Redis.
import { USAGE, parseArgs, runChaos } from '@baton/chaos';

async function main(): Promise<void> {
  const opts = parseArgs(process.argv.slice(2));
  if (opts.help) {
    console.log(USAGE);
    return;
  }
  const report = await runChaos(opts);
  console.log(`\ninvariants (each must be 0): ${JSON.stringify(report.counts)}`);
  console.log(`written ${report.files?.markdown} (and .json, chaos-latest.*)`);
  process.exitCode = Object.values(report.counts).every((n) => n === 0) ? 0 : 2;
}

main().catch((err: unknown) => {
  // A bad flag is the user's error: say which, not where in the code.
  if (err instanceof RangeError) {
    console.error(`chaos: ${err.message} (npm run chaos -- --help lists the flags)`);
    process.exit(2);
  }
  console.error(`chaos failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
  process.exit(1);
});
