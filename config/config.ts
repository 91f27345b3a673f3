import { isIP } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import { LOCALES } from './locales.js';
import { loadRoleCatalogue, type RoleCatalogueDefinitions } from './roles.js';

/**
 * Every setting of usp-idp, read from the environment in one place.
 * The default and meaning of each is written next to it; the README's configuration table mirrors this.
 */
const booleanFromEnv = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((value) => value === 'true' || value === '1' || value === 'yes');

/**
 * `TRUST_PROXY`: how many reverse proxies stand in front (`1`, `2`, …; `true` means 1), or the addresses of
 * the trusted proxies as a comma-separated list of CIDRs (`10.0.0.0/8,fd00::/8`). `false` or unset: none.
 */
export type ProxyTrust =
  | { kind: 'none' }
  | { kind: 'hops'; hops: number }
  | {
      kind: 'networks';
      networks: ReadonlyArray<{ address: string; prefix: number; family: 'ipv4' | 'ipv6' }>;
    };

const proxyTrustSchema = z
  .string()
  .default('false')
  .transform((value, ctx): ProxyTrust => {
    const text = value.trim().toLowerCase();
    if (['false', 'no', '0'].includes(text)) return { kind: 'none' };
    if (['true', 'yes'].includes(text)) return { kind: 'hops', hops: 1 };
    if (/^\d+$/.test(text)) {
      const hops = Number(text);
      if (hops <= 10) return { kind: 'hops', hops };
    }
    const networks = text.split(',').map((entry) => {
      const [address = '', prefixText = ''] = entry.trim().split('/');
      const family =
        isIP(address) === 4 ? ('ipv4' as const) : isIP(address) === 6 ? ('ipv6' as const) : undefined;
      const prefix = prefixText === '' ? (family === 'ipv4' ? 32 : 128) : Number(prefixText);
      const valid =
        family !== undefined &&
        Number.isInteger(prefix) &&
        prefix >= 0 &&
        prefix <= (family === 'ipv4' ? 32 : 128);
      return valid ? { address, prefix, family } : undefined;
    });
    if (networks.some((network) => network === undefined)) {
      ctx.addIssue({
        code: 'custom',
        message: 'use true, false, a number of proxy hops (1-10), or a list of CIDRs',
      });
      return z.NEVER;
    }
    return { kind: 'networks', networks: networks as Array<NonNullable<(typeof networks)[number]>> };
  });

const environmentSchema = z
  .object({
    /** `production`, `development` or `test`. Production forbids weak settings (bcrypt cost < 10). */
    NODE_ENV: z.enum(['production', 'development', 'test']).default('development'),
    /** TCP port the HTTP server listens on. */
    PORT: z.coerce.number().int().min(0).max(65535).default(3000),
    /** Interface to bind. The Docker image sets 0.0.0.0. */
    HOST: z.string().min(1).default('127.0.0.1'),
    /** Public issuer URL. Every link the IdP builds (discovery, e-mails) starts with it; never with the request's Host. */
    ISSUER: z
      .url({ protocol: /^https?$/ })
      .default('http://localhost:3000')
      .refine((value) => !value.endsWith('/'), 'must not end with a slash')
      .refine(
        (value) => !new URL(value).search && !new URL(value).hash,
        'must not contain a query or fragment',
      ),
    /** Folder for the SQLite file, the generated master key and the mail outbox. */
    DATA_DIR: z.string().min(1).default('./data'),
    /** `sqlite:<file>` or `postgres://…`. Defaults to `sqlite:$DATA_DIR/idp.sqlite`. */
    DATABASE_URL: z
      .string()
      .regex(/^(sqlite:|postgres(ql)?:\/\/)/, 'must start with sqlite: or postgres://')
      .optional(),
    /**
     * 32-byte master key (base64 or hex) that seals signing keys, cookie keys and TOTP secrets at rest.
     * When unset, a key is generated once into `$DATA_DIR/master.key`. Several instances must share it.
     */
    MASTER_KEY: z.string().optional(),
    /**
     * SQLite's durability: `full` syncs every commit to disk; `normal` survives a crash of the process but
     * may lose the last commits on a power loss (see the README's benchmark for what it buys).
     */
    SQLITE_SYNCHRONOUS: z.enum(['full', 'normal']).default('full'),
    /** bcrypt cost factor. At least 10 in production; tests lower it for speed. */
    BCRYPT_COST: z.coerce.number().int().min(4).max(15).default(12),
    /**
     * Threads that run bcrypt, one password hash each at a time, at a lowered CPU priority so that the event
     * loop always goes first (see src/hashing/low-priority-bcrypt.ts). Each is a V8 isolate of about 10 MiB.
     * Default: the number of cores, at most 4. More would not log anyone in faster.
     */
    HASH_CONCURRENCY: z.coerce.number().int().min(1).max(64).optional(),
    /**
     * Bearer token that /metrics requires (Prometheus: `authorization.credentials`). Unset: /metrics is off,
     * so nothing about the process is public by default.
     */
    METRICS_TOKEN: z.string().min(16, 'use at least 16 characters').optional(),
    /** A JSON file that replaces the default role catalogue (see config/roles.ts for its shape). */
    ROLES_FILE: z.string().min(1).optional(),
    /**
     * The language of pages and mails when neither `ui_locales`, a choice on the pages, nor the browser's
     * Accept-Language names a supported one.
     */
    DEFAULT_LOCALE: z.enum(LOCALES).default('en'),
    /** The name people see: page headers, and the issuer shown in authenticator apps. */
    PRODUCT_NAME: z.string().trim().min(1).max(60).default('Securepoint Unified Security'),
    /**
     * Create the demo tenant, users and client on the first start with an empty database. Default: yes,
     * except with NODE_ENV=production, where only an explicit DEMO=true seeds it.
     */
    DEMO: booleanFromEnv.optional(),
    /** pino log level. */
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    /**
     * Trust `X-Forwarded-*` headers from reverse proxies: their number of hops, or their CIDRs (see
     * ProxyTrust). The client address is the rightmost one that is not a trusted proxy.
     */
    TRUST_PROXY: proxyTrustSchema,
    /** Client registrations (POST /reg) per hour, per client address and per initial access token. */
    REGISTRATION_LIMIT_PER_HOUR: z.coerce.number().int().min(1).max(100000).default(20),
    /** Lifetime of an SSO session, in seconds (absolute). */
    SESSION_TTL_SECONDS: z.coerce
      .number()
      .int()
      .min(60)
      .default(8 * 3600),
    /**
     * Sessions of users holding a role that requires a second factor (administrators): not kept across
     * browser restarts, gone after this many seconds unused…
     */
    ADMIN_SESSION_IDLE_SECONDS: z.coerce
      .number()
      .int()
      .min(60)
      .default(30 * 60),
    /** …and after this many seconds since the login, however much they are used. */
    ADMIN_SESSION_MAX_SECONDS: z.coerce
      .number()
      .int()
      .min(300)
      .default(12 * 3600),
    /** Lifetime of an unfinished login interaction, in seconds. */
    INTERACTION_TTL_SECONDS: z.coerce.number().int().min(60).default(1800),
    /** Lifetime of access tokens, in seconds. */
    ACCESS_TOKEN_TTL_SECONDS: z.coerce.number().int().min(30).default(900),
    /** Absolute lifetime of refresh tokens (and their grant), in seconds. */
    REFRESH_TOKEN_TTL_SECONDS: z.coerce
      .number()
      .int()
      .min(60)
      .default(14 * 24 * 3600),
    /** Seconds SIGTERM waits for in-flight requests before the process exits anyway. */
    SHUTDOWN_GRACE_SECONDS: z.coerce.number().int().min(0).max(300).default(10),
    /** Worker processes sharing the port (node:cluster): a number, or `auto` for one per core. */
    WORKERS: z.union([z.literal('auto'), z.coerce.number().int().min(1).max(64)]).default(1),
    /** Seconds between an instance's checks for keys added by `keys rotate` on any instance. */
    KEY_RELOAD_SECONDS: z.coerce.number().int().min(1).max(3600).default(30),
    /**
     * Cache lifetime of /jwks that we advertise (Cache-Control max-age). A rotated key is published for
     * this long plus KEY_RELOAD_SECONDS before it signs.
     */
    JWKS_MAX_AGE_SECONDS: z.coerce.number().int().min(0).max(86400).default(300),
    /**
     * Outgoing mail server: `smtp://user:password@host:587` (STARTTLS when offered) or `smtps://…:465`.
     * Unset: mails are written as .eml files to `$DATA_DIR/outbox/` and their paths logged.
     */
    SMTP_URL: z
      .string()
      .regex(/^smtps?:\/\/[^\s]+$/, 'must be smtp://… or smtps://…')
      .optional(),
    /** Verify the SMTP server's TLS certificate. Turn off only for a test server with a self-signed one. */
    SMTP_TLS_REJECT_UNAUTHORIZED: booleanFromEnv.default(true),
    /** Sender of every mail. */
    MAIL_FROM: z.string().min(3).default('Securepoint Unified Security <no-reply@localhost>'),
    /** How long a password-reset link works, in minutes (at most 60). */
    PASSWORD_RESET_TTL_MINUTES: z.coerce.number().int().min(5).max(60).default(30),
    /** Minimum password length for the deployment; a tenant may require more. NIST SP 800-63B: at least 8. */
    PASSWORD_MIN_LENGTH: z.coerce.number().int().min(8).max(64).default(8),
    /**
     * Let the provider fetch registered clients' `jwks_uri` and `sector_identifier_uri` over http and from
     * loopback or private addresses. Off: only https, only public addresses (no SSRF). For tests and local
     * development only; refused in production.
     */
    FETCH_ALLOW_PRIVATE_NETWORKS: booleanFromEnv.default(false),
  })
  .superRefine((env, ctx) => {
    if (env.NODE_ENV === 'production' && env.BCRYPT_COST < 10) {
      ctx.addIssue({ code: 'custom', path: ['BCRYPT_COST'], message: 'must be at least 10 in production' });
    }
    if (env.ISSUER.startsWith('https:') && env.TRUST_PROXY.kind === 'none') {
      ctx.addIssue({
        code: 'custom',
        path: ['TRUST_PROXY'],
        message:
          'ISSUER is https, so TLS ends at a proxy in front of usp-idp: set TRUST_PROXY to its hop count or networks',
      });
    }
    if (env.ADMIN_SESSION_IDLE_SECONDS > env.ADMIN_SESSION_MAX_SECONDS) {
      ctx.addIssue({
        code: 'custom',
        path: ['ADMIN_SESSION_IDLE_SECONDS'],
        message: 'must not be longer than ADMIN_SESSION_MAX_SECONDS',
      });
    }
    if (env.NODE_ENV === 'production' && env.FETCH_ALLOW_PRIVATE_NETWORKS) {
      ctx.addIssue({
        code: 'custom',
        path: ['FETCH_ALLOW_PRIVATE_NETWORKS'],
        message: 'must be false in production',
      });
    }
  });

export type Environment = z.infer<typeof environmentSchema>;

export interface Config {
  readonly env: Environment['NODE_ENV'];
  readonly port: number;
  readonly host: string;
  readonly issuer: string;
  readonly dataDir: string;
  readonly databaseUrl: string;
  readonly sqliteSynchronous: 'full' | 'normal';
  readonly masterKey: string | undefined;
  readonly bcryptCost: number;
  /** Threads hashing passwords (HASH_CONCURRENCY). */
  readonly hashConcurrency: number;
  readonly demo: boolean;
  readonly productName: string;
  readonly defaultLocale: (typeof LOCALES)[number];
  readonly metricsToken: string | undefined;
  /** The role catalogue: the defaults, or ROLES_FILE. */
  readonly roles: RoleCatalogueDefinitions;
  readonly logLevel: Environment['LOG_LEVEL'];
  readonly trustProxy: ProxyTrust;
  readonly ttl: {
    readonly session: number;
    readonly adminSessionIdle: number;
    readonly adminSessionMax: number;
    readonly interaction: number;
    readonly accessToken: number;
    readonly refreshToken: number;
  };
  readonly shutdownGraceSeconds: number;
  /** Worker processes; 1 runs no cluster. */
  readonly workers: number;
  readonly keys: { readonly reloadSeconds: number; readonly jwksMaxAgeSeconds: number };
  readonly mail: {
    readonly smtpUrl: string | undefined;
    readonly tlsRejectUnauthorized: boolean;
    readonly from: string;
  };
  readonly passwordResetTtlMinutes: number;
  readonly registrationLimitPerHour: number;
  readonly passwordMinLength: number;
  /** Outbound fetches of client URIs may reach loopback and private addresses (tests only). */
  readonly fetchAllowPrivateNetworks: boolean;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Reads and validates the settings. Throws a ConfigError that lists every invalid setting at once. */
export function loadConfig(source: NodeJS.ProcessEnv = process.env): Config {
  const parsed = environmentSchema.safeParse(withoutEmptyValues(source));
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((issue) => `${issue.path.join('.') || '(environment)'}: ${issue.message}`),
    );
  }
  const env = parsed.data;
  let roles: RoleCatalogueDefinitions;
  try {
    roles = loadRoleCatalogue(env.ROLES_FILE);
  } catch (error) {
    throw new ConfigError([(error as Error).message]);
  }
  const dataDir = path.resolve(env.DATA_DIR);
  return {
    env: env.NODE_ENV,
    port: env.PORT,
    host: env.HOST,
    issuer: env.ISSUER,
    dataDir,
    databaseUrl: env.DATABASE_URL ?? `sqlite:${path.join(dataDir, 'idp.sqlite')}`,
    sqliteSynchronous: env.SQLITE_SYNCHRONOUS,
    masterKey: env.MASTER_KEY,
    bcryptCost: env.BCRYPT_COST,
    hashConcurrency: env.HASH_CONCURRENCY ?? Math.min(os.availableParallelism(), 4),
    demo: env.DEMO ?? env.NODE_ENV !== 'production',
    productName: env.PRODUCT_NAME,
    defaultLocale: env.DEFAULT_LOCALE,
    metricsToken: env.METRICS_TOKEN,
    roles,
    logLevel: env.LOG_LEVEL,
    trustProxy: env.TRUST_PROXY,
    ttl: {
      session: env.SESSION_TTL_SECONDS,
      adminSessionIdle: env.ADMIN_SESSION_IDLE_SECONDS,
      adminSessionMax: env.ADMIN_SESSION_MAX_SECONDS,
      interaction: env.INTERACTION_TTL_SECONDS,
      accessToken: env.ACCESS_TOKEN_TTL_SECONDS,
      refreshToken: env.REFRESH_TOKEN_TTL_SECONDS,
    },
    shutdownGraceSeconds: env.SHUTDOWN_GRACE_SECONDS,
    workers: env.WORKERS === 'auto' ? os.availableParallelism() : env.WORKERS,
    keys: { reloadSeconds: env.KEY_RELOAD_SECONDS, jwksMaxAgeSeconds: env.JWKS_MAX_AGE_SECONDS },
    mail: {
      smtpUrl: env.SMTP_URL,
      tlsRejectUnauthorized: env.SMTP_TLS_REJECT_UNAUTHORIZED,
      from: env.MAIL_FROM,
    },
    passwordResetTtlMinutes: env.PASSWORD_RESET_TTL_MINUTES,
    registrationLimitPerHour: env.REGISTRATION_LIMIT_PER_HOUR,
    passwordMinLength: env.PASSWORD_MIN_LENGTH,
    fetchAllowPrivateNetworks: env.FETCH_ALLOW_PRIVATE_NETWORKS,
  };
}

/** `FOO=` in a shell or .env file means "unset", not "the empty string". */
function withoutEmptyValues(source: NodeJS.ProcessEnv): Record<string, string> {
  return Object.fromEntries(
    Object.entries(source).filter(
      (entry): entry is [string, string] => entry[1] !== undefined && entry[1] !== '',
    ),
  );
}
