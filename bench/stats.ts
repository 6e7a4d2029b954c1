/**
 * Samples and their summaries. Samples go into a growable `Float64Array`, so
 * recording one on the hot path costs a store, not an allocation.
 *
 * @example
 * ```ts
 * const latencies = new Samples();
 * latencies.add(1.5);
 * console.log(latencies.summary().p99);
 * ```
 *
 * @module
 */

/** Percentiles of a set of samples, in the samples' unit. */
export interface Summary {
  count: number;
  min: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
  mean: number;
}

/** A growable list of numbers. */
export class Samples {
  #values: Float64Array;
  #count = 0;

  constructor(capacity = 1024) {
    this.#values = new Float64Array(Math.max(1, capacity));
  }

  /** How many samples were added. */
  get count(): number {
    return this.#count;
  }

  /** Adds one sample. */
  add(value: number): void {
    if (this.#count === this.#values.length) {
      const grown = new Float64Array(this.#values.length * 2);
      grown.set(this.#values);
      this.#values = grown;
    }
    this.#values[this.#count++] = value;
  }

  /** Summarises the samples; every figure is `NaN` when there are none. */
  summary(): Summary {
    return summarize(this.#values.subarray(0, this.#count));
  }
}

/** Summarises a list of numbers with nearest-rank percentiles. */
export function summarize(values: ArrayLike<number>): Summary {
  const sorted = Float64Array.from(values).sort();
  const count = sorted.length;
  if (count === 0) return { count, min: NaN, p50: NaN, p90: NaN, p99: NaN, max: NaN, mean: NaN };
  let sum = 0;
  for (const value of sorted) sum += value;
  return {
    count,
    min: sorted[0],
    p50: percentile(sorted, 50),
    p90: percentile(sorted, 90),
    p99: percentile(sorted, 99),
    max: sorted[count - 1],
    mean: sum / count,
  };
}

/**
 * The median: the middle value, or the mean of the two middle ones for an
 * even count, so that neither side of a comparison is favoured; `NaN` when
 * there are none.
 */
export function median(values: ArrayLike<number>): number {
  const sorted = Float64Array.from(values).sort();
  const middle = sorted.length >> 1;
  if (sorted.length === 0) return NaN;
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/** The nearest-rank percentile `p` (0–100) of ascending values. */
export function percentile(sorted: ArrayLike<number>, p: number): number {
  if (sorted.length === 0) return NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1];
}
