import type { Repositories } from '../../../db/repositories/index.js';
import { SYSTEM_TENANT_ID, type AuditOrigin, type AuditService } from '../audit/audit-service.js';
import { epochSeconds, type Clock } from '../shared/clock.js';
import { NotFoundError, ValidationError } from '../shared/errors.js';
import { randomToken } from '../shared/random.js';
import { normalizeTenantId } from '../tenants/tenant-id.js';
import { shortTokenId, storedTokenId } from '../shared/token-ids.js';
import { ipBucket } from '../throttle/ip-bucket.js';
import type { RateLimitBatch, RateLimitDecision, RateLimiter } from '../throttle/rate-limiter.js';

const MODEL = 'InitialAccessToken';

/** The registration policy (see registrant-policy.ts). Every token carries it, and registration access tokens inherit it. */
export const REGISTRANT_POLICY = 'usp-registrant';

/** Registrations (POST /reg) allowed per hour, per client address and per initial access token. */
export function registrationLimits(perHour: number) {
  return {
    perIp: { name: 'registration-ip', points: perHour, windowSeconds: 3600 },
    perToken: { name: 'registration-token', points: perHour, windowSeconds: 3600 },
  };
}

export const DEFAULT_LIFETIME_SECONDS = 7 * 24 * 3600;
export const MAX_LIFETIME_SECONDS = 365 * 24 * 3600;
const MIN_LIFETIME_SECONDS = 60;

export interface RegistrationTokenInfo {
  /** A prefix of the token's hash: what `list` shows and `revoke` takes. */
  id: string;
  /** Clients registered with the token are bound to this tenant; null registers multi-tenant clients. */
  tenantId: string | null;
  /** Epoch milliseconds. */
  createdAt: number;
  expiresAt: number;
}

/** oidc-provider's InitialAccessToken payload, plus the tenant binding it does not know about. */
interface StoredToken {
  iat: number;
  exp: number;
  kind: typeof MODEL;
  policies: string[];
  tenantId: string | null;
}

/**
 * Initial access tokens (RFC 7591 §3) for developer client registration. They are rows of oidc-provider's
 * InitialAccessToken model, written here so the CLI needs no running provider; the token is shown once
 * and only its SHA-256 is stored. A token may register several clients until it expires or is revoked.
 */
export class RegistrationTokens {
  constructor(
    private readonly repositories: Repositories,
    private readonly audit: AuditService,
    private readonly limiters: Record<keyof ReturnType<typeof registrationLimits>, RateLimiter> & {
      batch: RateLimitBatch;
    },
    private readonly clock: Clock,
  ) {}

  /**
   * Takes a registration's throttle points before oidc-provider looks at it: per client address, and per
   * presented initial access token (a leaked token cannot mint clients without bound).
   */
  admitRegistration(token: string | undefined, ip: string): Promise<RateLimitDecision> {
    return this.limiters.batch.takeFromAll([
      [this.limiters.perIp, ipBucket(ip)],
      ...(token ? [[this.limiters.perToken, shortTokenId(storedTokenId(token))] as const] : []),
    ]);
  }

  async create(
    input: { tenantId?: string | undefined; expiresInSeconds?: number | undefined },
    origin: AuditOrigin,
  ): Promise<{ token: string; info: RegistrationTokenInfo }> {
    const lifetime = input.expiresInSeconds ?? DEFAULT_LIFETIME_SECONDS;
    if (
      !Number.isSafeInteger(lifetime) ||
      lifetime < MIN_LIFETIME_SECONDS ||
      lifetime > MAX_LIFETIME_SECONDS
    ) {
      throw new ValidationError(
        `The lifetime must be ${MIN_LIFETIME_SECONDS} to ${MAX_LIFETIME_SECONDS} seconds, not "${lifetime}"`,
      );
    }
    const tenantId = input.tenantId === undefined ? null : normalizeTenantId(input.tenantId);
    const token = newToken();
    const id = storedTokenId(token);
    const now = epochSeconds(this.clock);
    const stored: StoredToken = {
      iat: now,
      exp: now + lifetime,
      kind: MODEL,
      policies: [REGISTRANT_POLICY],
      tenantId,
    };
    const info = infoOf(id, stored);
    await this.repositories.inTransaction(async (repositories) => {
      if (tenantId !== null && !(await repositories.tenants.findById(tenantId))) {
        throw new NotFoundError(`Tenant "${tenantId}" does not exist`);
      }
      await repositories.oidcPayloads.upsert(MODEL, id, stored, {
        grantId: null,
        uid: null,
        userCode: null,
        accountId: null,
        clientId: null,
        expiresAt: stored.exp,
      });
      await this.audit.within(repositories).record(
        {
          tenantId: tenantId ?? SYSTEM_TENANT_ID,
          type: 'registration_token.created',
          subject: info.id,
          details: { expiresAt: new Date(info.expiresAt).toISOString() },
        },
        origin,
      );
    });
    return { token, info };
  }

  /** Unexpired tokens, oldest first; only those of one tenant when `tenantId` is given. */
  async list(tenantId?: string): Promise<RegistrationTokenInfo[]> {
    const rows = await this.repositories.oidcPayloads.listActive(MODEL, epochSeconds(this.clock));
    const tokens = rows.map((row) => infoOf(row.id, row.payload as unknown as StoredToken));
    const wanted = tenantId === undefined ? undefined : normalizeTenantId(tenantId);
    return tokens
      .filter((token) => wanted === undefined || token.tenantId === wanted)
      .sort((a, b) => a.createdAt - b.createdAt);
  }

  /** Revokes by the id `list` shows (or by the token itself). Clients already registered stay. */
  async revoke(idOrToken: string, origin: AuditOrigin): Promise<RegistrationTokenInfo> {
    const ids = /^[0-9a-f]{16}$/.test(idOrToken)
      ? await this.repositories.oidcPayloads.findIdsByPrefix(MODEL, idOrToken)
      : [storedTokenId(idOrToken)];
    const now = epochSeconds(this.clock);
    const found =
      ids.length === 1 ? await this.repositories.oidcPayloads.find(MODEL, 'id', ids[0]!, now) : undefined;
    if (!found) throw new NotFoundError(`Registration token "${idOrToken}" does not exist or has expired`);
    const info = infoOf(ids[0]!, found.payload as unknown as StoredToken);
    await this.repositories.inTransaction(async (repositories) => {
      await repositories.oidcPayloads.destroy(MODEL, ids[0]!);
      await this.audit.within(repositories).record(
        {
          tenantId: info.tenantId ?? SYSTEM_TENANT_ID,
          type: 'registration_token.revoked',
          subject: info.id,
        },
        origin,
      );
    });
    return info;
  }

  /** The tenant a presented token binds its clients to; undefined when the token is unknown or expired. */
  async bindingOf(token: string): Promise<{ tenantId: string | null } | undefined> {
    const found = await this.repositories.oidcPayloads.find(
      MODEL,
      'id',
      storedTokenId(token),
      epochSeconds(this.clock),
    );
    if (!found) return undefined;
    const { tenantId } = found.payload as Partial<StoredToken>;
    return { tenantId: typeof tenantId === 'string' ? tenantId : null };
  }
}

/** A token never starts with "-", so `registration-token revoke <token>` cannot be taken for an option. */
function newToken(): string {
  let token: string;
  do token = randomToken(32);
  while (token.startsWith('-'));
  return token;
}

function infoOf(storedId: string, stored: StoredToken): RegistrationTokenInfo {
  return {
    id: shortTokenId(storedId),
    tenantId: stored.tenantId ?? null,
    createdAt: stored.iat * 1000,
    expiresAt: stored.exp * 1000,
  };
}
