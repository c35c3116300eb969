import { requestJson } from './json-request.js';

/** Options of {@link OwnerPoints}. */
export interface OwnerPointsOptions {
  coordinatorUrl: string;
  ownerToken: string;
  /** How long an answer is reused, ms. Default 30,000. */
  ttlMs?: number;
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
      const response = await requestJson(new URL('/v1/me', this.options.coordinatorUrl), {
        headers: { authorization: `Bearer ${this.options.ownerToken}` },
        timeoutMs: 5000,
      });
      const points = (response.body as { points?: unknown } | undefined)?.points;
      if (response.ok && typeof points === 'number') {
        this.#value = points;
        this.#fetchedAt = Date.now();
      }
    } catch {
      // Shown as unknown; asked again on the next call.
    }
    return this.#value;
  }
}
