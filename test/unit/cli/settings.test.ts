import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EXIT } from '../../../electron/cli/command';
import { openHarness, runCli, type Harness } from '../monitor/service-harness';

let h: Harness;
beforeEach(() => {
  h = openHarness();
});
afterEach(() => h.close());

describe('vigil settings', () => {
  it('lists the defaults, changes a setting and audits the change', async () => {
    expect((await runCli(['settings', 'list', '--data-dir', h.dir])).stdout).toBe(
      'alerts.expected = false\n',
    );
    expect(
      (await runCli(['settings', 'set', 'alerts.expected', 'true', '--data-dir', h.dir])).code,
    ).toBe(EXIT.OK);
    const listed = await runCli(['settings', 'list', '--json', '--data-dir', h.dir]);
    expect(JSON.parse(listed.stdout)).toEqual({ 'alerts.expected': true });
    const again = h.reopen();
    expect(again.stores.audit.page({ kind: 'setting.changed' }).events[0]?.detail).toMatchObject({
      key: 'alerts.expected',
    });
  });

  it.each([
    { desc: 'an unknown key', args: ['settings', 'set', 'no.such', 'true'] },
    { desc: 'a value that is not a boolean', args: ['settings', 'set', 'alerts.expected', 'yes'] },
    { desc: 'a missing value', args: ['settings', 'set', 'alerts.expected'] },
  ])('refuses $desc as a usage error', async ({ args }) => {
    const r = await runCli([...args, '--data-dir', h.dir]);
    expect(r.code).toBe(EXIT.USAGE);
  });
});
