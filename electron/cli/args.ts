// A small, strict argument parser: unknown flags are usage errors, never ignored.
import { UsageError } from './command';

export interface FlagSpec {
  /** 'boolean' flags take no value; 'string' flags take one; 'multi' may repeat. */
  readonly [name: string]: 'boolean' | 'string' | 'multi';
}

export interface ParsedArgs<S extends FlagSpec> {
  readonly flags: {
    [K in keyof S]?: S[K] extends 'boolean' ? boolean : S[K] extends 'multi' ? string[] : string;
  };
  readonly positionals: string[];
}

/**
 * Parses `--name value`, `--name=value` and boolean `--name`. A lone `-` is a positional
 * (stdin); `--` ends flag parsing. Throws UsageError for unknown or malformed flags.
 */
export function parseArgs<S extends FlagSpec>(args: readonly string[], spec: S): ParsedArgs<S> {
  const flags: Record<string, boolean | string | string[]> = {};
  const positionals: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '--') {
      positionals.push(...args.slice(i + 1));
      break;
    }
    if (!arg.startsWith('--') || arg === '-') {
      positionals.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const name = eq === -1 ? arg.slice(2) : arg.slice(2, eq);
    const kind = Object.hasOwn(spec, name) ? spec[name] : undefined;
    if (kind === undefined) throw new UsageError(`unknown flag --${name}`);
    if (kind === 'boolean') {
      if (eq !== -1) throw new UsageError(`--${name} takes no value`);
      flags[name] = true;
      continue;
    }
    let value: string | undefined;
    if (eq !== -1) value = arg.slice(eq + 1);
    else {
      value = args[i + 1];
      i++;
    }
    if (value === undefined) throw new UsageError(`--${name} needs a value`);
    if (kind === 'multi') {
      const list = (flags[name] as string[] | undefined) ?? [];
      list.push(value);
      flags[name] = list;
    } else {
      if (flags[name] !== undefined) throw new UsageError(`--${name} given twice`);
      flags[name] = value;
    }
  }
  return { flags: flags as ParsedArgs<S>['flags'], positionals };
}
