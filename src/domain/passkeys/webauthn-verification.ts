import {
  verifyAuthenticationResponse,
  verifyRegistrationResponse,
  type AuthenticationResponseJSON,
  type RegistrationResponseJSON,
} from '@simplewebauthn/server';
import type { PasskeyRecord } from './passkey.js';
import type { PasskeySettings } from './passkey-settings.js';

type ChallengeCheck = (challenge: string) => Promise<boolean>;

/**
 * A new credential, verified by @simplewebauthn/server: our challenge, our origin and RP ID, attestation
 * `none`. Throws (the library's error) when anything does not hold.
 */
export async function verifiedRegistration(
  response: RegistrationResponseJSON,
  challenge: ChallengeCheck,
  settings: PasskeySettings,
): Promise<
  Pick<PasskeyRecord, 'credentialId' | 'publicKey' | 'counter' | 'transports' | 'deviceType' | 'backedUp'>
> {
  const verified = await verifyRegistrationResponse({
    response,
    expectedChallenge: challenge,
    expectedOrigin: settings.origin,
    expectedRPID: settings.rpId,
    requireUserVerification: false,
  });
  if (!verified.verified) throw new Error('not verified');
  const info = verified.registrationInfo;
  return {
    credentialId: info.credential.id,
    publicKey: Buffer.from(info.credential.publicKey).toString('base64url'),
    counter: info.credential.counter,
    transports: info.credential.transports ?? [],
    deviceType: info.credentialDeviceType,
    backedUp: info.credentialBackedUp,
  };
}

/**
 * An assertion of a stored credential, verified by @simplewebauthn/server. The stored counter is not
 * handed to the library: the caller compares it after the signature is proven, so an unsigned response
 * with a low counter is never taken for a clone.
 */
export async function verifiedAssertion(
  response: AuthenticationResponseJSON,
  passkey: Pick<PasskeyRecord, 'credentialId' | 'publicKey' | 'transports'>,
  check: { challenge: ChallengeCheck; requireUserVerification: boolean },
  settings: PasskeySettings,
): Promise<{ newCounter: number; backedUp: boolean }> {
  const verified = await verifyAuthenticationResponse({
    response,
    expectedChallenge: check.challenge,
    expectedOrigin: settings.origin,
    expectedRPID: settings.rpId,
    credential: {
      id: passkey.credentialId,
      publicKey: Buffer.from(passkey.publicKey, 'base64url'),
      counter: 0,
      transports: passkey.transports,
    },
    requireUserVerification: check.requireUserVerification,
  });
  if (!verified.verified) throw new Error('not verified');
  return {
    newCounter: verified.authenticationInfo.newCounter,
    backedUp: verified.authenticationInfo.credentialBackedUp,
  };
}
