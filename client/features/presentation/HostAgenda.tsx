import './presentation.css';
import { useEffect, useLayoutEffect, useRef } from 'react';
import type { Vehicle } from '../../../shared/vehicle.js';
import { useI18n } from '../../i18n/i18n.js';
import type { LiveRoom } from '../../net/liveRoom.js';

/** Sends a command and shows its refusal, if any (the console's one error line). */
type Run = (p: Promise<{ ok: boolean; error?: { code: string } }>) => Promise<void>;
type Send = LiveRoom['send'];

/** Keys typed into a field belong to the field. */
function typing(target: EventTarget | null): boolean {
  return target instanceof HTMLElement && (target.isContentEditable || target.closest('input, textarea, select') !== null);
}

/**
 * The presenter steps through the agenda with the buttons, or with Page Down / Page Up (what
 * presentation clickers send), from anywhere in the console but a text field.
 */
function useChapterKeys(step: (by: 1 | -1) => void) {
  const handler = useRef(step);
  useLayoutEffect(() => {
    handler.current = step;
  });
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.ctrlKey || e.metaKey || e.altKey || e.defaultPrevented || typing(e.target)) return;
      if (e.key !== 'PageDown' && e.key !== 'PageUp') return;
      e.preventDefault();
      handler.current(e.key === 'PageDown' ? 1 : -1);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
}

/** The presenter's agenda, paints and hotspots: every press moves every screen. */
export function HostAgenda({ vehicle, chapter, variant, hotspot, send, run }: { vehicle: Vehicle; chapter: number; variant: string; hotspot: string | null; send: Send; run: Run }) {
  const { t } = useI18n();
  const { chapters, variants, hotspots } = vehicle;
  const go = (index: number) => {
    if (index >= 0 && index < chapters.length) void run(send('chapter:set', { index }));
  };
  useChapterKeys((by) => go(chapter + by));
  const paint = variants.find((v) => v.id === variant);

  return (
    <>
      <section className="host-agenda" aria-labelledby="host-agenda-title">
        <h2 id="host-agenda-title" className="panel-subtitle">{t('host.agenda')}</h2>
        {chapters.length === 0 ? (
          <p className="hint">{t('host.agendaEmpty')}</p>
        ) : (
          <>
            <ol className="host-chapters">
              {chapters.map((c, i) => (
                <li key={c.id}>
                  <button type="button" className="host-chapter" aria-current={i === chapter ? 'step' : undefined} onClick={() => go(i)}>
                    <span className="agenda-index">{i + 1}</span>
                    <span className="host-chapter-title">{c.title}</span>
                  </button>
                </li>
              ))}
            </ol>
            <div className="host-chapter-nav">
              <button type="button" className="btn btn-ghost" disabled={chapter <= 0} onClick={() => go(chapter - 1)} aria-label={t('host.prev')}>
                <svg viewBox="0 0 16 16" width="16" height="16" aria-hidden="true"><path d="M10 3 5 8l5 5" fill="none" stroke="currentColor" strokeWidth="1.8" strokeLinecap="round" strokeLinejoin="round" /></svg>
              </button>
              <span className="host-chapter-pos">{t('agenda.position', { n: chapter + 1, total: chapters.length })}</span>
              <button type="button" className="btn btn-primary" disabled={chapter >= chapters.length - 1} onClick={() => go(chapter + 1)} aria-label={t('host.next')}>
                <svg viewBox="0 0 16 16" width="16" height="16" aria-hidden="true"><path d="m6 3 5 5-5 5" fill="none" stroke="currentColor" strokeWidth="1.8" strokeLinecap="round" strokeLinejoin="round" /></svg>
              </button>
            </div>
            <p className="hint">{t('host.agendaKeys')}</p>
          </>
        )}
      </section>
      {variants.length === 0 ? null : (
        <fieldset className="swatches">
          <legend>{t('host.variants')} — {paint?.name}</legend>
          {variants.map((v) => (
            <button
              key={v.id}
              type="button"
              className="swatch"
              style={{ background: v.color }}
              aria-pressed={v.id === variant}
              aria-label={v.name}
              title={v.name}
              onClick={() => void run(send('variant:set', { id: v.id }))}
            />
          ))}
        </fieldset>
      )}
      {hotspots.length === 0 ? null : (
        <section className="host-hotspots" aria-labelledby="host-hotspots-title">
          <h2 id="host-hotspots-title" className="panel-subtitle">{t('host.hotspots')}</h2>
          <ul>
            {hotspots.map((h, i) => (
              <li key={h.id} className="host-hotspot">
                <span className="agenda-index">{i + 1}</span>
                <span className="host-chapter-title">{h.title}</span>
                {hotspot === h.id ? (
                  <button type="button" className="btn btn-small" onClick={() => void run(send('hotspot:blur', {}))}>{t('host.hotspotHide')}</button>
                ) : (
                  <button type="button" className="btn btn-small btn-ghost" onClick={() => void run(send('hotspot:focus', { id: h.id }))}>{t('host.hotspotShow')}</button>
                )}
              </li>
            ))}
          </ul>
        </section>
      )}
    </>
  );
}
