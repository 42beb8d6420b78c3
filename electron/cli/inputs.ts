// Reads the inputs of `vigil verify` (and `vigil inspect`, `vigil match`): FILE arguments, `-`
// for stdin, each either one document or, with --jsonl, one JSON value per line. Every input
// becomes an item with a name for the output ("a.json", "log.jsonl:7", "-") and either the
// recognised VerifyInputs or the error that stopped it; nothing here throws for bad input.
import { readFile } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import type { ErrorView } from '../../shared/errors';
import { decodeUtf8Strict } from '../core/bytes';
import { AppError, InputError, toErrorView } from '../core/errors';
import { parseTrustedRoot } from '../core/trust/trusted-root';
import type { TrustedRoot } from '../core/trust/types';
import productionTrustedRoot from '../core/trust/seeds/trusted_root.production.json' with { type: 'json' };
import { parseInputText, parseInputValue, parseJson, type VerifyInput } from '../core/verify/input';

/**
 * Reads and parses the trusted root of a `--trusted-root FILE` flag, or the production root
 * shipped inside Vigil (electron/core/trust/seeds/README.md) when `path` is undefined. No
 * network. Throws InputError('FILE_UNREADABLE') or ('INVALID_INPUT') for an unreadable or
 * non-JSON file, and TRUSTED_ROOT_MALFORMED.
 */
export async function readTrustedRoot(path: string | undefined): Promise<TrustedRoot> {
  if (path === undefined) return parseTrustedRoot(productionTrustedRoot);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    const reason = (err as NodeJS.ErrnoException).code ?? (err as Error).message;
    throw new InputError('FILE_UNREADABLE', `cannot read trusted root ${path}: ${reason}`);
  }
  return parseTrustedRoot(parseJson(text));
}

/** Largest input file read, in bytes; real bundles and LogEntry files are a few KiB. */
export const MAX_INPUT_BYTES = 64 * 1024 * 1024;

/** One input: a file, or one line of a JSON Lines file. */
export type InputItem =
  | { readonly name: string; readonly inputs: readonly VerifyInput[] }
  | { readonly name: string; readonly error: ErrorView };

export interface ReadInputsOptions {
  /** Each line of each file is one JSON value (an object, or a string holding a checkpoint). */
  readonly jsonl: boolean;
  /** Where `-` reads from. */
  readonly stdin: Readable;
}

/**
 * Yields the items of `paths` in order (files in argument order, lines in file order). A file
 * that cannot be read yields one item with FILE_UNREADABLE; invalid UTF-8 or unrecognised
 * content yields an item with the parser's code. With `jsonl`, blank lines are skipped and
 * every other line is one item named `<path>:<line number>`.
 */
export async function* readInputs(
  paths: readonly string[],
  options: ReadInputsOptions,
): AsyncGenerator<InputItem> {
  for (const path of paths) {
    let text: string;
    try {
      text = await readText(path, options.stdin);
    } catch (err) {
      yield { name: path, error: toErrorView(err) };
      continue;
    }
    if (!options.jsonl) {
      yield recognise(path, () => parseInputText(text));
      continue;
    }
    const lines = text.split('\n');
    for (const [i, line] of lines.entries()) {
      if (line.trim() === '') continue;
      yield recognise(`${path}:${i + 1}`, () => parseInputValue(parseJson(line)));
    }
  }
}

function recognise(name: string, parse: () => VerifyInput[]): InputItem {
  try {
    return { name, inputs: parse() };
  } catch (err) {
    // Only our own errors describe bad input; anything else is a bug and must surface.
    if (!(err instanceof AppError)) throw err;
    return { name, error: toErrorView(err) };
  }
}

async function readText(path: string, stdin: Readable): Promise<string> {
  const bytes = path === '-' ? await readStream(stdin) : await readFileBytes(path);
  const text = decodeUtf8Strict(bytes);
  if (text === undefined) throw new InputError('INVALID_INPUT', `${path} is not valid UTF-8`);
  return text;
}

async function readFileBytes(path: string): Promise<Uint8Array> {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(path);
  } catch (err) {
    const reason = (err as NodeJS.ErrnoException).code ?? (err as Error).message;
    throw new InputError('FILE_UNREADABLE', `cannot read ${path}: ${reason}`);
  }
  if (bytes.length > MAX_INPUT_BYTES) {
    throw new InputError('FILE_UNREADABLE', `${path} is larger than ${MAX_INPUT_BYTES} bytes`);
  }
  return bytes;
}

async function readStream(stream: Readable): Promise<Uint8Array> {
  const chunks: Buffer[] = [];
  let length = 0;
  for await (const chunk of stream) {
    const buf = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : (chunk as Buffer);
    length += buf.length;
    if (length > MAX_INPUT_BYTES) {
      throw new InputError('FILE_UNREADABLE', `stdin is larger than ${MAX_INPUT_BYTES} bytes`);
    }
    chunks.push(buf);
  }
  return new Uint8Array(Buffer.concat(chunks));
}
