import crypto from 'node:crypto';
import { calculateJwkThumbprint, EmbeddedJWK, jwtVerify, type JWK, type JWTPayload } from 'jose';
import type { ProofReplay } from '../../domain/access/proof-replay.js';
import { epochSeconds, type Clock } from '../../domain/shared/clock.js';
import { ProblemError } from './problem.js';

/** Asymmetric algorithms only (RFC 9449 §4.2): never `none`, never a MAC. */
export const DPOP_ALGORITHMS = ['ES256', 'ES384', 'PS256', 'RS256', 'EdDSA', 'Ed25519'];
/** How far a proof's `iat` may lie from our clock, either way. */
const IAT_WINDOW_SECONDS = 60;

export interface ProofRequest {
  /** Every `DPoP` header of the request (there must be exactly one). */
  proofs: string[];
  method: string;
  /** The request's URL as the client addressed it: our issuer's origin and the path, no query. */
  url: string;
  accessToken: string;
  /** `cnf.jkt` of the access token: the thumbprint of the key the token is bound to. */
  boundKey: string;
}

const invalidProof = (detail: string) =>
  new ProblemError(401, 'invalid_dpop_proof', detail, undefined, 'DPoP error="invalid_dpop_proof"');

/**
 * Checks the DPoP proof that must accompany a sender-constrained access token (RFC 9449 §4.3 and §7.1):
 * one proof, typed `dpop+jwt`, signed with an asymmetric key embedded in its header; for this method and
 * URL; issued just now; never seen before; naming this access token (`ath`); and made with the very key the
 * token is bound to.
 */
export async function verifyProof(request: ProofRequest, replay: ProofReplay, clock: Clock): Promise<void> {
  if (request.proofs.length !== 1) throw invalidProof('Send exactly one DPoP proof with a DPoP-bound token.');
  let payload: JWTPayload;
  let jwk: JWK | undefined;
  try {
    const verified = await jwtVerify(request.proofs[0]!, EmbeddedJWK, {
      typ: 'dpop+jwt',
      algorithms: DPOP_ALGORITHMS,
    });
    payload = verified.payload;
    jwk = verified.protectedHeader.jwk;
  } catch {
    throw invalidProof('The DPoP proof is not a valid signed proof.');
  }
  const { htm, htu, iat, jti, ath } = payload as JWTPayload & Record<string, unknown>;
  if (htm !== request.method) throw invalidProof('The DPoP proof is for another method.');
  if (typeof htu !== 'string' || withoutQuery(htu) !== withoutQuery(request.url)) {
    throw invalidProof('The DPoP proof is for another URL.');
  }
  if (typeof iat !== 'number' || Math.abs(epochSeconds(clock) - iat) > IAT_WINDOW_SECONDS) {
    throw invalidProof('The DPoP proof is too old or from the future.');
  }
  const expectedAth = crypto.createHash('sha256').update(request.accessToken).digest('base64url');
  if (ath !== expectedAth) throw invalidProof('The DPoP proof is for another access token.');
  if (!jwk || (await calculateJwkThumbprint(jwk)) !== request.boundKey) {
    throw invalidProof('The DPoP proof is signed with another key than the token is bound to.');
  }
  if (typeof jti !== 'string' || jti.length < 8 || jti.length > 200) {
    throw invalidProof('The DPoP proof needs a unique jti.');
  }
  if (!(await replay.firstUse(request.boundKey, jti, 2 * IAT_WINDOW_SECONDS))) {
    throw invalidProof('This DPoP proof was used before.');
  }
}

function withoutQuery(url: string): string {
  if (!URL.canParse(url)) return '';
  const parsed = new URL(url);
  return `${parsed.origin}${parsed.pathname}`;
}
