import type Provider from 'oidc-provider';
import type { Logger } from 'pino';
import type { LoginService } from '../../src/domain/auth/login-service.js';
import type { MfaService } from '../../src/domain/mfa/mfa-service.js';
import type { Clock } from '../../src/domain/shared/clock.js';
import type { PageRenderer } from '../../src/http/page-renderer.js';
import type { Messages } from '../../src/i18n/catalogue.js';
import type { FirstPartyRelyingParty } from './relying-party.js';

/**
 * A page area of ours that signs people in as a first-party client of our own provider: the account page
 * (`/account`, client `account`) and the admin console (`/admin`, client `admin`). Both share one login,
 * callback and session reading; only this description differs.
 */
export interface FirstPartyArea {
  clientId: string;
  /** The area's path: its login is `${basePath}/login`, its callback `${basePath}/callback`. */
  basePath: string;
  /** The signed cookie that carries PKCE verifier, state and nonce to the callback. */
  pendingCookie: string;
  /** Where the login may return to: a page of the area, nothing else. */
  returnPattern: RegExp;
  /** The area's name, for the "Back to …" link of an error page. */
  title(t: Messages): string;
}

/** What the shared login and session code needs. */
export interface FirstPartyDependencies {
  provider: Provider;
  login: LoginService;
  mfa: MfaService;
  pages: PageRenderer;
  relyingParty: FirstPartyRelyingParty;
  clock: Clock;
  logger: Logger;
}

/** A path of the area the login may return to, or the area's home. */
export function areaReturnPath(area: FirstPartyArea, value: unknown): string {
  return typeof value === 'string' && area.returnPattern.test(value) ? value : area.basePath;
}
