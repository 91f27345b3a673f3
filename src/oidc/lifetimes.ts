import type { Configuration } from 'oidc-provider';
import type { Config } from '../../config/config.js';
import { DEVICE_TRUST_DAYS } from '../domain/auth/device-trust.js';
import type { KeyTimings } from '../domain/keys/key-schedule.js';
import { epochSeconds, type Clock } from '../domain/shared/clock.js';

type Ttl = NonNullable<Configuration['ttl']>;

const ID_TOKEN_SECONDS = 3600;

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
    IdToken: ID_TOKEN_SECONDS,
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

/**
 * How long a rotated key waits and stays (see key-schedule). A replaced signing key stays as long as the
 * longest-lived token it signed (ID tokens, JWT access tokens); a replaced cookie key as long as the
 * longest-lived cookie that matters (the session, and the trusted device), so nobody is signed out or
 * mailed a "new device" notice by a rotation. Each waits one reload interval more for instances that
 * reload late.
 */
export function keyTimings(config: Config): KeyTimings {
  const reload = config.keys.reloadSeconds;
  const signingSeconds = Math.max(ID_TOKEN_SECONDS, config.ttl.accessToken);
  const cookieSeconds = Math.max(
    config.ttl.session,
    config.ttl.adminSessionMax,
    DEVICE_TRUST_DAYS * 24 * 3600,
  );
  return {
    publishMs: (reload + config.keys.jwksMaxAgeSeconds) * 1000,
    retainMs: { signing: (signingSeconds + reload) * 1000, cookie: (cookieSeconds + reload) * 1000 },
  };
}
