import type { Logger } from './logger';

/**
 * The last line of defence, not a place to swallow errors: an unhandled rejection or exception is a
 * bug at its source (every client handles its own outages), and after one the process's state is
 * unknown. So it is logged loudly, with the error, and the process exits non-zero for its supervisor
 * to restart it; work in flight is safe, because nothing is acknowledged before it is done.
 */
export function exitOnUnexpected(logger: Logger): void {
  const die = (kind: string) => (error: unknown) => {
    logger.fatal({ err: error, kind }, 'unexpected error: the process state is unknown, exiting');
    process.exit(70);
  };
  process.on('unhandledRejection', die('unhandledRejection'));
  process.on('uncaughtException', die('uncaughtException'));
}
