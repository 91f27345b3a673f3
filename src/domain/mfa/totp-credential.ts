export interface TotpCredentialRecord {
  sealedSecret: string;
  confirmedAt: number;
  lastUsedStep: number;
}
