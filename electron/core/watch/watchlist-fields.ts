// Readers of the watchlist file's decoded values: each checks one field's shape and pushes a
// path-qualified message (`watches[2].expect.refs[0]: ...`) onto `issues` when it is wrong.

export function unknownFields(
  value: Record<string, unknown>,
  known: readonly string[],
  path: string,
  issues: string[],
): void {
  for (const key of Object.keys(value)) {
    if (!known.includes(key)) {
      issues.push(
        `${path === '' ? '' : `${path}.`}${key}: unknown field (known: ${known.join(', ')})`,
      );
    }
  }
}

export function stringList(value: unknown, path: string, issues: string[]): string[] | undefined {
  if (!Array.isArray(value))
    return fail(issues, `${path}: want a list of strings, got ${typeName(value)}`);
  if (value.length === 0)
    return fail(issues, `${path}: empty list, list at least one value (or remove it)`);
  const before = issues.length;
  const out = value.map((v, i) => requireString(v, `${path}[${i}]`, issues) ?? '');
  out.forEach((v, i) => {
    if (v !== '' && out.indexOf(v) !== i) issues.push(`${path}[${i}]: duplicate ${show(v)}`);
  });
  return issues.length > before ? undefined : out;
}

export function requireString(value: unknown, path: string, issues: string[]): string | undefined {
  if (typeof value === 'string' && value !== '') return value;
  if (typeof value === 'number')
    return fail(issues, `${path}: want a string, got number ${value} (quote it)`);
  return fail(issues, `${path}: want a non-empty string, got ${show(value)}`);
}

export function fail(issues: string[], message: string): undefined {
  issues.push(message);
  return undefined;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function typeName(value: unknown): string {
  if (value === null || value === undefined) return 'nothing';
  if (Array.isArray(value)) return 'a list';
  return typeof value === 'object' ? 'a mapping' : typeof value;
}

export function show(value: unknown): string {
  if (typeof value === 'string')
    return JSON.stringify(value.length > 80 ? `${value.slice(0, 80)}…` : value);
  if (value === undefined) return 'nothing';
  return typeName(value) === 'a mapping' || Array.isArray(value) ? typeName(value) : String(value);
}

export function hasControlCharacter(text: string): boolean {
  return [...text].some((c) => c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f);
}
