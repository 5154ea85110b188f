import pino, { type Logger } from 'pino';

let root: Logger = pino({ level: 'silent' });

/**
 * The process's log for code Nest does not construct (leases, the PostgreSQL pool, pollers):
 * one process has one log stream, so createApp points this at the server's logger instead of
 * threading a logger through every helper. Silent until then (unit tests, the CLI's parsing).
 */
export function useRuntimeLogger(logger: Logger): void {
  root = logger;
}

/** A logger for one part of the runtime (`component` names it in every line). */
export function runtimeLog(component: string): Pick<Logger, 'info' | 'warn' | 'error' | 'debug'> {
  const child = () => root.child({ component });
  return {
    info: (...args: Parameters<Logger['info']>) => child().info(...args),
    warn: (...args: Parameters<Logger['warn']>) => child().warn(...args),
    error: (...args: Parameters<Logger['error']>) => child().error(...args),
    debug: (...args: Parameters<Logger['debug']>) => child().debug(...args),
  } as Pick<Logger, 'info' | 'warn' | 'error' | 'debug'>;
}
