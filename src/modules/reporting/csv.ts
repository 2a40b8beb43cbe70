/** One CSV column: its header (already in the reader's language) and how to read a row's cell. */
export interface CsvColumn<T> {
  header: string;
  value: (row: T) => string | number | null | undefined;
}

/** The byte order mark that makes Excel read the file as UTF-8 (Vietnamese names stay readable). */
export const CSV_BOM = '\uFEFF';

/**
 * A spreadsheet application runs a cell that starts with one of these as a formula (CSV injection):
 * a candidate named `=HYPERLINK(…)` must come out as text.
 */
const FORMULA_START = /^[=+\-@\t\r]/;

/** Text cells that could start a formula get a leading apostrophe; numbers we produce are kept. */
export function csvCell(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return '';
  let text = String(value);
  if (typeof value === 'string' && FORMULA_START.test(text)) text = `'${text}`;
  // RFC 4180: quote a field holding a quote, a comma or a line break; double the quotes inside.
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** RFC 4180 CSV with a BOM and CRLF after every record, header row first. Pure. */
export function toCsv<T>(rows: readonly T[], columns: readonly CsvColumn<T>[]): string {
  const lines = [
    columns.map((c) => csvCell(c.header)),
    ...rows.map((row) => columns.map((c) => csvCell(c.value(row)))),
  ];
  return CSV_BOM + lines.map((cells) => `${cells.join(',')}\r\n`).join('');
}
