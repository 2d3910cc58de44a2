// CSV encoding (RFC 4180) for the response download, safe to open in a spreadsheet.

/** A cell: text, a number we produced, or empty (null). */
export type CsvCell = string | number | null;

// A spreadsheet runs a cell starting with one of these as a formula (CSV injection).
const FORMULA_START = /^[=+\-@\t\r]/;
const NEEDS_QUOTES = /[",\r\n]/;

/**
 * One encoded cell: text that a spreadsheet would take for a formula gets a leading `'`, then text
 * with a comma, quote or line break is quoted with quotes doubled. Numbers are written as they are.
 */
export function csvCell(value: CsvCell): string {
  if (value === null) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  const text = FORMULA_START.test(value) ? `'${value}` : value;
  return NEEDS_QUOTES.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** One encoded record, ending in CRLF. */
export function csvRow(cells: readonly CsvCell[]): string {
  return cells.map(csvCell).join(',') + '\r\n';
}
