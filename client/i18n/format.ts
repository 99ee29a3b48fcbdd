import type { Locale } from '../../shared/event.js';

const intlLocale = (l: Locale) => (l === 'fr' ? 'fr-FR' : 'en-GB');

/** `{name}` placeholders and a minimal ICU plural: `{n, plural, one {# x} other {# xs}}`. */
export function interpolate(template: string, vars: Record<string, string | number>, locale: Locale): string {
  const plural = template.replace(/\{(\w+), plural, one \{([^}]*)\} other \{([^}]*)\}\}/g, (_m, name: string, one: string, other: string) => {
    const n = Number(vars[name] ?? 0);
    const rule = new Intl.PluralRules(intlLocale(locale)).select(n);
    return (rule === 'one' ? one : other).replace('#', formatNumber(n, locale));
  });
  // French elides "de" before a vowel: "les demandes d’Aurore", "de Lyon".
  const elided = locale === 'fr' ? plural.replace(/\bde \{(\w+)\}/g, (m, name: string) => (ELIDES.test(String(vars[name] ?? '')) ? `d’{${name}}` : m)) : plural;
  return elided.replace(/\{(\w+)\}/g, (m, name: string) => (name in vars ? String(vars[name]) : m));
}

/** A word French elides "de" before: it starts with a vowel (h is left alone: "de Hervé", "de Hyundai"). */
const ELIDES = /^[aeiouyàâäéèêëîïôöùûüœæ]/i;

export function formatNumber(n: number, locale: Locale): string {
  return new Intl.NumberFormat(intlLocale(locale)).format(n);
}

/** File sizes in SI units, as a person reads them: "1,06 Mo" / "1.06 MB", "148 ko" / "148 kB". */
export function formatBytes(bytes: number, locale: Locale): string {
  const units = locale === 'fr' ? ['o', 'ko', 'Mo', 'Go'] : ['B', 'kB', 'MB', 'GB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  const digits = unit === 0 || value >= 100 ? 0 : value >= 10 ? 1 : 2;
  // A no-break space: "100 Mo" never splits across two lines.
  return `${new Intl.NumberFormat(intlLocale(locale), { maximumFractionDigits: digits }).format(value)}\u00a0${units[unit]}`;
}

/**
 * "mardi 1er décembre 2026 à 19:00" / "Tuesday 1 December 2026 at 19:00", in the viewer's time
 * zone. French writes the first of the month as an ordinal ("1er"), which Intl does not.
 */
export function formatDateTime(iso: string, locale: Locale): string {
  return formatWithDay(dateTimeFormat(locale, 'full'), new Date(iso), locale);
}

/** `f.format(date)`, but in French the first of the month is "1er" ("mar. 1er déc."). */
export function formatWithDay(f: Intl.DateTimeFormat, date: Date, locale: Locale): string {
  if (locale !== 'fr') return f.format(date);
  return f
    .formatToParts(date)
    .map((p) => (p.type === 'day' && p.value === '1' ? '1er' : p.value))
    .join('');
}

/** "23:09": the time of day of a moment, in the viewer's time zone. */
export function formatTime(iso: string, locale: Locale): string {
  return dateTimeFormat(locale, 'time').format(new Date(iso));
}

/** Building an Intl formatter is costly; lists format hundreds of times a render. */
const formatters = new Map<string, Intl.DateTimeFormat>();
function dateTimeFormat(locale: Locale, kind: 'full' | 'time'): Intl.DateTimeFormat {
  const key = `${locale} ${kind}`;
  let f = formatters.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat(intlLocale(locale), kind === 'full' ? { dateStyle: 'full', timeStyle: 'short' } : { timeStyle: 'short' });
    formatters.set(key, f);
  }
  return f;
}

/** Splits a duration for a countdown; never negative. */
export function splitDuration(ms: number): { days: number; hours: number; minutes: number; seconds: number } {
  const s = Math.max(0, Math.floor(ms / 1000));
  return { days: Math.floor(s / 86400), hours: Math.floor((s % 86400) / 3600), minutes: Math.floor((s % 3600) / 60), seconds: s % 60 };
}

export function pickLocale(stored: string | null, navigatorLanguages: readonly string[]): Locale {
  if (stored === 'fr' || stored === 'en') return stored;
  for (const lang of navigatorLanguages) {
    if (lang.toLowerCase().startsWith('fr')) return 'fr';
    if (lang.toLowerCase().startsWith('en')) return 'en';
  }
  return 'fr';
}

/** "12,3 km" / "12.3 km": one decimal under 100 km, whole kilometres beyond. */
export function formatKm(km: number, locale: Locale): string {
  return new Intl.NumberFormat(intlLocale(locale), { style: 'unit', unit: 'kilometer', maximumFractionDigits: km < 100 ? 1 : 0 }).format(km);
}
