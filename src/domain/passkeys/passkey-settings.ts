import type { PasskeySettings } from './passkey-service.js';

/**
 * The WebAuthn relying party of an issuer: its host is the RP ID and its origin the only origin a
 * response may come from. Browsers accept `http://localhost` as a secure context; anything else must be https.
 */
export function passkeySettingsOf(issuer: string, productName: string): PasskeySettings {
  const url = new URL(issuer);
  return { rpId: url.hostname, origin: url.origin, rpName: productName };
}
