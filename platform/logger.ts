import { pino, type Logger } from 'pino';
import type { Config } from './config';

export type { Logger };

/**
 * The process's logger: JSON lines for machines, or (at a terminal, or when LOG_FORMAT=pretty) one
 * readable line per entry through pino-pretty.
 */
export function createLogger(config: Pick<Config, 'logLevel'> & Partial<Pick<Config, 'logFormat'>>, name = 'mlg'): Logger {
  const format = config.logFormat ?? 'json';
  const pretty = format === 'pretty' || (format === 'auto' && process.stdout.isTTY);
  if (!pretty) return pino({ name, level: config.logLevel });
  return pino({
    name,
    level: config.logLevel,
    transport: { target: 'pino-pretty', options: { colorize: true, translateTime: 'SYS:HH:MM:ss', ignore: 'pid,hostname,name' } },
  });
}
