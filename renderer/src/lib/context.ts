// Typed context pairs: App provides each state object once; components get them by feature.
import { createContext } from 'svelte';
import type { ActivityState } from './state/activity.svelte';
import type { AlertsState } from './state/alerts.svelte';
import type { AuditState } from './state/audit.svelte';
import type { CatchUpState } from './state/catch-up.svelte';
import type { ChannelsState } from './state/channels.svelte';
import type { ClockState } from './state/clock.svelte';
import type { MatchesState } from './state/matches.svelte';
import type { StatusState } from './state/status.svelte';
import type { ThemeState } from './state/theme.svelte';
import type { ToastsState } from './state/toasts.svelte';
import type { WatchlistState } from './state/watchlist.svelte';

export const [getStatus, setStatus] = createContext<StatusState>();
export const [getAlerts, setAlerts] = createContext<AlertsState>();
export const [getMatches, setMatches] = createContext<MatchesState>();
export const [getWatchlist, setWatchlist] = createContext<WatchlistState>();
export const [getChannels, setChannels] = createContext<ChannelsState>();
export const [getAudit, setAudit] = createContext<AuditState>();
export const [getClock, setClock] = createContext<ClockState>();
export const [getTheme, setTheme] = createContext<ThemeState>();
export const [getToasts, setToasts] = createContext<ToastsState>();
export const [getActivity, setActivity] = createContext<ActivityState>();
export const [getCatchUp, setCatchUp] = createContext<CatchUpState>();
