import { useId, useState } from 'react';
import type { Question } from '../../../shared/qa.js';
import { formatNumber } from '../../i18n/format.js';
import { useI18n } from '../../i18n/i18n.js';
import { seekKey, SPEEDS, type PlaybackClock } from './timeline.js';

/** "4:05", "1:02:07": a position in the replay. */
export function clockText(ms: number): string {
  const s = Math.floor(ms / 1000);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const ss = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${ss}` : `${m}:${ss}`;
}

/**
 * The player's bar: play/pause, the position (a slider: arrow keys step 5 s, Page Up/Down a minute),
 * the speed, and a panel to jump to a chapter or read the questions answered so far.
 */
export function ReplayControls({
  clock,
  position,
  chapters,
  current,
  answered,
  onSeek,
}: {
  clock: PlaybackClock;
  position: number;
  /** `t`: when the chapter began; `at`: where a jump to it lands (its view, once the flight there is over). */
  chapters: { chapter: number; t: number; at: number; title: string }[];
  current: number;
  answered: Question[];
  onSeek: (ms: number) => void;
}) {
  const { t, locale } = useI18n();
  const [panel, setPanel] = useState(false);
  const panelId = useId();
  const now = () => performance.now();
  const ended = !clock.playing && position >= clock.durationMs;
  const playLabel = clock.playing ? t('replay.pause') : ended ? t('replay.playAgain') : t('replay.play');
  return (
    <div className="replay-controls" role="group" aria-label={t('replay.controls')} data-testid="replay-controls" data-position={Math.round(position)} data-playing={clock.playing}>
      {panel ? (
        <div id={panelId} className="replay-panel">
          <h2 className="replay-panel-title">{t('replay.chapters')}</h2>
          <ol className="replay-chapters">
            {chapters.map((c) => (
              <li key={c.chapter}>
                <button
                  type="button"
                  className="replay-chapter"
                  aria-current={c.chapter === current ? 'step' : undefined}
                  onClick={() => {
                    // Like the slider, a jump keeps playing or paused: paused, it shows the chapter's view.
                    onSeek(c.at);
                    setPanel(false);
                  }}
                >
                  <span className="replay-chapter-index">{c.chapter + 1}</span>
                  <span className="replay-chapter-title">{c.title}</span>
                  <span className="replay-chapter-time">{clockText(c.t)}</span>
                </button>
              </li>
            ))}
          </ol>
          <h2 className="replay-panel-title">{t('replay.answered')}</h2>
          {answered.length ? (
            <ul className="replay-answered">
              {/* User text: always a React text node, never HTML. */}
              {answered.map((q) => (
                <li key={q.id}>
                  <p>{q.text}</p>
                  <p className="muted">— {q.name || t('qa.anonymous')}</p>
                </li>
              ))}
            </ul>
          ) : (
            <p className="muted">{t('replay.noAnswered')}</p>
          )}
        </div>
      ) : null}
      <button
        type="button"
        className="replay-play"
        aria-label={playLabel}
        title={playLabel}
        onClick={() => (clock.playing ? clock.pause(now()) : clock.play(now()))}
      >
        <svg viewBox="0 0 20 20" width="20" height="20" aria-hidden="true">
          {clock.playing ? <path d="M5 3h3.5v14H5zM11.5 3H15v14h-3.5z" fill="currentColor" /> : <path d="M6 3.5v13l11-6.5z" fill="currentColor" />}
        </svg>
      </button>
      <span className="replay-time" aria-hidden="true">
        {clockText(position)}
        <span className="replay-time-total"> / {clockText(clock.durationMs)}</span>
      </span>
      <input
        className="replay-seek"
        type="range"
        min={0}
        max={clock.durationMs}
        step="any"
        value={Math.round(position)}
        onKeyDown={(e) => {
          const to = seekKey(e.key, position, clock.durationMs);
          if (to === null) return;
          e.preventDefault();
          onSeek(to);
        }}
        aria-label={t('replay.seek')}
        aria-valuetext={t('replay.position', { position: clockText(position), duration: clockText(clock.durationMs) })}
        onChange={(e) => onSeek(Number(e.target.value))}
      />
      <select className="replay-speed" aria-label={t('replay.speed')} value={String(clock.speed)} onChange={(e) => clock.setSpeed(Number(e.target.value), now())}>
        {SPEEDS.map((s) => (
          <option key={s} value={String(s)}>
            {formatNumber(s, locale)}×
          </option>
        ))}
      </select>
      <button type="button" className="replay-panel-toggle" aria-expanded={panel} aria-controls={panelId} title={t('replay.chaptersHint')} onClick={() => setPanel((p) => !p)}>
        {t('replay.chapters')}
      </button>
    </div>
  );
}
