// RFC 4180 CSV. Identity strings in Vigil's data come from certificates that anyone can log, so
// cells that a spreadsheet would run as a formula (= + - @, and tab/CR which some treat alike)
// are neutralised with a leading apostrophe (OWASP "CSV injection").

const FORMULA_START = /^[=+\-@\t\r]/;
const NEEDS_QUOTES = /[",\r\n]/;

/**
 * One cell: neutralised, then quoted when it holds a comma, quote, CR or LF. Numbers and
 * booleans are written as they are: their text never needs either.
 */
export function csvCell(value: string | number | boolean | null | undefined): string {
  if (value === null || value === undefined) return '';
  if (typeof value !== 'string') return String(value);
  const text = FORMULA_START.test(value) ? `'${value}` : value;
  return NEEDS_QUOTES.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** One record, CRLF-terminated as RFC 4180 §2 says. */
export function csvRow(values: readonly (string | number | boolean | null | undefined)[]): string {
  let row = '';
  for (let i = 0; i < values.length; i++)
    row += i === 0 ? csvCell(values[i]) : `,${csvCell(values[i])}`;
  return `${row}\r\n`;
}
