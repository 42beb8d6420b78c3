// Severity in three carriers at once (colour, icon, word), so it reads without colour vision.
import type { Component } from 'svelte';
import OctagonAlert from '@lucide/svelte/icons/octagon-alert';
import TriangleAlert from '@lucide/svelte/icons/triangle-alert';
import ShieldQuestionMark from '@lucide/svelte/icons/shield-question-mark';
import Info from '@lucide/svelte/icons/info';
import type { Severity } from '../../../../shared/domain';

export interface SeverityLook {
  readonly word: string;
  readonly icon: Component<{ size?: number }>;
  /** The tone of Badge and the colour token (--critical, --high, --low, --info). */
  readonly tone: Severity;
  /** Higher needs you first. */
  readonly rank: number;
}

export const SEVERITY: Readonly<Record<Severity, SeverityLook>> = {
  critical: { word: 'Critical', icon: OctagonAlert, tone: 'critical', rank: 3 },
  high: { word: 'High', icon: TriangleAlert, tone: 'high', rank: 2 },
  low: { word: 'Low', icon: ShieldQuestionMark, tone: 'low', rank: 1 },
  info: { word: 'Info', icon: Info, tone: 'info', rank: 0 },
};
