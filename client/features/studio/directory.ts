import type { ValidationIssue } from '../../../shared/errors.js';

/** The import's columns, in the order the server reads them (docs/protocol.md). */
export const DIRECTORY_COLUMNS = ['id', 'name', 'address', 'postcode', 'city', 'latitude', 'longitude', 'email', 'phone'] as const;
export type DirectoryField = (typeof DIRECTORY_COLUMNS)[number];

export const isDirectoryField = (s: unknown): s is DirectoryField => (DIRECTORY_COLUMNS as readonly unknown[]).includes(s);

/** Fictional dealerships (the phone numbers are in ARCEP's ranges reserved for fiction). */
const SAMPLE_ROWS: Record<DirectoryField, string>[] = [
  { id: 'lyon-part-dieu', name: 'Garage du Rhône', address: '12 rue Garibaldi', postcode: '69003', city: 'Lyon', latitude: '45.7606', longitude: '4.8520', email: 'lyon@concession-exemple.fr', phone: '04 65 71 00 01' },
  { id: 'paris-15', name: 'Paris Sud Automobiles', address: '80 rue de la Convention', postcode: '75015', city: 'Paris', latitude: '48.8412', longitude: '2.2880', email: 'paris15@concession-exemple.fr', phone: '01 99 00 00 02' },
];

/** RFC 4180 quoting, for whichever separator. */
function toCsvCell(value: string, sep: string): string {
  return value.includes(sep) || /["\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/**
 * The sample file marketers fill in. Semicolons and a BOM: a French Excel opens it straight
 * into columns and keeps the accents (the import reads either separator).
 */
export function directoryTemplate(): string {
  const sep = ';';
  const lines = [DIRECTORY_COLUMNS.join(sep), ...SAMPLE_ROWS.map((row) => DIRECTORY_COLUMNS.map((c) => toCsvCell(row[c], sep)).join(sep))];
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}

/**
 * A file's text. A French Excel's "CSV (point-virgule)" is Windows-1252, not UTF-8: read UTF-8
 * strictly and fall back, so "Rhône" does not arrive as "Rh�ne".
 */
export function decodeCsv(bytes: ArrayBuffer): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return new TextDecoder('windows-1252').decode(bytes);
  }
}

/**
 * An import issue, read from its path: `["line", 4, "latitude"]` (CSV; the header is line 1),
 * `["header", "latitude"]`, `["dealers", 2, "email"]` (JSON) or `["email"]` (one dealer).
 * `explain` says what we can put in our own words; the server's English message stays as detail.
 */
export interface IssueWhere {
  line: number | null;
  header: boolean;
  field: DirectoryField | null;
  explain: { kind: 'rule'; field: DirectoryField } | { kind: 'missingColumn'; field: DirectoryField } | { kind: 'duplicateId'; line: number } | { kind: 'server' };
  message: string;
}

export function describeIssue(issue: ValidationIssue): IssueWhere {
  const path = issue.path;
  let line: number | null = null;
  if (path[0] === 'line' && typeof path[1] === 'number') line = path[1];
  else if (path[0] === 'dealers' && typeof path[1] === 'number') line = path[1] + 1;
  const header = path[0] === 'header';
  const field = path.find(isDirectoryField) ?? null;
  const duplicate = /^duplicate id: already used on line (\d+)/.exec(issue.message);
  let explain: IssueWhere['explain'] = { kind: 'server' };
  if (header && field && issue.message.startsWith('missing column')) explain = { kind: 'missingColumn', field };
  else if (duplicate) explain = { kind: 'duplicateId', line: Number(duplicate[1]) };
  else if (field && !header) explain = { kind: 'rule', field };
  return { line, header, field, explain, message: issue.message };
}

/** "45,764" (a French keyboard) → "45.764"; anything else is left for the schema to judge. */
export function normaliseDecimal(value: string): string {
  const v = value.trim();
  return /^-?\d+,\d+$/.test(v) ? v.replace(',', '.') : v;
}

/** "45.7640, 4.8357" as copied from a map → both coordinates; null for a single number. */
export function splitCoordinates(value: string): { latitude: string; longitude: string } | null {
  const m = /^\s*(-?\d{1,2}\.\d+)\s*[,;\s]\s*(-?\d{1,3}\.\d+)\s*$/.exec(value);
  return m ? { latitude: m[1]!, longitude: m[2]! } : null;
}
