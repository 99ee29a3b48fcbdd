/**
 * Colour arithmetic for event branding: WCAG contrast, and the palette a page derives from a
 * brand's accent and background. Pure functions (unit-tested), no DOM.
 */

export type Rgb = [number, number, number];

/** Vitrine's own look (client/styles.css :root). */
export const VITRINE = { accent: '#5ee1c8', accentInk: '#062a24', background: '#0b0d12', surface: '#12151c', card: '#161a22', text: '#eef1f5', ink: '#0b0d12' } as const;

export function parseHex(hex: string): Rgb | null {
  const m = /^#?([0-9a-f]{6})$/i.exec(hex.trim());
  if (!m) return null;
  const n = parseInt(m[1]!, 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
}

export function toHex([r, g, b]: Rgb): string {
  return `#${[r, g, b].map((c) => Math.round(Math.min(255, Math.max(0, c))).toString(16).padStart(2, '0')).join('')}`;
}

/** WCAG 2.x relative luminance, 0 (black) … 1 (white). */
export function luminance(hex: string): number {
  const rgb = parseHex(hex);
  if (!rgb) return 0;
  const [r, g, b] = rgb.map((c) => {
    const s = c / 255;
    return s <= 0.04045 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  }) as Rgb;
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

/** WCAG contrast ratio, 1 … 21. 3 is the floor for large text and UI parts, 4.5 for body text. */
export function contrast(a: string, b: string): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
}

/** `a` moved towards `b` by `amount` (0 … 1), in sRGB like CSS color-mix. */
export function mix(a: string, b: string, amount: number): string {
  const x = parseHex(a) ?? [0, 0, 0];
  const y = parseHex(b) ?? [0, 0, 0];
  return toHex([0, 1, 2].map((i) => x[i]! + (y[i]! - x[i]!) * amount) as Rgb);
}

/** Text on an accent-coloured button: near-black or white, whichever reads better. */
export function inkOn(background: string): string {
  return contrast(background, VITRINE.ink) >= contrast(background, '#ffffff') ? VITRINE.ink : '#ffffff';
}

/** A background light enough that dark text reads better on it than light text. */
export function isLight(background: string): boolean {
  return contrast(background, VITRINE.ink) > contrast(background, VITRINE.text);
}

export interface BrandPalette {
  /** CSS custom properties to set on the document. */
  vars: Record<string, string>;
  tone: 'dark' | 'light';
}

/**
 * The page palette from a brand's colours; null keeps Vitrine's own for that part. Surfaces
 * (--bg-2, --card, --line) step from the background towards the text colour, as the default
 * dark theme does, so a brand's navy or white keeps the same hierarchy.
 */
export function brandPalette(accent: string | null, background: string | null): BrandPalette {
  const vars: Record<string, string> = {};
  let tone: BrandPalette['tone'] = 'dark';
  const validAccent = accent && parseHex(accent) ? accent.toLowerCase() : null;
  if (validAccent) {
    vars['--accent'] = validAccent;
    vars['--accent-ink'] = inkOn(validAccent);
  }
  if (background && parseHex(background)) {
    const bg = background.toLowerCase();
    tone = isLight(bg) ? 'light' : 'dark';
    const text = tone === 'light' ? '#14171f' : VITRINE.text;
    vars['--bg'] = bg;
    vars['--bg-2'] = surface(bg, text, 0.04);
    vars['--card'] = surface(bg, text, 0.07);
    vars['--line'] = mix(bg, text, 0.16);
    vars['--text'] = text;
    vars['--muted'] = mutedOn(text, [bg, vars['--bg-2'], vars['--card']]);
  }
  // Either colour changes how the accent reads as text: a navy accent vanishes on the default
  // night, Vitrine's mint on a brand's white.
  if (Object.keys(vars).length) {
    const a = validAccent ?? VITRINE.accent;
    vars['--accent-text'] = readableOn(a, [vars['--bg'] ?? VITRINE.background, vars['--bg-2'] ?? VITRINE.surface, vars['--card'] ?? VITRINE.card]);
    // The controls over the 3D stage float on Vitrine's dark glass whatever the background (brand.css).
    vars['--accent-on-dark'] = readableOn(a, [VITRINE.background, VITRINE.surface, VITRINE.card]);
  }
  return { vars, tone };
}

/** Body text contrast (WCAG 1.4.3), with a little room for the accent tints some tags sit on. */
const TEXT_CONTRAST = 4.6;

/**
 * The accent as text, icons, focus rings and thin lines on these surfaces: the accent itself if it
 * reads at 4.5:1 on all of them, else the closest step of it towards white (dark surfaces) or
 * black (light ones) that does. The brand's hue stays; only its lightness gives way.
 */
export function readableOn(accent: string, surfaces: string[]): string {
  const worst = (c: string) => Math.min(...surfaces.map((s) => contrast(c, s)));
  if (worst(accent) >= TEXT_CONTRAST) return accent;
  // Away from the surfaces: lighter on dark ones, darker on light ones.
  const towards = worst('#ffffff') >= worst('#000000') ? '#ffffff' : '#000000';
  for (let amount = 0.05; amount < 1; amount += 0.05) {
    const c = mix(accent, towards, amount);
    if (worst(c) >= TEXT_CONTRAST) return c;
  }
  return towards; // a mid-grey page: as far as it goes
}

/**
 * A raised surface: the background a step towards the text colour, or, on a mid-tone
 * background where that would leave the text under 4.5:1, a step away from it.
 */
function surface(bg: string, text: string, amount: number): string {
  const towards = mix(bg, text, amount);
  if (contrast(text, towards) >= 4.5) return towards;
  return mix(bg, isLight(text) ? '#000000' : '#ffffff', amount);
}

/**
 * Secondary text: as far towards the background as it can go while still reading at 4.5:1 on
 * the background and on the raised surfaces (cards, panels) it also sits on.
 */
function mutedOn(text: string, surfaces: string[]): string {
  const bg = surfaces[0]!;
  for (let amount = 0.38; amount > 0; amount -= 0.04) {
    const muted = mix(text, bg, amount);
    if (surfaces.every((s) => contrast(muted, s) >= 4.5)) return muted;
  }
  return text;
}
