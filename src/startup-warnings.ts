import fs from 'node:fs';
import type { Config } from '../config/config.js';
import type { MasterKey } from './master-key.js';

export interface StartupWarning {
  setting: string;
  message: string;
}

/** Settings that work, but are unsafe for production: logged once at start, each naming its setting. */
export function startupWarnings(
  config: Config,
  masterKey: Pick<MasterKey, 'source' | 'fromDataDir'>,
): StartupWarning[] {
  if (config.env !== 'production') return [];
  const warnings: StartupWarning[] = [];
  if (!config.issuer.startsWith('https:')) {
    warnings.push({
      setting: 'ISSUER',
      message: `ISSUER is ${config.issuer}: use an https URL, or cookies and tokens travel in the clear`,
    });
  }
  if (masterKey.fromDataDir && isWritable(config.dataDir)) {
    warnings.push({
      setting: 'MASTER_KEY',
      message: `MASTER_KEY is not set: the master key lives in ${masterKey.source}, next to the data it protects; set MASTER_KEY from a secret store`,
    });
  }
  return warnings;
}

function isWritable(directory: string): boolean {
  try {
    fs.accessSync(directory, fs.constants.W_OK);
    return true;
  } catch {
    return false;
  }
}
