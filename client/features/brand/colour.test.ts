import { describe, expect, it } from 'vitest';
import { brandPalette, contrast, inkOn, isLight, luminance, mix, parseHex, readableOn, VITRINE } from './colour.js';

describe('colour', () => {
  it('parses #rrggbb (any case, # optional) and nothing else', () => {
    expect(parseHex('#E4002B')).toEqual([228, 0, 43]);
    expect(parseHex('0b0d12')).toEqual([11, 13, 18]);
    for (const bad of ['#fff', 'red', '#12345g', '', '#1234567']) expect(parseHex(bad)).toBeNull();
  });

  it('computes WCAG luminance and contrast like the reference values', () => {
    expect(luminance('#000000')).toBe(0);
    expect(luminance('#ffffff')).toBeCloseTo(1, 5);
    expect(contrast('#000000', '#ffffff')).toBeCloseTo(21, 5);
    expect(contrast('#ffffff', '#ffffff')).toBe(1);
    // #767676 on white is the classic 4.54:1 grey.
    expect(contrast('#767676', '#ffffff')).toBeCloseTo(4.54, 2);
    expect(contrast('#e4002b', '#ffffff')).toBe(contrast('#ffffff', '#e4002b'));
  });

  it('picks the readable ink for an accent button', () => {
    expect(inkOn(VITRINE.accent)).toBe(VITRINE.ink);
    expect(inkOn('#ffd400')).toBe(VITRINE.ink);
    expect(inkOn('#0033a0')).toBe('#ffffff');
    expect(inkOn('#e4002b')).toBe('#ffffff');
    for (const accent of ['#5ee1c8', '#ffd400', '#0033a0', '#e4002b']) {
      expect(contrast(accent, inkOn(accent))).toBeGreaterThanOrEqual(4.5);
    }
    // A mid grey reaches 4.5:1 with neither: the better of the two it is.
    const grey = '#777777';
    expect(contrast(grey, inkOn(grey))).toBe(Math.max(contrast(grey, VITRINE.ink), contrast(grey, '#ffffff')));
  });

  it('mixes in sRGB like CSS color-mix', () => {
    expect(mix('#000000', '#ffffff', 0.5)).toBe('#808080');
    expect(mix('#102030', '#102030', 0.3)).toBe('#102030');
    expect(mix('#000000', '#ff0000', 1)).toBe('#ff0000');
  });

  it('derives a palette whose text stays readable on dark and light backgrounds', () => {
    expect(brandPalette(null, null)).toEqual({ vars: {}, tone: 'dark' });
    const navy = brandPalette('#E4002B', '#0A1A3A');
    expect(navy.tone).toBe('dark');
    expect(navy.vars).toMatchObject({ '--accent': '#e4002b', '--accent-ink': '#ffffff', '--bg': '#0a1a3a', '--text': VITRINE.text });
    const white = brandPalette(null, '#FFFFFF');
    expect(white.tone).toBe('light');
    expect(white.vars['--accent']).toBeUndefined();
    for (const p of [navy, white, brandPalette(null, '#808080'), brandPalette(null, '#f2efe8')]) {
      const bg = p.vars['--bg']!;
      expect(contrast(p.vars['--text']!, bg)).toBeGreaterThanOrEqual(4.5);
      expect(contrast(p.vars['--muted']!, bg)).toBeGreaterThanOrEqual(4.5);
      // Secondary text sits on cards and panels too (a dealer's lead rows).
      expect(contrast(p.vars['--muted']!, p.vars['--card']!)).toBeGreaterThanOrEqual(4.5);
      expect(contrast(p.vars['--muted']!, p.vars['--bg-2']!)).toBeGreaterThanOrEqual(4.5);
      // Surfaces step away from the background, towards the text.
      expect(contrast(p.vars['--card']!, bg)).toBeGreaterThan(1);
      expect(contrast(p.vars['--text']!, p.vars['--card']!)).toBeGreaterThanOrEqual(4.5);
    }
    // Where there is room, secondary text is a step quieter than the main text.
    for (const p of [navy, white]) expect(p.vars['--muted']).not.toBe(p.vars['--text']);
    expect(isLight('#f2efe8')).toBe(true);
    expect(isLight(VITRINE.background)).toBe(false);
  });
});

describe('accent as text', () => {
  const surfaces = (p: ReturnType<typeof brandPalette>) => [p.vars['--bg'] ?? VITRINE.background, p.vars['--bg-2'] ?? VITRINE.surface, p.vars['--card'] ?? VITRINE.card];

  it('keeps an accent that already reads, and lightens or darkens one that does not, at 4.5:1 on every surface', () => {
    expect(readableOn('#ffd400', [VITRINE.background, VITRINE.card])).toBe('#ffd400');
    expect(readableOn(VITRINE.accent, [VITRINE.background])).toBe(VITRINE.accent);
    const cases: [string | null, string | null][] = [
      ['#0b1f5c', null], // navy on Vitrine's night
      ['#ffd400', null],
      ['#ffd400', '#ffffff'], // yellow on white
      ['#e4002b', '#0a1a3a'],
      [null, '#ffffff'], // Vitrine's mint on a brand's white
      ['#0b1f5c', '#f2efe8'],
      ['#777777', '#808080'],
    ];
    for (const [accent, background] of cases) {
      const p = brandPalette(accent, background);
      const text = p.vars['--accent-text']!;
      for (const s of surfaces(p)) expect(contrast(text, s), `${accent} on ${background}: ${text} on ${s}`).toBeGreaterThanOrEqual(4.5);
      // Over the stage, on the dark glass, whatever the page's background.
      for (const s of [VITRINE.background, VITRINE.surface, VITRINE.card]) expect(contrast(p.vars['--accent-on-dark']!, s)).toBeGreaterThanOrEqual(4.5);
    }
    // The navy becomes a lighter blue, not white: the brand's hue stays.
    const navy = brandPalette('#0b1f5c', null).vars['--accent-text']!;
    expect(navy).not.toBe('#ffffff');
    const [r, g, b] = parseHex(navy)!;
    expect(b).toBeGreaterThan(r);
    expect(b).toBeGreaterThan(g);
  });

  it('sets nothing for Vitrine’s own look (styles.css has it)', () => {
    expect(brandPalette(null, null).vars['--accent-text']).toBeUndefined();
  });
});
