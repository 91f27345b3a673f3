import { startUpstream, type UpstreamUser } from './upstream-app.js';

/** `npm run demo:upstream`: the demo Reseller Portal, an upstream OpenID provider, on http://localhost:4100. */
const DEMO_USERS: UpstreamUser[] = [
  {
    sub: 'rsp-alice',
    username: 'alice',
    password: 'alice-rsp-password',
    email: 'alice@reseller-portal.example',
    mfa: true,
  },
  {
    sub: 'rsp-bob',
    username: 'bob',
    password: 'bob-rsp-password',
    email: 'bob@reseller-portal.example',
    mfa: false,
  },
];
const CLIENT_ID = 'usp-idp';
const DEMO_SECRET = 'demo-upstream-secret';

function port(text: string | undefined): number {
  if (text === undefined || text === '') return 4100;
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1 || value > 65535) {
    process.stderr.write(`UPSTREAM_PORT must be a port number (1-65535), not ${JSON.stringify(text)}\n`);
    process.exit(1);
  }
  return value;
}

async function main() {
  const listenPort = port(process.env.UPSTREAM_PORT);
  const clientSecret = process.env.UPSTREAM_CLIENT_SECRET || DEMO_SECRET;
  const idpIssuer = (process.env.IDP_ISSUER || 'http://localhost:3000').replace(/\/+$/, '');
  const redirectUri = `${idpIssuer}/upstream/callback`;

  const upstream = await startUpstream({
    port: listenPort,
    clients: [{ clientId: CLIENT_ID, clientSecret, redirectUris: [redirectUri] }],
    users: DEMO_USERS,
  }).catch((error: Error) => {
    process.stderr.write(`The Reseller Portal cannot listen on port ${listenPort}: ${error.message}\n`);
    process.exit(1);
  });

  const secretSource =
    clientSecret === DEMO_SECRET ? `printf '%s' '${DEMO_SECRET}'` : `printf '%s' "$UPSTREAM_CLIENT_SECRET"`;
  process.stdout.write(
    [
      `Reseller Portal (demo upstream OpenID provider) on ${upstream.url}/`,
      `  issuer:        ${upstream.issuer}`,
      `  discovery:     ${upstream.issuer}/.well-known/openid-configuration`,
      `  client id:     ${CLIENT_ID}`,
      `  client secret: ${clientSecret === DEMO_SECRET ? DEMO_SECRET : '(from UPSTREAM_CLIENT_SECRET)'}`,
      `  redirect URI:  ${redirectUri}`,
      '',
      '  users:',
      ...DEMO_USERS.map(
        (user) =>
          `    ${user.username.padEnd(6)} password ${user.password.padEnd(20)} subject ${user.sub.padEnd(10)} ${
            user.mfa
              ? 'MFA (amr pwd otp mfa, acr urn:rsp:acr:2fa)'
              : 'password only (amr pwd, acr urn:rsp:acr:1fa)'
          }`,
      ),
      '',
      '  Register it at the IdP (replace <reseller-id>, <upstream-id> and <username>):',
      `    ${secretSource} | npm run cli -- upstream create --tenant <reseller-id> --name "Reseller Portal" \\`,
      `      --issuer ${upstream.issuer} --client-id ${CLIENT_ID} --client-secret-stdin --portal-url ${upstream.url}`,
      '    npm run cli -- user link --tenant <reseller-id> --user <username> --upstream <upstream-id> --subject rsp-alice',
      '',
    ].join('\n'),
  );

  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      void upstream.close().then(() => process.exit(0));
    });
  }
}

await main();
