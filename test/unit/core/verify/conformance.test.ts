// sigstore-conformance bundle-verify cases (test/fixtures/realdata/conformance, FORMATS.md §8)
// driven through the same path as `vigil verify`: parse the trusted root, recognise the bundle,
// verify each tlog entry. Vigil verifies the log-level claims only, so:
// - IN_SCOPE cases fail (or pass) because of the log material: inclusion proofs, checkpoint
//   parsing, signatures and key hints, SETs, Rekor v2 checkpoint variants, trust-root validity,
//   bundle structure. Each names the code it must fail with.
// - LOG_VALID cases fail in a full client for reasons outside the log (artifact digest, DSSE or
//   message signature, certificate chain or validity, TSA timestamps, CT keys, managed keys);
//   their log entries are genuine, so Vigil must accept them.
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../../../electron/core/errors';
import { parseInputText } from '../../../../electron/core/verify/input';
import { verifyInput } from '../../../../electron/core/verify/verify';
import { CONFORMANCE, NOW_MS, PRODUCTION_ROOT, trustedLogs } from './realdata';

/** Case → the code Vigil must report, or 'ok'. */
const IN_SCOPE: Readonly<Record<string, string>> = {
  'happy-path-v0.1': 'ok',
  'happy-path-v0.2': 'ok',
  'happy-path-v0.3': 'ok',
  'happy-path-v0.3-new-mediaType': 'ok',
  'happy-path-intoto-in-dsse-v3': 'ok',
  'intoto-with-custom-trust-root': 'ok',
  'managed-key-and-trusted-root': 'ok',
  'bundle-with-sct-with-extensions': 'ok',
  'bundle-from-wrong-instance_fail': 'LOG_UNKNOWN',
  'bundle-malformed-json_fail': 'INVALID_INPUT',
  'bundle-negative-log-index_fail': 'BUNDLE_MALFORMED',
  'bundle-unknown-version_fail': 'BUNDLE_MALFORMED',
  // The entry body was altered: its leaf hash is no longer the one proven.
  'bundle-invalid-base64-signature_fail': 'INCLUSION_PROOF_INVALID',
  'incorrect-public-key_fail': 'INCLUSION_PROOF_INVALID',
  // Fails for its certificate chain in a full client; its v0.1 proof (no checkpoint) is also
  // truncated, which Vigil rejects on its own.
  'bundle-empty-certificate-chain_fail': 'PROOF_MALFORMED',
  'checkpoint-bad-keyhint_fail': 'LOG_UNKNOWN',
  'checkpoint-wrong-roothash_fail': 'INCLUSION_PROOF_INVALID',
  'inclusion-proof-corrupted-hash_fail': 'INCLUSION_PROOF_INVALID',
  'invalid-checkpoint-signature_fail': 'NOTE_BAD_SIGNATURE',
  'invalid-inclusion-proof_fail': 'BUNDLE_MALFORMED',
  'intoto-missing-inclusion-proof_fail': 'BUNDLE_MALFORMED',
  'set-invalid-signature_fail': 'SET_INVALID',
  'trust-root-tlog-missing-validity-start_fail': 'TRUSTED_ROOT_MALFORMED',
  'trust-root-tlog-validity-end-inclusive': 'ok',
  'rekor2-happy-path': 'ok',
  'rekor2-dsse-happy-path': 'ok',
  'rekor2-no-inclusion-proof_fail': 'BUNDLE_MALFORMED',
  'rekor2-checkpoint-cosigned': 'ok',
  'rekor2-checkpoint-multiple-cosigs': 'ok',
  'rekor2-checkpoint-origin-not-first': 'ok',
  'rekor2-checkpoint-two-sigs-cosigned': 'ok',
  'rekor2-checkpoint-two-sigs-from-origin': 'ok',
  'rekor2-checkpoint-missing-log-signature_fail': 'NOTE_MALFORMED',
  'rekor2-checkpoint-missing-origin_fail': 'NOTE_BAD_SIGNATURE',
  'rekor2-checkpoint-missing-root-hash_fail': 'NOTE_BAD_SIGNATURE',
  'rekor2-checkpoint-missing-size_fail': 'NOTE_BAD_SIGNATURE',
  'rekor2-checkpoint-no-matching-signature_fail': 'LOG_UNKNOWN',
  'trust-root-tsa-validity-end-inclusive': 'ok',
};

/** Cases a full client rejects for reasons outside the log; their log material is valid. */
const LOG_VALID: readonly string[] = [
  'bundle-with-root-cert_fail',
  'dsse-invalid-sig_fail',
  'dsse-mismatch-envelope_fail',
  'dsse-mismatch-sig_fail',
  'integrated-time-in-future_fail',
  'intoto-expired-certificate_fail',
  'intoto-log-entry-mismatch_fail',
  'intoto-set-outside-signing-cert-validity_fail',
  'intoto-tsa-timestamp-outside-cert-validity_fail',
  'invalid-ct-key_fail',
  'managed-key-happy-path',
  'managed-key-no-key_fail',
  'managed-key-wrong-key_fail',
  'message-digest-mismatch_fail',
  'rekor2-dsse-invalid-sig_fail',
  'rekor2-dsse-mismatch-envelope_fail',
  'rekor2-dsse-mismatch-sig_fail',
  'rekor2-no-timestamp_fail',
  'rekor2-timestamp-outside-trust-root-tsa-validity_fail',
  'rekor2-timestamp-outside-tsa-cert-validity_fail',
  'rekor2-timestamp-payload-mismatch_fail',
  'rekor2-timestamp-untrusted-tsa-with-embedded-cert_fail',
  'rekor2-timestamp-untrusted-tsa-without-embedded-cert_fail',
  'rekor2-timestamp-with-embedded-cert',
  'rekor2-timestamp-with-expired-cert-chain',
  'rekor2-timestamp-with-incorrect-time_fail',
  'rekor2-timestamp-without-embedded-cert',
  'signature-mismatch_fail',
  'wrong-hashedrekord-artifact_fail',
  'wrong-hashedrekord-cert-and-sig_fail',
  'wrong-hashedrekord-entry_fail',
  'wrong-material_fail',
];

/** Runs one case the way `vigil verify --trusted-root` does; returns 'ok' or the first code. */
function runCase(name: string): string {
  const dir = `${CONFORMANCE}${name}/`;
  const root = existsSync(`${dir}trusted_root.json`) ? `${dir}trusted_root.json` : PRODUCTION_ROOT;
  try {
    const logs = trustedLogs(root);
    const results = parseInputText(readFileSync(`${dir}bundle.sigstore.json`, 'utf8')).map((i) =>
      verifyInput(i, { logs, nowMs: NOW_MS }),
    );
    return results.find((r) => !r.ok)?.error?.code ?? 'ok';
  } catch (err) {
    if (err instanceof AppError) return err.code;
    throw err;
  }
}

describe('sigstore-conformance bundle-verify', () => {
  it('classifies every case exactly once', () => {
    const cases = readdirSync(CONFORMANCE).filter((d) =>
      existsSync(`${CONFORMANCE}${d}/bundle.sigstore.json`),
    );
    const classified = [...Object.keys(IN_SCOPE), ...LOG_VALID];
    expect(new Set(classified).size).toBe(classified.length);
    expect([...classified].sort()).toEqual([...cases].sort());
  });

  it('expects every _fail case in scope to fail and every other one to pass', () => {
    for (const [name, want] of Object.entries(IN_SCOPE)) {
      expect(`${name}: ${want === 'ok' ? 'ok' : 'fail'}`).toBe(
        `${name}: ${name.endsWith('_fail') ? 'fail' : 'ok'}`,
      );
    }
  });

  it.each(Object.entries(IN_SCOPE).map(([name, want]) => ({ name, want })))(
    'in scope: $name gives $want',
    ({ name, want }) => expect(runCase(name)).toBe(want),
  );

  it.each(LOG_VALID.map((name) => ({ name })))(
    'out of scope: $name has a valid log entry',
    ({ name }) => expect(runCase(name)).toBe('ok'),
  );
});
