/**
 * Event codes: 6 characters people read aloud and type on a phone. The alphabet leaves out
 * look-alikes (0/O, 1/I/L) so a code read off a showroom screen is typed right first time.
 */
export const CODE_ALPHABET = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';
export const CODE_LENGTH = 6;

const CODE_RE = new RegExp(`^[${CODE_ALPHABET}]{${CODE_LENGTH}}$`);

/** Upper-cases and strips spaces/dashes; returns null when it cannot be a code. */
export function normalizeCode(input: string): string | null {
  const code = input.replace(/[\s-]/g, '').toUpperCase();
  return CODE_RE.test(code) ? code : null;
}
