// Channels: the alert channels, listed with their health, added (config validated for its
// kind), removed, enabled or disabled, and sent a test alert; with the DTO of a channel, which
// names secrets but never holds them.
import type { ChannelSettingsView, ChannelView, NewChannel } from '../../../shared/domain';
import { AppError, InputError } from '../../core/errors';
import { validateChannelConfig } from '../alerts/channel-config';
import { createChannel, sendTest } from '../alerts/channel-factory';
import type { Channel } from '../store/types';
import { channelDeps, type UseCaseContext } from './context';
import { defined, readBoolean, readChannelName, readEnum, readRecord } from './input';

const CHANNEL_KINDS = ['desktop', 'webhook', 'slack', 'github-issue'] as const;

export class Channels {
  readonly #ctx: UseCaseContext;

  constructor(ctx: UseCaseContext) {
    this.#ctx = ctx;
  }

  /** The alert channels with their health; settings name secrets, never hold them. */
  list(): ChannelView[] {
    return this.#ctx.stores.channels.list().map(toChannelView);
  }

  /**
   * Adds an enabled channel. `config` is validated for its kind (validateChannelConfig) and
   * stored as validated. Throws InputError CONFIG_INVALID for a bad config, INVALID_INPUT for a
   * bad name or kind, or a name already in use.
   */
  add(channel: NewChannel): ChannelView {
    const { stores, now } = this.#ctx;
    const c = readRecord(channel, 'channel', ['name', 'kind', 'config']);
    const name = readChannelName(c.name, 'channel.name');
    const kind = readEnum(c.kind, CHANNEL_KINDS, 'channel.kind');
    const { kind: _kind, ...settings } = validateChannelConfig(kind, c.config);
    if (stores.channels.get(name)) {
      throw new InputError('INVALID_INPUT', `channel ${JSON.stringify(name)} already exists`);
    }
    return toChannelView(
      stores.channels.upsert({ name, kind, config: settings, enabled: true }, now()),
    );
  }

  /** Removes a channel and its pending deliveries. Throws InputError NOT_FOUND. */
  remove(name: string): void {
    this.#ctx.stores.channels.remove(readChannelName(name, 'channel name'), this.#ctx.now());
  }

  /**
   * Enables a channel (resetting its failure count; its waiting deliveries resume) or disables
   * it. Throws InputError NOT_FOUND.
   */
  setEnabled(name: string, enabled: boolean): ChannelView {
    const channelName = readChannelName(name, 'channel name');
    const on = readBoolean(enabled, 'enabled');
    return toChannelView(this.#ctx.stores.channels.setEnabled(channelName, on, this.#ctx.now()));
  }

  /**
   * Sends the test alert through a channel, enabled or not, reading its secrets now. Resolves
   * when it was delivered; rejects with the channel's AppError (FetchError, CHANNEL_FAILED for
   * a missing secret, CONFIG_INVALID for a bad stored config). Records nothing.
   */
  async test(name: string): Promise<void> {
    const channelName = readChannelName(name, 'channel name');
    const stored = this.#ctx.stores.channels.get(channelName);
    if (!stored)
      throw new InputError('NOT_FOUND', `channel ${JSON.stringify(channelName)} not found`);
    const channel = createChannel(stored, channelDeps(this.#ctx));
    try {
      await sendTest(channel, this.#ctx.now());
    } catch (err) {
      if (err instanceof AppError) throw err;
      throw new AppError(
        'CHANNEL_FAILED',
        `channel ${channelName}: test failed: ${err instanceof Error ? err.message : String(err)}`,
        { cause: err },
      );
    }
  }
}

/**
 * A channel with its settings as validateChannelConfig reads them: only the keys each kind
 * allows, which name secrets but never hold them. A stored config that no longer validates is
 * shown with no settings and the problem.
 */
export function toChannelView(c: Channel): ChannelView {
  let settings: ChannelSettingsView = {};
  let configProblem: string | undefined;
  try {
    const { kind: _kind, ...rest } = validateChannelConfig(c.kind, c.config);
    settings = rest;
  } catch (err) {
    if (!(err instanceof AppError)) throw err;
    configProblem = err.message;
  }
  return {
    name: c.name,
    kind: c.kind,
    enabled: c.enabled,
    settings,
    consecutiveFailures: c.consecutiveFailures,
    ...defined({ disabledReason: c.disabledReason, configProblem }),
  };
}
