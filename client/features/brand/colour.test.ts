import { describe, expect, it } from 'vitest';
import { brandPalette, contrast, inkOn, isLight, luminance, mix, parseHex, VITRINE } from './colour.js';

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
