import crypto from 'node:crypto';
import { epochMillis, type Clock } from '../shared/clock.js';
import type { UserRecord } from '../users/user.js';

/** How long a device credential vouches for a browser after the login that issued it. */
export const DEVICE_TRUST_DAYS = 90;

/**
 * A browser's proof that the account's owner logged in with it before (OWASP "device cookies"): the
 * account, the generation of the account's credentials it was issued in, a random id, and when. The edge
 * keeps it in a signed, HttpOnly cookie; the domain only decides what it is worth.
 */
export interface DeviceCredential {
  userId: string;
  generation: number;
  deviceId: string;
  issuedAt: number;
}

/**
 * Known devices are judged by their own budget, so strangers who burn the account-wide budget from many
 * addresses never lock the owner's own browser out. A password change or reset and disabling the user
 * move the account's generation on, which voids every credential issued before.
 */
export class DeviceTrust {
  constructor(private readonly clock: Clock) {}

  /** A new credential after a complete login (both factors where required). */
  issue(user: Pick<UserRecord, 'id' | 'deviceGeneration'>): DeviceCredential {
    return {
      userId: user.id,
      generation: user.deviceGeneration,
      deviceId: crypto.randomBytes(16).toString('base64url'),
      issuedAt: epochMillis(this.clock),
    };
  }

  /** The presented credential that vouches for `user` now, if any. */
  vouchingFor(
    credentials: readonly DeviceCredential[],
    user: Pick<UserRecord, 'id' | 'deviceGeneration'>,
  ): DeviceCredential | undefined {
    const oldest = epochMillis(this.clock) - DEVICE_TRUST_DAYS * 24 * 3600 * 1000;
    return credentials.find(
      (credential) =>
        credential.userId === user.id &&
        credential.generation === user.deviceGeneration &&
        credential.issuedAt > oldest,
    );
  }
}
