/**
 * The API alone, in a process of its own, as a deployment runs it beside its workers: for benchmarks
 * whose own process holds a large fixture (a garbage-collected heap the service would never have).
 * Reads its configuration from the environment, listens on a free loopback port, prints
 * `{"port": N}` on stdout when it is ready, and stops on SIGTERM.
 */
import { createApp } from '../../api/app';
import { listen } from '../../api/server';
import { loadConfig } from '../../platform/config';
import { createLogger } from '../../platform/logger';
import { openServices } from '../../platform/services';

const config = loadConfig();
const logger = createLogger(config);
const services = await openServices(config, logger);
const http = await listen(createApp({ services, logger }), '127.0.0.1', 0);
process.stdout.write(`${JSON.stringify({ port: http.port })}\n`);
process.once('SIGTERM', () => {
  void http
    .close()
    .then(() => services.close())
    .then(() => process.exit(0));
});
