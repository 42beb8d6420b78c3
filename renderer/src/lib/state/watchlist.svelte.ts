// The watchlist editor: the watches, add, edit (and enable or disable), remove, import from and
// export to watchlist files.
import type { RekorMonitorConversion, WatchItem, WatchView } from '../../../../shared/domain';
import type { EntryTrialView } from '../../../../shared/entry-trial';
import type { ErrorView } from '../../../../shared/errors';
import type { Bridge, WatchlistFormat, WatchlistImportMode } from '../../../../shared/ipc/contract';
import type { Result } from '../../../../shared/result';

export class WatchlistState {
  watches = $state.raw<readonly WatchView[]>([]);
  error = $state.raw<ErrorView | null>(null);
  /** What the last import changed, in one line. */
  notice = $state.raw<string | null>(null);
  #api: Bridge;
  #inflight: Promise<void> | null = null;

  constructor(api: Bridge) {
    this.#api = api;
  }

  /** Fetches the watchlist; concurrent callers share the request in flight. */
  refresh(): Promise<void> {
    return (this.#inflight ??= this.#fetch().finally(() => {
      this.#inflight = null;
    }));
  }

  /** Adds a watch. True when the engine accepted it. */
  async add(item: WatchItem): Promise<boolean> {
    const result = await this.#api.invoke('watchlist:add', item);
    if (!result.ok) {
      this.error = result.error;
      return false;
    }
    const added = result.value;
    this.watches = [...this.watches.filter((w) => w.name !== added.name), added];
    this.error = null;
    return true;
  }

  /**
   * Replaces the watch named `item.name` with `item` (an edited WatchView.item), as a merge
   * import of that one watch: the engine validates it like a watchlist file and changes nothing
   * else. The error carries the validator's messages. True when the engine accepted it.
   */
  async update(item: WatchItem): Promise<boolean> {
    if (item.name === undefined) {
      this.error = { code: 'INVALID_INPUT', message: 'an edited watch keeps its name' };
      return false;
    }
    const text = JSON.stringify({ version: 1, watches: [item] });
    const result = await this.#api.invoke('watchlist:import', text, 'json', 'merge');
    if (!result.ok) {
      this.error = result.error;
      return false;
    }
    this.notice = result.value.changed.includes(item.name)
      ? `watch ${item.name} saved`
      : `watch ${item.name} unchanged`;
    this.error = null;
    await this.refresh();
    return true;
  }

  /** Turns a watch on or off (a disabled watch matches nothing until enabled again). */
  async setEnabled(name: string, enabled: boolean): Promise<boolean> {
    const watch = this.watches.find((w) => w.name === name);
    if (!watch) {
      this.error = { code: 'NOT_FOUND', message: `watch ${name} not found` };
      return false;
    }
    const ok = await this.update({ ...watch.item, name, enabled });
    if (ok) this.notice = `watch ${name} ${enabled ? 'enabled' : 'disabled'}`;
    return ok;
  }

  async remove(name: string): Promise<void> {
    const result = await this.#api.invoke('watchlist:remove', name);
    if (!result.ok) return void (this.error = result.error);
    this.watches = this.watches.filter((w) => w.name !== name);
    this.error = null;
  }

  /** Imports watchlist text, then reloads the list. True when the engine accepted it. */
  async import(text: string, format: WatchlistFormat, mode: WatchlistImportMode): Promise<boolean> {
    const result = await this.#api.invoke('watchlist:import', text, format, mode);
    if (!result.ok) {
      this.error = result.error;
      return false;
    }
    const { added, changed, removed } = result.value;
    this.notice = `imported: ${added.length} added, ${changed.length} changed, ${removed.length} removed`;
    await this.refresh();
    return true;
  }

  /** The watchlist as file text, or null (with `error` set) when the engine refused. */
  async export(format: WatchlistFormat): Promise<string | null> {
    const result = await this.#api.invoke('watchlist:export', format);
    if (result.ok) return result.value;
    this.error = result.error;
    return null;
  }

  /** Which watches (on or off) a pasted entry or bundle matches, and why; stores nothing. */
  testEntry(text: string): Promise<Result<EntryTrialView>> {
    return this.#api.invoke('watchlist:test-entry', text);
  }

  /** A rekor-monitor config converted into watchlist YAML with notes; imports nothing. */
  fromRekorMonitor(text: string): Promise<Result<RekorMonitorConversion>> {
    return this.#api.invoke('watchlist:from-rekor-monitor', text);
  }

  async #fetch(): Promise<void> {
    const result = await this.#api.invoke('watchlist:list');
    if (!result.ok) return void (this.error = result.error);
    this.watches = result.value;
    this.error = null;
  }
}
