import { z } from 'zod';

/** Every error code that may leave the server over Socket.IO (CONTRACT.md). */
export const ErrorCode = {
  invalid_payload: 'invalid_payload',
  unauthorized: 'unauthorized',
  forbidden: 'forbidden',
  not_found: 'not_found',
  rate_limited: 'rate_limited',
  conflict: 'conflict',
  not_live: 'not_live',
  internal: 'internal',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/** Handshake refusals, sent as the `connect_error` message. */
export const HandshakeError = {
  not_found: 'not_found',
  unauthorized: 'unauthorized',
  invalid_payload: 'invalid_payload',
  rate_limited: 'rate_limited',
} as const;
export type HandshakeError = (typeof HandshakeError)[keyof typeof HandshakeError];

export const ValidationIssue = z.object({ path: z.array(z.union([z.string(), z.number()])), message: z.string() });
export type ValidationIssue = z.infer<typeof ValidationIssue>;

export interface ErrorBody {
  code: string;
  message: string;
  issues?: ValidationIssue[];
  /** With `unauthorized`: the key was good once (`key_revoked`, `key_expired`; see shared/access.ts). */
  reason?: string;
}

export type Ack<T = undefined> = { ok: true; data?: T } | { ok: false; error: ErrorBody };
export type AckCallback<T = undefined> = (response: Ack<T>) => void;

/** zod issues → the contract's `issues` array (paths and messages only, never input values). */
export function toIssues(error: z.ZodError): ValidationIssue[] {
  return error.issues.slice(0, 20).map((i) => ({
    path: i.path.map((p) => (typeof p === 'symbol' ? String(p) : p)),
    message: i.message,
  }));
}
