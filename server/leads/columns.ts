import type { Lead } from '../../shared/lead.js';

/**
 * A lead as flat snake_case columns: the one mapping both the SQL row and the CSV row are
 * derived from, so a new field cannot reach one and silently miss the other.
 */
export function leadColumns(l: Lead) {
  return {
    id: l.id,
    event_id: l.eventId,
    type: l.type,
    first_name: l.firstName,
    last_name: l.lastName,
    email: l.email,
    phone: l.phone,
    postcode: l.postcode,
    dealer_id: l.dealerId,
    dealer_name: l.dealerName,
    routing: l.routing,
    preferred_date: l.preferredDate,
    variant: l.variant,
    message: l.message,
    consent_marketing: l.consent.marketing,
    consent_version: l.consent.textVersion,
    consent_at: l.consent.at,
    source: l.source,
    created_at: l.createdAt,
    contacted_at: l.contactedAt,
  };
}
export type LeadColumns = ReturnType<typeof leadColumns>;
