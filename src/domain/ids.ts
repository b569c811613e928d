import { randomBytes } from 'node:crypto';

const ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz'; // Crockford base32, lower case

function base32(bytes: Uint8Array, length: number): string {
  let out = '';
  for (let i = 0; i < length; i++) out += ALPHABET[bytes[i] % 32];
  return out;
}

function timePart(ms: number): string {
  let out = '';
  for (let i = 0; i < 10; i++) {
    out = ALPHABET[ms % 32] + out;
    ms = Math.floor(ms / 32);
  }
  return out;
}

/**
 * A prefixed, time-sortable identifier: `cus_01hx3…` (prefix, 10 chars of milliseconds, 16 random).
 * Sorting ids sorts by creation time, which keyset pagination relies on.
 */
export function newId(prefix: string, nowMs: number = Date.now()): string {
  return `${prefix}_${timePart(nowMs)}${base32(randomBytes(16), 16)}`;
}

export const ID_LENGTH = 40; // VARCHAR size for every id column: prefix (<=12) + '_' + 26
