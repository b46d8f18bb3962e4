/**
 * pino for the long-running processes (worker), on stderr so stdout stays for command output.
 * Credentials never reach a log line.
 */
import pino, { type Logger } from 'pino';

export const REDACTED_PATHS = ['password', 'pass', 'token', 'nkey', 'apiKey', 'credentials', '*.password', '*.pass', '*.token', '*.nkey', '*.apiKey', '*.credentials'];

export function createLogger(name: string): Logger {
  return pino({ name, level: process.env.SWEEP_LOG_LEVEL ?? 'info', redact: { paths: REDACTED_PATHS, censor: '[redacted]' } }, pino.destination(2));
}
