import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { distanceKm, nearest, postcodeLocation, postcodeLookup, sortByDistance, type LatLng } from './geo.js';

function located(postcode: string): LatLng {
  const point = postcodeLocation(postcode);
  if (!point) throw new Error(`${postcode} not found`);
  return point;
}

describe('postcodeLocation', () => {
  it('places big-city postcodes in their city', () => {
    expect(distanceKm(located('75001'), { lat: 48.8625, lng: 2.3364 })).toBeLessThan(2); // Paris 1er (Louvre)
    expect(distanceKm(located('69003'), { lat: 45.76, lng: 4.85 })).toBeLessThan(5); // Lyon 3e
    expect(distanceKm(located('13001'), { lat: 43.2965, lng: 5.3698 })).toBeLessThan(3); // Marseille 1er, Vieux-Port
  });

  it('places Marseille arrondissements apart, not all at the city centre', () => {
    // 13016 (L'Estaque, north-west) and 13011 (east) are over 10 km apart.
    expect(distanceKm(located('13016'), located('13011'))).toBeGreaterThan(10);
  });

  it('places Corsica and overseas departments', () => {
    expect(distanceKm(located('20000'), { lat: 41.9192, lng: 8.7386 })).toBeLessThan(5); // Ajaccio (2A)
    expect(distanceKm(located('20200'), { lat: 42.6977, lng: 9.4508 })).toBeLessThan(10); // Bastia (2B)
    expect(distanceKm(located('97400'), { lat: -20.9, lng: 55.45 })).toBeLessThan(5); // Saint-Denis, La Réunion
  });

  it('places a rural postcode of small communes (none in GeoNames) inside its département', () => {
    // 48310: Fournels and nine villages of 31 to 371 inhabitants, Lozère.
    const found = postcodeLookup('48310');
    expect(found?.approximate).toBe(true);
    const { lat, lng } = found!.location;
    // Lozère spans about 44.11–44.98 N, 2.98–4.00 E.
    expect(lat).toBeGreaterThan(44.11);
    expect(lat).toBeLessThan(44.98);
    expect(lng).toBeGreaterThan(2.98);
    expect(lng).toBeLessThan(4.0);
    expect(distanceKm(found!.location, { lat: 44.82, lng: 3.13 })).toBeLessThan(40); // Fournels
  });

  it('marks postcodes with a located commune as exact', () => {
    expect(postcodeLookup('69003')?.approximate).toBe(false);
    expect(postcodeLookup('48000')?.approximate).toBe(false); // Mende
  });

  it('ignores spaces and rejects what is not a known 5-digit postcode', () => {
    expect(postcodeLocation(' 75 001 ')).toEqual(postcodeLocation('75001'));
    expect(postcodeLocation('00000')).toBeNull();
    expect(postcodeLocation('99999')).toBeNull();
    expect(postcodeLocation('7500')).toBeNull();
    expect(postcodeLocation('750011')).toBeNull();
    expect(postcodeLocation('2A000')).toBeNull();
    expect(postcodeLocation('')).toBeNull();
  });

  it('covers every postcode of @etalab/decoupage-administratif, each with a plausible point', () => {
    const require = createRequire(import.meta.url);
    const communes = JSON.parse(
      readFileSync(require.resolve('@etalab/decoupage-administratif/data/communes.json'), 'utf8'),
    ) as Array<{ codesPostaux?: string[] }>;
    const all = new Set(communes.flatMap((c) => c.codesPostaux ?? []));
    expect(all.size).toBeGreaterThan(6000);
    const missing = [...all].filter((p) => postcodeLocation(p) === null);
    expect(missing).toEqual([]);
    for (const p of all) {
      const { lat, lng } = located(p);
      if (p < '97000') {
        // Metropolitan France and Corsica.
        expect(lat, p).toBeGreaterThan(41.3);
        expect(lat, p).toBeLessThan(51.1);
        expect(lng, p).toBeGreaterThan(-5.2);
        expect(lng, p).toBeLessThan(9.6);
      }
    }
  });
});

describe('distanceKm', () => {
  it('measures Paris–Lyon as about 392 km', () => {
    const paris = { lat: 48.8566, lng: 2.3522 };
    const lyon = { lat: 45.764, lng: 4.8357 };
    expect(distanceKm(paris, lyon)).toBeGreaterThan(389);
    expect(distanceKm(paris, lyon)).toBeLessThan(395);
    expect(distanceKm(lyon, paris)).toBeCloseTo(distanceKm(paris, lyon), 9);
    expect(distanceKm(paris, paris)).toBe(0);
  });

  it('measures a quarter of the equator as a quarter of the circumference', () => {
    expect(distanceKm({ lat: 0, lng: 0 }, { lat: 0, lng: 90 })).toBeCloseTo((Math.PI * 6371.0088) / 2, 6);
  });
});

describe('sortByDistance and nearest', () => {
  const dealers = [
    { id: 'paris', latitude: 48.8566, longitude: 2.3522 },
    { id: 'marseille', latitude: 43.2965, longitude: 5.3698 },
    { id: 'lyon', latitude: 45.764, longitude: 4.8357 },
  ];

  it('orders dealers nearest first from a Lyon postcode, with distances to 0.1 km', () => {
    const sorted = sortByDistance(dealers, located('69003'));
    expect(sorted.map((d) => d.id)).toEqual(['lyon', 'marseille', 'paris']);
    expect(sorted[0]!.distanceKm).toBeLessThan(5);
    expect(sorted[1]!.distanceKm).toBeGreaterThan(250);
    expect(sorted[1]!.distanceKm).toBeLessThan(300);
    expect(sorted[2]!.distanceKm).toBeGreaterThan(380);
    expect(sorted[2]!.distanceKm).toBeLessThan(400);
    for (const d of sorted) expect(Math.round(d.distanceKm * 10) / 10).toBe(d.distanceKm);
    // The input is left alone and the other fields are kept.
    expect(dealers.map((d) => d.id)).toEqual(['paris', 'marseille', 'lyon']);
    expect(sorted[0]).toMatchObject({ id: 'lyon', latitude: 45.764, longitude: 4.8357 });
  });

  it('keeps the original order for equal distances, and puts dealers without coordinates last', () => {
    const from = { lat: 45.764, lng: 4.8357 };
    const items = [
      { id: 'nowhere', latitude: Number.NaN, longitude: 4 },
      { id: 'far', latitude: 48.8566, longitude: 2.3522 },
      { id: 'a', latitude: 45.75, longitude: 4.85 },
      { id: 'b', latitude: 45.75, longitude: 4.85 },
      { id: 'c', latitude: 45.75, longitude: 4.85 },
    ];
    const sorted = sortByDistance(items, from);
    expect(sorted.map((d) => d.id)).toEqual(['a', 'b', 'c', 'far', 'nowhere']);
    expect(sorted[4]!.distanceKm).toBe(Number.POSITIVE_INFINITY);
    expect(nearest(items, from)?.id).toBe('a');
  });

  it('nearest returns the closest item itself, or null', () => {
    const fromMarseille = located('13001');
    expect(nearest(dealers, fromMarseille)).toBe(dealers[1]);
    expect(nearest([], fromMarseille)).toBeNull();
    expect(nearest([{ latitude: Number.NaN, longitude: Number.NaN }], fromMarseille)).toBeNull();
    expect(sortByDistance([], fromMarseille)).toEqual([]);
  });
});
