import pino from 'pino';

export type Logger = pino.Logger;

/** Structured JSON logs on stdout; every request gets a child logger carrying its request id. */
export function createLogger(level: pino.LevelWithSilent): Logger {
  return pino({ level, base: { service: 'tally' }, timestamp: pino.stdTimeFunctions.isoTime });
}
