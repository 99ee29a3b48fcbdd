import { randomBytes, randomUUID, timingSafeEqual, createHash } from 'node:crypto';
import { CODE_ALPHABET, CODE_LENGTH } from '../shared/code.js';

/** 256 bits, URL-safe: a capability secret (CONTRACT.md asks for at least 128). */
export function newKey(): string {
  return randomBytes(32).toString('base64url');
}

export function newId(): string {
  return randomUUID();
}

/** Uniform over the alphabet: rejection sampling avoids the modulo bias of `byte % 31`. */
export function newEventCode(): string {
  const n = CODE_ALPHABET.length;
  const limit = 256 - (256 % n);
  let code = '';
  while (code.length < CODE_LENGTH) {
    for (const b of randomBytes(16)) {
      if (b < limit && code.length < CODE_LENGTH) code += CODE_ALPHABET[b % n];
    }
  }
  return code;
}

/**
 * Constant-time comparison. Hashing both sides first makes the lengths equal, so neither the
 * content nor the length of the secret leaks through timing.
 */
export function safeEqual(given: string | undefined | null, secret: string): boolean {
  if (typeof given !== 'string') return false;
  const a = createHash('sha256').update(given).digest();
  const b = createHash('sha256').update(secret).digest();
  return timingSafeEqual(a, b);
}

/**
 * What the store keeps of a rotated key: its SHA-256, enough to recognise the old link, never
 * enough to use it (the key has 256 bits of randomness, so the hash needs no salt).
 */
export function keyHash(secret: string): string {
  return createHash('sha256').update(secret).digest('base64url');
}
