/** A client that requires roles admits only users holding at least one of them. */
export function mayUseClient(userRoles: readonly string[], requiredRoles: readonly string[]): boolean {
  return requiredRoles.length === 0 || requiredRoles.some((role) => userRoles.includes(role));
}
