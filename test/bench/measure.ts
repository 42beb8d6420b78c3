// One benchmark result line, and how a measuring child process hands it to run.ts.

export interface MeasureLine {
  readonly measure: string;
  readonly value: number;
  readonly unit: string;
  /** Human-readable target, e.g. ">= 20000". */
  readonly target: string;
  readonly pass: boolean;
  readonly [context: string]: unknown;
}

export interface MeasureMessage {
  readonly type: 'measure';
  readonly line: MeasureLine;
}

/** Builds a line whose target is `value >= min`. */
export function atLeast(
  measure: string,
  value: number,
  unit: string,
  min: number,
  context: Record<string, unknown> = {},
): MeasureLine {
  return {
    measure,
    value: round(value),
    unit,
    target: `>= ${min}`,
    pass: value >= min,
    ...context,
  };
}

/** Builds a line whose target is `value <= max`. */
export function atMost(
  measure: string,
  value: number,
  unit: string,
  max: number,
  context: Record<string, unknown> = {},
): MeasureLine {
  return {
    measure,
    value: round(value),
    unit,
    target: `<= ${max}`,
    pass: value <= max,
    ...context,
  };
}

/** Sends a result to run.ts (or prints it when run on its own). */
export function report(line: MeasureLine): void {
  if (process.send) process.send({ type: 'measure', line } satisfies MeasureMessage);
  else console.log(JSON.stringify(line));
}

/** The median of `samples` (which it sorts). */
export function median(samples: number[]): number {
  samples.sort((a, b) => a - b);
  const mid = samples.length >> 1;
  return samples.length % 2 === 1
    ? (samples[mid] as number)
    : ((samples[mid - 1] as number) + (samples[mid] as number)) / 2;
}

/** The benchmark size factor from BENCH_SCALE (default 1; e.g. 0.1 for a quick run). */
export function benchScale(): number {
  const scale = Number(process.env['BENCH_SCALE'] ?? '1');
  if (!Number.isFinite(scale) || scale <= 0) throw new Error(`BENCH_SCALE ${scale}, want > 0`);
  return scale;
}

/** `n` scaled by BENCH_SCALE, at least `min`. */
export function scaled(n: number, min = 1000): number {
  return Math.max(min, Math.round(n * benchScale()));
}

function round(value: number): number {
  return Math.abs(value) >= 100 ? Math.round(value) : Math.round(value * 1000) / 1000;
}
