import { useCallback, useRef, useState } from 'react';

const SOUND_KEY = 'vitrine.dealer.sound';

/** Two short sine notes, a fifth apart (A5 then E6): noticeable, not alarming. */
const CHIME_NOTES_HZ = [880, 1318.5];
const NOTE_GAP_S = 0.16;
const NOTE_LENGTH_S = 0.45;
const PEAK_GAIN = 0.25;

function storedSound(): boolean {
  try {
    return localStorage.getItem(SOUND_KEY) === 'on';
  } catch {
    return false;
  }
}

function playChime(ac: AudioContext): void {
  const t0 = ac.currentTime + 0.02;
  CHIME_NOTES_HZ.forEach((hz, i) => {
    const start = t0 + i * NOTE_GAP_S;
    const osc = ac.createOscillator();
    const gain = ac.createGain();
    osc.type = 'sine';
    osc.frequency.value = hz;
    // Exponential ramps cannot start from 0: a click-free attack from almost silence.
    gain.gain.setValueAtTime(0.0001, start);
    gain.gain.exponentialRampToValueAtTime(PEAK_GAIN, start + 0.015);
    gain.gain.exponentialRampToValueAtTime(0.0001, start + NOTE_LENGTH_S);
    osc.connect(gain).connect(ac.destination);
    osc.start(start);
    osc.stop(start + NOTE_LENGTH_S + 0.05);
  });
}

/**
 * The optional new-lead chime, generated with WebAudio (no sound file to fetch). Browsers only
 * let a page make sound after a user gesture: switching it on is that gesture, and after a
 * reload (switch remembered as on) the first click or key anywhere on the page unlocks it.
 */
export function useChime(): { enabled: boolean; setEnabled: (on: boolean) => void; chime: () => void; unlock: () => void } {
  const [enabled, setEnabledState] = useState(storedSound);
  const ctx = useRef<AudioContext | null>(null);

  const unlock = useCallback(() => {
    try {
      ctx.current ??= new AudioContext();
      if (ctx.current.state === 'suspended') void ctx.current.resume();
    } catch {
      ctx.current = null; // no WebAudio: the page stays silent
    }
  }, []);

  const setEnabled = useCallback(
    (on: boolean) => {
      setEnabledState(on);
      try {
        localStorage.setItem(SOUND_KEY, on ? 'on' : 'off');
      } catch {
        /* private mode: the choice lasts for this page only */
      }
      if (on) {
        unlock();
        if (ctx.current) playChime(ctx.current); // let the dealer hear what it sounds like
      }
    },
    [unlock],
  );

  const chime = useCallback(() => {
    if (ctx.current?.state === 'running') playChime(ctx.current);
  }, []);

  return { enabled, setEnabled, chime, unlock };
}
