/**
 * Gathers calls made within a short window into one call with all their
 * items, so that a storm of N joins costs a few statements instead of N. Each
 * caller still gets its own result, in order; a failed batch fails each of its
 * callers. One batch runs at a time, so items of one key never race.
 *
 * @example
 * ```ts
 * const lookups = new Batcher((ids: string[]) => db.namesOf(ids), 5);
 * const [a, b] = await Promise.all([lookups.add("a"), lookups.add("b")]); // one call
 * ```
 */
export class Batcher<Item, Result> {
  #run: (items: Item[]) => Promise<Result[]>;
  #windowMs: number;
  #pending: { item: Item; resolve: (result: Result) => void; reject: (error: unknown) => void }[] = [];
  #timer: ReturnType<typeof setTimeout> | undefined;
  #running: Promise<void> | null = null;

  /** `run` gets the items in the order they were added and returns one result per item. */
  constructor(run: (items: Item[]) => Promise<Result[]>, windowMs: number) {
    this.#run = run;
    this.#windowMs = windowMs;
  }

  /** Adds an item to the next batch and resolves with its result. */
  add(item: Item): Promise<Result> {
    const { promise, resolve, reject } = Promise.withResolvers<Result>();
    this.#pending.push({ item, resolve, reject });
    this.#timer ??= setTimeout(() => this.#flush(), this.#windowMs);
    return promise;
  }

  /** Runs what is pending now and waits for every batch in flight. */
  async drain(): Promise<void> {
    while (this.#pending.length > 0 || this.#running !== null) {
      if (this.#running === null) this.#flush();
      await this.#running;
    }
  }

  #flush(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    if (this.#running !== null) {
      // One batch at a time: the next starts when this one ends.
      this.#running.then(() => this.#timer ??= setTimeout(() => this.#flush(), 0));
      return;
    }
    const batch = this.#pending;
    this.#pending = [];
    if (batch.length === 0) return;
    this.#running = this.#run(batch.map((entry) => entry.item)).then(
      (results) => batch.forEach((entry, i) => entry.resolve(results[i])),
      (error) => batch.forEach((entry) => entry.reject(error)),
    ).finally(() => {
      this.#running = null;
    });
  }
}
