import { dealerOfRef, type KeyRef } from '../../shared/access.js';

/**
 * Where a key lives in the SQL stores: the host and dealer keys are columns of `events`, a
 * dealer's own key is a column of its `dealers` row. Column names come from this fixed table,
 * never from input, so they are safe to put in SQL text; the ids go in as parameters.
 */
export interface KeySlotSql {
  table: 'events' | 'dealers';
  secret: string;
  expiresAt: string;
  revokedAt: string;
  /** The columns that find the row, in the order of `ids`. */
  idColumns: string[];
  ids: string[];
}

export function keySlotSql(eventId: string, ref: KeyRef): KeySlotSql {
  const dealerId = dealerOfRef(ref);
  if (dealerId !== null) {
    return { table: 'dealers', secret: 'key', expiresAt: 'key_expires_at', revokedAt: 'key_revoked_at', idColumns: ['event_id', 'id'], ids: [eventId, dealerId] };
  }
  const column = ref === 'host' ? 'host_key' : 'dealer_key';
  return { table: 'events', secret: column, expiresAt: `${column}_expires_at`, revokedAt: `${column}_revoked_at`, idColumns: ['id'], ids: [eventId] };
}
