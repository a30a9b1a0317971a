import { pino, type Logger } from 'pino';
import type { Config } from './config';

export type { Logger };

export function createLogger(config: Pick<Config, 'logLevel'>, name = 'mlg'): Logger {
  return pino({ name, level: config.logLevel });
}
