import { useCallback, useEffect, useRef, useState } from 'react';
import type { Hotspot } from '../../../shared/vehicle.js';

export interface HotspotCardState {
  /** The hotspot whose card is open on this screen. */
  open: Hotspot | null;
  /** True when the presenter opened it (focus), false when this person tapped it. */
  byPresenter: boolean;
  select: (id: string) => void;
  close: () => void;
}

/**
 * Which hotspot card is open here. The presenter's focus opens its card on every screen (and
 * closing it there closes it here); a tap opens one for this person only, and `onTap` reports
 * it (viewers count it for the report, the presenter focuses it for everyone).
 */
export function useHotspotCard(hotspots: readonly Hotspot[] | undefined, focused: string | null, onTap: (id: string) => void): HotspotCardState {
  const [openId, setOpenId] = useState<string | null>(focused);
  const [byPresenter, setByPresenter] = useState(focused !== null);
  const lastFocused = useRef(focused);
  useEffect(() => {
    const before = lastFocused.current;
    lastFocused.current = focused;
    if (focused !== null && focused !== before) {
      setOpenId(focused);
      setByPresenter(true);
    } else if (focused === null && before !== null) {
      setOpenId((cur) => (cur === before ? null : cur));
    }
  }, [focused]);
  const tap = useRef(onTap);
  tap.current = onTap;
  const select = useCallback((id: string) => {
    setOpenId(id);
    setByPresenter(false);
    tap.current(id);
  }, []);
  const close = useCallback(() => setOpenId(null), []);
  return { open: hotspots?.find((h) => h.id === openId) ?? null, byPresenter, select, close };
}
