// Settings: alert channels (add, remove, enable, "send test"), their secrets, and data export.
import type {
  ChannelView,
  ExportFormat,
  ExportResult,
  NewChannel,
} from '../../../../shared/domain';
import type { ErrorView } from '../../../../shared/errors';
import type { Bridge } from '../../../../shared/ipc/contract';

export class ChannelsState {
  channels = $state.raw<readonly ChannelView[]>([]);
  error = $state.raw<ErrorView | null>(null);
  /** What the last action did, in one line (a test sent, a secret stored). */
  notice = $state.raw<string | null>(null);
  /** The last export's files. */
  exported = $state.raw<ExportResult | null>(null);
  #api: Bridge;
  #inflight: Promise<void> | null = null;

  constructor(api: Bridge) {
    this.#api = api;
  }

  /** Fetches the channels; concurrent callers share the request in flight. */
  refresh(): Promise<void> {
    return (this.#inflight ??= this.#fetch().finally(() => {
      this.#inflight = null;
    }));
  }

  /** Adds a channel. True when the engine accepted its config. */
  async add(channel: NewChannel): Promise<boolean> {
    const result = await this.#api.invoke('channels:add', channel);
    if (!result.ok) {
      this.error = result.error;
      return false;
    }
    this.#replace(result.value);
    return true;
  }

  async remove(name: string): Promise<void> {
    const result = await this.#api.invoke('channels:remove', name);
    if (!result.ok) return void (this.error = result.error);
    this.channels = this.channels.filter((c) => c.name !== name);
    this.error = null;
  }

  async setEnabled(name: string, enabled: boolean): Promise<void> {
    const result = await this.#api.invoke('channels:set-enabled', name, enabled);
    if (!result.ok) return void (this.error = result.error);
    this.#replace(result.value);
  }

  /** Sends a test notification through `name`; the notice or the error says how it went. */
  async test(name: string): Promise<void> {
    this.notice = null;
    const result = await this.#api.invoke('channels:test', name);
    if (!result.ok) return void (this.error = result.error);
    this.error = null;
    this.notice = `test sent through ${name}`;
  }

  /** Stores a secret a channel names. The value is never read back. */
  async setSecret(name: string, value: string): Promise<boolean> {
    const result = await this.#api.invoke('secrets:set', name, value);
    if (!result.ok) {
      this.error = result.error;
      return false;
    }
    this.error = null;
    this.notice = `secret ${name} stored`;
    return true;
  }

  /** Exports matches and evidence to a folder the app chooses (or asks for). */
  async exportData(format: ExportFormat): Promise<void> {
    const result = await this.#api.invoke('export:data', format);
    if (!result.ok) return void (this.error = result.error);
    this.exported = result.value;
    this.error = null;
  }

  #replace(channel: ChannelView): void {
    const others = this.channels.filter((c) => c.name !== channel.name);
    this.channels = [...others, channel].sort((a, b) => (a.name < b.name ? -1 : 1));
    this.error = null;
  }

  async #fetch(): Promise<void> {
    const result = await this.#api.invoke('channels:list');
    if (!result.ok) return void (this.error = result.error);
    this.channels = result.value;
    this.error = null;
  }
}
