import type { UserRecord } from '../users/user.js';

export type PasskeyUser = Pick<UserRecord, 'id' | 'tenantId'>;

/** How a passkey proved the user: `hwk` for a key bound to one device, `swk` for a synced passkey. */
export interface PasskeyProof {
  userId: string;
  tenantId: string;
  keyKind: 'hwk' | 'swk';
  passkeyId: string;
}

/** A user's WebAuthn credential: a passkey or a security key. Only public data. */
export interface PasskeyRecord {
  id: string;
  tenantId: string;
  userId: string;
  /** base64url, as the authenticator reported it. */
  credentialId: string;
  /** The COSE public key, base64url. */
  publicKey: string;
  counter: number;
  transports: string[];
  name: string;
  /** 'singleDevice' (a security key, a TPM) or 'multiDevice' (a passkey synced between devices). */
  deviceType: 'singleDevice' | 'multiDevice';
  backedUp: boolean;
  createdAt: number;
  lastUsedAt: number | null;
}

/** What pages, the CLI and the API show of a passkey: never the key. */
export interface PasskeySummary {
  id: string;
  name: string;
  createdAt: number;
  lastUsedAt: number | null;
  synced: boolean;
}

export function summaryOf(passkey: PasskeyRecord): PasskeySummary {
  return {
    id: passkey.id,
    name: passkey.name,
    createdAt: passkey.createdAt,
    lastUsedAt: passkey.lastUsedAt,
    synced: passkey.deviceType === 'multiDevice',
  };
}

/**
 * What a challenge is for: a second factor after the password, a new passkey, or a sign-in with a passkey
 * alone (no user known yet).
 */
export type ChallengePurpose = 'verify' | 'register' | 'signin';

export interface PasskeyChallenge {
  challenge: string;
  purpose: ChallengePurpose;
  /** Where it was issued: a login interaction's uid, or an account-page session. */
  binding: string;
  tenantId: string | null;
  userId: string | null;
  expiresAt: number;
}
