import { generateKeyPair, exportJWK } from 'jose';
import Provider from 'oidc-provider';
import { FLOOR_MACHINE, FLOOR_TOKEN_PATH } from './floor-settings.js';

/**
 * The library floor: a bare oidc-provider (its in-memory adapter, the version in node_modules) serving the
 * same endpoints as usp-idp, with nothing of ours in the way. Started by the bench under the same pinning;
 * serves until SIGTERM.
 */

async function main(): Promise<void> {
  const port = Number(process.argv[2]);
  const issuer = `http://127.0.0.1:${port}`;
  const keys = await Promise.all(
    (['RS256', 'ES256'] as const).map(async (alg, index) => {
      const { privateKey } = await generateKeyPair(alg, { extractable: true });
      return { ...(await exportJWK(privateKey)), alg, use: 'sig', kid: `floor-${index}` };
    }),
  );
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: FLOOR_MACHINE.clientId,
        client_secret: FLOOR_MACHINE.clientSecret,
        grant_types: ['client_credentials'],
        redirect_uris: [],
        response_types: [],
      },
      {
        client_id: 'floor-portal',
        client_secret: 'floor-portal-secret',
        redirect_uris: ['http://localhost:4000/callback'],
      },
    ],
    jwks: { keys },
    features: {
      devInteractions: { enabled: false },
      clientCredentials: { enabled: true },
      introspection: { enabled: true },
      userinfo: { enabled: true },
    },
    findAccount: (_ctx, sub) => Promise.resolve({ accountId: sub, claims: () => Promise.resolve({ sub }) }),
  });
  provider.use(async (ctx, next) => {
    if (ctx.path === FLOOR_TOKEN_PATH) ctx.body = { token: await mintUserinfoToken(provider) };
    else await next();
  });
  const server = provider.listen(port, '127.0.0.1');
  process.on('SIGTERM', () => server.close(() => process.exit(0)));
}

async function mintUserinfoToken(provider: Provider): Promise<string> {
  const client = (await provider.Client.find('floor-portal'))!;
  const grant = new provider.Grant({ accountId: 'floor-user', clientId: 'floor-portal' });
  grant.addOIDCScope('openid');
  const grantId = await grant.save();
  return new provider.AccessToken({
    accountId: 'floor-user',
    client,
    grantId,
    scope: 'openid',
    gty: 'authorization_code',
  }).save();
}

if (process.argv[1] === new URL(import.meta.url).pathname) await main();
