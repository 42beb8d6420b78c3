import { describe, expect, it } from 'vitest';
import { parseRfc3339Ms } from '../../../../electron/core/trust/proto-json';

describe('parseRfc3339Ms', () => {
  it.each([
    { text: '2021-01-12T11:53:27Z', want: Date.UTC(2021, 0, 12, 11, 53, 27) },
    { text: '2022-04-13T20:06:15.000Z', want: Date.UTC(2022, 3, 13, 20, 6, 15) },
    { text: '2024-02-29T00:00:00.123456789Z', want: Date.UTC(2024, 1, 29, 0, 0, 0, 123) },
    { text: '2023-02-29T00:00:00Z', want: undefined },
    { text: '2021-13-01T00:00:00Z', want: undefined },
    { text: '2021-01-12T24:00:00Z', want: undefined },
    { text: '2021-01-12T11:53:27+00:00', want: undefined },
    { text: '2021-01-12T11:53:27', want: undefined },
    { text: ' 2021-01-12T11:53:27Z', want: undefined },
    { text: '2021-01-12T11:53:27.Z', want: undefined },
  ])('parses $text as $want', ({ text, want }) => expect(parseRfc3339Ms(text)).toBe(want));
});
