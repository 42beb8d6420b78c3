// The watch tests feed realdata `signers` records to the matcher (realdata.ts); this checks
// that those records are exactly what the real parser and identify produce for each entry.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { decodeBase64Strict } from '../../../../electron/core/bytes';
import { parseEntryBody } from '../../../../electron/core/entries/parse-entry-body';
import { identify } from '../../../../electron/core/identity/identify';
import { parseTrustedRoot } from '../../../../electron/core/trust/trusted-root';
import { loadProductionEntries, toIdentity } from './realdata';

const trust = parseTrustedRoot(
  JSON.parse(
    readFileSync(
      new URL('../../../fixtures/realdata/trust/trusted_root.production.json', import.meta.url),
      'utf8',
    ),
  ),
);

/** The fields the watch core reads. */
function watchedFields(identity: ReturnType<typeof identify>) {
  if (identity.type === 'publicKey') return { type: identity.type, spki: identity.spkiSha256Hex };
  return {
    type: identity.type,
    sans: identity.sans,
    issuer: identity.issuer,
    extensions: Object.fromEntries(
      Object.entries(identity.extensions).map(([oid, e]) => [oid, e.value]),
    ),
    notBeforeMs: identity.notBeforeMs,
    notAfterMs: identity.notAfterMs,
    certSha256Hex: identity.certSha256Hex,
  };
}

describe('realdata signers', () => {
  it.each(loadProductionEntries().map((e) => [e.id, e] as const))('%s', (_, entry) => {
    const body = parseEntryBody(decodeBase64Strict(entry.bodyB64)!);
    const got = body.signers.map((s) => watchedFields(identify(s, trust)));
    expect(got).toEqual(entry.signers.map((s) => watchedFields(toIdentity(s))));
  });
});
