import { describe, expect, it } from 'vitest';
import { FetchError, VerificationError } from '../../../../electron/core/errors';
import { confirmed } from '../../../../electron/monitor/jobs/confirm';

const mismatch = (what: string) =>
  new VerificationError('TILE_HASH_MISMATCH', `${what} differs`, { entry: what });

describe('confirmed', () => {
  it('returns the first read when it verifies, without a re-read', async () => {
    let rereads = 0;
    await expect(
      confirmed(
        async () => 1,
        async () => ++rereads,
      ),
    ).resolves.toBe(1);
    expect(rereads).toBe(0);
  });

  it('returns the re-read when only the first read failed verification', async () => {
    const got = confirmed(
      async () => {
        throw mismatch('first');
      },
      async () => 'again',
    );
    await expect(got).resolves.toBe('again');
  });

  it('throws the re-read failure with both answers as evidence when it persists', async () => {
    const err = await confirmed(
      async () => {
        throw mismatch('first');
      },
      async () => {
        throw mismatch('second');
      },
    ).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(VerificationError);
    expect(err).toMatchObject({
      code: 'TILE_HASH_MISMATCH',
      message: 'second differs',
      evidence: {
        entry: 'second',
        confirmedOnFreshConnection: true,
        firstAttempt: {
          code: 'TILE_HASH_MISMATCH',
          message: 'first differs',
          evidence: { entry: 'first' },
        },
      },
    });
  });

  it('is an operational failure when the re-read cannot get an answer', async () => {
    const down = new FetchError('RESPONSE_MALFORMED', 'serving malformed responses');
    const err = await confirmed(
      async () => {
        throw mismatch('first');
      },
      async () => {
        throw down;
      },
    ).catch((e: unknown) => e);
    expect(err).toBe(down);
  });

  it('never re-reads after a failure that is not about verification', async () => {
    let rereads = 0;
    const down = new FetchError('LOG_UNREACHABLE', 'refused');
    const got = confirmed(
      async () => {
        throw down;
      },
      async () => ++rereads,
    );
    await expect(got).rejects.toBe(down);
    expect(rereads).toBe(0);
  });
});
