import type { Configuration } from 'oidc-provider';
import type { Config } from '../../config/config.js';
import { epochSeconds, type Clock } from '../domain/shared/clock.js';

type Ttl = NonNullable<Configuration['ttl']>;

/** What the session lifetime depends on: the session's own login time and whether it is transient. */
export interface SessionFacts {
  loginTs?: number | undefined;
  transient?: boolean | undefined;
}

export interface SessionLimits {
  /** Everyone: absolute lifetime after the login. */
  sessionSeconds: number;
  /** Transient sessions (users holding a role that requires a second factor): idle and absolute. */
  adminIdleSeconds: number;
  adminMaxSeconds: number;
}

/**
 * oidc-provider saves the session again on every request that uses it, with this many seconds to live. So
 * the answer is the idle limit for administrators (a session unused that long is gone), capped by what is
 * left of the absolute limit since the login; never more, however often the session is used.
 */
export function sessionSecondsLeft(session: SessionFacts, now: number, limits: SessionLimits): number {
  if (session.loginTs === undefined) return limits.sessionSeconds;
  const absolute = session.transient ? limits.adminMaxSeconds : limits.sessionSeconds;
  const left = session.loginTs + absolute - now;
  const capped = session.transient ? Math.min(limits.adminIdleSeconds, left) : left;
  return Math.max(1, capped);
}

/**
 * Every lifetime the provider hands out. Functions where a number would be wrong:
 * - access tokens for the admin API live as long as its resource server says (10 minutes at most), not
 *   the general ACCESS_TOKEN_TTL_SECONDS;
 * - a rotated refresh token inherits what is left of its predecessor's lifetime, so the absolute limit
 *   holds however often it is refreshed;
 * - sessions follow sessionSecondsLeft.
 */
export function lifetimes(config: Config, clock: Clock): Ttl {
  const accessTokenSeconds = (_ctx: unknown, token: { resourceServer?: { accessTokenTTL?: number } }) =>
    token.resourceServer?.accessTokenTTL ?? config.ttl.accessToken;
  return {
    AccessToken: accessTokenSeconds,
    ClientCredentials: accessTokenSeconds,
    AuthorizationCode: 60,
    IdToken: 3600,
    Interaction: config.ttl.interaction,
    Grant: config.ttl.refreshToken,
    RefreshToken: (ctx) => {
      const rotated = ctx?.oidc?.entities.RotatedRefreshToken;
      return rotated ? Math.max(1, rotated.remainingTTL) : config.ttl.refreshToken;
    },
    Session: (_ctx, session) =>
      sessionSecondsLeft(session, epochSeconds(clock), {
        sessionSeconds: config.ttl.session,
        adminIdleSeconds: config.ttl.adminSessionIdle,
        adminMaxSeconds: config.ttl.adminSessionMax,
      }),
    DeviceCode: 600,
    BackchannelAuthenticationRequest: 600,
    PreAuthorizedCode: 600,
  };
}
