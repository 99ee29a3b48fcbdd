import { useEffect, useState, useSyncExternalStore } from 'react';
import type { EventBrand } from '../../../shared/brand.js';
import { brandPalette } from './colour.js';

/**
 * The brand applied to the document. Pages call `useBrandTheme(brand)`; when several do at once
 * (a page with the HTTP copy of the event and, below it, the live view with the socket's copy),
 * the one rendered last wins: the innermost, most current one. The top bar reads the result.
 */
interface Claim {
  order: number;
  brand: EventBrand;
}

const claims = new Map<number, Claim>();
const listeners = new Set<() => void>();
let order = 0;
let applied: EventBrand | null = null;
let appliedVars: string[] = [];

function current(): EventBrand | null {
  let best: Claim | null = null;
  for (const c of claims.values()) if (!best || c.order > best.order) best = c;
  return best?.brand ?? null;
}

/** Writes the winning brand's variables on <html>, removes the previous ones. */
function apply(): void {
  const brand = current();
  if (brand === applied) return;
  applied = brand;
  const root = document.documentElement;
  for (const name of appliedVars) root.style.removeProperty(name);
  const { vars, tone } = brandPalette(brand?.accent ?? null, brand?.background ?? null);
  appliedVars = Object.keys(vars);
  for (const [name, value] of Object.entries(vars)) root.style.setProperty(name, value);
  if (appliedVars.length) {
    root.dataset.brand = '';
    root.dataset.brandTone = tone;
    // Form controls and scrollbars follow the background's tone.
    root.style.setProperty('color-scheme', tone);
    appliedVars.push('color-scheme');
  } else {
    delete root.dataset.brand;
    delete root.dataset.brandTone;
  }
  for (const l of listeners) l();
}

/**
 * Themes the page with an event's brand (accent, background and what follows from them) while
 * the calling component is mounted; `null`/`undefined` claims nothing. Vitrine's look is back
 * when no mounted component claims a brand.
 */
export function useBrandTheme(brand: EventBrand | null | undefined): void {
  // Render order: a parent renders before its children, so a child's claim gets a higher number.
  const [id] = useState(() => ++order);
  // By value: a fresh `state` after a reconnection carries an equal brand in a new object.
  const has = Boolean(brand);
  const name = brand?.name ?? null;
  const logoUrl = brand?.logoUrl ?? null;
  const accent = brand?.accent ?? null;
  const background = brand?.background ?? null;
  useEffect(() => {
    if (!has) return;
    claims.set(id, { order: id, brand: { name, logoUrl, accent, background } });
    apply();
    return () => {
      claims.delete(id);
      apply();
    };
  }, [id, has, name, logoUrl, accent, background]);
}

function subscribe(cb: () => void) {
  listeners.add(cb);
  return () => listeners.delete(cb);
}

/** The brand the document shows now (null: Vitrine's own look). */
export function useAppliedBrand(): EventBrand | null {
  return useSyncExternalStore(subscribe, () => applied, () => null);
}
