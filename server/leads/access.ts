import type { Lead } from '../../shared/lead.js';

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

/** The dealer whose leads a scope is limited to, or null for every lead of the event. */
export const dealerOf = (scope: LeadScope): string | null => (scope.kind === 'own' ? scope.dealerId : null);

/** Whether a scope may see this lead. */
export const canSee = (scope: LeadScope, lead: Pick<Lead, 'dealerId' | 'createdAt'>): boolean =>
  scope.kind !== 'own' || (lead.dealerId === scope.dealerId && lead.createdAt >= scope.since);
