// What MonitorService hands every use case: the opened stores, the clock, the event sink and the
// host's ports. Use cases share nothing else, except the trust material Monitoring loads.
import type { MonitorEvent } from '../../../shared/events';
import type { Notifier, SecretStore } from '../alerts/channel';
import { createNodeNotifier } from '../alerts/node-notifier';
import { envSecretStore } from '../alerts/env-secret-store';
import type { ChannelDeps } from '../alerts/channel-factory';
import type { Stores } from '../store/index';

export interface UseCaseContext {
  readonly stores: Stores;
  readonly dataDir: string;
  /** Epoch ms. */
  readonly now: () => number;
  /** Sends a monitor event to every subscriber (MonitorService.on). */
  readonly emit: (event: MonitorEvent) => void;
  /** The host's notifier; undefined: node-notifier. */
  readonly notifier?: Notifier;
  /** The host's secrets; undefined: none (an empty environment). */
  readonly secrets?: SecretStore;
}

/** What a channel needs to send, from the host's ports (or their defaults). */
export function channelDeps(ctx: UseCaseContext): ChannelDeps {
  return {
    notifier: ctx.notifier ?? createNodeNotifier(),
    secrets: ctx.secrets ?? envSecretStore({}),
    now: ctx.now,
  };
}
