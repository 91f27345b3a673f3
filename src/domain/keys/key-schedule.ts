import type { KeyPurpose } from './key.js';

/**
 * - `published`: in the JWKS (and accepted for cookies), not yet signing;
 * - `signing`: the newest generation whose activation time has come;
 * - `verifying`: replaced, still published until the tokens (or cookies) it signed have expired;
 * - `retired`: no longer loaded.
 */
export type KeyState = 'published' | 'signing' | 'verifying' | 'retired';

export interface KeyTimings {
  /**
   * Milliseconds a new generation is published before it signs: every instance's reload interval plus the
   * JWKS cache lifetime we advertise, so nobody meets a signature by a key they have not seen.
   */
  publishMs: number;
  /** Milliseconds a replaced generation stays after its successor signs, per purpose. */
  retainMs: Record<KeyPurpose, number>;
}

export interface ScheduledKey {
  purpose: KeyPurpose;
  generation: number;
  activatesAt: number;
  retiredAt: number | null;
}

/** The newest generation whose activation time has come (the oldest one if none has, which never lasts). */
function signingGeneration(keys: readonly ScheduledKey[], now: number): number {
  const active = keys.filter((key) => key.activatesAt <= now).map((key) => key.generation);
  return active.length > 0 ? Math.max(...active) : Math.min(...keys.map((key) => key.generation));
}

/** When the generation after `generation` started (or starts) to sign. */
function successorActivation(keys: readonly ScheduledKey[], generation: number): number {
  const successors = keys.filter((key) => key.generation > generation);
  const next = Math.min(...successors.map((key) => key.generation));
  return Math.min(...successors.filter((key) => key.generation === next).map((key) => key.activatesAt));
}

export function keyState(
  key: ScheduledKey,
  keys: readonly ScheduledKey[],
  now: number,
  timings: KeyTimings,
): KeyState {
  if (key.retiredAt !== null) return 'retired';
  const signing = signingGeneration(keys, now);
  if (key.generation > signing) return 'published';
  if (key.generation === signing) return 'signing';
  const retiresAt = successorActivation(keys, key.generation) + timings.retainMs[key.purpose];
  return retiresAt > now ? 'verifying' : 'retired';
}

/**
 * The next moment a state changes by time alone (a published generation starts to sign, a replaced one
 * retires), or undefined when nothing is scheduled.
 */
export function nextTransition(
  keys: readonly ScheduledKey[],
  now: number,
  timings: KeyTimings,
): number | undefined {
  const moments: number[] = [];
  for (const key of keys) {
    if (key.retiredAt !== null) continue;
    if (key.activatesAt > now) moments.push(key.activatesAt);
    const newer = keys.some((other) => other.generation > key.generation);
    if (newer) {
      const retiresAt = successorActivation(keys, key.generation) + timings.retainMs[key.purpose];
      if (retiresAt > now) moments.push(retiresAt);
    }
  }
  return moments.length > 0 ? Math.min(...moments) : undefined;
}
