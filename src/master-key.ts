import fs from 'node:fs';
import path from 'node:path';
import crypto from 'node:crypto';
import type { Config } from '../config/config.js';

const KEY_FILE = 'master.key';

/**
 * The master key seals keys and secrets at rest. It comes from MASTER_KEY (required when several instances
 * share a database), or from `$DATA_DIR/master.key`, created once with mode 0600.
 */
export function loadMasterKey(config: Config): Buffer {
  if (config.masterKey) return decodeKey(config.masterKey, 'MASTER_KEY');
  const file = path.join(config.dataDir, KEY_FILE);
  fs.mkdirSync(config.dataDir, { recursive: true });
  try {
    fs.writeFileSync(file, crypto.randomBytes(32).toString('base64'), { mode: 0o600, flag: 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  return decodeKey(fs.readFileSync(file, 'utf8').trim(), file);
}

function decodeKey(encoded: string, source: string): Buffer {
  const key = /^[0-9a-f]{64}$/i.test(encoded) ? Buffer.from(encoded, 'hex') : Buffer.from(encoded, 'base64');
  if (key.length !== 32) throw new Error(`${source} must hold 32 bytes, as base64 or hex`);
  return key;
}
