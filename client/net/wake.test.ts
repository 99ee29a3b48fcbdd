import { describe, expect, it } from 'vitest';
import { watchWake, type WakeEnv } from './wake.js';

/** A window and a document the test drives, with a clock it moves. */
function fakePage() {
  const win = Object.assign(new EventTarget(), { navigator: { onLine: true } });
  const doc = Object.assign(new EventTarget(), { visibilityState: 'visible' as DocumentVisibilityState });
  const clock = { now: 1_000_000 };
  const calls: (number | 'offline')[] = [];
  const env: WakeEnv = { window: win, document: doc };
  const stop = watchWake({ offline: () => calls.push('offline'), wake: (awayMs) => calls.push(awayMs) }, env, () => clock.now);
  const fire = (target: EventTarget, type: string, extra: object = {}) => target.dispatchEvent(Object.assign(new Event(type), extra));
  const hide = () => {
    doc.visibilityState = 'hidden';
    fire(doc, 'visibilitychange');
  };
  const show = () => {
    doc.visibilityState = 'visible';
    fire(doc, 'visibilitychange');
  };
  const offline = () => {
    win.navigator.onLine = false;
    fire(win, 'offline');
  };
  const online = () => {
    win.navigator.onLine = true;
    fire(win, 'online');
  };
  return { win, doc, clock, calls, stop, fire, hide, show, offline, online };
}

describe('watchWake', () => {
  it('tells how long a hidden tab was away when it is shown again', () => {
    const p = fakePage();
    p.hide();
    p.clock.now += 42_000;
    p.show();
    expect(p.calls).toEqual([42_000]);
  });

  it('counts a lost network from the moment it went, and wakes only once it is back', () => {
    const p = fakePage();
    p.offline();
    p.clock.now += 10_000;
    p.hide();
    p.clock.now += 20_000;
    p.show(); // shown, but still offline: not back yet
    p.clock.now += 30_000;
    p.online();
    expect(p.calls).toEqual(['offline', 60_000]);
  });

  it('wakes on a frozen page resumed and on a page restored from the back/forward cache, not on a first load', () => {
    const p = fakePage();
    p.fire(p.doc, 'freeze');
    p.clock.now += 5_000;
    p.fire(p.doc, 'resume');
    p.fire(p.win, 'pagehide');
    p.clock.now += 7_000;
    p.fire(p.win, 'pageshow', { persisted: false });
    p.fire(p.win, 'pageshow', { persisted: true });
    expect(p.calls).toEqual([5_000, 7_000]);
  });

  it('a wake without an absence says 0, and nothing is heard once stopped', () => {
    const p = fakePage();
    p.online();
    p.stop();
    p.hide();
    p.show();
    p.offline();
    expect(p.calls).toEqual([0]);
  });
});
