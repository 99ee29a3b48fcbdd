import type { EventCreated } from '../../../shared/event.js';
import { DealerDirectory } from './DealerDirectory.js';
import { PrivacySettings } from './PrivacySettings.js';
import './studio.css';

/** Everything about an event's leads the marketer sets up: who receives them, and the privacy terms. */
export function EventLeadsPanel({ event, token, keysVersion = 0 }: { event: EventCreated; token: string; keysVersion?: number }) {
  return (
    <div className="manage">
      <DealerDirectory eventId={event.id} token={token} keysVersion={keysVersion} />
      <PrivacySettings event={event} token={token} />
    </div>
  );
}
