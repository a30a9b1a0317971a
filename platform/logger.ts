import { pino, type Logger } from 'pino';
import type { Config } from './config';

export type { Logger };

/**
 * The process's logger: JSON lines for machines, or (at a terminal, or when LOG_FORMAT=pretty) one
 * readable line per entry through pino-pretty; appended to LOG_FILE instead of stdout when it is set.
 */
export function createLogger(config: Pick<Config, 'logLevel'> & Partial<Pick<Config, 'logFormat' | 'logFile'>>, name = 'mlg'): Logger {
  // Credentials never reach a log: bearer tokens, cookies and webhook signatures are censored.
  const options = {
    name,
    level: config.logLevel,
    redact: ['req.headers.authorization', 'req.headers.cookie', 'req.headers["x-mlflow-signature"]'],
  };
  if (config.logFile) return pino(options, pino.destination({ dest: config.logFile, append: true, mkdir: true, sync: true }));
  const format = config.logFormat ?? 'json';
  const pretty = format === 'pretty' || (format === 'auto' && process.stdout.isTTY);
  if (!pretty) return pino(options);
  return pino({
    ...options,
    transport: { target: 'pino-pretty', options: { colorize: true, translateTime: 'SYS:HH:MM:ss', ignore: 'pid,hostname,name' } },
  });
}
