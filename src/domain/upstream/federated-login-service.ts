import type { Repositories } from '../../../db/repositories/index.js';
import { SYSTEM_TENANT_ID, type AuditOrigin, type AuditService } from '../audit/audit-service.js';
import type { AuthenticatedUser } from '../auth/login-service.js';
import {
  LoginFailedError,
  LoginThrottledError,
  UpstreamAnswerRejectedError,
  type LoginFailureReason,
} from '../shared/errors.js';
import { ipBucket } from '../throttle/ip-bucket.js';
import type { RateLimiter } from '../throttle/rate-limiter.js';
import { isValidTenantId, normalizeTenantId } from '../tenants/tenant-id.js';
import { isPrintable } from '../shared/text.js';
import { normalizeLogin } from '../users/login-name.js';
import type {
  UpstreamClient,
  UpstreamGateway,
  UpstreamIdentity,
  UpstreamRequest,
} from './upstream-gateway.js';
import type { UpstreamService } from './upstream-service.js';
import type { UpstreamRecord } from './upstream.js';

/** What a federated login keeps server-side between the button and the callback. */
export interface PendingFederation {
  upstreamId: string;
  /** The tenant typed (or fixed) when the button was pressed: the link is looked up in it only. */
  tenantId: string;
  request: UpstreamRequest;
}

export interface FederatedStart {
  pending: PendingFederation;
  authorizationUrl: URL;
}

export interface FederatedLogin {
  account: AuthenticatedUser;
  upstream: UpstreamRecord;
  identity: UpstreamIdentity;
  /** Whether the upstream's login proves a second factor (`amr` mfa or otp, or a configured `acr`). */
  secondFactorProven: boolean;
}

/**
 * "Log in with Reseller Portal": the person proves who they are at the upstream, and the subject it vouches
 * for is looked up among the links of the interaction's tenant only. Every refusal is the same
 * LoginFailedError to the page, and audited with its reason.
 */
/** Starts of "Log in with Reseller Portal" per client address (a network for IPv6). */
export const UPSTREAM_START_LIMIT = {
  name: 'upstream-start-ip',
  points: 30,
  windowSeconds: 15 * 60,
} as const;

export class FederatedLoginService {
  constructor(
    private readonly repositories: Repositories,
    private readonly upstreams: UpstreamService,
    private readonly gateway: UpstreamGateway,
    private readonly audit: AuditService,
    private readonly startsPerIp: RateLimiter,
  ) {}

  /** The upstream the login page offers for a known tenant, if its reseller has one. */
  async offeredFor(tenantId: string | undefined): Promise<UpstreamRecord | undefined> {
    const normalized = normalizeTenantId(tenantId ?? '');
    return isValidTenantId(normalized) ? this.upstreams.forTenant(normalized) : undefined;
  }

  /**
   * `reauthentication` passes on what the RP asked for (`prompt=login`, `max_age`), so an upstream session
   * cannot stand in for a login the RP wants fresh.
   */
  async begin(
    typed: { tenantId: string; login: string },
    requiredTenantIds: readonly string[],
    origin: AuditOrigin,
    reauthentication: { forceLogin?: boolean; maxAge?: number | undefined } = {},
  ): Promise<FederatedStart> {
    // Each start says whether a tenant exists with an upstream, and a refusal writes an audit event: a
    // point per address before either, like a password attempt.
    const decision = await this.startsPerIp.take(ipBucket(origin.ip ?? 'unknown'));
    if (!decision.allowed) throw new LoginThrottledError(decision.retryAfterSeconds);
    const tenantId = normalizeTenantId(typed.tenantId);
    const upstream = await this.offeredFor(tenantId);
    const fixedElsewhere = requiredTenantIds.some((required) => normalizeTenantId(required) !== tenantId);
    if (!upstream || fixedElsewhere) {
      await this.#refused(
        fixedElsewhere ? 'tenant_not_allowed' : 'no_upstream',
        upstream ? tenantId : undefined,
        origin,
        {
          tenant: tenantId.slice(0, 64),
        },
      );
      throw new LoginFailedError(fixedElsewhere ? 'tenant_not_allowed' : 'no_upstream');
    }
    const request = this.gateway.newRequest(reauthentication.maxAge);
    const login = normalizeLogin(typed.login).slice(0, 320);
    const authorizationUrl = await this.gateway.authorizationUrl(this.#client(upstream), request, {
      redirectUri: this.upstreams.redirectUri,
      loginHint: login || undefined,
      forceLogin: reauthentication.forceLogin,
    });
    return { pending: { upstreamId: upstream.id, tenantId, request }, authorizationUrl };
  }

  /** The verified identity the upstream vouches for (for linking, and for the login below). */
  async identify(
    pending: PendingFederation,
    callbackUrl: URL,
  ): Promise<{ upstream: UpstreamRecord; identity: UpstreamIdentity }> {
    const upstream = await this.upstreams.find(pending.upstreamId);
    if (!upstream) throw new UpstreamAnswerRejectedError('the upstream was deleted during the login');
    const identity = await this.gateway.redeem(
      this.#client(upstream),
      callbackUrl,
      pending.request,
      this.upstreams.redirectUri,
    );
    if (identity.issuer !== upstream.issuer)
      throw new UpstreamAnswerRejectedError(`the ID token names ${identity.issuer}, not ${upstream.issuer}`);
    if (identity.subject.length > 255 || !isPrintable(identity.subject))
      throw new UpstreamAnswerRejectedError('the ID token has a subject we cannot store');
    return { upstream, identity };
  }

  /**
   * The callback: the upstream's answer checked, then the local user linked to its subject in the pending
   * tenant, active, of an active tenant, and of the tenants the request is fixed to.
   */
  async complete(
    pending: PendingFederation,
    callbackUrl: URL,
    requiredTenantIds: readonly string[],
    origin: AuditOrigin,
  ): Promise<FederatedLogin> {
    let verified: { upstream: UpstreamRecord; identity: UpstreamIdentity };
    try {
      verified = await this.identify(pending, callbackUrl);
    } catch (error) {
      if (error instanceof UpstreamAnswerRejectedError) {
        await this.#refused('upstream_refused', pending.tenantId, origin, {
          upstream: pending.upstreamId,
          why: error.message,
        });
        throw new LoginFailedError('upstream_refused');
      }
      throw error;
    }
    const { upstream, identity } = verified;
    const userId = await this.repositories.upstreams.linkedUser(
      pending.tenantId,
      upstream.id,
      identity.subject,
    );
    const account = userId ? await this.repositories.users.findAccount(userId) : undefined;
    const details = { upstream: upstream.id, subject: identity.subject.slice(0, 255) };
    const reason = this.#refusal(account, pending.tenantId, requiredTenantIds);
    if (reason || !account) {
      await this.#refused(reason ?? 'not_linked', pending.tenantId, origin, details, account?.user.id);
      throw new LoginFailedError(reason ?? 'not_linked', account?.user.id);
    }
    await this.audit.record(
      {
        tenantId: account.tenant.id,
        type: 'login.succeeded',
        subject: account.user.id,
        details: { method: 'federated', ...details },
      },
      origin,
    );
    const secondFactorProven =
      identity.amr.includes('mfa') ||
      identity.amr.includes('otp') ||
      (identity.acr !== undefined && upstream.mfaAcrValues.includes(identity.acr));
    return { account, upstream, identity, secondFactorProven };
  }

  /** A second factor was required and the upstream did not prove one: audited, then refused. */
  async refuseWithoutSecondFactor(login: FederatedLogin, origin: AuditOrigin): Promise<never> {
    const { account, upstream } = login;
    await this.#refused(
      'upstream_mfa_missing',
      account.tenant.id,
      origin,
      { upstream: upstream.id },
      account.user.id,
    );
    throw new LoginFailedError('upstream_mfa_missing', account.user.id);
  }

  #refusal(
    account: AuthenticatedUser | undefined,
    tenantId: string,
    requiredTenantIds: readonly string[],
  ): LoginFailureReason | undefined {
    if (!account || account.tenant.id !== tenantId) return 'not_linked';
    if (account.tenant.status !== 'active') return 'tenant_disabled';
    if (account.user.status !== 'active') return 'user_disabled';
    if (requiredTenantIds.some((required) => normalizeTenantId(required) !== account.tenant.id))
      return 'tenant_not_allowed';
    return undefined;
  }

  #client(upstream: UpstreamRecord): UpstreamClient {
    return { upstream, clientSecret: this.upstreams.clientSecretOf(upstream) };
  }

  async #refused(
    reason: LoginFailureReason,
    tenantId: string | undefined,
    origin: AuditOrigin,
    details: Record<string, unknown>,
    userId?: string,
  ): Promise<void> {
    const tenant = tenantId && (await this.repositories.tenants.findById(tenantId));
    await this.audit.record(
      {
        tenantId: tenant ? tenant.id : SYSTEM_TENANT_ID,
        type: 'login.failed',
        subject: userId ?? null,
        details: { reason, method: 'federated', ...details },
      },
      origin,
    );
  }
}
