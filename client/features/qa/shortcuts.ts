import { useEffect, useLayoutEffect, useRef } from 'react';
import type { QuestionStatus } from '../../../shared/qa.js';
import { MODERATION_TABS } from './fold.js';

/** What the presenter's keys do during the live flow (the legend lists the same keys). */
export type ModerationCommand =
  | { kind: 'move'; by: 1 | -1 }
  | { kind: 'tab'; status: QuestionStatus }
  | { kind: 'act'; act: 'approve' | 'hide' | 'answer' | 'pin' | 'block' };

const ACT_KEYS = { a: 'approve', h: 'hide', r: 'answer', p: 'pin', b: 'block' } as const;

interface KeyLike {
  key: string;
  ctrlKey: boolean;
  metaKey: boolean;
  altKey: boolean;
  defaultPrevented: boolean;
  target: EventTarget | null;
}

/** Keys typed into a field belong to the field. */
function isTyping(target: EventTarget | null): boolean {
  if (!target || typeof (target as HTMLElement).closest !== 'function') return false;
  const el = target as HTMLElement;
  return el.isContentEditable || el.closest('input, textarea, select, [contenteditable="true"]') !== null;
}

export function shortcutFor(e: KeyLike): ModerationCommand | null {
  // Modified keys are the browser's (copy, find…); a handled key (the stage's arrows) is taken.
  if (e.ctrlKey || e.metaKey || e.altKey || e.defaultPrevented || isTyping(e.target)) return null;
  const key = e.key.length === 1 ? e.key.toLowerCase() : e.key;
  if (key === 'j' || key === 'ArrowDown') return { kind: 'move', by: 1 };
  if (key === 'k' || key === 'ArrowUp') return { kind: 'move', by: -1 };
  const tab = MODERATION_TABS[Number(key) - 1];
  if (/^[1-4]$/.test(key) && tab) return { kind: 'tab', status: tab };
  if (key in ACT_KEYS) return { kind: 'act', act: ACT_KEYS[key as keyof typeof ACT_KEYS] };
  return null;
}

/** Listens on the window while `enabled`; the latest handler is used without re-subscribing. */
export function useModerationShortcuts(onCommand: (c: ModerationCommand) => void, enabled: boolean): void {
  const handler = useRef(onCommand);
  // A layout effect, not a passive one: a key pressed right after a render (a tab switch) must
  // reach the handler of that render, not the one before (seen as a missed "P" in a slow CI).
  useLayoutEffect(() => {
    handler.current = onCommand;
  });
  useEffect(() => {
    if (!enabled) return;
    const onKey = (e: KeyboardEvent) => {
      const command = shortcutFor(e);
      if (!command) return;
      e.preventDefault(); // ↓/↑ must not also scroll the page
      handler.current(command);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [enabled]);
}
