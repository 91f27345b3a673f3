/** The messages between the hashing pool and its worker threads. */
export type HashJob =
  | { id: number; kind: 'hash'; input: string; cost: number }
  | { id: number; kind: 'compare'; input: string; hash: string };

export type HashOutcome =
  | { id: number; value: string | boolean; error?: undefined }
  | { id: number; error: string; value?: undefined };
