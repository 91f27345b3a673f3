import type { Repositories } from '../db/repositories/index.js';
import { AccessPolicy } from './domain/access/access-policy.js';
import { AccountService } from './domain/account/account-service.js';
import { FederatedLoginService } from './domain/upstream/federated-login-service.js';
import type { UpstreamGateway } from './domain/upstream/upstream-gateway.js';
import { UpstreamService, type UpstreamSettings } from './domain/upstream/upstream-service.js';
import { UserLinkService } from './domain/upstream/user-link-service.js';
import { SessionService } from './domain/account/session-service.js';
import { SignInHistory } from './domain/account/sign-in-history.js';
import {
  EmailVerificationService,
  type EmailVerificationSettings,
} from './domain/account/email-verification-service.js';
import { Authority } from './domain/access/authority.js';
import { CallerService } from './domain/access/caller-service.js';
import { ProofReplay } from './domain/access/proof-replay.js';
import { AuditService } from './domain/audit/audit-service.js';
import { AuditTrail } from './domain/audit/audit-trail.js';
import { DeviceTrust } from './domain/auth/device-trust.js';
import { LoginService, type LoginLimiters } from './domain/auth/login-service.js';
import { ClientService } from './domain/clients/client-service.js';
import { RegisteredClientService } from './domain/clients/registered-client-service.js';
import { RegistrationTokens } from './domain/clients/registration-tokens.js';
import { TenantClients } from './domain/clients/tenant-clients.js';
import { KeyService } from './domain/keys/key-service.js';
import type { KeyTimings } from './domain/keys/key-schedule.js';
import { MfaService } from './domain/mfa/mfa-service.js';
import { PasskeyService } from './domain/passkeys/passkey-service.js';
import type { PasskeySettings } from './domain/passkeys/passkey-settings.js';
import { SecondFactorThrottle } from './domain/mfa/second-factor-throttle.js';
import type { AccountNotifier } from './domain/notifications/account-notifier.js';
import {
  PasswordResetService,
  type PasswordResetSettings,
} from './domain/password-reset/password-reset-service.js';
import type { RoleCatalogue } from './domain/roles/role-catalogue.js';
import { RoleService } from './domain/roles/role-service.js';
import type { Clock } from './domain/shared/clock.js';
import type { SecretBox } from './domain/shared/secret-box.js';
import type { RateLimitBatch, RateLimiter } from './domain/throttle/rate-limiter.js';
import { TenantService } from './domain/tenants/tenant-service.js';
import type { PasswordHasher } from './domain/users/password-hasher.js';
import type { PasswordPolicy } from './domain/users/password-policy.js';
import { UserService } from './domain/users/user-service.js';

export interface ServiceDependencies {
  clock: Clock;
  secretBox: SecretBox;
  hasher: PasswordHasher;
  passwordPolicy: PasswordPolicy;
  roleCatalogue: RoleCatalogue;
  notifier: AccountNotifier;
  limiters: {
    login: LoginLimiters;
    reset: { perAccount: RateLimiter; perIp: RateLimiter; batch: RateLimitBatch };
    currentPassword: RateLimiter;
    emailLink: RateLimiter;
    upstreamStart: RateLimiter;
    registration: { perIp: RateLimiter; perToken: RateLimiter; batch: RateLimitBatch };
  };
  passwordReset: PasswordResetSettings;
  emailVerification: EmailVerificationSettings;
  upstream: UpstreamSettings & { gateway: UpstreamGateway };
  /** Shown in authenticator apps as the issuer of the TOTP entry. */
  productName: string;
  /** The WebAuthn relying party: the issuer's host and origin. */
  passkeys: PasskeySettings;
  keyTimings: KeyTimings;
}

/** What the edges (HTTP, pages, CLI) work with. They get services, never repositories. */
export interface Services {
  tenants: TenantService;
  users: UserService;
  roles: RoleService;
  clients: ClientService;
  /** The clients of one tenant, for its administrators and developers (through the Authority). */
  tenantClients: TenantClients;
  registeredClients: RegisteredClientService;
  registrationTokens: RegistrationTokens;
  login: LoginService;
  account: AccountService;
  sessions: SessionService;
  signIns: SignInHistory;
  emailVerification: EmailVerificationService;
  upstreams: UpstreamService;
  federatedLogin: FederatedLoginService;
  userLinks: UserLinkService;
  devices: DeviceTrust;
  keys: KeyService;
  mfa: MfaService;
  passkeys: PasskeyService;
  passwordReset: PasswordResetService;
  audit: AuditService;
  auditTrail: AuditTrail;
  callers: CallerService;
  proofReplay: ProofReplay;
  access: AccessPolicy;
  roleCatalogue: RoleCatalogue;
  clock: Clock;
}

/**
 * Wires the domain services onto a set of repositories (the pool's, or a transaction's). Every service is
 * constructed here, once per set of repositories, and nowhere else.
 */
export function createServices(repositories: Repositories, dependencies: ServiceDependencies): Services {
  const { clock, secretBox, hasher, passwordPolicy, roleCatalogue, notifier, limiters } = dependencies;
  const audit = new AuditService(repositories, clock);
  const access = new AccessPolicy(roleCatalogue);
  const authority = new Authority(repositories, access, audit);
  const clients = new ClientService(repositories, roleCatalogue, audit, clock);
  const registrationTokens = new RegistrationTokens(repositories, audit, limiters.registration, clock);
  const devices = new DeviceTrust(clock);
  const signIns = new SignInHistory(repositories);
  const login = new LoginService(repositories, hasher, audit, limiters.login, devices);
  const secondFactorThrottle = new SecondFactorThrottle(repositories, clock);
  const mfa = new MfaService(
    repositories,
    authority,
    secretBox,
    secondFactorThrottle,
    audit,
    notifier,
    clock,
    roleCatalogue,
    dependencies.productName,
  );
  const passkeys = new PasskeyService(
    repositories,
    secondFactorThrottle,
    audit,
    notifier,
    clock,
    dependencies.passkeys,
  );
  const upstreams = new UpstreamService(repositories, secretBox, audit, clock, dependencies.upstream);
  return {
    tenants: new TenantService(repositories, authority, audit, clock),
    users: new UserService(
      repositories,
      authority,
      hasher,
      passwordPolicy,
      roleCatalogue,
      notifier,
      audit,
      limiters.currentPassword,
      clock,
    ),
    roles: new RoleService(repositories, authority, roleCatalogue, audit, clock),
    clients,
    tenantClients: new TenantClients(repositories, authority, clients, registrationTokens),
    registeredClients: new RegisteredClientService(repositories, audit, clock),
    registrationTokens,
    login,
    account: new AccountService(
      repositories,
      login,
      mfa,
      passkeys,
      hasher,
      passwordPolicy,
      notifier,
      audit,
      clock,
    ),
    sessions: new SessionService(repositories, audit, clock),
    signIns,
    emailVerification: new EmailVerificationService(
      repositories,
      notifier,
      audit,
      limiters.emailLink,
      clock,
      dependencies.emailVerification,
    ),
    upstreams,
    federatedLogin: new FederatedLoginService(
      repositories,
      upstreams,
      dependencies.upstream.gateway,
      audit,
      limiters.upstreamStart,
    ),
    userLinks: new UserLinkService(repositories, authority, upstreams, audit, roleCatalogue, notifier, clock),
    devices,
    keys: new KeyService(repositories, secretBox, audit, clock, dependencies.keyTimings),
    mfa,
    passkeys,
    passwordReset: new PasswordResetService(
      repositories,
      hasher,
      passwordPolicy,
      notifier,
      audit,
      limiters.reset,
      clock,
      dependencies.passwordReset,
      authority,
    ),
    audit,
    auditTrail: new AuditTrail(repositories, authority, signIns),
    callers: new CallerService(repositories, roleCatalogue),
    proofReplay: new ProofReplay(repositories, clock),
    access,
    roleCatalogue,
    clock,
  };
}
