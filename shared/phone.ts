import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js/min';

/**
 * Countries of the French numbering plan: the overseas départements and collectivities whose
 * numbers a dealer in mainland France dials with a 0, like any French number (`0690 12 34 56`).
 * New Caledonia, French Polynesia and Wallis-et-Futuna have their own plans: dialled abroad.
 */
const FRENCH_NUMBERING_PLAN = new Set<CountryCode>(['FR', 'GP', 'MQ', 'GF', 'RE', 'YT', 'PM', 'BL', 'MF']);

/**
 * A stored (E.164) number as a dealer in France reads and dials it: `06 12 34 56 78` and
 * `0690 12 34 56` nationally, any other country's internationally (`+44 20 7946 0958`); null
 * when it is not a valid number. The small metadata (`min`): it formats like the full one and
 * keeps libphonenumber's full metadata out of the dealer page; numbers were validated with the full one
 * when the lead was sent (`LeadInput`).
 */
export function phoneAsDialled(e164: string): { text: string; international: boolean } | null {
  const parsed = parsePhoneNumberFromString(e164);
  if (!parsed?.isValid()) return null;
  return parsed.country && FRENCH_NUMBERING_PLAN.has(parsed.country) ? { text: parsed.formatNational(), international: false } : { text: parsed.formatInternational(), international: true };
}
