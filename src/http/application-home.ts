declare module 'koa' {
  interface DefaultState {
    /** The application a page can send people back to, when it is known. */
    backToApplication?: ApplicationHome | undefined;
  }
}

export interface ApplicationHome {
  name: string;
  href: string;
}

interface ClientLike {
  clientId: string;
  clientName?: string | undefined;
  redirectUris?: readonly string[] | undefined;
}

/**
 * The start page of a client's application: the origin of its first registered redirect URI, which the
 * client itself registered (never an address from the request). Undefined for apps without a web origin.
 */
export function applicationHome(client: ClientLike | undefined): ApplicationHome | undefined {
  const uri = client?.redirectUris?.[0];
  if (!client || !uri || !URL.canParse(uri)) return undefined;
  const { origin, protocol } = new URL(uri);
  if (origin === 'null' || (protocol !== 'https:' && protocol !== 'http:')) return undefined;
  return { name: client.clientName ?? client.clientId, href: `${origin}/` };
}
