/** Options of {@link OwnerPoints}. */
export interface OwnerPointsOptions {
  coordinatorUrl: string;
  ownerToken: string;
  /** How long an answer is reused, ms. Default 30,000. */
  ttlMs?: number;
  /** Injectable fetch, for tests. Default the global fetch. */
  fetchImpl?: typeof fetch;
}

/** The owner's points from the coordinator (`GET /v1/me` with the owner token), cached for a while. */
export class OwnerPoints {
  #value: number | undefined;
  #fetchedAt = 0;
  #pending: Promise<number | undefined> | undefined;

  constructor(private readonly options: OwnerPointsOptions) {}

  /** The points, or `undefined` when the coordinator cannot be asked right now. Never throws. */
  get(): Promise<number | undefined> {
    if (Date.now() - this.#fetchedAt < (this.options.ttlMs ?? 30_000)) return Promise.resolve(this.#value);
    this.#pending ??= this.#load().finally(() => (this.#pending = undefined));
    return this.#pending;
  }

  async #load(): Promise<number | undefined> {
    try {
      const response = await (this.options.fetchImpl ?? fetch)(
        new URL('/v1/me', this.options.coordinatorUrl),
        {
          headers: { authorization: `Bearer ${this.options.ownerToken}` },
          signal: AbortSignal.timeout(5000),
        },
      );
      const body = (await response.json()) as { points?: unknown };
      if (response.ok && typeof body.points === 'number') {
        this.#value = body.points;
        this.#fetchedAt = Date.now();
      }
    } catch {
      // Shown as unknown; asked again on the next call.
    }
    return this.#value;
  }
}
