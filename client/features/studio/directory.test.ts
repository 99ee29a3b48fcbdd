import { describe, expect, it } from 'vitest';
import { DealerInput } from '../../../shared/lead.js';
import { decodeCsv, describeIssue, directoryTemplate, normaliseDecimal, splitCoordinates } from './directory.js';

describe('the studio dealer directory helpers', () => {
  it('offers a template whose header has the import columns and whose rows are valid dealers', () => {
    const text = directoryTemplate();
    expect(text.startsWith('\uFEFF')).toBe(true);
    const [header, ...rows] = text.slice(1).trimEnd().split('\r\n');
    expect(header).toBe('id;name;address;postcode;city;latitude;longitude;email;phone');
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) {
      const values = row.split(';');
      const dealer = Object.fromEntries(header!.split(';').map((c, i) => [c, values[i]]));
      expect(DealerInput.safeParse(dealer).success).toBe(true);
    }
  });

  it('reads UTF-8 files, and Windows-1252 ones as a French Excel saves them', () => {
    expect(decodeCsv(new TextEncoder().encode('Garage du Rhône').buffer)).toBe('Garage du Rhône');
    expect(decodeCsv(new Uint8Array([0x52, 0x68, 0xf4, 0x6e, 0x65]).buffer)).toBe('Rhône');
  });

  it('says which line and which field an import issue is about, and what we can say in our words', () => {
    expect(describeIssue({ path: ['line', 4, 'latitude'], message: 'latitude must be a number' })).toEqual({
      line: 4, header: false, field: 'latitude', explain: { kind: 'rule', field: 'latitude' }, message: 'latitude must be a number',
    });
    expect(describeIssue({ path: ['dealers', 0, 'email'], message: 'x' })).toMatchObject({ line: 1, field: 'email' });
    expect(describeIssue({ path: ['postcode'], message: 'x' })).toMatchObject({ line: null, field: 'postcode', explain: { kind: 'rule' } });
    expect(describeIssue({ path: ['header', 'city'], message: 'missing column "city"' })).toMatchObject({ header: true, explain: { kind: 'missingColumn', field: 'city' } });
    expect(describeIssue({ path: ['line', 7, 'id'], message: 'duplicate id: already used on line 3' }).explain).toEqual({ kind: 'duplicateId', line: 3 });
    expect(describeIssue({ path: ['header'], message: 'the file is empty: a header row is required' })).toMatchObject({ line: null, field: null, explain: { kind: 'server' } });
    expect(describeIssue({ path: ['line', 9], message: 'not a valid CSV line' })).toMatchObject({ line: 9, field: null, explain: { kind: 'server' } });
  });

  it('accepts coordinates as a French keyboard and a map give them', () => {
    expect(normaliseDecimal(' 45,764 ')).toBe('45.764');
    expect(normaliseDecimal('4.8357')).toBe('4.8357');
    expect(splitCoordinates('45.7640, 4.8357')).toEqual({ latitude: '45.7640', longitude: '4.8357' });
    expect(splitCoordinates('43.2965 5.3698')).toEqual({ latitude: '43.2965', longitude: '5.3698' });
    expect(splitCoordinates('45,76')).toBeNull();
    expect(splitCoordinates('45.7640')).toBeNull();
  });
});
