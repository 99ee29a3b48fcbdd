/**
 * When a page comes back after being away: the network returned (`online`), the tab is shown
 * again (`visibilitychange`), it is restored from the back/forward cache (`pageshow` with
 * `persisted`) or unfrozen (`resume`, Chrome's Page Lifecycle; a phone freezes background
 * tabs). The socket's own timers cannot be trusted meanwhile: a frozen page answers no ping and
 * a lost network says nothing, so the socket owner asks this module instead.
 */

/** The part of `window` and `document` this module listens to (a test passes its own). */
export interface WakeEnv {
  window: EventTarget & { navigator: { onLine: boolean } };
  document: EventTarget & { visibilityState: DocumentVisibilityState };
}

export interface WakeHandlers {
  /** The device says the network is gone. */
  offline: () => void;
  /** Back, and online; `awayMs`: how long it was hidden, frozen, cached or offline (0: never left). */
  wake: (awayMs: number) => void;
}

/** Starts listening; returns the function that stops. */
export function watchWake(handlers: WakeHandlers, env: WakeEnv = { window, document }, now: () => number = Date.now): () => void {
  const { window: win, document: doc } = env;
  let awaySince: number | null = doc.visibilityState === 'hidden' || !win.navigator.onLine ? now() : null;

  const left = () => {
    awaySince ??= now();
  };
  const back = () => {
    // Shown again while still offline: not back yet (`online` will say so).
    if (!win.navigator.onLine || doc.visibilityState === 'hidden') return;
    const awayMs = awaySince === null ? 0 : now() - awaySince;
    awaySince = null;
    handlers.wake(awayMs);
  };

  const onVisibility = () => (doc.visibilityState === 'hidden' ? left() : back());
  const onOffline = () => {
    left();
    handlers.offline();
  };
  const onPageShow = (e: Event) => {
    if ((e as PageTransitionEvent).persisted) back();
  };
  const listeners: [EventTarget, string, (e: Event) => void][] = [
    [win, 'online', back],
    [win, 'offline', onOffline],
    [win, 'pagehide', left],
    [win, 'pageshow', onPageShow],
    [doc, 'visibilitychange', onVisibility],
    [doc, 'freeze', left],
    [doc, 'resume', back],
  ];
  for (const [target, type, fn] of listeners) target.addEventListener(type, fn);
  return () => {
    for (const [target, type, fn] of listeners) target.removeEventListener(type, fn);
  };
}
