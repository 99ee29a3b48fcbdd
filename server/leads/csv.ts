import type { Lead } from '../../shared/lead.js';
import { phoneAsDialled } from '../../shared/phone.js';
import { leadColumns, type LeadColumns } from './columns.js';

/**
 * Digits Excel must keep as written: a French postcode `06000` read as a number loses its zero
 * (Nice becomes 6000, and every département from 01 to 09 with it). Written `="06000"`, the one
 * formula the file ever holds, built only from digits, so nothing typed by a viewer gets into it.
 */
export class ExcelDigits {
  constructor(readonly digits: string) {
    if (!/^\d{1,15}$/.test(digits)) throw new Error('ExcelDigits: digits only');
  }
}

/** What a CSV cell may hold before it is written. */
export type CellValue = string | number | boolean | ExcelDigits | null | undefined;
export type CsvSeparator = ',' | ';';

/**
 * First characters that make Excel, LibreOffice or Sheets read a cell as a formula (OWASP "CSV
 * injection"). A lead's name or message is typed by anyone, and dealers open the file in Excel.
 */
const FORMULA_START = new Set(['=', '+', '-', '@', '\t', '\r']);

/**
 * Quoted whenever it holds `,` or `;` — whichever separator the file uses — so a cell is the
 * same in both variants and cannot be split by a caller who picks the other separator. RFC 4180
 * lets any field be quoted, so the extra quotes cost nothing.
 */
const NEEDS_QUOTES = /[",;\r\n]/;

/**
 * One cell: formula injection neutralised with a leading `'`, then RFC 4180 quoting.
 * Strings only are neutralised: a number is written as a number (`-2` is not a formula), with
 * a decimal comma in the `;` file: that variant is for a French Excel, which reads `11.1` as a
 * date or as text and `11,1` as eleven point one (the cell is then quoted, like any holding a
 * comma; Excel still reads it as a number).
 * Booleans are `true`/`false`: the columns are machine names, not French prose.
 * The `'` is visible in the cell (so `+33612345678` comes out `'+33612345678`): that is the
 * price of a file that cannot run code when opened.
 */
export function toCsvCell(value: CellValue, sep: CsvSeparator = ','): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'boolean') return String(value);
  if (value instanceof ExcelDigits) return `"=""${value.digits}"""`;
  const text = typeof value === 'number' ? (sep === ';' ? String(value).replace('.', ',') : String(value)) : FORMULA_START.has(value.charAt(0)) ? `'${value}` : value;
  return NEEDS_QUOTES.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/**
 * A whole file: UTF-8 BOM first (without it Excel reads UTF-8 as Windows-1252 and "Éloïse"
 * becomes "Ã‰loÃ¯se"), then the header row, every record ended by CRLF (RFC 4180).
 */
export function toCsv(header: string[], rows: CellValue[][], sep: CsvSeparator): string {
  const line = (cells: CellValue[]) => cells.map((cell) => toCsvCell(cell, sep)).join(sep) + '\r\n';
  return '\uFEFF' + line(header) + rows.map(line).join('');
}

/** Not a field of the lead: the report's engagement score of the viewer who sent it. */
type ScoreColumn = 'engagement_score';

/** The columns of `leads.csv` (docs/protocol.md), the same for both separators. */
export const LEAD_CSV_COLUMNS = [
  'id',
  'created_at',
  'type',
  'first_name',
  'last_name',
  'email',
  'phone',
  'postcode',
  'dealer_id',
  'dealer_name',
  'routing',
  'preferred_date',
  'variant',
  'message',
  'consent_marketing',
  'consent_version',
  'consent_at',
  'contacted_at',
  'source',
  'engagement_score',
] as const satisfies readonly (keyof LeadColumns | ScoreColumn)[];

// Built once: constructing an Intl.DateTimeFormat is far slower than using one.
const PARIS = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/Paris',
  hourCycle: 'h23',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
});

/**
 * ISO-8601 → `YYYY-MM-DD HH:MM:SS` in Paris time, which Excel reads as a date and a dealer reads
 * as their own clock. Built from the parts, not the locale's layout, so no ICU update can change
 * the order. A string that is not a date is written as it is rather than failing the export.
 */
export function toParisDateTime(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  const p: Record<string, string> = {};
  for (const part of PARIS.formatToParts(date)) p[part.type] = part.value;
  return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}:${p.second}`;
}

/** Times are written in Paris time; every other column as stored. */
const TIME_COLUMNS: ReadonlySet<string> = new Set<keyof LeadColumns>(['created_at', 'consent_at', 'contacted_at']);

function leadRow(l: Lead, score: number | undefined): CellValue[] {
  const columns = leadColumns(l);
  // Driven by the column list, so the header and the cells cannot drift apart.
  return LEAD_CSV_COLUMNS.map((c) => {
    if (c === 'engagement_score') return score;
    const value = columns[c];
    return TIME_COLUMNS.has(c) && typeof value === 'string' ? toParisDateTime(value) : value;
  });
}

/** How the cells are labelled: machine names and values (a CRM's import), or French words (a dealer's Excel). */
export type CsvLabels = 'machine' | 'fr';

/** The French file's header, column by column (the same columns, in the same order). */
export const FRENCH_HEADERS: Record<(typeof LEAD_CSV_COLUMNS)[number], string> = {
  id: 'Référence',
  created_at: 'Reçue le',
  type: 'Demande',
  first_name: 'Prénom',
  last_name: 'Nom',
  email: 'E-mail',
  phone: 'Téléphone',
  postcode: 'Code postal',
  dealer_id: 'Code concession',
  dealer_name: 'Concession',
  routing: 'Attribution',
  preferred_date: 'Date souhaitée',
  variant: 'Teinte (code)',
  message: 'Message',
  consent_marketing: 'Accepte les offres',
  consent_version: 'Version du consentement',
  consent_at: 'Consentement le',
  contacted_at: 'Contacté le',
  source: 'Origine',
  engagement_score: 'Score d’engagement',
};

/** The words the dealer's inbox shows for each coded value (client/i18n/messages.dealer.ts). */
const FRENCH_VALUES: Partial<Record<(typeof LEAD_CSV_COLUMNS)[number], Record<string, string>>> = {
  type: { test_drive: 'Essai', quote: 'Devis', brochure: 'Brochure', callback: 'Rappel' },
  routing: { chosen: 'Choisie par le client', nearest: 'La plus proche', none: 'Non attribuée', assigned: 'Attribuée par la marque' },
  source: { live: 'Direct', replay: 'Rediffusion' },
};

/**
 * A phone number as a dealer in France dials it: a French mobile or landline `+33612345678` →
 * `06 12 34 56 78` (an overseas one `0690 12 34 56`, `phoneAsDialled`); another country's with
 * the international prefix dialled from France, grouped as that country writes it: `+442079460958` → `00 44 20 7946 0958`. Neither starts with
 * `+`, so neither needs a `'` against formula injection, and the spaces keep Excel from reading
 * it as a number (and dropping its leading zeros). Anything that is not a valid number stays as
 * it is (and neutralised).
 */
export function frenchPhone(e164: string): string {
  const dialled = phoneAsDialled(e164);
  if (!dialled) return e164;
  return dialled.international ? `00 ${dialled.text.slice(1)}` : dialled.text;
}

/** `YYYY-MM-DD HH:MM:SS` (or a day) → `JJ/MM/AAAA HH:MM:SS`: what a French Excel reads as a date. */
function frenchDate(text: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})(.*)$/.exec(text);
  return m ? `${m[3]}/${m[2]}/${m[1]}${m[4]}` : text;
}

function frenchRow(row: CellValue[]): CellValue[] {
  return row.map((value, i) => {
    const column = LEAD_CSV_COLUMNS[i]!;
    if (typeof value === 'boolean') return value ? 'oui' : 'non';
    if (typeof value !== 'string') return value;
    if (column === 'phone') return frenchPhone(value);
    if (column === 'postcode' && /^\d{5}$/.test(value)) return new ExcelDigits(value);
    if (column === 'preferred_date' || TIME_COLUMNS.has(column)) return frenchDate(value);
    return FRENCH_VALUES[column]?.[value] ?? value;
  });
}

/**
 * `GET /api/events/:id/leads.csv`: `,` by default, `;` for French Excel (`?sep=semicolon`);
 * `labels: 'fr'` (`?labels=fr`) writes French headers and values, French phone numbers as
 * dialled and dates as JJ/MM/AAAA. `scores`: per lead id, its engagement score (a lead without
 * one gets an empty cell).
 */
export function leadsToCsv(leads: Lead[], sep: CsvSeparator, scores: Record<string, number> = {}, labels: CsvLabels = 'machine'): string {
  const rows = leads.map((l) => leadRow(l, scores[l.id]));
  if (labels === 'fr') return toCsv(LEAD_CSV_COLUMNS.map((c) => FRENCH_HEADERS[c]), rows.map(frenchRow), sep);
  return toCsv([...LEAD_CSV_COLUMNS], rows, sep);
}
