// A fake Bridge for renderer state tests: answers each command from a table, records every call,
// and lets a test emit events or hold a reply back to order responses.
import type {
  Bridge,
  CommandArgs,
  CommandName,
  CommandValue,
  EventName,
  Events,
} from '../../../shared/ipc/contract';
import type { Result } from '../../../shared/result';

export type Replies = {
  [C in CommandName]?: (
    ...args: CommandArgs<C>
  ) => Result<CommandValue<C>> | Promise<Result<CommandValue<C>>>;
};

export interface FakeApi extends Bridge {
  readonly calls: { command: CommandName; args: unknown[] }[];
  emit<E extends EventName>(event: E, ...args: Parameters<Events[E]>): void;
}

export function fakeApi(replies: Replies): FakeApi {
  const calls: FakeApi['calls'] = [];
  const listeners = new Map<string, Set<(...args: unknown[]) => void>>();
  return {
    calls,
    async invoke(command, ...args) {
      calls.push({ command, args });
      const reply = replies[command] as ((...a: unknown[]) => unknown) | undefined;
      if (!reply) throw new Error(`fake api: no reply for ${command}`);
      return (await reply(...args)) as never;
    },
    on(event, listener) {
      const set = listeners.get(event) ?? new Set();
      listeners.set(event, set);
      set.add(listener as (...args: unknown[]) => void);
      return () => set.delete(listener as (...args: unknown[]) => void);
    },
    emit(event, ...args) {
      for (const listener of listeners.get(event) ?? []) listener(...args);
    },
  };
}

/** A promise with its resolve function, to release a reply when the test says. */
export function deferred<T>(): { promise: Promise<T>; resolve: (value: T) => void } {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}
