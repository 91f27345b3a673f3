import type { Services } from '../../src/services.js';
import { RP_AFTER_LOGOUT, RP_CALLBACK } from './relying-party.js';

export interface JsonResponse {
  status: number;
  headers: Headers;
  body: Record<string, unknown>;
}

/** The answer to a registration request (RFC 7591 §3.2.1), with the fields the tests use. */
export interface Registration extends Record<string, unknown> {
  client_id: string;
  client_secret?: string;
  registration_access_token: string;
  registration_client_uri: string;
}

/** Creates an initial access token as `registration-token create` does, and returns the token. */
export async function issueRegistrationToken(
  services: Services,
  options: { tenantId?: string; expiresInSeconds?: number } = {},
): Promise<string> {
  return (await services.registrationTokens.create(options, { actor: 'test' })).token;
}

/** Metadata of a web client that the test relying party can use. */
export function webClientMetadata(extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    client_name: 'Developer App',
    redirect_uris: [RP_CALLBACK],
    post_logout_redirect_uris: [RP_AFTER_LOGOUT],
    ...extra,
  };
}

/** POST /reg, with the initial access token as a bearer token when one is given. */
export function register(
  issuer: string,
  token: string | undefined,
  metadata: Record<string, unknown>,
): Promise<JsonResponse> {
  return jsonRequest('POST', `${issuer}/reg`, token, metadata);
}

/** Registers and insists it worked: the tests that need a client, not the registration itself. */
export async function registerClient(
  issuer: string,
  token: string,
  metadata: Record<string, unknown> = webClientMetadata(),
): Promise<Registration> {
  const response = await register(issuer, token, metadata);
  if (response.status !== 201) {
    throw new Error(`Registration failed (${response.status}): ${JSON.stringify(response.body)}`);
  }
  return response.body as Registration;
}

/** An RFC 7592 request to a client's configuration endpoint. */
export function manage(
  method: 'GET' | 'PUT' | 'DELETE',
  url: string,
  registrationAccessToken: string,
  body?: Record<string, unknown>,
): Promise<JsonResponse> {
  return jsonRequest(method, url, registrationAccessToken, body);
}

/** A read response turned into an update request: RFC 7592 §2.2 forbids sending these four back. */
export function updatable(read: Record<string, unknown>): Record<string, unknown> {
  const {
    registration_access_token: _token,
    registration_client_uri: _uri,
    client_secret_expires_at: _expiresAt,
    client_id_issued_at: _issuedAt,
    ...metadata
  } = read;
  return metadata;
}

async function jsonRequest(
  method: string,
  url: string,
  token: string | undefined,
  body: Record<string, unknown> | undefined,
): Promise<JsonResponse> {
  const response = await fetch(url, {
    method,
    headers: {
      accept: 'application/json',
      ...(body ? { 'content-type': 'application/json' } : {}),
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  const text = await response.text();
  return {
    status: response.status,
    headers: response.headers,
    body: text ? (JSON.parse(text) as Record<string, unknown>) : {},
  };
}
