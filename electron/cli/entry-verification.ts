// What `vigil inspect` and `vigil match` say about an entry's log proofs. Both read every
// well-formed entry, whether it verifies or not, and run the checks of `vigil verify` on it
// against the same trusted root, so their output says exactly what was verified.
import type { ErrorView } from '../../shared/errors';
import type { EntryInput } from '../core/verify/entry-input';
import {
  verifyEntryInput,
  type ProofRoot,
  type VerifyCheck,
  type VerifyOptions,
} from '../core/verify/verify';

/** The JSON view: the `vigil verify` result of the entry, without the entry itself. */
export interface VerificationView {
  readonly ok: boolean;
  /** Checks that passed (on failure, those that passed before it), as `vigil verify` lists them. */
  readonly checks: readonly VerifyCheck[];
  readonly proofRoot: ProofRoot | null;
  /** The verified checkpoint's origin; null when no checkpoint was verified. */
  readonly origin: string | null;
  readonly error?: ErrorView;
}

/** Verifies `entry` as `vigil verify` does and returns the view of the outcome. */
export function verifyForView(entry: EntryInput, options: VerifyOptions): VerificationView {
  const result = verifyEntryInput(entry, options);
  return {
    ok: result.ok,
    checks: result.checks,
    proofRoot: result.proofRoot ?? null,
    origin: result.origin ?? null,
    ...(result.error && { error: result.error }),
  };
}

const CHECK_NAMES: Readonly<Record<VerifyCheck, string>> = {
  'checkpoint-signature': 'checkpoint signature',
  'witness-cosignature': 'witness cosignature',
  'inclusion-proof': 'inclusion proof',
  'signed-entry-timestamp': 'signed entry timestamp',
};

/**
 * One line for text output, e.g. `verified: signed entry timestamp (the inclusion proof's root
 * is signed by no checkpoint)` or `NOT VERIFIED: ENTRY_UNVERIFIABLE: ...`.
 */
export function verificationText(view: VerificationView): string {
  const passed = view.checks.map((c) => CHECK_NAMES[c]).join(', ');
  const unsigned =
    view.proofRoot === 'unsigned' ? " (the inclusion proof's root is signed by no checkpoint)" : '';
  if (view.ok) return `verified: ${passed}${unsigned}`;
  const error = view.error ? `${view.error.code}: ${view.error.message}` : 'unknown failure';
  return `NOT VERIFIED: ${error}${passed === '' ? '' : ` (passed: ${passed})`}`;
}
