import type { Lead } from '../../../shared/lead.js';

/**
 * The dealer page's picture of its leads. Two sources feed it: HTTP snapshots (on every
 * socket connect) and live pushes. They can cross — a push may arrive while a snapshot taken
 * before it is still in flight — so both fold through these pure functions, which make the
 * order of arrival irrelevant.
 */
export interface Inbox {
  /** Newest first: a dealer calls back the latest request first. */
  leads: Lead[];
  /** Ids erased while the page was open: an older snapshot must not bring them back. */
  erased: ReadonlySet<string>;
  /** New leads the dealer has not looked at yet (arrived live, or found by a reload after a reconnect). */
  unseen: ReadonlySet<string>;
}

export const emptyInbox: Inbox = { leads: [], erased: new Set(), unseen: new Set() };

export type LeadPush = { kind: 'added'; lead: Lead } | { kind: 'updated'; lead: Lead } | { kind: 'erased'; id: string };

const newestFirst = (a: Lead, b: Lead) => (a.createdAt === b.createdAt ? (a.id < b.id ? 1 : -1) : a.createdAt < b.createdAt ? 1 : -1);

/** `contactedAt` is stamped once and never moves: whichever copy has it, it stays. */
function merged(known: Lead | undefined, next: Lead): Lead {
  if (!known?.contactedAt || known.contactedAt === next.contactedAt) return next;
  return { ...next, contactedAt: known.contactedAt };
}

function withLead(leads: Lead[], lead: Lead): Lead[] {
  const i = leads.findIndex((l) => l.id === lead.id);
  if (i === -1) return [...leads, lead].sort(newestFirst);
  const next = leads.slice();
  next[i] = merged(leads[i], lead);
  return next;
}

export function foldPush(inbox: Inbox, push: LeadPush): Inbox {
  if (push.kind === 'erased') {
    const erased = new Set(inbox.erased).add(push.id);
    const unseen = new Set(inbox.unseen);
    unseen.delete(push.id);
    return { leads: inbox.leads.filter((l) => l.id !== push.id), erased, unseen };
  }
  const { lead } = push;
  if (inbox.erased.has(lead.id)) return inbox;
  const isNew = !inbox.leads.some((l) => l.id === lead.id);
  const leads = withLead(inbox.leads, lead);
  // An update for a lead we never had (its `added` fell in a gap) is shown, not announced.
  const unseen = isNew && push.kind === 'added' ? new Set(inbox.unseen).add(lead.id) : inbox.unseen;
  return { ...inbox, leads, unseen };
}

/**
 * A fresh `GET …/leads` replaces the list: what it lacks was erased while the socket was away.
 * Except `keep`, the ids pushed live while this request was in flight (the snapshot may predate
 * them). After a reconnect (`announce`), leads the page did not know yet count as new.
 */
export function applySnapshot(inbox: Inbox, snapshot: readonly Lead[], opts: { keep: ReadonlySet<string>; announce: boolean }): Inbox {
  const known = new Map(inbox.leads.map((l) => [l.id, l]));
  const leads: Lead[] = [];
  const unseen = new Set<string>();
  const inSnapshot = new Set<string>();
  for (const lead of snapshot) {
    if (inbox.erased.has(lead.id) || inSnapshot.has(lead.id)) continue;
    inSnapshot.add(lead.id);
    leads.push(merged(known.get(lead.id), lead));
    if (inbox.unseen.has(lead.id) || (opts.announce && !known.has(lead.id))) unseen.add(lead.id);
  }
  for (const lead of inbox.leads) {
    if (inSnapshot.has(lead.id) || !opts.keep.has(lead.id)) continue;
    leads.push(lead);
    if (inbox.unseen.has(lead.id)) unseen.add(lead.id);
  }
  return { leads: leads.sort(newestFirst), erased: inbox.erased, unseen };
}

/** The dealer looked: nothing is new any more. */
export function markSeen(inbox: Inbox): Inbox {
  return inbox.unseen.size === 0 ? inbox : { ...inbox, unseen: new Set() };
}
