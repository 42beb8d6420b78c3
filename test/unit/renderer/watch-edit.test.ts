import { describe, expect, it } from 'vitest';
import type { WatchView } from '../../../shared/domain';
import { fail, ok } from '../../../shared/result';
import { WatchlistState } from '../../../renderer/src/lib/state/watchlist.svelte';
import {
  describeExpect,
  describeMatch,
  repositoryFrom,
} from '../../../renderer/src/lib/watch/describe';
import { fakeApi } from './fake-api';

const watch: WatchView = {
  name: 'github:acme/widget',
  kind: 'github',
  target: 'acme/widget',
  enabled: true,
  item: {
    github: 'acme/widget',
    name: 'github:acme/widget',
    expect: { workflows: ['.github/workflows/release.yml'] },
  },
  createdAtMs: 0,
};

describe('WatchlistState edits', () => {
  it('saves an edited watch as a merge import of that one watch, then reloads', async () => {
    const api = fakeApi({
      'watchlist:list': () => ok([watch]),
      'watchlist:import': () => ok({ added: [], changed: ['github:acme/widget'], removed: [] }),
    });
    const state = new WatchlistState(api);
    await state.refresh();
    expect(await state.setEnabled('github:acme/widget', false)).toBe(true);
    const call = api.calls.find((c) => c.command === 'watchlist:import')!;
    expect(call.args.slice(1)).toEqual(['json', 'merge']);
    expect(JSON.parse(call.args[0] as string)).toEqual({
      version: 1,
      watches: [{ ...watch.item, enabled: false }],
    });
    expect(state.notice).toBe('watch github:acme/widget disabled');
    expect(api.calls.at(-1)?.command).toBe('watchlist:list');
  });

  it("shows the validator's message when the engine refuses the edit", async () => {
    const api = fakeApi({
      'watchlist:list': () => ok([watch]),
      'watchlist:import': () =>
        fail('WATCHLIST_INVALID', 'watches[0].expect.refs[0]: regex does not compile'),
    });
    const state = new WatchlistState(api);
    await state.refresh();
    expect(await state.update({ ...watch.item, expect: { refs: ['regex:('] } })).toBe(false);
    expect(state.error?.message).toContain('regex does not compile');
    expect(await state.setEnabled('github:nobody/else', true)).toBe(false);
    expect(state.error?.code).toBe('NOT_FOUND');
  });
});

describe('watch in words', () => {
  it.each([
    ['github', 'https://github.com/acme/widget', 'acme/widget'],
    ['github', 'github.com/acme/widget.git', 'acme/widget'],
    ['github', 'https://github.com/acme/widget/tree/main/src', 'acme/widget'],
    ['github', 'acme/widget', 'acme/widget'],
    ['gitlab', 'https://gitlab.com/group/sub/project/-/tree/main', 'group/sub/project'],
    ['github', 'https://evil.example/acme/widget', 'https://evil.example/acme/widget'],
  ] as const)('reads %s input %s as %s', (kind, input, want) => {
    expect(repositoryFrom(kind, input)).toBe(want);
  });

  it('says which certificates match and what is expected', () => {
    expect(describeMatch({ github: 'acme/widget' })).toBe(
      'Signed by a GitHub Actions workflow in acme/widget, or by any workflow calling one of its reusable workflows.',
    );
    expect(
      describeMatch({ email: 'me@example.com', issuers: ['https://accounts.google.com'] }),
    ).toContain('me@example.com through https://accounts.google.com');
    expect(describeExpect(watch.item)).toBe(
      'Expected: workflow .github/workflows/release.yml. Anything else alerts.',
    );
    expect(describeExpect({ github: 'acme/widget' })).toMatch(/^No expectations/);
    expect(describeExpect({ email: 'me@example.com' })).toMatch(/no expectations/);
  });
});
