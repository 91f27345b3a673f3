/** An OpenID provider upstream (the Reseller Portal) whose users can be linked to ours. */
export interface UpstreamRecord {
  id: string;
  /** The reseller (or standalone) tenant it is configured for; it serves that tenant and its customers. */
  tenantId: string;
  name: string;
  issuer: string;
  clientId: string;
  sealedClientSecret: string;
  /** Where people manage their account there; null: the issuer's origin. */
  portalUrl: string | null;
  /** acr values of the upstream that prove a second factor, besides `amr` `mfa` or `otp`. */
  mfaAcrValues: string[];
  createdAt: number;
}

/** A local user tied to one subject of one upstream. */
export interface UserLinkRecord {
  userId: string;
  tenantId: string;
  upstreamId: string;
  subject: string;
  createdAt: number;
}

/** Where a linked person manages their account: the configured URL or the issuer's origin. */
export function portalUrlOf(upstream: Pick<UpstreamRecord, 'portalUrl' | 'issuer'>): string {
  return upstream.portalUrl ?? new URL(upstream.issuer).origin;
}
