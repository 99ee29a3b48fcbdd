import './presentation.css';
import { useId, useState } from 'react';
import type { Chapter } from '../../../shared/vehicle.js';
import { useI18n } from '../../i18n/i18n.js';

/**
 * The viewers' agenda: where the presentation is ("2/5 · Batterie & recharge"), and the whole
 * list on demand. Late joiners see the current chapter like everybody.
 */
export function Agenda({ chapters, current }: { chapters: Chapter[]; current: number }) {
  const { t } = useI18n();
  const [expanded, setExpanded] = useState(false);
  const listId = useId();
  const chapter = chapters[current];
  if (!chapter) return null;
  return (
    <nav className="agenda" aria-label={t('agenda.title')} data-testid="agenda" data-chapter={current}>
      <button type="button" className="agenda-now" aria-expanded={expanded} aria-controls={listId} onClick={() => setExpanded((e) => !e)}>
        <span className="agenda-count" aria-label={t('agenda.position', { n: current + 1, total: chapters.length })}>
          {current + 1}/{chapters.length}
        </span>
        {/* Not a live region: the page's StageAnnouncer says the new chapter (once, with the paint). */}
        <span className="agenda-title">{chapter.title}</span>
        <svg viewBox="0 0 12 12" width="12" height="12" aria-hidden="true" className="agenda-chevron"><path d="M2.5 4.5 6 8l3.5-3.5" fill="none" stroke="currentColor" strokeWidth="1.6" strokeLinecap="round" /></svg>
        <span className="visually-hidden">{expanded ? t('agenda.hide') : t('agenda.show')}</span>
      </button>
      <ol id={listId} className="agenda-list" hidden={!expanded}>
        {chapters.map((c, i) => (
          <li key={c.id} aria-current={i === current ? 'step' : undefined} className={i < current ? 'agenda-done' : undefined}>
            <span className="agenda-index">{i + 1}</span>
            <span>{c.title}</span>
            {i === current ? <span className="agenda-badge">{t('agenda.current')}</span> : null}
          </li>
        ))}
      </ol>
    </nav>
  );
}
