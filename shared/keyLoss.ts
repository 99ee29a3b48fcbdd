/**
 * Why a key that was once good opens nothing now: the `reason` of a 401 and of a refused
 * handshake (`connect_error.data.reason`). Kept apart from the zod schemas of access.ts, so
 * the pages that only read it do not load zod for it.
 */
export const KeyLoss = { revoked: 'key_revoked', expired: 'key_expired' } as const;
export type KeyLoss = (typeof KeyLoss)[keyof typeof KeyLoss];
export const isKeyLoss = (v: unknown): v is KeyLoss => v === KeyLoss.revoked || v === KeyLoss.expired;

/** The key loss a refused handshake carries (`connect_error.data.reason`), else null. */
export function handshakeKeyLoss(err: unknown): KeyLoss | null {
  const reason = (err as { data?: { reason?: unknown } } | null)?.data?.reason;
  return isKeyLoss(reason) ? reason : null;
}
