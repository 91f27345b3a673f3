import pino, { type Logger } from 'pino';

/** Everything that could carry a secret is removed from log lines, wherever it appears. */
export const REDACTED_PATHS = [
  'password',
  'newPassword',
  'currentPassword',
  'code',
  'token',
  'secret',
  'clientSecret',
  'client_secret',
  'access_token',
  'refresh_token',
  'id_token',
  'authorization',
  'cookie',
  '*.password',
  '*.newPassword',
  '*.code',
  '*.token',
  '*.secret',
  '*.clientSecret',
  '*.client_secret',
  '*.access_token',
  '*.refresh_token',
  '*.id_token',
  '*.authorization',
  '*.cookie',
  'req.headers.authorization',
  'req.headers.cookie',
  'res.headers["set-cookie"]',
];

export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service: 'usp-idp' },
      redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    destination,
  );
}
