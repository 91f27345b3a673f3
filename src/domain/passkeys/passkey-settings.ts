/** The WebAuthn relying party. */
export interface PasskeySettings {
  /** The host of the issuer. */
  rpId: string;
  /** The issuer's origin: the only one a response may come from. */
  origin: string;
  /** The name authenticators show. */
  rpName: string;
}

/**
 * The WebAuthn relying party of an issuer: its host is the RP ID and its origin the only origin a
 * response may come from. Browsers accept `http://localhost` as a secure context; anything else must be https.
 */
export function passkeySettingsOf(issuer: string, productName: string): PasskeySettings {
  const url = new URL(issuer);
  return { rpId: url.hostname, origin: url.origin, rpName: productName };
}
