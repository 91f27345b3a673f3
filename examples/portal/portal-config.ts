import fs from 'node:fs';
import path from 'node:path';
import { DEMO_PORTAL_FILE } from '../../src/demo-portal-file.js';

export interface PortalConfig {
  /** The IdP, e.g. http://localhost:3000. */
  issuer: URL;
  clientId: string;
  clientSecret: string;
  /** Must be registered at the IdP for the client, e.g. http://localhost:4000/callback. */
  redirectUri: URL;
  /** Where the IdP sends the browser after logout; registered at the IdP too. */
  postLogoutRedirectUri: URL;
  /** Only for the start page's hint "log in to tenant …": the demo tenant from the IdP's first start. */
  demoTenantId?: string;
}

export interface PortalListenConfig {
  port: number;
  host: string;
}

/** A configuration problem the user can fix; main.ts prints the message instead of a stack trace. */
export class PortalConfigError extends Error {}

export const DEFAULT_PORT = 4000;

type Env = Record<string, string | undefined>;

/** PORTAL_PORT (default 4000) and PORTAL_HOST (default 127.0.0.1, like the IdP). */
export function loadListenConfig(env: Env = process.env): PortalListenConfig {
  const portText = env.PORTAL_PORT?.trim() || String(DEFAULT_PORT);
  const port = Number(portText);
  if (!/^\d+$/.test(portText) || port > 65535) {
    throw new PortalConfigError(`PORTAL_PORT must be a port number, not "${portText}".`);
  }
  return { port, host: env.PORTAL_HOST?.trim() || '127.0.0.1' };
}

/**
 * The client credentials: `$DATA_DIR/demo-portal.json` (written by the IdP's first start in development),
 * each value overridden by its environment variable (PORTAL_ISSUER, PORTAL_CLIENT_ID, PORTAL_CLIENT_SECRET,
 * PORTAL_REDIRECT_URI, PORTAL_POST_LOGOUT_REDIRECT_URI).
 */
export function loadPortalConfig(env: Env = process.env, port = DEFAULT_PORT): PortalConfig {
  const file = path.resolve(env.DATA_DIR?.trim() || './data', DEMO_PORTAL_FILE);
  const fromFile = readDemoPortalFile(file);
  const value = (name: string, fileValue: string | undefined) => env[name]?.trim() || fileValue;

  const issuer = value('PORTAL_ISSUER', fromFile?.issuer);
  const clientId = value('PORTAL_CLIENT_ID', fromFile?.clientId);
  const clientSecret = value('PORTAL_CLIENT_SECRET', fromFile?.clientSecret);
  if (!issuer || !clientId || !clientSecret) {
    const missing = [
      ...(issuer ? [] : ['PORTAL_ISSUER']),
      ...(clientId ? [] : ['PORTAL_CLIENT_ID']),
      ...(clientSecret ? [] : ['PORTAL_CLIENT_SECRET']),
    ];
    throw new PortalConfigError(
      [
        `The portal has no client credentials: ${file} ${fromFile ? 'is incomplete' : 'does not exist'}.`,
        'Start the IdP first (npm start): its first start in development creates the demo tenant and',
        `the portal client and writes that file. Or set ${missing.join(', ')}.`,
      ].join('\n'),
    );
  }

  const redirectUri = parseUrl(
    'PORTAL_REDIRECT_URI',
    value('PORTAL_REDIRECT_URI', fromFile?.redirectUri) ?? `http://localhost:${port}/callback`,
  );
  const postLogoutRedirectUri = parseUrl(
    'PORTAL_POST_LOGOUT_REDIRECT_URI',
    value('PORTAL_POST_LOGOUT_REDIRECT_URI', undefined) ?? new URL('/', redirectUri).href,
  );
  const config: PortalConfig = {
    issuer: parseUrl('PORTAL_ISSUER', issuer),
    clientId,
    clientSecret,
    redirectUri,
    postLogoutRedirectUri,
    ...(fromFile?.tenantId ? { demoTenantId: fromFile.tenantId } : {}),
  };
  if (config.issuer.protocol === 'http:' && !isLoopback(config.issuer)) {
    throw new PortalConfigError(
      `The issuer ${config.issuer.href} must be https; plain http is only allowed for localhost.`,
    );
  }
  return config;
}

/** Plain http is tolerated only towards an IdP on this machine (the development setup). */
export function isLoopback(url: URL): boolean {
  return ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname);
}

interface DemoPortalFile {
  issuer?: string;
  clientId?: string;
  clientSecret?: string;
  redirectUri?: string;
  tenantId?: string;
}

function readDemoPortalFile(file: string): DemoPortalFile | undefined {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new PortalConfigError(`Cannot read ${file}: ${(error as Error).message}`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new PortalConfigError(
      `${file} is not valid JSON. Delete it and start the IdP with a fresh DATA_DIR.`,
    );
  }
  if (typeof parsed !== 'object' || parsed === null) return {};
  const record = parsed as Record<string, unknown>;
  const field = (key: keyof DemoPortalFile) => {
    const candidate = record[key];
    return typeof candidate === 'string' && candidate !== '' ? candidate : undefined;
  };
  return {
    issuer: field('issuer'),
    clientId: field('clientId'),
    clientSecret: field('clientSecret'),
    redirectUri: field('redirectUri'),
    tenantId: field('tenantId'),
  };
}

function parseUrl(name: string, value: string): URL {
  try {
    return new URL(value);
  } catch {
    throw new PortalConfigError(`${name} must be an absolute URL, not "${value}".`);
  }
}
