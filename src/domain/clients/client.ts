/** The OIDC metadata we keep for a client, in RFC 7591 names. */
export interface ClientMetadata {
  redirect_uris: string[];
  post_logout_redirect_uris: string[];
  grant_types: string[];
  response_types: string[];
  token_endpoint_auth_method: 'client_secret_basic' | 'client_secret_post' | 'none';
  scope?: string;
  /** Registered clients (RFC 7591) keep the rest of their metadata too: client_uri, logo_uri, jwks… */
  [property: string]: unknown;
}

export interface ClientRecord {
  id: string;
  tenantId: string | null;
  name: string;
  /** SHA-256 of the secret (hex); null for public clients. */
  secretHash: string | null;
  metadata: ClientMetadata;
  firstParty: boolean;
  requireRoles: string[];
  /** Users of this client must use a second factor. */
  requireMfa: boolean;
  /** What a machine client may do in its tenant through the admin API (client_credentials). */
  permissions: string[];
  /** Registered by a developer through RFC 7591 and managed with a registration access token. */
  registered: boolean;
  createdAt: number;
  updatedAt: number;
}

/** What a developer may change of a registered client (RFC 7592); tenant and trust stay as registered. */
export interface RegisteredClientChanges {
  name: string;
  metadata: ClientMetadata;
  /** A new secret's SHA-256, null for a client that became public, undefined to keep the current one. */
  secretHash?: string | null;
  updatedAt: number;
}
