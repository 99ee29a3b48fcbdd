import { describe, expect, it } from 'vitest';
import { interpolate } from '../../i18n/format.js';
import { fr, type MessageKey } from '../../i18n/messages.js';
import { dayLabel, momentLabel } from './time.js';

const t = (key: MessageKey, vars?: Record<string, string | number>) => interpolate(fr[key], vars ?? {}, 'fr');

describe('dealer dates', () => {
  it('write the first of the month as "1er" in French, in a picked day and in an older moment', () => {
    expect(dayLabel('2026-12-01', 'fr')).toBe('mar. 1er déc. 2026');
    expect(dayLabel('2026-12-02', 'fr')).toBe('mer. 2 déc. 2026');
    expect(dayLabel('2026-12-01', 'en')).toMatch(/^Tue,? 1 Dec 2026$/);
    // Noon UTC on the 1st: the 1st in every time zone the tests run in; a week later, "now".
    expect(momentLabel('2026-12-01T12:00:00Z', Date.parse('2026-12-08T12:00:00Z'), 'fr', t)).toMatch(/^le mar\. 1er déc\. à \d\d:\d\d$/);
  });
});
