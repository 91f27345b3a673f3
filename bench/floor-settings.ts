/** What the bench and the floor server (a separate process) agree on. */
export const FLOOR_ANNOUNCEMENT = 'floor-ready ';
export const FLOOR_MACHINE = {
  clientId: 'floor-machine',
  clientSecret: 'floor-machine-secret-0123456789abcdef',
};
