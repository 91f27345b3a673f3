export type KeyPurpose = 'signing' | 'cookie';

export interface KeyRecord {
  id: string;
  purpose: KeyPurpose;
  alg: string;
  generation: number;
  sealedMaterial: string;
  createdAt: number;
  retiredAt: number | null;
}
