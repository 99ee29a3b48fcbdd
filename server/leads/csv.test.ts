import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import type { Lead } from '../../shared/lead.js';
import { FRENCH_HEADERS, frenchPhone, LEAD_CSV_COLUMNS, leadsToCsv, toCsv, toCsvCell, toParisDateTime } from './csv.js';

const lead = (over: Partial<Lead> = {}): Lead => ({
  id: '0b7c4f7e-2d3a-4c55-9a7e-1f2e3d4c5b6a',
  eventId: 'ev1',
  type: 'test_drive',
  firstName: 'Éloïse',
  lastName: 'Françoise Dupré-Lœuvre',
  email: 'eloise@example.fr',
  phone: '+33612345678',
  postcode: '69001',
  dealerId: 'lyon-1',
  dealerName: 'Garage du Rhône',
  routing: 'chosen',
  preferredDate: '2026-02-03',
  variant: 'bleu-abysse',
  message: null,
  consent: { contact: true, marketing: false, textVersion: 'contact-v1-2026-11', at: '2026-01-15T09:30:00.000Z' },
  source: 'live',
  createdAt: '2026-01-15T09:30:00.000Z',
  contactedAt: null,
  ...over,
});

/** The real parser a dealer's tooling would use, not our own reading of our own output. */
const read = (csv: string, delimiter: ',' | ';' = ',') => parse(csv, { bom: true, delimiter }) as string[][];

describe('toCsvCell', () => {
  it('writes empty, numbers and booleans plainly', () => {
    expect(toCsvCell(null)).toBe('');
    expect(toCsvCell(undefined)).toBe('');
    expect(toCsvCell(42)).toBe('42');
    expect(toCsvCell(-2)).toBe('-2');
    expect(toCsvCell(true)).toBe('true');
    expect(toCsvCell(false)).toBe('false');
    expect(toCsvCell('plain')).toBe('plain');
    expect(toCsvCell(15.6)).toBe('15.6');
  });
  it('writes a decimal comma in the semicolon variant (French Excel), quoted; whole numbers as they are', () => {
    expect(toCsvCell(15.6, ';')).toBe('"15,6"');
    expect(toCsvCell(-0.25, ';')).toBe('"-0,25"');
    expect(toCsvCell(42, ';')).toBe('42');
    expect(toCsvCell(15.6, ',')).toBe('15.6');
  });
  it('quotes on either separator, quotes and line breaks, doubling inner quotes', () => {
    expect(toCsvCell('a,b')).toBe('"a,b"');
    expect(toCsvCell('a;b')).toBe('"a;b"');
    expect(toCsvCell('say "hi"')).toBe('"say ""hi"""');
    expect(toCsvCell('a\nb')).toBe('"a\nb"');
  });
  it('prefixes formula starters with a quote', () => {
    expect(toCsvCell('=1+1')).toBe("'=1+1");
    expect(toCsvCell('+33612345678')).toBe("'+33612345678");
    expect(toCsvCell('\r=1')).toBe(`"'\r=1"`);
    expect(toCsvCell('a=1')).toBe('a=1');
  });
});

describe('toCsv', () => {
  it('starts with a BOM and ends every record with CRLF', () => {
    const csv = toCsv(['a', 'b'], [['x', 1]], ',');
    expect([...Buffer.from(csv, 'utf8').subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(csv).toBe('\uFEFFa,b\r\nx,1\r\n');
  });
});

describe('leadsToCsv', () => {
  it('writes the header, one CRLF record per lead and keeps accents', () => {
    const csv = leadsToCsv([lead(), lead({ id: 'second', firstName: 'Zoé 🚗' })], ',');
    expect([...Buffer.from(csv, 'utf8').subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(csv.endsWith('\r\n')).toBe(true);
    expect(csv.replaceAll('\r\n', '')).not.toMatch(/[\r\n]/);
    const [header, first, second] = read(csv);
    expect(header).toEqual([...LEAD_CSV_COLUMNS]);
    const row = Object.fromEntries(header!.map((h, i) => [h, first![i]]));
    expect(row).toMatchObject({
      first_name: 'Éloïse',
      last_name: 'Françoise Dupré-Lœuvre',
      dealer_name: 'Garage du Rhône',
      phone: "'+33612345678",
      created_at: '2026-01-15 10:30:00',
      consent_at: '2026-01-15 10:30:00',
      contacted_at: '',
      preferred_date: '2026-02-03',
      consent_marketing: 'false',
      consent_version: 'contact-v1-2026-11',
      message: '',
      source: 'live',
    });
    expect(second![3]).toBe('Zoé 🚗');
  });

  it('round-trips a message with commas, quotes and line breaks', () => {
    const message = 'Bonjour, je voudrais "essayer" la voiture;\r\nmerci.\nÀ bientôt';
    for (const sep of [',', ';'] as const) {
      const rows = read(leadsToCsv([lead({ message })], sep), sep);
      expect(rows[1]![LEAD_CSV_COLUMNS.indexOf('message')]).toBe(message);
    }
  });

  it('neutralises formula injection in every text column', () => {
    const attacks = ['=HYPERLINK("http://x","y")', "+cmd|' /C calc'!A0", '-2+3', '@SUM(1)', '\t=1', '\r=1'];
    const leads = attacks.map((a, i) => lead({ id: `l${i}`, firstName: a, message: a, dealerName: a }));
    const rows = read(leadsToCsv(leads, ','));
    for (const [i, a] of attacks.entries()) {
      const row = rows[i + 1]!;
      for (const col of ['first_name', 'message', 'dealer_name'] as const) {
        const cell = row[LEAD_CSV_COLUMNS.indexOf(col)]!;
        expect(cell.startsWith("'")).toBe(true);
        expect(cell).toBe(`'${a}`);
      }
    }
  });

  it('quotes a semicolon inside a cell of the semicolon variant', () => {
    const csv = leadsToCsv([lead({ dealerName: 'Garage A; B' })], ';');
    expect(csv).toContain(';"Garage A; B";');
    const rows = read(csv, ';');
    expect(rows[1]).toHaveLength(LEAD_CSV_COLUMNS.length);
    expect(rows[1]![LEAD_CSV_COLUMNS.indexOf('dealer_name')]).toBe('Garage A; B');
  });

  it('ends each row with the lead\'s engagement score, empty when it has none', () => {
    const rows = read(leadsToCsv([lead({ id: 'scored' }), lead({ id: 'unknown' })], ',', { scored: 15.6 }), ',');
    expect(rows[0]!.at(-1)).toBe('engagement_score');
    expect(rows.slice(1).map((r) => r[LEAD_CSV_COLUMNS.indexOf('engagement_score')])).toEqual(['15.6', '']);
    // French Excel's file: a decimal comma, so the score is a number there too.
    const french = read(leadsToCsv([lead({ id: 'scored' })], ';', { scored: 15.6 }), ';');
    expect(french[1]![LEAD_CSV_COLUMNS.indexOf('engagement_score')]).toBe('15,6');
  });

  it('writes times in Paris time across daylight saving', () => {
    const winter = '2026-01-15T09:30:00Z';
    const summer = '2026-07-15T09:30:00Z';
    expect(toParisDateTime(winter)).toBe('2026-01-15 10:30:00');
    expect(toParisDateTime(summer)).toBe('2026-07-15 11:30:00');
    expect(toParisDateTime('2026-03-28T23:30:00Z')).toBe('2026-03-29 00:30:00'); // midnight is 00, not 24
    const rows = read(leadsToCsv([lead({ createdAt: winter, contactedAt: summer })], ';'), ';');
    expect(rows[1]![LEAD_CSV_COLUMNS.indexOf('created_at')]).toBe('2026-01-15 10:30:00');
    expect(rows[1]![LEAD_CSV_COLUMNS.indexOf('contacted_at')]).toBe('2026-07-15 11:30:00');
  });
});

describe('leadsToCsv, French labels (the dealer\'s Excel file)', () => {
  it('writes French headers and values, the phone as dialled and dates as JJ/MM/AAAA', () => {
    const csv = leadsToCsv([lead({ contactedAt: '2026-01-16T08:05:00.000Z' }), lead({ id: 'b', type: 'callback', routing: 'none', source: 'replay', phone: '+447700900123', consent: { contact: true, marketing: true, textVersion: 'v', at: '2026-07-01T12:00:00.000Z' } })], ';', { b: 11.1 }, 'fr');
    const [header, first, second] = read(csv, ';');
    expect(header).toEqual(LEAD_CSV_COLUMNS.map((c) => FRENCH_HEADERS[c]));
    expect(header).toContain('Prénom');
    const row = (cells: string[]) => Object.fromEntries(header!.map((h, i) => [h, cells[i]]));
    expect(row(first!)).toMatchObject({
      Demande: 'Essai',
      Prénom: 'Éloïse',
      Téléphone: '06 12 34 56 78',
      'Reçue le': '15/01/2026 10:30:00',
      'Contacté le': '16/01/2026 09:05:00',
      'Date souhaitée': '03/02/2026',
      Attribution: 'Choisie par le client',
      'Accepte les offres': 'non',
      Origine: 'Direct',
      'Score d’engagement': '',
    });
    expect(row(second!)).toMatchObject({
      Demande: 'Rappel',
      Attribution: 'Non attribuée',
      Origine: 'Rediffusion',
      'Accepte les offres': 'oui',
      'Consentement le': '01/07/2026 14:00:00',
      Téléphone: "'+447700900123", // not French: international, still neutralised
      'Score d’engagement': '11,1',
    });
  });

  it('keeps every column of the machine file, in the same order', () => {
    const machine = read(leadsToCsv([lead()], ';'), ';');
    const french = read(leadsToCsv([lead()], ';', {}, 'fr'), ';');
    expect(french[0]).toHaveLength(machine[0]!.length);
    expect(french[1]![0]).toBe(machine[1]![0]); // the reference
    expect(french[1]![3]).toBe(machine[1]![3]); // the first name
  });

  it('keeps a postcode’s leading zero for Excel (="06000"), and only there; nothing a viewer typed becomes a formula', () => {
    const nice = lead({ postcode: '06000' });
    const excel = leadsToCsv([nice], ';', {}, 'fr');
    expect(excel).toContain(';"=""06000""";');
    // A CSV reader sees the formula Excel evaluates to the text 06000.
    expect(read(excel, ';')[1]![LEAD_CSV_COLUMNS.indexOf('postcode')]).toBe('="06000"');
    // The CRM's file keeps the plain text.
    expect(read(leadsToCsv([nice], ';'), ';')[1]![LEAD_CSV_COLUMNS.indexOf('postcode')]).toBe('06000');
    // Only five digits are written so: anything else is an ordinary (neutralised) cell.
    expect(read(leadsToCsv([lead({ postcode: '=1+1' })], ';', {}, 'fr'), ';')[1]![LEAD_CSV_COLUMNS.indexOf('postcode')]).toBe("'=1+1");
  });

  it('writes French numbers in pairs and leaves anything else as it is', () => {
    expect(frenchPhone('+33612345678')).toBe('06 12 34 56 78');
    expect(frenchPhone('+33145678901')).toBe('01 45 67 89 01');
    expect(frenchPhone('+3361234567')).toBe('+3361234567');
    // Other countries: the international prefix dialled from France, grouped as that country does.
    expect(frenchPhone('+442079460958')).toBe('00 44 20 7946 0958');
    expect(frenchPhone('+4915112345678')).toBe('00 49 1511 2345678');
    expect(frenchPhone('+32470123456')).toBe('00 32 470 12 34 56');
    expect(frenchPhone('+590690123456')).toBe('0690 12 34 56');
    // Not a valid number: left as it is (the file neutralises a leading +).
    expect(frenchPhone('+4412')).toBe('+4412');
  });
});
