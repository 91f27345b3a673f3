/** Opaque page cursors: the position after which the next page starts. */
export const encodeCursor = (position: string | number) =>
  Buffer.from(String(position)).toString('base64url');

export const decodeCursor = (cursor: string | undefined) =>
  cursor === undefined ? undefined : Buffer.from(cursor, 'base64url').toString('utf8');
