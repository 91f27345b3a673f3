/** `acr` values: what the RP learns about how strongly the user authenticated. */
export const ACR_ONE_FACTOR = 'urn:usp-idp:acr:1fa';
export const ACR_TWO_FACTOR = 'urn:usp-idp:acr:2fa';
export const ACR_VALUES = [ACR_ONE_FACTOR, ACR_TWO_FACTOR] as const;

/** RFC 8176 `amr` for a password-only login. */
export const AMR_PASSWORD = ['pwd'] as const;
