import type { Repositories } from '../../../db/repositories/index.js';
import { OPERATOR } from '../access/actor.js';
import type { ClientService } from '../clients/client-service.js';
import { epochMillis, type Clock } from '../shared/clock.js';
import type { TenantService } from '../tenants/tenant-service.js';
import type { UserService } from '../users/user-service.js';

export const DEMO_TENANT = { id: '123456.sms', name: 'Demo Customer' } as const;
export const DEMO_PORTAL_REDIRECT_URI = 'http://localhost:4000/callback';

export interface DemoCredentials {
  tenantId: string;
  admin: { username: string; password: string };
  user: { username: string; password: string };
  portal: { clientId: string; clientSecret: string; redirectUri: string };
}

interface SeedingServices {
  tenants: TenantService;
  users: UserService;
  clients: ClientService;
}

/**
 * Seeds the demo tenant once per installation, on the first start with an empty database, in one
 * transaction. Returns the generated credentials only to the process that seeded them; every later start
 * (and every other instance) gets undefined.
 */
export async function seedDemoOnce(
  repositories: Repositories,
  servicesFor: (repositories: Repositories) => SeedingServices,
  clock: Clock,
): Promise<DemoCredentials | undefined> {
  return repositories.inTransaction(async (transaction) => {
    if (!(await transaction.tenants.isEmpty())) return undefined;
    if (!(await transaction.installationFacts.recordOnce('demo_seeded', epochMillis(clock))))
      return undefined;
    const { tenants, users, clients } = servicesFor(transaction);
    await tenants.create(OPERATOR, DEMO_TENANT);
    const admin = await users.create(OPERATOR, {
      tenantId: DEMO_TENANT.id,
      username: 'admin',
      email: 'admin@demo.example',
      displayName: 'Demo Admin',
      roles: ['admin'],
    });
    const user = await users.create(OPERATOR, {
      tenantId: DEMO_TENANT.id,
      username: 'user',
      email: 'user@demo.example',
      displayName: 'Demo User',
    });
    const portal = await clients.create({
      id: 'portal',
      name: 'Mobile Security Portal',
      redirectUris: [DEMO_PORTAL_REDIRECT_URI],
      postLogoutRedirectUris: ['http://localhost:4000/'],
      // The seed: to use the portal, a user needs the admin role in their tenant.
      requireRoles: ['admin'],
    });
    return {
      tenantId: DEMO_TENANT.id,
      admin: { username: admin.details.user.username, password: admin.generatedPassword! },
      user: { username: user.details.user.username, password: user.generatedPassword! },
      portal: {
        clientId: portal.client.id,
        clientSecret: portal.clientSecret!,
        redirectUri: DEMO_PORTAL_REDIRECT_URI,
      },
    };
  });
}
