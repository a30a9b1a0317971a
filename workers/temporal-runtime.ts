import { DefaultLogger, Runtime, type LogLevel } from '@temporalio/worker';
import type { Logger } from '../platform/logger';

const TO_TEMPORAL: Record<string, LogLevel> = {
  trace: 'TRACE',
  debug: 'DEBUG',
  info: 'INFO',
  warn: 'WARN',
  error: 'ERROR',
  fatal: 'ERROR',
  silent: 'ERROR',
};
const TO_PINO = { TRACE: 'trace', DEBUG: 'debug', INFO: 'info', WARN: 'warn', ERROR: 'error' } as const;

const EXPECTED_NOTICES = ['No workflows registered', 'No Nexus services registered'];

let installed = false;

/** Routes the Temporal SDK's own logs into pino at pino's level. The runtime can be installed once per process. */
export function installTemporalRuntime(logger: Logger): void {
  if (installed) return;
  installed = true;
  const temporalLogger = logger.child({ component: 'temporal' });
  const level = TO_TEMPORAL[logger.level] ?? 'INFO';
  Runtime.install({
    // The SDK's native core logs too (TMPRL warnings among them): forwarded here, not printed on its own.
    telemetryOptions: { logging: { filter: { core: level, other: level }, forward: {} } },
    logger: new DefaultLogger(level, (entry) => {
      // Hydration workers poll activities only, by design: their "nothing registered" notices are not warnings.
      const level = EXPECTED_NOTICES.some((notice) => entry.message.startsWith(notice)) ? 'debug' : TO_PINO[entry.level];
      temporalLogger[level](entry.meta ?? {}, entry.message);
    }),
  });
}
