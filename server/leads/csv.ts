import type { Lead } from '../../shared/lead.js';
import { leadColumns, type LeadColumns } from './columns.js';

/** What a CSV cell may hold before it is written. */
export type CellValue = string | number | boolean | null | undefined;
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
export const LEAD_CSV_COLUMNS: readonly (keyof LeadColumns | ScoreColumn)[] = [
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
];

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
const TIME_COLUMNS = new Set<keyof LeadColumns>(['created_at', 'consent_at', 'contacted_at']);

function leadRow(l: Lead, score: number | undefined): CellValue[] {
  const columns = leadColumns(l);
  // Driven by the column list, so the header and the cells cannot drift apart.
  return LEAD_CSV_COLUMNS.map((c) => {
    if (c === 'engagement_score') return score;
    const value = columns[c];
    return TIME_COLUMNS.has(c) && typeof value === 'string' ? toParisDateTime(value) : value;
  });
}

/**
 * `GET /api/events/:id/leads.csv`: `,` by default, `;` for French Excel (`?sep=semicolon`).
 * `scores`: per lead id, its engagement score (a lead without one gets an empty cell).
 */
export function leadsToCsv(leads: Lead[], sep: CsvSeparator, scores: Record<string, number> = {}): string {
  return toCsv([...LEAD_CSV_COLUMNS], leads.map((l) => leadRow(l, scores[l.id])), sep);
}
