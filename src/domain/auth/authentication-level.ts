/** `acr` values: what the RP learns about how strongly the user authenticated. */
export const ACR_ONE_FACTOR = 'urn:usp-idp:acr:1fa';
export const ACR_TWO_FACTOR = 'urn:usp-idp:acr:2fa';
/** Two factors, the second phishing-resistant (a passkey): asked for per request, or by tenant policy. */
export const ACR_PHISHING_RESISTANT = 'urn:usp-idp:acr:phr';
export const ACR_VALUES = [ACR_ONE_FACTOR, ACR_TWO_FACTOR, ACR_PHISHING_RESISTANT] as const;

/** RFC 8176 methods that prove a key bound to our origin: a passkey. */
export const PHISHING_RESISTANT_AMR = ['hwk', 'swk'] as const;

/** RFC 8176 `amr` for a password-only login. */
export const AMR_PASSWORD = ['pwd'] as const;
