/**
 * Distances for the lead form: where a French postcode is, and which dealers are nearest to it.
 * Offline: the postcode table (fr-postcodes.json, built by scripts/build-postcodes.ts from INSEE /
 * La Poste and GeoNames open data; see DATA-LICENCES.md) ships with the server, so no geocoding
 * service is called at run time.
 */
import { readFileSync } from 'node:fs';

export interface LatLng {
  lat: number;
  lng: number;
}

/** Mean Earth radius (IUGG), km. */
const EARTH_RADIUS_KM = 6371.0088;

/** postcode → [lat, lng] (exact) or [lat, lng, 1] (approximate: no commune of the postcode was located). */
type PostcodeTable = Map<string, readonly number[]>;

let table: PostcodeTable | null = null;

function postcodes(): PostcodeTable {
  if (table === null) {
    const raw = JSON.parse(readFileSync(new URL('./fr-postcodes.json', import.meta.url), 'utf8')) as {
      postcodes?: Record<string, unknown>;
    };
    const loaded: PostcodeTable = new Map();
    for (const [code, value] of Object.entries(raw.postcodes ?? {})) {
      if (Array.isArray(value) && typeof value[0] === 'number' && typeof value[1] === 'number') {
        loaded.set(code, value as number[]);
      }
    }
    if (loaded.size === 0) throw new Error('server/geo/fr-postcodes.json holds no postcodes (npm run data:postcodes)');
    table = loaded;
  }
  return table;
}

/**
 * Where a French postcode is, with whether that point is only approximate (none of its communes is
 * in GeoNames; placed among its neighbours, typically within 10–20 km). Spaces are ignored
 * ("75 001"); anything but 5 digits, or a postcode that does not exist, gives null.
 */
export function postcodeLookup(postcode: string): { location: LatLng; approximate: boolean } | null {
  const code = postcode.replace(/\s+/g, '');
  if (!/^\d{5}$/.test(code)) return null;
  const entry = postcodes().get(code);
  if (!entry) return null;
  return { location: { lat: entry[0]!, lng: entry[1]! }, approximate: entry[2] === 1 };
}

/** Where a French postcode is (its communes' population-weighted centre), or null if unknown. */
export function postcodeLocation(postcode: string): LatLng | null {
  return postcodeLookup(postcode)?.location ?? null;
}

/** Great-circle distance in km (haversine). */
export function distanceKm(a: LatLng, b: LatLng): number {
  const rad = Math.PI / 180;
  const h =
    Math.sin(((b.lat - a.lat) * rad) / 2) ** 2 +
    Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(((b.lng - a.lng) * rad) / 2) ** 2;
  return 2 * EARTH_RADIUS_KM * Math.asin(Math.min(1, Math.sqrt(h)));
}

interface Located {
  latitude: number;
  longitude: number;
}

/** Distance to an item; an item whose coordinates are not finite numbers is infinitely far. */
function distanceTo(item: Located, from: LatLng): number {
  if (!Number.isFinite(item.latitude) || !Number.isFinite(item.longitude)) return Number.POSITIVE_INFINITY;
  return distanceKm(from, { lat: item.latitude, lng: item.longitude });
}

/**
 * The items, nearest first, each with its distance from `from` rounded to 0.1 km. Ties keep the
 * original order. Items without finite coordinates come last, with `distanceKm: Infinity`.
 */
export function sortByDistance<T extends Located>(items: T[], from: LatLng): Array<T & { distanceKm: number }> {
  return items
    .map((item, index) => ({ item, index, distance: distanceTo(item, from) }))
    .sort((a, b) => a.distance - b.distance || a.index - b.index)
    .map(({ item, distance }) => ({ ...item, distanceKm: Number.isFinite(distance) ? Math.round(distance * 10) / 10 : distance }));
}

/** The nearest item (the first of equals), or null if there is none with finite coordinates. */
export function nearest<T extends Located>(items: T[], from: LatLng): T | null {
  let best: T | null = null;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const item of items) {
    const d = distanceTo(item, from);
    if (d < bestDistance) {
      best = item;
      bestDistance = d;
    }
  }
  return best;
}
