import { describe, expect, it } from 'vitest';
import { MAX_DEALER_ISSUES, MAX_DEALER_ROWS, parseDealerCsv } from './dealerCsv.js';

const COMMA = [
  'id,name,address,postcode,city,latitude,longitude,email,phone',
  'lyon-1,Garage du Rhône,"12 quai Saint-Antoine, bât. B",69002,Lyon,45.7640,4.8357,lyon@example.fr,04 78 00 00 00',
  'stetienne,Auto Forez,,42000,Saint-Étienne,45.4397,4.3872,forez@example.fr,',
].join('\n');

/** What French Excel saves as "CSV UTF-8 (séparateur : point-virgule)". */
const FRENCH_EXCEL = [
  '\uFEFFIdentifiant;Nom;Adresse;Code postal;Ville;Lat;Long;Courriel;Téléphone;Commentaire',
  'lyon-1;Garage du Rhône;12 quai Saint-Antoine, bât. B;69002;Lyon;45,7640;4,8357;lyon@example.fr;04 78 00 00 00;à rappeler',
  '',
  'stetienne;Auto Forez;;42000;Saint-Étienne;45,4397;4,3872;forez@example.fr;;',
  ';;;;;;;;;',
].join('\r\n') + '\r\n';

const issuesOf = (text: string) => {
  const r = parseDealerCsv(text);
  if (r.ok) throw new Error('expected issues');
  return r.issues;
};

const HEADER = 'id,name,address,postcode,city,latitude,longitude,email,phone';
const GOOD = 'a1,Garage A,,69001,Lyon,45.76,4.83,a@example.fr,';

describe('parseDealerCsv', () => {
  it('reads a comma file and a French Excel file to the same dealers', () => {
    const comma = parseDealerCsv(COMMA);
    const french = parseDealerCsv(FRENCH_EXCEL);
    expect(comma.ok).toBe(true);
    expect(french).toEqual({ ...comma, ignoredColumns: ['Commentaire'] });
    if (!comma.ok) return;
    expect(comma.dealers).toEqual([
      {
        id: 'lyon-1',
        name: 'Garage du Rhône',
        address: '12 quai Saint-Antoine, bât. B',
        postcode: '69002',
        city: 'Lyon',
        latitude: 45.764,
        longitude: 4.8357,
        email: 'lyon@example.fr',
        phone: '+33478000000',
      },
      {
        id: 'stetienne',
        name: 'Auto Forez',
        address: '',
        postcode: '42000',
        city: 'Saint-Étienne',
        latitude: 45.4397,
        longitude: 4.3872,
        email: 'forez@example.fr',
        phone: undefined,
      },
    ]);
  });

  it('names the columns it ignored, and refuses text that was not UTF-8 rather than drop its phones', () => {
    const excel = parseDealerCsv(FRENCH_EXCEL);
    expect(excel).toMatchObject({ ok: true, ignoredColumns: ['Commentaire'] });
    expect(parseDealerCsv(COMMA)).toMatchObject({ ok: true, ignoredColumns: [] });
    // A Windows-1252 file read as UTF-8: "Téléphone" and "Hœnheim" come out with U+FFFD.
    const mangled = parseDealerCsv(FRENCH_EXCEL.replaceAll('é', '\uFFFD'));
    expect(mangled).toMatchObject({ ok: false, issues: [{ path: ['encoding'] }] });
  });

  it('takes a quoted decimal comma in a comma file, and LF or CRLF alike', () => {
    const quoted = `${HEADER}\r\na1,Garage A,,69001,Lyon,"45,76","4,83",a@example.fr,\r\n`;
    const r = parseDealerCsv(quoted);
    expect(r.ok && r.dealers[0]).toMatchObject({ latitude: 45.76, longitude: 4.83 });
  });

  it('reports bad latitude, email and postcode on their line and field', () => {
    const text = [
      HEADER,
      GOOD,
      'b1,Garage B,,69001,Lyon,95,4.83,b@example.fr,',
      'c1,Garage C,,69001,Lyon,45.76,4.83,not-an-email,',
      'd1,Garage D,,6900,Lyon,45.76,4.83,d@example.fr,',
      'e1,Garage E,,69001,Lyon,,4.83,e@example.fr,',
    ].join('\n');
    expect(issuesOf(text)).toEqual([
      { path: ['line', 3, 'latitude'], message: 'latitude is -90 to 90' },
      { path: ['line', 4, 'email'], message: 'not a valid email address' },
      { path: ['line', 5, 'postcode'], message: 'a French postcode has 5 digits' },
      // An empty cell is "not given", never 0.
      { path: ['line', 6, 'latitude'], message: 'latitude must be a number' },
    ]);
  });

  it('reports a duplicate id on the later line, counting lines of multi-line cells', () => {
    const text = [HEADER, 'a1,Garage A,"1 rue X\nBâtiment 2",69001,Lyon,45.76,4.83,a@example.fr,', '', 'A2,Garage,,69001,Lyon,45,4,x@example.fr,', GOOD].join('\n');
    expect(issuesOf(text)).toEqual([{ path: ['line', 6, 'id'], message: 'duplicate id: already used on line 2' }]);
  });

  it('reports each missing required column once, on the header', () => {
    expect(issuesOf('id;nom;code_postal;ville;lat;email\na1;A;69001;Lyon;45;a@example.fr')).toEqual([
      { path: ['header', 'longitude'], message: 'missing column "longitude"' },
    ]);
    expect(issuesOf('')).toEqual([{ path: ['header'], message: 'the file is empty: a header row is required' }]);
  });

  it('reports an unclosed quote on the line where it opens, without throwing', () => {
    const text = [HEADER, GOOD, 'b1,"Garage B,,69001,Lyon,45.76,4.83,b@example.fr,', 'c1,Garage C,,69001,Lyon,45.76,4.83,c@example.fr,'].join('\r\n');
    expect(issuesOf(text)).toEqual([{ path: ['line', 3], message: 'a quoted cell is never closed (missing ")' }]);
  });

  it('reports an unquoted decimal comma in a comma file instead of shifting columns', () => {
    const text = 'id,name,postcode,city,email,latitude,longitude\na1,A,69001,Lyon,a@example.fr,45,1,4,8';
    expect(issuesOf(text)).toEqual([{ path: ['line', 2], message: expect.stringContaining('more cells than the header') }]);
  });

  it('caps the issues and the rows', () => {
    const bad = Array.from({ length: 80 }, (_, i) => `x${i},G,,1,Lyon,45,4,a@example.fr,`);
    expect(issuesOf([HEADER, ...bad].join('\n'))).toHaveLength(MAX_DEALER_ISSUES);
    const many = Array.from({ length: MAX_DEALER_ROWS + 1 }, (_, i) => `x${i},G,,69001,Lyon,45,4,a@example.fr,`);
    expect(issuesOf([HEADER, ...many].join('\n'))).toEqual([{ path: ['line', MAX_DEALER_ROWS + 2], message: 'at most 5,000 dealers per file' }]);
    const max = parseDealerCsv([HEADER, ...many.slice(1)].join('\n'));
    expect(max.ok && max.dealers).toHaveLength(MAX_DEALER_ROWS);
  });
});
