import { describe, expect, it } from 'vitest';
import { csvCell, csvRow } from '../../../../electron/monitor/export/csv';

describe('csvCell', () => {
  it.each([
    { desc: 'plain text stays as is', value: 'acme/widget', want: 'acme/widget' },
    { desc: 'a formula is neutralised', value: '=HYPERLINK("x")', want: `"'=HYPERLINK(""x"")"` },
    { desc: 'a leading plus is neutralised', value: '+1', want: "'+1" },
    { desc: 'a leading minus is neutralised', value: '-2+3', want: "'-2+3" },
    { desc: 'a leading at-sign is neutralised', value: '@SUM(A1)', want: "'@SUM(A1)" },
    { desc: 'a leading tab is neutralised', value: '\t=1', want: "'\t=1" },
    { desc: 'commas are quoted', value: 'a,b', want: '"a,b"' },
    { desc: 'quotes are doubled', value: 'say "hi"', want: '"say ""hi"""' },
    { desc: 'newlines are quoted', value: 'a\nb', want: '"a\nb"' },
    { desc: 'numbers are not neutralised', value: -5, want: '-5' },
    { desc: 'null is empty', value: null, want: '' },
  ])('$desc', ({ value, want }) => expect(csvCell(value)).toBe(want));
});

describe('csvRow', () => {
  it('joins cells with commas and ends with CRLF', () => {
    expect(csvRow(['a', 1, undefined, 'b,c'])).toBe('a,1,,"b,c"\r\n');
  });
});
