// Matches: the recorded matches, listed and filtered, and one in full with its evidence; with the
// DTOs of a match and of its signer.
import type {
  Classification,
  MatchDetailView,
  MatchListPage,
  MatchListQuery,
  MatchView,
  SignerDetailView,
  SignerView,
} from '../../../shared/domain';
import { encodeBase64, encodeHex } from '../../core/bytes';
import { InputError } from '../../core/errors';
import type { SignerIdentity } from '../../core/identity/types';
import { signerFacts } from '../alerts/signer-facts';
import type { Match } from '../store/types';
import type { UseCaseContext } from './context';
import {
  defined,
  optional,
  readEnum,
  readId,
  readLimit,
  readRecord,
  readText,
  readTriage,
} from './input';

const MATCH_QUERY_KEYS = ['origin', 'watch', 'classification', 'triage', 'beforeId', 'limit'];

const readClassification = (value: unknown, what: string): Classification =>
  readEnum(value, ['expected', 'unexpected', 'untrusted'], what);

export class Matches {
  readonly #ctx: UseCaseContext;

  constructor(ctx: UseCaseContext) {
    this.#ctx = ctx;
  }

  /** Recorded matches, newest first, filtered; keyset page by id. */
  list(query?: MatchListQuery): MatchListPage {
    const q = readRecord(query, 'query', MATCH_QUERY_KEYS);
    const page = this.#ctx.stores.matches.page({
      ...optional(q, 'origin', readText, 'query'),
      ...(q.watch !== undefined && { watchName: readText(q.watch, 'query.watch') }),
      ...optional(q, 'classification', readClassification, 'query'),
      ...optional(q, 'triage', readTriage, 'query'),
      ...optional(q, 'beforeId', readId, 'query'),
      ...optional(q, 'limit', readLimit, 'query'),
    });
    return {
      matches: page.matches.map(toMatchView),
      ...(page.nextBeforeId !== undefined && { nextBeforeId: page.nextBeforeId }),
    };
  }

  /** One match with its full signer and evidence. Throws InputError NOT_FOUND. */
  get(id: number): MatchDetailView {
    const matchId = readId(id, 'match id');
    const match = this.#ctx.stores.matches.get(matchId);
    if (!match) throw new InputError('NOT_FOUND', `match ${matchId} not found`);
    return toMatchDetailView(match);
  }
}

/** The short view of a signer: SANs, issuer, CI facts and fingerprints. */
export function toSignerView(signer: SignerIdentity): SignerView {
  if (signer.type === 'publicKey') {
    return {
      type: 'publicKey',
      sans: [],
      spkiSha256Hex: signer.spkiSha256Hex,
      chain: 'n/a',
      keyFormat: signer.keyFormat,
    };
  }
  const facts = signerFacts(signer);
  return {
    type: 'x509',
    sans: signer.sans.map((san) => ({ type: san.type, value: san.value })),
    ...defined({
      issuer: facts.issuer,
      repository: facts.repository,
      workflow: facts.workflow,
      ref: facts.ref,
      trigger: facts.trigger,
    }),
    certSha256Hex: signer.certSha256Hex,
    spkiSha256Hex: signer.spkiSha256Hex,
    chain: signer.chain,
    ...defined({ chainProblem: signer.chainProblem }),
  };
}

/** Every field the signer states, extensions included. */
export function toSignerDetailView(signer: SignerIdentity): SignerDetailView {
  if (signer.type === 'publicKey') {
    return {
      type: 'publicKey',
      location: signer.location,
      keyFormat: signer.keyFormat,
      spkiSha256Hex: signer.spkiSha256Hex,
      chain: 'n/a',
    };
  }
  return {
    type: 'x509',
    location: signer.location,
    sans: signer.sans.map((san) => ({ type: san.type, value: san.value })),
    ...defined({ issuer: signer.issuer }),
    extensions: Object.fromEntries(
      Object.entries(signer.extensions).map(([oid, e]) => [oid, { name: e.name, value: e.value }]),
    ),
    subjectDn: signer.subjectDn,
    issuerDn: signer.issuerDn,
    serialHex: signer.serialHex,
    notBeforeMs: signer.notBeforeMs,
    notAfterMs: signer.notAfterMs,
    certSha256Hex: signer.certSha256Hex,
    spkiSha256Hex: signer.spkiSha256Hex,
    chain: signer.chain,
    ...defined({ chainProblem: signer.chainProblem }),
  };
}

export function toMatchView(m: Match): MatchView {
  return {
    id: m.id,
    origin: m.origin,
    logIndex: m.logIndex,
    ...defined({ shardIndex: m.shardIndex }),
    watch: m.watchName,
    classification: m.classification,
    reason: m.reason,
    triage: m.triage,
    ...defined({ note: m.note }),
    foundAtMs: m.foundAtMs,
    ...defined({ triagedAtMs: m.triagedAtMs, integratedTimeMs: m.integratedTimeMs }),
    identity: toSignerView(m.signer),
    leafHashHex: encodeHex(m.leafHash),
  };
}

/** The match with its signer in full and the evidence that the entry is in the log. */
export function toMatchDetailView(m: Match): MatchDetailView {
  return {
    ...toMatchView(m),
    signer: toSignerDetailView(m.signer),
    evidence: {
      entryBase64: encodeBase64(m.entryBytes),
      inclusionProofHex: m.inclusionProof.map(encodeHex),
      checkpointNote: m.checkpoint.signedNote,
      checkpointTreeSize: m.checkpoint.treeSize,
    },
  };
}
