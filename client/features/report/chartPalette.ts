import { contrast, mix, parseHex, VITRINE } from '../brand/colour.js';

/**
 * The colours a chart is drawn with. A canvas does not follow CSS, so the chart asks for its
 * palette when it draws: on the page's background (the brand's, dark or light) or on paper.
 */
export type SeriesTone = 'accent' | 'reactions' | 'questions' | 'leads';

export interface ChartPalette {
  series: Record<SeriesTone, string>;
  axis: string;
  grid: string;
}

/** Lines and bars are graphics: WCAG asks 3:1 against what they are drawn on. */
const GRAPHIC_CONTRAST = 3;

/** On a dark background: the pastel tags of the dealer page; on a light one or paper: deeper inks. */
const SERIES_ON = {
  dark: { reactions: '#ff9aa5', questions: '#ffd27a', leads: '#9cc0ff' },
  light: { reactions: '#c2255c', questions: '#a15c00', leads: '#2f62c9' },
} as const;

/** `colour` stepped towards black or white until it reads at 3:1 on `background`. */
export function readableOn(colour: string, background: string): string {
  const away = contrast(background, '#000000') > contrast(background, '#ffffff') ? '#000000' : '#ffffff';
  for (let amount = 0; amount <= 1; amount += 0.05) {
    const candidate = mix(colour, away, amount);
    if (contrast(candidate, background) >= GRAPHIC_CONTRAST) return candidate;
  }
  return away;
}

/**
 * The palette on a surface: `accent` is the brand's (or Vitrine's) and leads the chart;
 * `background` is what the chart sits on; `muted` the page's secondary text, for the axes.
 */
export function chartPalette(accent: string, background: string, tone: 'dark' | 'light', muted: string): ChartPalette {
  const base = parseHex(accent) ? accent : VITRINE.accent;
  const inks = SERIES_ON[tone];
  return {
    series: {
      accent: readableOn(base, background),
      reactions: readableOn(inks.reactions, background),
      questions: readableOn(inks.questions, background),
      leads: readableOn(inks.leads, background),
    },
    axis: muted,
    grid: tone === 'dark' ? '#ffffff17' : '#14171f1c',
  };
}

/** Paper: white, black ink for the axes' words. */
export const PAPER = { background: '#ffffff', muted: '#4a5160' } as const;
