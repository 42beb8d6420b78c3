// The closed set of error codes Vigil reports. The renderer, the CLI's JSON output and the audit
// log switch on these; never branch on an error message.

/** The log (or something between us and it) served data that fails verification. */
export const VERIFICATION_CODES = [
  'NOTE_MALFORMED',
  'NOTE_UNTRUSTED',
  'NOTE_BAD_SIGNATURE',
  'KEY_MALFORMED',
  'CHECKPOINT_MALFORMED',
  'CHECKPOINT_WRONG_ORIGIN',
  'TREE_SIZE_TOO_LARGE',
  'TREE_SIZE_REGRESSED',
  'INCLUSION_PROOF_INVALID',
  'CONSISTENCY_PROOF_INVALID',
  'PROOF_MALFORMED',
  'TILE_MALFORMED',
  'TILE_HASH_MISMATCH',
  'ENTRY_BUNDLE_MALFORMED',
  'ENTRY_MALFORMED',
  'ENTRY_MISMATCH',
  'SET_INVALID',
  'RESPONSE_MALFORMED',
  'CERTIFICATE_MALFORMED',
  'TRUSTED_ROOT_MALFORMED',
  'SIGNING_CONFIG_MALFORMED',
  'BUNDLE_MALFORMED',
  'LOG_UNKNOWN',
  'ENTRY_UNVERIFIABLE',
  'TUF_VERIFICATION_FAILED',
  'PROVENANCE_MALFORMED',
  'PROVENANCE_INVALID',
  'SUBJECT_DIGEST_MISMATCH',
] as const;

/** We could not obtain data. Operational: retry with backoff, show as log status. */
export const FETCH_CODES = [
  'LOG_UNREACHABLE',
  'LOG_HTTP_STATUS',
  'LOG_TIMEOUT',
  'LOG_RATE_LIMITED',
  'RESPONSE_TOO_LARGE',
  // Also a verification code: an input file that does not parse fails verification, where a
  // log answer that keeps not parsing is only a log that cannot be read right now.
  'RESPONSE_MALFORMED',
  'TUF_UNREACHABLE',
] as const;

/** The local database or data directory is unusable. */
export const STORAGE_CODES = [
  'DB_FROM_FUTURE',
  'DB_CORRUPT',
  'DB_LOCKED',
  'AUDIT_CHAIN_BROKEN',
] as const;

/** User or IPC input failed validation. */
export const INPUT_CODES = [
  'INVALID_INPUT',
  'USAGE',
  'WATCHLIST_INVALID',
  'CONFIG_INVALID',
  'FILE_UNREADABLE',
  'FILE_UNWRITABLE',
  'NOT_FOUND',
  'FORBIDDEN',
] as const;

/** Everything else. */
export const OTHER_CODES = ['TUF_ERROR', 'CHANNEL_FAILED', 'CHANNEL_DISABLED', 'INTERNAL'] as const;

export type VerificationCode = (typeof VERIFICATION_CODES)[number];
export type FetchCode = (typeof FETCH_CODES)[number];
export type StorageCode = (typeof STORAGE_CODES)[number];
export type InputCode = (typeof INPUT_CODES)[number];
export type OtherCode = (typeof OTHER_CODES)[number];
export type ErrorCode = VerificationCode | FetchCode | StorageCode | InputCode | OtherCode;

/** An error as it crosses a boundary (IPC, CLI JSON, audit log): code and message only. */
export interface ErrorView {
  readonly code: ErrorCode;
  readonly message: string;
}
