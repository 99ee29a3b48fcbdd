import { pino, type Logger } from 'pino';

export type { Logger };

/** Capability keys and tokens must never reach a log line, whatever object carries them. */
const REDACT = [
  'key', '*.key', 'hostKey', '*.hostKey', 'dealerKey', '*.dealerKey', 'token', '*.token',
  'authorization', '*.authorization', 'headers.authorization', '*.headers.authorization', 'auth', '*.auth',
  // A key's stored form (access/check.ts) and page links, which carry the key in their fragment.
  'secret', '*.secret', 'link', '*.link', 'links', '*.links',
];

export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino({ level, redact: { paths: REDACT, censor: '[redacted]' }, base: { app: 'vitrine' } }, destination);
}
