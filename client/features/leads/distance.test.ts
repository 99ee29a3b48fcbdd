import { describe, expect, it } from 'vitest';
import { formatKm } from '../../i18n/format.js';

describe('formatKm (dealer distances)', () => {
  it('writes kilometres the French way, one decimal up close', () => {
    expect(formatKm(12.34, 'fr')).toMatch(/^12,3\skm$/);
    expect(formatKm(3, 'fr')).toMatch(/^3\skm$/);
    expect(formatKm(123.6, 'fr')).toMatch(/^124\skm$/);
    expect(formatKm(12.34, 'en')).toMatch(/^12\.3\skm$/);
  });
});
