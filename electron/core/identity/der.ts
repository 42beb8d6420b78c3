// A strict, iterative reader of DER TLV framing (ITU-T X.690 §8.1, §10.1): enough to slice the
// exact bytes of a certificate's parts. Values are never interpreted here.
import { VerificationError } from '../errors';

/** Universal and context tags Vigil reads (X.690 §8.1.2, identifier octet as one byte). */
export const DER_TAG = {
  BOOLEAN: 0x01,
  INTEGER: 0x02,
  BIT_STRING: 0x03,
  OCTET_STRING: 0x04,
  OID: 0x06,
  UTF8_STRING: 0x0c,
  PRINTABLE_STRING: 0x13,
  T61_STRING: 0x14,
  IA5_STRING: 0x16,
  UTC_TIME: 0x17,
  GENERALIZED_TIME: 0x18,
  UNIVERSAL_STRING: 0x1c,
  BMP_STRING: 0x1e,
  SEQUENCE: 0x30,
  SET: 0x31,
} as const;

/** One TLV: `bytes.subarray(start, end)` is the whole element, `contents` its value octets. */
export interface DerElement {
  /** The identifier octet (class, constructed bit and tag number). */
  readonly tag: number;
  readonly start: number;
  readonly end: number;
  readonly contents: Uint8Array;
}

/**
 * Reads the TLV that starts at `offset` and must end at or before `limit`. Rejects what DER
 * forbids: multi-byte tags (not used by X.509), indefinite and non-minimal lengths.
 */
export function readDerElement(bytes: Uint8Array, offset = 0, limit = bytes.length): DerElement {
  const { header, end } = readFrame(bytes, offset, limit);
  return {
    tag: bytes[offset] as number,
    start: offset,
    end,
    contents: bytes.subarray(offset + header, end),
  };
}

/** Reads exactly one element spanning all of `bytes` (no trailing data). */
export function readDerWhole(bytes: Uint8Array): DerElement {
  const element = readDerElement(bytes);
  if (element.end !== bytes.length) {
    throw derMalformed(`${bytes.length - element.end} trailing bytes after the element`);
  }
  return element;
}

/** The elements inside a constructed element, in order; their framing must tile it exactly. */
export function readDerChildren(parent: DerElement): DerElement[] {
  checkConstructed(parent);
  const children: DerElement[] = [];
  let offset = 0;
  while (offset < parent.contents.length) {
    const child = readDerElement(parent.contents, offset);
    children.push(child);
    offset = child.end;
  }
  return children;
}

/**
 * Checks what readDerChildren checks, and throws what it would, without making the children:
 * for callers on a hot path that need only one or two of them (see readDerChild).
 */
export function checkDerChildren(parent: DerElement): void {
  checkConstructed(parent);
  const { contents } = parent;
  for (let offset = 0; offset < contents.length;) offset = readFrame(contents, offset).end;
}

/**
 * The child at `index` (0-based) of a constructed element, or undefined when it has fewer
 * children. Reads the framing of the children before it as readDerChildren does, but not of
 * those after it (checkDerChildren checks them all).
 */
export function readDerChild(parent: DerElement, index: number): DerElement | undefined {
  checkConstructed(parent);
  const { contents } = parent;
  let offset = 0;
  for (let i = 0; i < index && offset < contents.length; i++) {
    offset = readFrame(contents, offset).end;
  }
  return offset < contents.length ? readDerElement(contents, offset) : undefined;
}

/**
 * Checks the framing of `bytes` as one DER element and of everything nested in it through
 * constructed elements, as a full parse would (every constructed element's children tile it
 * exactly, no end-of-contents tag), without making any element. Primitive contents, OCTET
 * STRINGs included, are not looked into. Iterative: no nesting depth can exhaust the stack.
 */
export function checkDerFraming(bytes: Uint8Array): void {
  /** Where each enclosing constructed element ends, innermost last. */
  const ends: number[] = [];
  let offset = 0;
  do {
    const limit = ends.length > 0 ? (ends[ends.length - 1] as number) : bytes.length;
    if (bytes[offset] === 0) throw derMalformed(`end-of-contents tag at offset ${offset}`);
    const { header, end } = readFrame(bytes, offset, limit);
    if (((bytes[offset] as number) & 0x20) !== 0) {
      ends.push(end);
      offset += header;
    } else {
      offset = end;
    }
    while (ends.length > 0 && offset === ends[ends.length - 1]) ends.pop();
  } while (ends.length > 0);
  if (offset !== bytes.length) {
    throw derMalformed(`${bytes.length - offset} trailing bytes after the element`);
  }
}

/** Where one TLV lies in the bytes it was read from, without a view of its contents. */
export interface DerFrame {
  /** The identifier octet. */
  readonly tag: number;
  /** Where its contents start (after the identifier and length octets). */
  readonly contentsStart: number;
  /** Where it ends. */
  readonly end: number;
}

/**
 * readDerElement without making the contents view: for hot loops over many small elements,
 * which slice only the contents they keep. Throws what readDerElement throws.
 */
export function readDerFrame(bytes: Uint8Array, offset: number, limit: number): DerFrame {
  const { header, end } = readFrame(bytes, offset, limit);
  return { tag: bytes[offset] as number, contentsStart: offset + header, end };
}

/** The sizes of the TLV at `offset`: its identifier and length octets, and where it ends. */
function readFrame(
  bytes: Uint8Array,
  offset: number,
  limit = bytes.length,
): { header: number; end: number } {
  const tag = bytes[offset];
  const first = bytes[offset + 1];
  if (tag === undefined || first === undefined || offset + 2 > limit) {
    throw derMalformed(`truncated element at offset ${offset}`);
  }
  if ((tag & 0x1f) === 0x1f) throw derMalformed(`multi-byte tag at offset ${offset}`);
  let length = first;
  let header = 2;
  if (first & 0x80) {
    const count = first & 0x7f;
    // 4 length octets allow 4 GiB, far beyond any certificate; more is an attack or garbage.
    if (count === 0 || count > 4) throw derMalformed(`bad length form at offset ${offset}`);
    if (offset + 2 + count > limit) throw derMalformed(`truncated length at offset ${offset}`);
    length = 0;
    for (let i = 0; i < count; i++) length = length * 256 + (bytes[offset + 2 + i] ?? 0);
    if (length < 0x80 || bytes[offset + 2] === 0) {
      throw derMalformed(`non-minimal length at offset ${offset}`);
    }
    header += count;
  }
  const end = offset + header + length;
  if (end > limit) throw derMalformed(`length ${length} overruns its parent at offset ${offset}`);
  return { header, end };
}

function checkConstructed(parent: DerElement): void {
  if ((parent.tag & 0x20) === 0) throw derMalformed(`tag 0x${hex(parent.tag)} is not constructed`);
}

/** Requires `element` to carry `tag`, naming `what` in the error otherwise. */
export function expectDerTag(
  element: DerElement | undefined,
  tag: number,
  what: string,
): DerElement {
  if (element === undefined) throw derMalformed(`missing ${what}`);
  if (element.tag !== tag) {
    throw derMalformed(`${what} has tag 0x${hex(element.tag)}, want 0x${hex(tag)}`);
  }
  return element;
}

/** Decodes OBJECT IDENTIFIER contents (X.690 §8.19) to dotted form. */
export function decodeOid(contents: Uint8Array): string {
  return decodeOidAt(contents, 0, contents.length);
}

/** decodeOid of the contents `bytes[start..end)`, without making a view of them. */
export function decodeOidAt(bytes: Uint8Array, start: number, end: number): string {
  if (end <= start || end - start > 64) throw derMalformed('bad OID length');
  // Certificates repeat a few dozen OIDs: decoded ones are remembered, found by a hash of
  // their octets (FNV-1a) and then compared octet by octet, so a lookup allocates nothing.
  let hash = 0x811c9dc5;
  for (let i = start; i < end; i++) hash = Math.imul(hash ^ (bytes[i] as number), 0x01000193);
  const known = rememberedOids.get(hash);
  if (known !== undefined && sameOctets(known.octets, bytes, start, end)) return known.dotted;
  const dotted = decodeOidArcs(bytes, start, end);
  if (known === undefined && rememberedOids.size < MAX_REMEMBERED_OIDS) {
    rememberedOids.set(hash, { octets: bytes.slice(start, end), dotted });
  }
  return dotted;
}

/** Bounded, so that hostile certificates full of distinct OIDs cannot grow it. */
const MAX_REMEMBERED_OIDS = 1024;
const rememberedOids = new Map<number, { readonly octets: Uint8Array; readonly dotted: string }>();

function sameOctets(octets: Uint8Array, bytes: Uint8Array, start: number, end: number): boolean {
  if (octets.length !== end - start) return false;
  for (let i = 0; i < octets.length; i++) if (octets[i] !== bytes[start + i]) return false;
  return true;
}

function decodeOidArcs(bytes: Uint8Array, start: number, end: number): string {
  let dotted = '';
  let value = 0;
  for (let i = start; i < end; i++) {
    const byte = bytes[i] as number;
    if (value === 0 && byte === 0x80) throw derMalformed('non-minimal OID arc');
    value = value * 128 + (byte & 0x7f);
    if (value > Number.MAX_SAFE_INTEGER / 128) throw derMalformed('OID arc too large');
    if ((byte & 0x80) === 0) {
      // The first subidentifier holds the first two arcs (X.690 §8.19.4).
      if (dotted === '') {
        dotted = value < 40 ? `0.${value}` : value < 80 ? `1.${value - 40}` : `2.${value - 80}`;
      } else {
        dotted += `.${value}`;
      }
      value = 0;
    } else if (i === end - 1) {
      throw derMalformed('truncated OID arc');
    }
  }
  return dotted;
}

/**
 * A DER problem, reported as a malformed certificate: certificates are what this reader is for.
 * Callers reading other structures (an RFC 3161 response) catch and re-code it.
 */
export function derMalformed(why: string): VerificationError {
  return new VerificationError('CERTIFICATE_MALFORMED', `malformed certificate: ${why}`);
}

const hex = (n: number) => n.toString(16).padStart(2, '0');
