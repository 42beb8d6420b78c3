// Display helpers shared by the screens. Every value shown is rendered as text, never HTML.

/** Epoch ms as `2026-11-25 20:15:00 UTC`, or an em dash for null/undefined. */
export function formatTime(ms: number | null | undefined): string {
  if (ms === null || ms === undefined) return '—';
  return `${new Date(ms).toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}

/** A count with thousands separators, or an em dash for null. */
export function formatCount(n: number | null | undefined): string {
  return n === null || n === undefined ? '—' : n.toLocaleString('en-US');
}
