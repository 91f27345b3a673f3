import type Provider from 'oidc-provider';
import type { Logger } from 'pino';
import type { DeviceTrust } from '../src/domain/auth/device-trust.js';
import type { LoginService } from '../src/domain/auth/login-service.js';
import type { MfaService } from '../src/domain/mfa/mfa-service.js';
import type { PasskeyService } from '../src/domain/passkeys/passkey-service.js';
import type { FederatedLoginService } from '../src/domain/upstream/federated-login-service.js';
import type { PasswordResetService } from '../src/domain/password-reset/password-reset-service.js';
import type { RoleCatalogue } from '../src/domain/roles/role-catalogue.js';
import type { PageRenderer } from '../src/http/page-renderer.js';
import type { Clock } from '../src/domain/shared/clock.js';
import type { CsrfGuard } from './csrf.js';

export interface InteractionDependencies {
  provider: Provider;
  login: LoginService;
  mfa: MfaService;
  passkeys: PasskeyService;
  devices: DeviceTrust;
  roleCatalogue: RoleCatalogue;
  passwordReset: PasswordResetService;
  federatedLogin: FederatedLoginService;
  /** Our issuer: the upstream's answers arrive at `${issuer}/upstream/callback`. */
  issuer: string;
  pages: PageRenderer;
  csrf: CsrfGuard;
  clock: Clock;
  logger: Logger;
}
