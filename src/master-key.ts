import fs from 'node:fs';
import path from 'node:path';
import crypto from 'node:crypto';
import type { Config } from '../config/config.js';

const KEY_FILE = 'master.key';

export interface MasterKey {
  key: Buffer;
  /** `MASTER_KEY`, or the file it was read from (and, on the first start, generated into). */
  source: string;
  /** Read from a file in the data folder rather than from MASTER_KEY. */
  fromDataDir: boolean;
}

/**
 * The master key seals keys and secrets at rest. It comes from MASTER_KEY (required when several instances
 * share a database), or from `$DATA_DIR/master.key`, created once with mode 0600.
 */
export function loadMasterKey(config: Config): MasterKey {
  if (config.masterKey) {
    return { key: decodeKey(config.masterKey, 'MASTER_KEY'), source: 'MASTER_KEY', fromDataDir: false };
  }
  const file = path.join(config.dataDir, KEY_FILE);
  fs.mkdirSync(config.dataDir, { recursive: true });
  try {
    fs.writeFileSync(file, crypto.randomBytes(32).toString('base64'), { mode: 0o600, flag: 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  return { key: decodeKey(fs.readFileSync(file, 'utf8').trim(), file), source: file, fromDataDir: true };
}

function decodeKey(encoded: string, source: string): Buffer {
  const key = /^[0-9a-f]{64}$/i.test(encoded) ? Buffer.from(encoded, 'hex') : Buffer.from(encoded, 'base64');
  if (key.length !== 32) throw new Error(`${source} must hold 32 bytes, as base64 or hex`);
  return key;
}
