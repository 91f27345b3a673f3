import type { Context } from 'koa';
import { z } from 'zod';
import { DEVICE_TRUST_DAYS, type DeviceCredential } from '../src/domain/auth/device-trust.js';
import { cookieName } from '../src/http/cookie-names.js';

const NAME = 'usp_device';
/** Sent with every step of a login, and nowhere else. */
const PATH = '/interaction';
/** A browser shared by a few accounts keeps a credential for each of its last few owners. */
const MAX_CREDENTIALS = 5;

const credentialsSchema = z
  .array(
    z.object({
      u: z.string().max(64),
      g: z.number().int().nonnegative(),
      d: z.string().max(64),
      t: z.number().int().nonnegative(),
    }),
  )
  .max(MAX_CREDENTIALS);

/** The device credentials this browser holds (a signed cookie; anything tampered with or malformed is none). */
export function presentedDevices(ctx: Context): DeviceCredential[] {
  const raw = ctx.cookies.get(cookieName(ctx, NAME, PATH), { signed: true });
  if (!raw) return [];
  try {
    const parsed = credentialsSchema.safeParse(JSON.parse(Buffer.from(raw, 'base64url').toString('utf8')));
    return parsed.success
      ? parsed.data.map((entry) => ({
          userId: entry.u,
          generation: entry.g,
          deviceId: entry.d,
          issuedAt: entry.t,
        }))
      : [];
  } catch {
    return [];
  }
}

/** Keeps `credential` (replacing any older one of the same account) for DEVICE_TRUST_DAYS. */
export function rememberDevice(ctx: Context, credential: DeviceCredential): void {
  const kept = [credential, ...presentedDevices(ctx).filter((entry) => entry.userId !== credential.userId)];
  const value = kept
    .slice(0, MAX_CREDENTIALS)
    .map((entry) => ({ u: entry.userId, g: entry.generation, d: entry.deviceId, t: entry.issuedAt }));
  ctx.cookies.set(cookieName(ctx, NAME, PATH), Buffer.from(JSON.stringify(value)).toString('base64url'), {
    signed: true,
    httpOnly: true,
    sameSite: 'lax',
    path: PATH,
    maxAge: DEVICE_TRUST_DAYS * 24 * 3600 * 1000,
  });
}
