import { parse } from 'csv-parse/sync';
import { DealerInput } from '../../shared/lead.js';
import type { ValidationIssue } from '../../shared/errors.js';

/** `ignoredColumns`: header names that are none of the directory's columns (someone's notes, or a misspelt one), as written. */
export type DealerCsvResult = { ok: true; dealers: DealerInput[]; ignoredColumns: string[] } | { ok: false; issues: ValidationIssue[] };

export const MAX_DEALER_ROWS = 5_000;
/** Enough to fix a file in one go; more is noise (and a bigger 400 body). */
export const MAX_DEALER_ISSUES = 50;

type Field = 'id' | 'name' | 'address' | 'postcode' | 'city' | 'latitude' | 'longitude' | 'email' | 'phone';

/** Column order of the protocol; `address` and `phone` may be left out (DealerInput defaults them). */
const FIELDS: readonly Field[] = ['id', 'name', 'address', 'postcode', 'city', 'latitude', 'longitude', 'email', 'phone'];
const OPTIONAL = new Set<Field>(['address', 'phone']);

/** Header names after `headerKey`: the English names plus what a French office types. */
const ALIASES: Record<string, Field> = {
  id: 'id', identifiant: 'id',
  name: 'name', nom: 'name',
  address: 'address', adresse: 'address',
  postcode: 'postcode', codepostal: 'postcode', cp: 'postcode',
  city: 'city', ville: 'city',
  latitude: 'latitude', lat: 'latitude',
  longitude: 'longitude', lng: 'longitude', lon: 'longitude', long: 'longitude',
  email: 'email', courriel: 'email',
  phone: 'phone', telephone: 'phone', tel: 'phone',
};

/** "Code Postal", "code_postal", "Téléphone", "E-mail" → "codepostal", "telephone", "email". */
const headerKey = (name: string) =>
  name.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase().replace(/[\s_-]/g, '');

/** Counts `ch` outside double quotes: a quoted header name may itself hold `,` or `;`. */
function countOutsideQuotes(line: string, ch: string): number {
  let n = 0;
  let quoted = false;
  for (const c of line) {
    if (c === '"') quoted = !quoted;
    else if (c === ch && !quoted) n++;
  }
  return n;
}

/**
 * Line (1-based) where a quoted cell opens and never closes, or null. csv-parse only reports the
 * end of the file for this error, which does not tell anyone where to look.
 */
function unclosedQuoteLine(text: string, sep: string): number | null {
  let line = 1;
  let openedAt: number | null = null;
  let fieldStart = true;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (openedAt !== null) {
      if (c === '"' && text[i + 1] === '"') i++;
      else if (c === '"') openedAt = null;
      else if (c === '\n') line++;
      continue;
    }
    if (c === '"' && fieldStart) openedAt = line;
    if (c === '\n') line++;
    fieldStart = c === sep || c === '\n';
  }
  return openedAt;
}

/** Our words for csv-parse's errors: its own messages quote cell values, which issues never do. */
function syntaxIssue(err: unknown, text: string, sep: string): ValidationIssue {
  const e = err as { code?: unknown; lines?: unknown };
  const at = typeof e.lines === 'number' ? e.lines : 1;
  switch (e.code) {
    case 'CSV_QUOTE_NOT_CLOSED':
      return { path: ['line', unclosedQuoteLine(text, sep) ?? at], message: 'a quoted cell is never closed (missing ")' };
    case 'CSV_INVALID_CLOSING_QUOTE':
    case 'CSV_NON_TRIMABLE_CHAR_AFTER_CLOSING_QUOTE':
      return { path: ['line', at], message: 'text after the closing quote of a cell' };
    default:
      return { path: ['line', at], message: 'not a valid CSV line' };
  }
}

/**
 * French Excel writes `45,7640`. With `;` it arrives as is; with `,` only when quoted (unquoted,
 * it splits the cell in two, which the extra-cells check below reports).
 */
const decimalPoint = (cell: string) => (/^[+-]?\d+,\d+$/.test(cell) ? cell.replace(',', '.') : cell);

const newlines = (cells: string[]) => cells.reduce((n, c) => n + c.split('\n').length - 1, 0);

/** What `info: true` gives per record (csv-parse's sync types only know `string[][]`). */
interface ParsedRecord {
  record: string[];
  info: { lines: number };
}

interface Row {
  line: number;
  cells: string[];
}

/**
 * A dealer directory as a spreadsheet exports it (docs/protocol.md, `PUT …/directory`): UTF-8 with
 * or without BOM, `,` or `;`, CRLF or LF, header row required. All or nothing: any bad row gives
 * issues `["line", N, field]` (the header is line 1) and no dealers. Never throws.
 */
export function parseDealerCsv(input: string): DealerCsvResult {
  // One line ending for the parser: csv-parse counts CRLF inside a quoted cell as two lines and
  // guesses a single record delimiter, so mixed files would mislead both counts and splitting.
  const text = input.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
  // Bytes that were not UTF-8 (a French Excel's Windows-1252 "CSV (point-virgule)" sent as is)
  // arrive as U+FFFD: "Hœnheim" would be stored as "H�nheim", and a "Téléphone" header matched
  // no column, so every phone was dropped without a word. The studio decodes such files itself.
  if (text.includes('\uFFFD')) return { ok: false, issues: [{ path: ['encoding'], message: 'the file is not UTF-8 text (a Windows-1252 export?): save it as "CSV UTF-8" and import it again' }] };
  const headerLine = /^.*\S.*$/m.exec(text)?.[0] ?? '';
  const sep = countOutsideQuotes(headerLine, ';') > countOutsideQuotes(headerLine, ',') ? ';' : ',';

  let records: ParsedRecord[];
  try {
    // relax_quotes: `Garage du "Centre"` unquoted is common in hand-made files and harmless.
    records = parse(text, { delimiter: sep, relax_column_count: true, relax_quotes: true, skip_empty_lines: true, info: true }) as unknown as ParsedRecord[];
  } catch (err) {
    return { ok: false, issues: [syntaxIssue(err, text, sep)] };
  }

  // `info.lines` is where a record ends; a quoted cell spanning lines moves its start back.
  // Rows of empty cells (Excel's ";;;;;;;;" for a cleared row) count as empty lines.
  const rows: Row[] = records
    .map(({ record, info }) => ({ line: info.lines - newlines(record), cells: record }))
    .filter((r) => r.cells.some((c) => c.trim() !== ''));

  const [header, ...body] = rows;
  if (!header) return { ok: false, issues: [{ path: ['header'], message: 'the file is empty: a header row is required' }] };

  const column = new Map<Field, number>();
  const issues: ValidationIssue[] = [];
  const ignoredColumns: string[] = [];
  header.cells.forEach((name, i) => {
    const field = ALIASES[headerKey(name)];
    if (!field) {
      // Someone's notes, or a column misspelt: ignored, and the answer names it.
      if (name.trim()) ignoredColumns.push(name.trim().slice(0, 80));
      return;
    }
    if (column.has(field)) issues.push({ path: ['header', field], message: `column "${field}" appears twice` });
    else column.set(field, i);
  });
  for (const f of FIELDS) {
    if (!OPTIONAL.has(f) && !column.has(f)) issues.push({ path: ['header', f], message: `missing column "${f}"` });
  }
  if (issues.length > 0) return { ok: false, issues };

  if (body.length > MAX_DEALER_ROWS) {
    const first = body[MAX_DEALER_ROWS]!;
    return { ok: false, issues: [{ path: ['line', first.line], message: `at most ${MAX_DEALER_ROWS.toLocaleString('en')} dealers per file` }] };
  }

  const dealers: DealerInput[] = [];
  const lineOfId = new Map<string, number>();
  const width = header.cells.length;
  for (const { line, cells } of body) {
    if (issues.length >= MAX_DEALER_ISSUES) break;
    if (cells.slice(width).some((c) => c.trim() !== '')) {
      issues.push({ path: ['line', line], message: `more cells than the header has columns (a decimal comma must be quoted, or use ";")` });
      continue;
    }
    const raw: Partial<Record<Field, string>> = {};
    for (const [field, i] of column) {
      const cell = cells[i]?.trim() ?? '';
      // Empty is "not given": z.coerce.number would read "" as 0, a dealer in the Gulf of Guinea.
      if (cell === '') continue;
      raw[field] = field === 'latitude' || field === 'longitude' ? decimalPoint(cell) : cell;
    }
    // Checked on the cell, before validation: a first row that is wrong elsewhere still owns its id.
    const seen = raw.id === undefined ? undefined : lineOfId.get(raw.id);
    if (seen !== undefined) issues.push({ path: ['line', line, 'id'], message: `duplicate id: already used on line ${seen}` });
    else if (raw.id !== undefined) lineOfId.set(raw.id, line);
    const parsed = DealerInput.safeParse(raw);
    if (!parsed.success) {
      for (const i of parsed.error.issues) {
        issues.push({ path: ['line', line, ...i.path.map((p) => (typeof p === 'symbol' ? String(p) : p))], message: i.message });
      }
    } else dealers.push(parsed.data);
  }
  return issues.length > 0 ? { ok: false, issues: issues.slice(0, MAX_DEALER_ISSUES) } : { ok: true, dealers, ignoredColumns };
}
