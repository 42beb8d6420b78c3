// The trust state Monitoring records at each load (settings 'trust.state'), so status in any
// process shows where the trust material came from and whether it is stale.
import type { TrustStateView } from '../../../shared/domain';
import type { ErrorCode } from '../../../shared/errors';
import type { Stores } from '../store/index';
import type { JsonValue } from '../store/types';
import type { TrustMaterial } from '../tuf/trust-source';

/** Settings key of the last loaded trust state (a TrustStateView). */
export const TRUST_STATE_KEY = 'trust.state';

/** Records what a trust load loaded. */
export function recordTrustState(stores: Stores, material: TrustMaterial, nowMs: number): void {
  const state = {
    source: material.source,
    state: material.state,
    ...(material.staleReason && {
      staleReason: { code: material.staleReason.code, message: material.staleReason.message },
    }),
    ...(material.refreshedAtMs !== undefined && { refreshedAtMs: material.refreshedAtMs }),
  };
  stores.settings.set(TRUST_STATE_KEY, state, nowMs);
}

/** The stored trust state, or null when none was recorded or it is not one this build wrote. */
export function readTrustState(value: JsonValue | undefined): TrustStateView | null {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return null;
  const v = value as Readonly<Record<string, JsonValue>>;
  const sources: readonly unknown[] = ['tuf', 'tuf-cache', 'file', 'seed'];
  if (!sources.includes(v.source) || (v.state !== 'fresh' && v.state !== 'stale')) return null;
  const reason = v.staleReason as Readonly<Record<string, JsonValue>> | undefined;
  return {
    source: v.source as TrustStateView['source'],
    state: v.state,
    ...(typeof reason?.code === 'string' &&
      typeof reason.message === 'string' && {
        staleReason: { code: reason.code as ErrorCode, message: reason.message },
      }),
    ...(typeof v.refreshedAtMs === 'number' && { refreshedAtMs: v.refreshedAtMs }),
  };
}
