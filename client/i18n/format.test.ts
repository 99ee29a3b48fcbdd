import { describe, expect, it } from 'vitest';
import { formatBytes, formatDateTime, formatNumber, interpolate, pickLocale, splitDuration } from './format.js';
import { en, errorKey, fr } from './messages.js';

describe('i18n', () => {
  it('has the same keys in French and English, none empty', () => {
    expect(Object.keys(en).sort()).toEqual(Object.keys(fr).sort());
    for (const v of [...Object.values(fr), ...Object.values(en)]) expect(v.trim()).not.toBe('');
  });
  it('pluralises and groups digits the French way', () => {
    expect(interpolate(fr['common.viewers'], { n: 1 }, 'fr')).toBe('1 spectateur');
    expect(interpolate(fr['common.viewers'], { n: 1234 }, 'fr')).toBe(`${formatNumber(1234, 'fr')} spectateurs`);
    expect(formatNumber(1234, 'fr')).toMatch(/^1\s234$/);
    expect(interpolate(en['common.viewers'], { n: 2 }, 'en')).toBe('2 viewers');
  });
  it('elides "de" before a vowel in French only', () => {
    expect(interpolate(fr['studio.dealers.openLabel'], { name: 'Aurore Marseille' }, 'fr')).toBe('Ouvrir les demandes d’Aurore Marseille');
    expect(interpolate(fr['studio.dealers.openLabel'], { name: 'Émile Garage' }, 'fr')).toBe('Ouvrir les demandes d’Émile Garage');
    expect(interpolate(fr['studio.dealers.openLabel'], { name: 'Garage du Rhône' }, 'fr')).toBe('Ouvrir les demandes de Garage du Rhône');
    expect(interpolate(fr['lead.erase.done'], { name: 'Inès Martin' }, 'fr')).toBe('Les données d’Inès Martin ont été effacées.');
    expect(interpolate('de {name}', { name: 'Alice' }, 'en')).toBe('de Alice');
  });
  it('formats dates in French', () => {
    expect(formatDateTime('2026-12-01T18:00:00Z', 'fr')).toMatch(/décembre 2026/);
  });
  it('writes the first of the month as "1er" in French only', () => {
    // Noon UTC: the 1st in every time zone the tests run in.
    expect(formatDateTime('2026-09-01T12:00:00Z', 'fr')).toMatch(/^mardi 1er septembre 2026 /);
    expect(formatDateTime('2026-09-02T12:00:00Z', 'fr')).toMatch(/^mercredi 2 septembre 2026 /);
    expect(formatDateTime('2026-09-01T12:00:00Z', 'en')).toMatch(/^Tuesday,? 1 September 2026/);
  });
  it('writes file sizes as people read them', () => {
    expect(formatBytes(1_058_132, 'fr')).toBe('1,06\u00a0Mo');
    expect(formatBytes(148_092, 'en')).toBe('148\u00a0kB');
    expect(formatBytes(999, 'en')).toBe('999\u00a0B');
    expect(formatBytes(100_000_000, 'en')).toBe('100\u00a0MB');
  });
  it('splits a countdown and clamps past dates', () => {
    expect(splitDuration(90061_000)).toEqual({ days: 1, hours: 1, minutes: 1, seconds: 1 });
    expect(splitDuration(-5)).toEqual({ days: 0, hours: 0, minutes: 0, seconds: 0 });
  });
  it('defaults to French, follows the browser, then a stored choice', () => {
    expect(pickLocale(null, ['de-DE'])).toBe('fr');
    expect(pickLocale(null, ['en-US', 'fr'])).toBe('en');
    expect(pickLocale('fr', ['en-US'])).toBe('fr');
  });
});

describe('errorKey', () => {
  it('names known codes and falls back to internal for any other', () => {
    expect(errorKey('rate_limited')).toBe('error.rate_limited');
    expect(errorKey('network')).toBe('error.network');
    expect(errorKey('too_large')).toBe('error.internal');
    expect(errorKey(undefined)).toBe('error.internal');
  });
});
