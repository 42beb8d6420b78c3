// Chunked storage for the fake log's hashes and entries, so a million-entry tree costs a few
// large buffers instead of millions of small objects.

const HASH_SIZE = 32;
const HASHES_PER_CHUNK = 8192;
const ENTRY_CHUNK_BYTES = 4 * 1024 * 1024;

/** A growable array of 32-byte hashes. `get` returns a view, valid until `set` overwrites it. */
export class HashStore {
  #chunks: Uint8Array[] = [];
  length = 0;

  push(hash: Uint8Array): void {
    const offset = (this.length % HASHES_PER_CHUNK) * HASH_SIZE;
    if (offset === 0) this.#chunks.push(new Uint8Array(HASHES_PER_CHUNK * HASH_SIZE));
    (this.#chunks.at(-1) as Uint8Array).set(hash, offset);
    this.length++;
  }

  get(index: number): Uint8Array {
    if (index < 0 || index >= this.length) throw new RangeError(`hash ${index} of ${this.length}`);
    const chunk = this.#chunks[Math.floor(index / HASHES_PER_CHUNK)] as Uint8Array;
    const offset = (index % HASHES_PER_CHUNK) * HASH_SIZE;
    return chunk.subarray(offset, offset + HASH_SIZE);
  }

  set(index: number, hash: Uint8Array): void {
    this.get(index).set(hash);
  }

  /** A deep copy of the first `count` hashes. */
  copyPrefix(count: number): HashStore {
    const copy = new HashStore();
    const fullChunks = Math.ceil(count / HASHES_PER_CHUNK);
    copy.#chunks = this.#chunks.slice(0, fullChunks).map((c) => c.slice());
    copy.length = count;
    return copy;
  }
}

/** Rebuilds a generated item from its argument (e.g. an entry from its index). */
export type Generator = (arg: number) => Uint8Array;

/**
 * Byte strings packed into 4 MiB chunks, or, for generated items, only the generator and its
 * argument (a million generated entries then cost a few MB, not 600). Stored bytes are never
 * mutated, so copies share chunks; a copy starts a fresh chunk for its own appends so the two
 * never overwrite each other.
 */
export class ByteStore {
  #chunks: Uint8Array[] = [];
  #fill = ENTRY_CHUNK_BYTES;
  #generators: Generator[] = [];
  /** Chunk number, or -1 - generator number for a generated item. */
  #chunkOf: number[] = [];
  /** Offset in the chunk, or the generator's argument. */
  #offsetOf: number[] = [];
  #lengthOf: number[] = [];

  get length(): number {
    return this.#chunkOf.length;
  }

  push(bytes: Uint8Array): void {
    this.#chunkOf.push(this.#place(bytes));
    this.#offsetOf.push(this.#fill - bytes.length);
    this.#lengthOf.push(bytes.length);
  }

  /** Appends an item that `make(arg)` rebuilds whenever it is read. */
  pushGenerated(make: Generator, arg: number): void {
    let g = this.#generators.indexOf(make);
    if (g < 0) g = this.#generators.push(make) - 1;
    this.#chunkOf.push(-1 - g);
    this.#offsetOf.push(arg);
    this.#lengthOf.push(0);
  }

  /** Replaces item `index` (the old bytes stay in their chunk, unreferenced). */
  set(index: number, bytes: Uint8Array): void {
    this.#chunkOf[index] = this.#place(bytes);
    this.#offsetOf[index] = this.#fill - bytes.length;
    this.#lengthOf[index] = bytes.length;
  }

  get(index: number): Uint8Array {
    if (index < 0 || index >= this.length) throw new RangeError(`entry ${index} of ${this.length}`);
    const chunkOf = this.#chunkOf[index] as number;
    const offset = this.#offsetOf[index] as number;
    if (chunkOf < 0) return (this.#generators[-1 - chunkOf] as Generator)(offset);
    const chunk = this.#chunks[chunkOf] as Uint8Array;
    return chunk.subarray(offset, offset + (this.#lengthOf[index] as number));
  }

  copyPrefix(count: number): ByteStore {
    const copy = new ByteStore();
    copy.#chunks = this.#chunks.slice();
    copy.#generators = this.#generators.slice();
    copy.#chunkOf = this.#chunkOf.slice(0, count);
    copy.#offsetOf = this.#offsetOf.slice(0, count);
    copy.#lengthOf = this.#lengthOf.slice(0, count);
    return copy;
  }

  /** Copies `bytes` into the current chunk (or a new one) and returns the chunk number. */
  #place(bytes: Uint8Array): number {
    if (this.#fill + bytes.length > ENTRY_CHUNK_BYTES) {
      this.#chunks.push(new Uint8Array(Math.max(ENTRY_CHUNK_BYTES, bytes.length)));
      this.#fill = 0;
    }
    const chunk = this.#chunks.length - 1;
    (this.#chunks[chunk] as Uint8Array).set(bytes, this.#fill);
    this.#fill += bytes.length;
    return chunk;
  }
}
