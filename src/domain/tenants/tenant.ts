export type TenantStatus = 'active' | 'disabled';
export type MfaPolicy = 'required' | 'optional';
export type TenantKind = 'customer' | 'reseller';

export interface TenantRecord {
  id: string;
  name: string;
  status: TenantStatus;
  kind: TenantKind;
  /** The reseller a customer tenant belongs to, if any. */
  parentId: string | null;
  mfaPolicy: MfaPolicy;
  /** 'required': the tenant's administrators must use a phishing-resistant factor (a passkey), not TOTP. */
  mfaPhishingResistant: MfaPolicy;
  /** Null: the deployment's minimum applies. */
  minPasswordLength: number | null;
  createdAt: number;
  updatedAt: number;
}

export type TenantChanges = Partial<
  Pick<TenantRecord, 'name' | 'status' | 'mfaPolicy' | 'mfaPhishingResistant' | 'minPasswordLength'>
>;
