import { useEffect, useRef, useState, type CSSProperties } from 'react';
import type { Ack } from '../../../shared/errors.js';
import { RATE_LIMITS } from '../../../shared/qa.js';
import { useI18n } from '../../i18n/i18n.js';
import { qaErrorMessage } from './errors.js';
import { reactionDeltas } from './fold.js';

/** Simultaneous particles on screen: beyond this a burst only replaces the oldest ones. */
const MAX_PARTICLES = 40;
/** Particles one emoji may add per push (pushes come ≤ 4×/s): a crowd shows as size, not count. */
const MAX_PER_EMOJI_PER_PUSH = 6;
/** Taps closer than this are dropped: stays under the server's 10/s so a keen thumb is not scolded. */
const MIN_TAP_INTERVAL_MS = Math.ceil(RATE_LIMITS['reaction:send'].perMs / RATE_LIMITS['reaction:send'].count) + 10;
const ERROR_VISIBLE_MS = 4000;

interface Particle {
  id: number;
  emoji: string;
  /** Horizontal start, % of the lane; drift in px; size in rem; times in ms. */
  x: number;
  drift: number;
  size: number;
  duration: number;
  delay: number;
}

/**
 * Floating emojis over the stage when the running totals rise (on every screen, host included).
 * Driven by the `reactions` pushes only, so the sender sees the same burst as everybody else.
 */
export function ReactionBursts({ counts, epoch }: { counts: Record<string, number>; epoch: number }) {
  const [particles, setParticles] = useState<Particle[]>([]);
  const last = useRef<{ epoch: number; counts: Record<string, number> } | null>(null);
  const nextId = useRef(0);

  useEffect(() => {
    const prev = last.current;
    last.current = { epoch, counts };
    // A fresh `state` (first load, reconnect) brings the totals so far: nothing new to celebrate.
    if (!prev || prev.epoch !== epoch) return;
    const fresh: Particle[] = [];
    for (const [emoji, delta] of reactionDeltas(prev.counts, counts)) {
      // 1 reaction: a small emoji; 100 at once: a handful of big ones.
      const scale = 1 + Math.min(1.2, Math.log10(delta) * 0.6);
      for (let i = 0; i < Math.min(delta, MAX_PER_EMOJI_PER_PUSH); i++) {
        fresh.push({
          id: nextId.current++,
          emoji,
          x: 10 + Math.random() * 80,
          drift: (Math.random() - 0.5) * 60,
          size: (1.5 + Math.random() * 0.6) * scale,
          duration: 2200 + Math.random() * 900,
          // Spread over about a second so a crowd streams up rather than popping as one clump.
          delay: i * 170 + Math.random() * 120,
        });
      }
    }
    if (fresh.length > 0) setParticles((cur) => [...cur, ...fresh].slice(-MAX_PARTICLES));
  }, [counts, epoch]);

  const remove = (id: number) => setParticles((cur) => cur.filter((p) => p.id !== id));
  return (
    <div className="bursts" aria-hidden="true">
      {particles.map((p) => (
        <span
          key={p.id}
          className="burst"
          data-testid="reaction-burst"
          style={{ left: `${p.x}%`, fontSize: `${p.size}rem`, animationDuration: `${p.duration}ms`, animationDelay: `${p.delay}ms`, '--drift': `${p.drift}px` } as CSSProperties}
          onAnimationEnd={() => remove(p.id)}
        >
          {p.emoji}
        </span>
      ))}
    </div>
  );
}

/** The viewer's row of the event's emojis. `online`: the socket is connected. */
export function ReactionBar({ emojis, online, onSend }: { emojis: string[]; online: boolean; onSend: (emoji: string) => Promise<Ack> }) {
  const { t } = useI18n();
  const [error, setError] = useState<string | null>(null);
  const lastTap = useRef(0);

  useEffect(() => {
    if (!error) return;
    const timer = setTimeout(() => setError(null), ERROR_VISIBLE_MS);
    return () => clearTimeout(timer);
  }, [error]);

  // Back online: "not sent" is old news.
  useEffect(() => {
    if (online) setError(null);
  }, [online]);

  const react = async (emoji: string) => {
    const now = performance.now();
    if (now - lastTap.current < MIN_TAP_INTERVAL_MS) return;
    lastTap.current = now;
    // A reaction is of the moment: offline it is not queued to burst minutes later. Say so now.
    if (!online) return setError(t('qa.offlineReaction'));
    const res = await onSend(emoji);
    if (!res.ok) setError(qaErrorMessage(t, 'reaction', res.error));
  };

  return (
    <div className="reaction-bar" role="group" aria-label={t('qa.reactions')}>
      {error ? <p className="toast" role="alert">{error}</p> : null}
      {emojis.map((emoji) => (
        <button key={emoji} type="button" className="reaction-btn" aria-label={t('qa.react', { emoji })} onClick={() => void react(emoji)}>
          {emoji}
        </button>
      ))}
    </div>
  );
}
