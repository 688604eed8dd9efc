import { Option } from 'commander';
import pino, { type Logger } from 'pino';

export const LOG_LEVEL_ENV = 'NNFLEET_LOG_LEVEL';
const LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

/** `--log-level`, defaulting to $NNFLEET_LOG_LEVEL, then info. */
export function logLevelOption(): Option {
  return new Option('--log-level <level>', 'log level').choices(LEVELS).env(LOG_LEVEL_ENV).default('info');
}

/**
 * Logs go to stderr, synchronously: stdout carries the lines other programs
 * parse (`ready hdfs://…`, `namenode listening …`), and the last lines before
 * an exit must not be lost in a buffer.
 */
export function createLogger(name: string, level: string): Logger {
  return pino({ name, level }, pino.destination({ fd: 2, sync: true }));
}
