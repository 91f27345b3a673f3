/** What the bench and the floor server (a separate process) agree on. */
export const FLOOR_MACHINE = {
  clientId: 'floor-machine',
  clientSecret: 'floor-machine-secret-0123456789abcdef',
};
/**
 * The floor mints a fresh userinfo access token here: its memory adapter keeps only the newest 1,000
 * tokens, so a token minted at start is gone after the client_credentials scenario.
 */
export const FLOOR_TOKEN_PATH = '/bench/userinfo-token';
