export type KeyPurpose = 'signing' | 'cookie';

export interface KeyRecord {
  id: string;
  purpose: KeyPurpose;
  alg: string;
  generation: number;
  sealedMaterial: string;
  createdAt: number;
  /** When the generation starts to sign; before that it is only published. */
  activatesAt: number;
  /** Set by rotations before key schedules existed; a schedule retires keys by time instead. */
  retiredAt: number | null;
}
