import type { EventRecord, Store } from '../store/types.js';
import type { ReportFacts } from './report.js';

/** Reads an event's stored facts for `computeReport`, all at once. */
export async function readFacts(store: Store, event: EventRecord): Promise<ReportFacts> {
  const [sessions, questions, voters, reactions, hotspotOpens, leads] = await Promise.all([
    store.audience.sessions(event.id),
    store.questions.listByEvent(event.id),
    store.questions.voters(event.id),
    store.audience.reactions(event.id),
    store.hotspotOpens.byViewer(event.id),
    store.leads.list(event.id, {}),
  ]);
  return { event, sessions, questions, voters, reactions, hotspotOpens, leads };
}
