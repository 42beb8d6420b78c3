// "Test against an entry": a pasted Rekor entry or bundle (anything `vigil match` reads) run
// against every stored watch, on or off, under the trusted root monitoring uses: which watches
// match, how each match is classified, and why. Nothing is stored or alerted.
import type { EntryTrialEntry, EntryTrialView } from '../../../shared/entry-trial';
import { AppError, InputError } from '../../core/errors';
import { entrySigners } from '../../core/verify/entry-signers';
import { parseInputText } from '../../core/verify/input';
import { compileWatchlist, matchEntry } from '../../core/watch/match';
import type { UseCaseContext } from './context';
import { readText } from './input';
import { toSignerView } from './matches';
import type { Monitoring } from './monitoring';

/** Largest pasted text (a Rekor v1 response with a few entries is far smaller). */
const MAX_TRIAL_CHARS = 4_194_304;
/** Most entries one paste may hold. */
const MAX_TRIAL_ENTRIES = 100;

export class EntryTrial {
  readonly #ctx: UseCaseContext;
  readonly #monitoring: Monitoring;

  constructor(ctx: UseCaseContext, monitoring: Monitoring) {
    this.#ctx = ctx;
    this.#monitoring = monitoring;
  }

  /**
   * Matches every entry in `text` (a Rekor v1 LogEntry response, an entry, a bundle, or a JSON
   * array of them) against the stored watches. Throws InputError INVALID_INPUT for text that
   * holds no entry (a checkpoint, JSON of another shape) or before the trusted root is loaded,
   * and the entry parser's VerificationError (ENTRY_MALFORMED, CERTIFICATE_MALFORMED, …),
   * naming the entry, for a malformed one.
   */
  test(text: unknown): EntryTrialView {
    const source = readText(text, 'entry text', MAX_TRIAL_CHARS);
    const trustedRoot = this.#monitoring.trustedRoot;
    if (!trustedRoot) {
      throw new InputError('INVALID_INPUT', 'the trusted root is not loaded yet: try again soon');
    }
    const inputs = parseInputText(source);
    if (inputs.some((input) => input.type === 'checkpoint')) {
      throw new InputError(
        'INVALID_INPUT',
        'that is a checkpoint, which names no signers: paste a Rekor entry or a Sigstore bundle',
      );
    }
    if (inputs.length > MAX_TRIAL_ENTRIES) {
      throw new InputError('INVALID_INPUT', `paste at most ${MAX_TRIAL_ENTRIES} entries at once`);
    }
    const stored = this.#ctx.stores.watches.list();
    const enabled = new Map(stored.map((w) => [w.name, w.enabled]));
    // Every watch is tried, the switched-off ones too: the user asks what *would* match.
    const watchlist = compileWatchlist(stored.map((w) => ({ ...w, enabled: true })));
    const given = inputs.flatMap((input) => (input.type === 'entry' ? [input.entry] : []));
    const entries = given.map((entry, i): EntryTrialEntry => {
      let signers;
      try {
        signers = entrySigners(entry, trustedRoot);
      } catch (err) {
        if (!(err instanceof AppError) || given.length === 1) throw err;
        throw new InputError('INVALID_INPUT', `entry ${i + 1}: ${err.code}: ${err.message}`);
      }
      const matches = matchEntry(signers.identities, watchlist, {
        ...(signers.integratedTimeMs !== undefined && {
          integratedTimeMs: signers.integratedTimeMs,
        }),
      });
      return {
        kind: signers.kind,
        logIndex: signers.logIndex,
        ...(signers.integratedTimeMs !== undefined && {
          integratedTimeMs: signers.integratedTimeMs,
        }),
        signers: signers.identities.map(toSignerView),
        matches: matches.map((m) => ({
          watch: m.watch,
          watchEnabled: enabled.get(m.watch) ?? true,
          classification: m.classification,
          reason: m.reason,
          signerIndex: m.signerIndex,
        })),
      };
    });
    return { entries, watchesTried: stored.length };
  }
}
