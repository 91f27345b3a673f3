import type { Machine } from '../machine.js';
import type { Variant } from '../measure.js';
import type { BenchOptions } from '../options.js';
import type { BenchClient } from '../seed.js';
import type { MeasuredProcess } from '../server-process.js';

export interface BenchContext {
  options: BenchOptions;
  machine: Machine;
  /** Progress lines, on stderr so the table stays alone on stdout. */
  log(line: string): void;
}

/** A server under load: usp-idp or the library floor, with what its scenarios need. */
export interface Target {
  subject: 'usp-idp' | 'floor' | Variant;
  process: MeasuredProcess;
  machineClient: BenchClient;
  /** An access token (scope openid) for userinfo. */
  userinfoToken: () => Promise<string>;
}

export const WRK_CONNECTIONS = 8;
