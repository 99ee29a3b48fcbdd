import type { z } from 'zod';
import { toIssues, type Ack, type ErrorCode, type ValidationIssue } from '../../shared/errors.js';
import type { Role } from '../../shared/events.js';
import type { Logger } from '../logger.js';
import type { Room } from '../rooms/room.js';
import type { VitrineSocket } from './types.js';

/** A refusal whose code and message are safe to send to the client. */
export class CommandError extends Error {
  constructor(
    readonly code: Exclude<ErrorCode, 'internal'>,
    message: string,
    /** Field-level details of an `invalid_payload` found after parsing (e.g. an unknown dealer). */
    readonly issues?: ValidationIssue[],
  ) {
    super(message);
  }
}

export interface CommandContext {
  socket: VitrineSocket;
  room: Room;
  /**
   * Called when the command failed on our side (`internal`): it may have written to the store
   * before failing (a connection lost after the commit), so the room is read again.
   */
  unsure?: () => void;
}

interface CommandSpec<S extends z.ZodType, R> {
  /** Who may send it; anybody else gets `forbidden` and nothing happens. */
  role?: Role;
  /** A replay page's socket may send it (leads); any other command from one is `forbidden`. */
  replay?: boolean;
  schema: S;
  run: (ctx: CommandContext, payload: z.infer<S>) => Promise<R> | R;
}

export type CommandHandler = (ctx: CommandContext, args: unknown[]) => Promise<void>;

const MESSAGES: Record<Exclude<ErrorCode, 'internal'>, string> = {
  invalid_payload: 'The payload is not valid.',
  unauthorized: 'Not authenticated.',
  forbidden: 'Your role may not do this.',
  not_found: 'Not found.',
  rate_limited: 'Too many requests; slow down.',
  conflict: 'This conflicts with the current state.',
  not_live: 'The event is not live.',
};

/**
 * Wraps a handler in the one pipeline every command follows: pick the ack out of whatever the
 * client sent → authorise → validate → run (which persists) → ack. Broadcasting is the
 * handler's last step. Every path answers the ack once; unknown errors become `internal`.
 */
export function command<S extends z.ZodType, R>(spec: CommandSpec<S, R>, log: Logger): CommandHandler {
  return async (ctx, args) => {
    const last = args[args.length - 1];
    const ack: (a: Ack<unknown>) => void = typeof last === 'function' ? (last as (a: Ack<unknown>) => void) : () => {};
    const payload = typeof last === 'function' ? args.slice(0, -1) : args;
    try {
      if (spec.role && ctx.socket.data.role !== spec.role) throw new CommandError('forbidden', MESSAGES.forbidden);
      if (ctx.socket.data.replay && !spec.replay) throw new CommandError('forbidden', 'A replay is watched, not joined: only requests (leads) may be sent from it.');
      if (payload.length !== 1) throw new CommandError('invalid_payload', 'Send exactly one payload object.');
      const parsed = spec.schema.safeParse(payload[0]);
      if (!parsed.success) {
        ack({ ok: false, error: { code: 'invalid_payload', message: MESSAGES.invalid_payload, issues: toIssues(parsed.error) } });
        return;
      }
      const data = await spec.run(ctx, parsed.data);
      ack(data === undefined ? { ok: true } : { ok: true, data });
    } catch (err) {
      if (err instanceof CommandError) {
        ack({ ok: false, error: { code: err.code, message: err.message, ...(err.issues ? { issues: err.issues } : {}) } });
      } else {
        log.error({ err, socketId: ctx.socket.id }, 'command failed');
        ctx.unsure?.();
        ack({ ok: false, error: { code: 'internal', message: 'Something went wrong on our side.' } });
      }
    }
  };
}

export { MESSAGES as ERROR_MESSAGES };
