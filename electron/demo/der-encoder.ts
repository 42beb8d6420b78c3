// A small DER encoder (X.690) for the demo's certificates: TLVs and the few universal types a
// Fulcio-like certificate needs.

function tlv(tag: number, contents: Uint8Array): Uint8Array {
  const n = contents.length;
  const length =
    n < 0x80
      ? [n]
      : n < 0x100
        ? [0x81, n]
        : n < 0x10000
          ? [0x82, n >> 8, n & 0xff]
          : [0x83, n >> 16, (n >> 8) & 0xff, n & 0xff];
  return Buffer.concat([Buffer.from([tag, ...length]), contents]);
}

const text = (s: string) => Buffer.from(s, 'utf8');

/** DER building blocks, exported for tests that need hand-made or deliberately odd structures. */
export const der = {
  tlv,
  sequence: (...children: Uint8Array[]) => tlv(0x30, Buffer.concat(children)),
  set: (...children: Uint8Array[]) => tlv(0x31, Buffer.concat(children)),
  boolean: (value: boolean) => tlv(0x01, Buffer.from([value ? 0xff : 0x00])),
  /** A non-negative INTEGER from a bigint, minimally encoded. */
  integer(value: bigint): Uint8Array {
    let hex = value.toString(16);
    if (hex.length % 2) hex = `0${hex}`;
    if (parseInt(hex.slice(0, 2), 16) >= 0x80) hex = `00${hex}`;
    return tlv(0x02, Buffer.from(hex, 'hex'));
  },
  oid(dotted: string): Uint8Array {
    const [a = 0, b = 0, ...rest] = dotted.split('.').map(Number);
    const bytes: number[] = [];
    for (const arc of [40 * a + b, ...rest]) {
      const groups = [arc & 0x7f];
      for (let v = Math.floor(arc / 128); v > 0; v = Math.floor(v / 128)) {
        groups.unshift((v & 0x7f) | 0x80);
      }
      bytes.push(...groups);
    }
    return tlv(0x06, Buffer.from(bytes));
  },
  utf8String: (s: string) => tlv(0x0c, text(s)),
  printableString: (s: string) => tlv(0x13, text(s)),
  ia5String: (s: string) => tlv(0x16, text(s)),
  octetString: (bytes: Uint8Array) => tlv(0x04, bytes),
  bitString: (bytes: Uint8Array) => tlv(0x03, Buffer.concat([Buffer.from([0]), bytes])),
  /** UTCTime for 1950–2049, GeneralizedTime otherwise (RFC 5280 §4.1.2.5). */
  time(ms: number): Uint8Array {
    const iso = new Date(ms).toISOString();
    const digits = iso.slice(0, 19).replace(/[-:T]/g, '');
    const year = new Date(ms).getUTCFullYear();
    return year >= 1950 && year < 2050
      ? tlv(0x17, text(`${digits.slice(2)}Z`))
      : tlv(0x18, text(`${digits}Z`));
  },
  /** [n] EXPLICIT: constructed context tag around one element. */
  explicit: (n: number, child: Uint8Array) => tlv(0xa0 | n, child),
  /** [n] IMPLICIT primitive contents. */
  implicit: (n: number, contents: Uint8Array) => tlv(0x80 | n, contents),
};
