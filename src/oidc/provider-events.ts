import type Provider from 'oidc-provider';
import type { Logger } from 'pino';

interface ProviderErrorLike {
  error?: string;
  error_detail?: string;
  message?: string;
}

type ErrorListener = (ctx: unknown, error: ProviderErrorLike) => void;

const FAILURE_EVENTS = [
  'grant.error',
  'authorization.error',
  'introspection.error',
  'revocation.error',
  'userinfo.error',
  'end_session.error',
  'discovery.error',
  'jwks.error',
  'registration_create.error',
  'registration_read.error',
  'registration_update.error',
  'registration_delete.error',
] as const;

/** oidc-provider reports failures as events; the cause of an invalid_grant is only in `error_detail`. */
export function logProviderEvents(provider: Provider, logger: Logger): void {
  // The typings list only some event names; every one used here is documented in oidc-provider's events.md.
  const on = provider.on.bind(provider) as (event: string, listener: ErrorListener) => void;
  for (const event of FAILURE_EVENTS) {
    on(event, (_ctx, error) =>
      logger.warn({ event, error: error.error, detail: error.error_detail ?? error.message }),
    );
  }
  on('server_error', (_ctx, error) => logger.error({ err: error }, 'oidc-provider server error'));
}
