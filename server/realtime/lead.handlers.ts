import { LeadSubmit } from '../../shared/lead.js';
import { LEAD_RATE_LIMIT } from '../leads/limits.js';
import { LeadRefusal, submitLead } from '../leads/service.js';
import type { Limits } from '../cluster/limits.js';
import type { Logger } from '../logger.js';
import type { Store } from '../store/types.js';
import { command, CommandError, type CommandHandler } from './command.js';
import type { DealerHub } from './dealers.js';

interface Deps {
  store: Store;
  dealers: DealerHub;
  limits: Limits;
  log: Logger;
}

export function leadHandlers({ store, dealers, limits, log }: Deps): Record<string, CommandHandler> {
  return {
    // Validate → (resend? answer the first result) → limit → route → commit → ack → tell dealers.
    'lead:submit': command(
      {
        role: 'viewer',
        replay: true,
        schema: LeadSubmit,
        run: async ({ room, socket }, input) => {
          const viewerId = socket.data.viewerId!;
          try {
            const result = await submitLead(
              store,
              {
                eventId: room.event.id,
                viewerId,
                source: socket.data.replay ? 'replay' : 'live',
                now: new Date(),
                admit: async () => {
                  if (!(await limits.take(room, `lead:submit:${viewerId}`, LEAD_RATE_LIMIT))) throw new CommandError('rate_limited', 'At most 10 requests a minute.');
                },
              },
              input,
            );
            if ('lead' in result && result.created) dealers.added(result.lead);
            return result.receipt;
          } catch (err) {
            if (err instanceof LeadRefusal) throw new CommandError(err.code, err.message, err.issues);
            throw err;
          }
        },
      },
      log,
    ),
  };
}
