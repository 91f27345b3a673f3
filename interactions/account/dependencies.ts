import type Provider from 'oidc-provider';
import type { Logger } from 'pino';
import type { AccountService } from '../../src/domain/account/account-service.js';
import type { SessionService } from '../../src/domain/account/session-service.js';
import type { SignInHistory } from '../../src/domain/account/sign-in-history.js';
import type { EmailVerificationService } from '../../src/domain/account/email-verification-service.js';
import type { DeviceTrust } from '../../src/domain/auth/device-trust.js';
import type { LoginService } from '../../src/domain/auth/login-service.js';
import type { MfaService } from '../../src/domain/mfa/mfa-service.js';
import type { PasskeyService } from '../../src/domain/passkeys/passkey-service.js';
import type { Clock } from '../../src/domain/shared/clock.js';
import type { PageRenderer } from '../../src/http/page-renderer.js';
import type { FederatedLoginService } from '../../src/domain/upstream/federated-login-service.js';
import type { UserLinkService } from '../../src/domain/upstream/user-link-service.js';
import type { CsrfGuard } from '../csrf.js';
import type { FirstPartyRelyingParty } from '../first-party/relying-party.js';

export interface AccountDependencies {
  provider: Provider;
  login: LoginService;
  mfa: MfaService;
  passkeys: PasskeyService;
  account: AccountService;
  sessions: SessionService;
  signIns: SignInHistory;
  emailVerification: EmailVerificationService;
  federatedLogin: FederatedLoginService;
  userLinks: UserLinkService;
  /** Our issuer: the upstream's answers arrive at `${issuer}/upstream/callback`. */
  issuer: string;
  devices: DeviceTrust;
  pages: PageRenderer;
  csrf: CsrfGuard;
  relyingParty: FirstPartyRelyingParty;
  clock: Clock;
  logger: Logger;
}
