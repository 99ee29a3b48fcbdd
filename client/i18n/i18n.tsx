import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import type { Locale } from '../../shared/event.js';
import { interpolate, pickLocale } from './format.js';
import { en, fr, type MessageKey } from './messages.js';

const STORAGE_KEY = 'vitrine.locale';
const dictionaries: Record<Locale, Record<MessageKey, string>> = { fr, en };

interface I18n {
  locale: Locale;
  setLocale: (l: Locale) => void;
  /** The event's own language (the studio's "Langue des spectateurs"): the page's, unless the viewer picked one with the toggle. */
  followEvent: (l: Locale) => void;
  t: (key: MessageKey, vars?: Record<string, string | number>) => string;
}

const I18nContext = createContext<I18n | null>(null);

function storedLocale(): string | null {
  try {
    return localStorage.getItem(STORAGE_KEY);
  } catch {
    return null;
  }
}

export function I18nProvider({ children }: { children: ReactNode }) {
  const [locale, setLocaleState] = useState<Locale>(() => pickLocale(storedLocale(), navigator.languages ?? [navigator.language]));
  const setLocale = useCallback((l: Locale) => {
    setLocaleState(l);
    try {
      localStorage.setItem(STORAGE_KEY, l);
    } catch {
      /* private mode: the choice lasts for this page only */
    }
  }, []);
  const followEvent = useCallback((l: Locale) => {
    const stored = storedLocale();
    if (stored !== 'fr' && stored !== 'en') setLocaleState(l);
  }, []);
  const value = useMemo<I18n>(
    () => ({ locale, setLocale, followEvent, t: (key, vars = {}) => interpolate(dictionaries[locale][key], vars, locale) }),
    [locale, setLocale, followEvent],
  );
  document.documentElement.lang = locale;
  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

export function useI18n(): I18n {
  const ctx = useContext(I18nContext);
  if (!ctx) throw new Error('useI18n outside I18nProvider');
  return ctx;
}

export function LanguageSwitch() {
  const { locale, setLocale, t } = useI18n();
  const other: Locale = locale === 'fr' ? 'en' : 'fr';
  return (
    <button type="button" className="lang-switch" onClick={() => setLocale(other)} lang={other} aria-label={`${t('lang.label')}: ${t('lang.switch')}`}>
      {other.toUpperCase()}
    </button>
  );
}

/**
 * A page about one event (the viewer and replay pages) speaks the event’s language
 * once it is known, unless the viewer chose one with the FR/EN toggle (kept on this device).
 * Before that, the browser's language, French first.
 */
export function useEventLocale(l: Locale | null | undefined): void {
  const { followEvent } = useI18n();
  useEffect(() => {
    if (l) followEvent(l);
  }, [l, followEvent]);
}
