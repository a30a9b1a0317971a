/**
 * `npm run enrich`: runs an enrichment sweep now (through the schedule, so never two at once),
 * waits for it and prints its counts.
 */
import { ConfigError, loadConfig } from '../platform/config';
import { connectTemporal } from '../temporal/connection';
import { runSweepAndWait } from '../temporal/enrichment-schedule';

async function main(): Promise<void> {
  const config = loadConfig();
  const temporal = connectTemporal(config);
  try {
    console.log(`sweeping; watch it in ${config.temporal.uiUrl}/namespaces/${config.temporal.namespace}/workflows`);
    console.log(JSON.stringify(await runSweepAndWait(temporal.client, config)));
  } finally {
    await temporal.connection.close();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
});
