import type { Lead } from '../../shared/lead.js';
import { safeEqual } from '../keys.js';
import type { EventRecord, Store } from '../store/types.js';

/**
 * Who a key makes you for one event's leads: the studio's admin, the presenter, the event's
 * dealer key (every lead), or one dealer's own key (only the leads routed to that dealer).
 */
export type LeadScope =
  | { kind: 'admin' }
  | { kind: 'host' }
  | { kind: 'dealer' }
  /**
   * `since`: the dealer's creation. A dealer id deleted and later given to another garage must
   * not hand the new one the old one's leads.
   */
  | { kind: 'own'; dealerId: string; name: string; since: string };

/** Every comparison is constant-time; null when the key opens nothing of this event. */
export async function scopeOf(store: Store, event: EventRecord, key: string, adminToken?: string): Promise<LeadScope | null> {
  if (adminToken && safeEqual(key, adminToken)) return { kind: 'admin' };
  if (safeEqual(key, event.hostKey)) return { kind: 'host' };
  if (safeEqual(key, event.dealerKey)) return { kind: 'dealer' };
  let own: LeadScope | null = null;
  // Compare with every dealer, not up to the first match, so timing tells nothing either.
  for (const d of await store.dealers.list(event.id)) {
    if (safeEqual(key, d.key) && !own) own = { kind: 'own', dealerId: d.id, name: d.name, since: d.createdAt };
  }
  return own;
}

/** The dealer whose leads a scope is limited to, or null for every lead of the event. */
export const dealerOf = (scope: LeadScope): string | null => (scope.kind === 'own' ? scope.dealerId : null);

/** Whether a scope may see this lead. */
export const canSee = (scope: LeadScope, lead: Pick<Lead, 'dealerId' | 'createdAt'>): boolean =>
  scope.kind !== 'own' || (lead.dealerId === scope.dealerId && lead.createdAt >= scope.since);
