import Provider from 'oidc-provider';

export interface RequestMemo<V> {
  /** The value for `key`, loaded at most once during the current provider request. */
  get(key: string): Promise<V>;
  /** Drops `key` from the current request's memo (after this request changed it). */
  forget(key: string): void;
}

/**
 * Loads each value at most once per oidc-provider request, for the reads that several steps of one request
 * repeat (the client row: client authentication, then the token's claims). The memo hangs off the request's
 * context, so it lives exactly as long as the request: a client deleted or a secret rotated on another
 * instance is seen by the next request. Outside a provider request (our own pages) every call loads.
 */
export function requestMemo<V>(load: (key: string) => Promise<V>): RequestMemo<V> {
  const byRequest = new WeakMap<object, Map<string, Promise<V>>>();
  return {
    get(key) {
      const ctx = Provider.ctx;
      if (!ctx) return load(key);
      let memo = byRequest.get(ctx);
      if (!memo) byRequest.set(ctx, (memo = new Map<string, Promise<V>>()));
      let value = memo.get(key);
      if (!value) {
        value = load(key);
        memo.set(key, value);
        value.catch(() => memo.delete(key));
      }
      return value;
    },
    forget(key) {
      const ctx = Provider.ctx;
      if (ctx) byRequest.get(ctx)?.delete(key);
    },
  };
}
