import { after, before } from 'node:test';
import { seedClient, seedUser, type SeededUser } from './fixtures.js';
import { RelyingParty } from './relying-party.js';
import { SmtpSink } from './smtp-sink.js';
import { startTestServer, type TestServer } from './test-server.js';

/**
 * For the tests of one `describe`: a server whose mail goes to a real SMTP server started here, the test
 * portal as its relying party, and new users of `tenantId` (`person1`, `person2`, … with addresses
 * `<login>@<tenant>.example`). Started before the tests, stopped after them.
 */
export function serverWithMailbox(tenantId: string) {
  const world = {} as { server: TestServer; mailbox: SmtpSink; rp: RelyingParty };
  let users = 0;
  before(async () => {
    world.mailbox = await SmtpSink.start();
    world.server = await startTestServer({ env: { SMTP_URL: world.mailbox.url } });
    const client = await seedClient(world.server.runtime.services);
    world.rp = await RelyingParty.discover({ issuer: world.server.url, ...client });
  });
  after(async () => {
    await world.server?.close();
    await world.mailbox?.close();
  });
  return {
    get server() {
      return world.server;
    },
    get mailbox() {
      return world.mailbox;
    },
    get rp() {
      return world.rp;
    },
    newUser: (roles: string[] = []): Promise<SeededUser> =>
      seedUser(world.server.runtime.services, tenantId, `person${++users}`, { roles }),
    addressOf: (user: SeededUser) => `${user.login}@${tenantId}.example`,
    /** The mails to `address`, oldest first, once the server's mailer has sent everything. */
    mailsTo: async (address: string) => {
      await world.server.runtime.mailer.idle();
      return world.mailbox.to(address);
    },
  };
}
