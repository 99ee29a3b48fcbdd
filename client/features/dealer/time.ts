import type { Locale } from '../../../shared/event.js';
import { formatTime, formatWithDay } from '../../i18n/format.js';
import type { MessageKey } from '../../i18n/messages.js';
import { delayParts } from './leads.view.js';

type T = (key: MessageKey, vars?: Record<string, string | number>) => string;

const intlLocale = (l: Locale) => (l === 'fr' ? 'fr-FR' : 'en-GB');

/** Building an Intl formatter is costly and the list formats every row each minute. */
const cache = new Map<string, Intl.DateTimeFormat | Intl.RelativeTimeFormat>();
function cached<F extends Intl.DateTimeFormat | Intl.RelativeTimeFormat>(key: string, make: () => F): F {
  let f = cache.get(key) as F | undefined;
  if (!f) {
    f = make();
    cache.set(key, f);
  }
  return f;
}
const dayFormat = (l: Locale) => cached(`day ${l}`, () => new Intl.DateTimeFormat(intlLocale(l), { weekday: 'short', day: 'numeric', month: 'short' }));
const longDayFormat = (l: Locale) =>
  cached(`longday ${l}`, () => new Intl.DateTimeFormat(intlLocale(l), { weekday: 'short', day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' }));
const relative = (l: Locale) => cached(`rel ${l}`, () => new Intl.RelativeTimeFormat(intlLocale(l), { style: 'short', numeric: 'always' }));

const sameLocalDay = (a: Date, b: Date) => a.getFullYear() === b.getFullYear() && a.getMonth() === b.getMonth() && a.getDate() === b.getDate();

/** "aujourd’hui à 14:05", "hier à 09:12", "le mar. 1er déc. à 19:04". */
export function momentLabel(iso: string, now: number, locale: Locale, t: T): string {
  const at = new Date(iso);
  const time = formatTime(iso, locale);
  if (sameLocalDay(at, new Date(now))) return t('dealer.todayAt', { time });
  if (sameLocalDay(at, new Date(now - 86_400_000))) return t('dealer.yesterdayAt', { time });
  return t('dealer.onDayAt', { day: formatWithDay(dayFormat(locale), at, locale), time });
}

/** When a request came in: "à l’instant", "il y a 3 min" within the hour, then the moment. */
export function receivedLabel(iso: string, now: number, locale: Locale, t: T): string {
  const ago = now - Date.parse(iso);
  if (ago < 60_000) return t('dealer.justNow');
  if (ago < 3_600_000) return relative(locale).format(-Math.floor(ago / 60_000), 'minute');
  return momentLabel(iso, now, locale, t);
}

/** A calendar day the viewer picked (`YYYY-MM-DD`, no time zone): "mar. 15 déc. 2026". */
export function dayLabel(day: string, locale: Locale): string {
  const d = new Date(`${day}T00:00:00Z`);
  return Number.isNaN(d.getTime()) ? day : formatWithDay(longDayFormat(locale), d, locale);
}

/** "12 min", "2 h 05", "3 j 4 h". */
export function delayLabel(ms: number, t: T): string {
  if (ms < 60_000) return t('dealer.delay.underMinute');
  const { days, hours, minutes } = delayParts(ms);
  if (days > 0) return t('dealer.delay.days', { d: days, h: hours });
  if (hours > 0) return t('dealer.delay.hours', { h: hours, mm: String(minutes).padStart(2, '0') });
  return t('dealer.delay.minutes', { m: minutes });
}
