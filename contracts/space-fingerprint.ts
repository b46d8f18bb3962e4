/**
 * A space's fingerprint: the same search (whatever the key order or formatting of its file) gives
 * the same value, so `sweep start` can find a sweep already running it and reattach.
 */
import { createHash } from 'node:crypto';
import type { Space } from './space';

function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.keys(value).sort().map((k) => [k, canonical((value as Record<string, unknown>)[k])]));
  }
  return value;
}

export function spaceFingerprint(space: Space): string {
  return createHash('sha256').update(JSON.stringify(canonical(space))).digest('hex').slice(0, 32);
}
