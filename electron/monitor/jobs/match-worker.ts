// The matching worker thread (see MatchWorker in entry-matching.ts): answers each MatchRequest
// with the part's matched entries, building its matcher from the latest source it was sent.
// Built as its own entry (out/main/match-worker.js); the CLI loads it through tsx.
import { parentPort } from 'node:worker_threads';
import { createEntryMatcher, type EntryMatcher } from './match-entry';
import { matchPacked, type MatchReply, type MatchRequest } from './entry-matching';

const port = parentPort;
if (port === null) throw new Error('match-worker runs as a worker thread (see MatchWorker)');

let matcher: EntryMatcher | undefined;
port.on('message', (request: MatchRequest) => {
  let reply: MatchReply;
  try {
    if (request.source !== undefined) {
      matcher = createEntryMatcher(request.source.watches, request.source.trust);
    }
    if (matcher === undefined) throw new Error('no watchlist was sent before the first part');
    reply = { id: request.id, matched: matchPacked(matcher, request) };
  } catch (err) {
    const e = err instanceof Error ? err : new Error(String(err));
    reply = { id: request.id, failure: { message: e.message, ...(e.stack && { stack: e.stack }) } };
  }
  // The part's buffers go back with the reply (moved, not copied): once they are detached here
  // the worker holds nothing of them. Left to this thread's garbage collector, a part that was
  // alive across a few collections (matching look-alikes allocates much) is promoted, and its
  // megabytes are only freed by a full collection, which this small heap rarely runs: that
  // piled up about 60 MB over a scan. The scanning thread drops them at once.
  port.postMessage(reply, [request.bytes.buffer, request.ends.buffer, request.times.buffer]);
});
